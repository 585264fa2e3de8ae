"""Fuzzing the .docx reader: damaged, mutated and random packages are read or refused, never crash.

The seeds are real files made by our own writers (clean, tracked, compilation). Cases mutate
their XML parts (cut, duplicate, splice tags, drop members, swap content types), their raw
bytes, or build random zips; the only acceptable refusal is ``UnsafeDocument`` (with its
subclass ``UnreadableDocument``), whose message the user reads.
"""

from __future__ import annotations

import copy
import io
import zipfile
from functools import cache

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from drafter.text.structure import parse_text
from drafter.word.clean import write_clean
from drafter.word.compilation import write_compilation
from drafter.word.package import save_docx
from drafter.word.reader import read_docx
from drafter.word.safety import UnsafeDocument, check_docx
from drafter.word.tracked import write_tracked
from tests.support.drafts import DATE, HEADER, compared_rows, sample_compilation, sample_draft, sample_revision_pair
from tests.unit.fuzzing import fuzz
from tests.unit.word.docx_factory import zip_members

#: fragments of WordprocessingML spliced into parts, so mutations reach the reader's logic
FRAGMENTS = (
    b"<w:p>",
    b"</w:p>",
    b"<w:r><w:t>x</w:t></w:r>",
    b'<w:ins w:id="9" w:author="A">',
    b"</w:ins>",
    b'<w:del w:id="8" w:author="B" w:date="not a date">',
    b"</w:del>",
    b"<w:delText>gone</w:delText>",
    b'<w:numPr><w:ilvl w:val="99"/><w:numId w:val="-1"/></w:numPr>',
    b'<w:pStyle w:val="Heading9"/>',
    b'<w:footnoteReference w:id="12345"/>',
    b"<w:tab/>",
    b"<w:br/>",
    b'<w:moveFrom w:id="3">',
    b"</w:moveFrom>",
    b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",
    b"&amp;",
    b"&#0;",
    b"\x00",
    b"\xff\xfe",
    b'<?xml version="1.0"?>',
    b"<!DOCTYPE x>",
    b"]]>",
    b'<w:t xml:space="preserve">  </w:t>',
)


@cache
def seeds() -> tuple[bytes, ...]:
    """Return .docx files written by the app's own writers."""
    old, new = sample_revision_pair()
    documents = [
        write_clean(HEADER, sample_draft()),
        write_clean(HEADER, sample_draft(), show_status=True),
        write_tracked(HEADER, compared_rows(old, new), date=DATE),
        write_compilation(HEADER, sample_compilation(), style="formatted"),
        write_compilation(HEADER, sample_compilation(), style="tracked"),
    ]
    return tuple(save_docx(d, timestamp=DATE) for d in documents)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def read(data: bytes) -> None:
    """Read an upload as the import does; refusing it with a message for the user is fine."""
    try:
        content = read_docx(data)
    except UnsafeDocument as refused:
        assert refused.message.strip()
        return
    for version in ("old", "new"):
        text = "\n\n".join(p.text for p in getattr(content, version, []) or [])
        parse_text(text)


@st.composite
def mutated_part(draw: st.DrawFn, body: bytes) -> bytes:
    """Return an XML part with a few cuts, duplications, splices or byte flips."""
    for _ in range(draw(st.integers(1, 4))):
        n = len(body)
        at = draw(st.integers(0, n))
        end = draw(st.integers(at, min(n, at + 400)))
        how = draw(st.sampled_from(["cut", "duplicate", "splice", "flip", "truncate"]))
        if how == "cut":
            body = body[:at] + body[end:]
        elif how == "duplicate":
            body = body[:end] + body[at:end] + body[end:]
        elif how == "splice":
            body = body[:at] + draw(st.sampled_from(FRAGMENTS)) + body[at:]
        elif how == "flip" and n:
            i = min(at, n - 1)
            body = body[:i] + bytes([body[i] ^ draw(st.integers(1, 255))]) + body[i + 1 :]
        else:
            body = body[:at]
    return body


ODD_VALUES = ("", "-1", "0", "99999999999", "x", "1.5", "auto", "\u202e", "true", "none", "2025-13-45T99:99:99Z")


@st.composite
def mutated_tree(draw: st.DrawFn, body: bytes) -> bytes:
    """Return a well-formed XML part with elements removed, copied, moved or given odd attribute values."""
    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError:
        return body
    elements = list(root.iter())
    for _ in range(draw(st.integers(1, 6))):
        el = elements[draw(st.integers(0, len(elements) - 1))]
        parent = el.getparent()
        how = draw(st.sampled_from(["remove", "copy", "move", "attribute", "text"]))
        if how == "remove" and parent is not None:
            parent.remove(el)
        elif how == "copy" and parent is not None:
            parent.insert(draw(st.integers(0, len(parent))), copy.deepcopy(el))
        elif how == "move" and parent is not None:
            target = elements[draw(st.integers(0, len(elements) - 1))]
            if el not in target.iterancestors() and el is not target:
                target.append(el)
        elif how == "attribute" and el.attrib:
            name = draw(st.sampled_from(sorted(el.attrib)))
            el.set(name, draw(st.sampled_from(ODD_VALUES)))
        elif how == "text":
            el.text = draw(
                st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20).filter(
                    lambda t: all(c in "\t\n\r" or ord(c) >= 32 for c in t)
                )
            )
    return etree.tostring(root)


@st.composite
def mutated_package(draw: st.DrawFn) -> bytes:
    parts = members(draw(st.sampled_from(seeds())))
    names = sorted(parts)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(names))
        action = draw(st.sampled_from(["mutate", "mutate", "mutate", "drop", "swap"]))
        if action == "mutate" and name in parts:
            parts[name] = draw(mutated_tree(parts[name]) if draw(st.booleans()) else mutated_part(parts[name]))
        elif action == "drop":
            parts.pop(name, None)
        elif name in parts:
            parts[name] = parts.get(draw(st.sampled_from(names)), b"") if draw(st.booleans()) else b""
    return zip_members(parts)


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(data) - 1))
        data[i] = draw(st.integers(0, 255))
    cut = draw(st.integers(len(data) // 2, len(data)))
    return bytes(data[:cut])


NAMES = (
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/numbering.xml",
    "word/footnotes.xml",
    "docProps/core.xml",
    "../evil.xml",
    "word/vbaProject.bin",
    "word/",
)


@st.composite
def random_zip(draw: st.DrawFn) -> bytes:
    parts = {}
    for _ in range(draw(st.integers(0, 6))):
        name = draw(
            st.one_of(
                st.sampled_from(NAMES),
                st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
            )
        )
        body = draw(st.one_of(st.binary(max_size=300), st.lists(st.sampled_from(FRAGMENTS), max_size=20).map(b"".join)))
        parts[name] = body
    return zip_members(parts)


def test_the_seeds_are_read():
    for data in seeds():
        check_docx(data)
        assert read_docx(data).new


@fuzz(2)
@given(mutated_package())
def test_a_package_with_mutated_parts_is_read_or_refused(data):
    read(data)


@fuzz(0.5)
@given(mutated_bytes())
def test_a_file_with_damaged_bytes_is_read_or_refused(data):
    read(data)


@fuzz(0.5)
@given(random_zip())
def test_a_random_zip_is_refused_with_a_message(data):
    read(data)


@fuzz(0.25)
@given(st.binary(max_size=2000))
def test_random_bytes_are_refused_with_a_message(data):
    read(data)
