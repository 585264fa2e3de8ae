"""Read tracked-change documents at the XML level: a second oracle that needs no LibreOffice.

``resolve(document, "accept")`` applies Word's rules to the body: text in ``w:ins`` belongs to
the new version only, text in ``w:del`` to the old only, and a paragraph whose mark is
removed in a version (a deleted mark when accepting, an inserted one when rejecting) runs
into the next paragraph. The body's final mark cannot be removed, so a writer that marks it
leaves a stray empty paragraph here, as it would in Word.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from docx.document import Document
from docx.oxml.ns import qn
from lxml import etree

Mode = Literal["accept", "reject"]
W_P, W_R, W_INS, W_DEL = qn("w:p"), qn("w:r"), qn("w:ins"), qn("w:del")
W_T, W_DELTEXT, W_TAB, W_BR = qn("w:t"), qn("w:delText"), qn("w:tab"), qn("w:br")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def body_paragraphs(document: Document) -> list[etree._Element]:
    """Return the body's paragraph elements in order."""
    return list(document.element.body.iter(W_P))


def mark_kind(p: etree._Element) -> str:
    """Return "ins", "del" or "" for the revision on a paragraph's mark."""
    rpr = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if rpr is None or len(rpr) == 0:
        return ""
    return {W_INS: "ins", W_DEL: "del"}.get(rpr[0].tag, "")


def _run_text(r: etree._Element) -> str:
    out = []
    for child in r:
        if child.tag in (W_T, W_DELTEXT):
            out.append(child.text or "")
        elif child.tag == W_TAB:
            out.append("\t")
        elif child.tag == W_BR:
            out.append("\n")
    return "".join(out)


def segments(p: etree._Element) -> Iterator[tuple[str, str]]:
    """Yield ("", text), ("ins", text) or ("del", text) for the content of a paragraph in order."""
    for child in p:
        if child.tag == W_R:
            yield "", _run_text(child)
        elif child.tag in (W_INS, W_DEL):
            kind = "ins" if child.tag == W_INS else "del"
            for r in child.iter(W_R):
                yield kind, _run_text(r)


def resolve(document: Document, mode: Mode) -> list[str]:
    """Return the body's paragraph texts after accepting or rejecting every change."""
    dropped = "del" if mode == "accept" else "ins"
    paragraphs = body_paragraphs(document)
    out: list[str] = []
    current: list[str] = []
    for index, p in enumerate(paragraphs):
        current.extend(text for kind, text in segments(p) if kind != dropped)
        last = index == len(paragraphs) - 1
        if last or mark_kind(p) != dropped:
            out.append("".join(current))
            current = []
    return out


def merge_hazards(document: Document) -> list[int]:
    """Return indexes of unmarked paragraph breaks with an insertion right before and right after.

    "Right before" is the paragraph's last piece of text, or for an empty paragraph the mark
    before it; "right after" is the next paragraph's first text, or its mark when it is empty.
    LibreOffice merges such insertions into one redline across the break, and "reject all"
    then glues the two paragraphs.
    """
    stream: list[tuple[str, int | None]] = []  # (revision kind, index of the paragraph whose mark it is)
    for index, p in enumerate(body_paragraphs(document)):
        stream.extend((kind, None) for kind, text in segments(p) if text)
        stream.append((mark_kind(p), index))
    hazards = []
    for at, (kind, index) in enumerate(stream[1:-1], start=1):
        if index is not None and kind == "" and stream[at - 1][0] == "ins" and stream[at + 1][0] == "ins":
            hazards.append(index)
    return hazards


def problems(document: Document) -> list[str]:
    """Return what is wrong with the revision markup of a document (empty when all is well)."""
    found = []
    ids: list[str] = []
    for el in document.element.body.iter(W_INS, W_DEL):
        ids.append(el.get(qn("w:id")) or "")
        if not el.get(qn("w:author")) or not el.get(qn("w:date")):
            found.append(f"revision {ids[-1]} lacks author or date")
        if el.tag == W_DEL and el.find(f".//{W_T}") is not None:
            found.append(f"deletion {ids[-1]} holds w:t instead of w:delText")
        if el.tag == W_INS and el.find(f".//{W_DELTEXT}") is not None:
            found.append(f"insertion {ids[-1]} holds w:delText")
    if len(set(ids)) != len(ids):
        found.append("revision ids are not unique")
    for t in document.element.body.iter(W_T, W_DELTEXT):
        if t.get(XML_SPACE) != "preserve":
            found.append(f"text {t.text!r} lacks xml:space=preserve")
    for p in body_paragraphs(document):
        rpr = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
        if rpr is not None and any(c.tag in (W_INS, W_DEL) for c in rpr[1:]):
            found.append("a paragraph-mark revision is not the first child of w:pPr/w:rPr")
    return found
