"""A draft from an uploaded .docx: the Word reader's hints through the one structure detector.

``read_docx_draft(data) -> Draft`` reads the document as it stands with every tracked change
accepted, hands each non-empty paragraph to ``drafter.text.structure.classify`` as a Block
(Word's automatic number as the number hint, heading and title styles as heading hints, the
italic opening as formatted), and attaches footnotes to their paragraphs. Whatever was not
imported (tables, images, text boxes, tracked formatting) is reported as a warning.

``read_docx_content`` and ``classified`` are shared with the proposal import, which reads both
versions of a delegation's tracked file.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from drafter.errors import InvalidInput
from drafter.importing.services import Draft
from drafter.text import footnotes
from drafter.text.clean import excerpt
from drafter.text.labels import LIST_LABEL
from drafter.text.structure import Block, ParsedParagraph, ParseResult, classify
from drafter.word.reader import DocxContent, Version, VersionParagraph, read_docx
from drafter.word.safety import MAX_BYTES, DocxLimits, UnsafeDocument

log = logging.getLogger(__name__)

#: style names of the lines of a title block (Word's own, and the ones our exports use)
_TITLE_STYLE = re.compile(
    r"(?:drafter\s+)?(?:title|subtitle|symbol|label|date)|drafter\s+(?:masthead(?:\s+note)?|organ"
    r"|issue|language|session|committee|agenda(?:\s+title)?|sponsor|document\s+title|chapeau)",
    re.IGNORECASE,
)
UNREADABLE = (
    "The Word file could not be read. Open it in Word, save it again as a Word document (.docx) "
    "and upload the new copy."
)


def docx_limits(config: Mapping[str, Any] | None = None) -> DocxLimits:
    """Return the limits for uploads under the app's configuration (UPLOAD_MAX_BYTES, MAX_CONTENT_LENGTH)."""
    config = config or {}
    sizes = [v for v in (config.get("UPLOAD_MAX_BYTES"), config.get("MAX_CONTENT_LENGTH")) if v]
    return DocxLimits(max_bytes=min(sizes) if sizes else MAX_BYTES)


def read_docx_content(data: bytes, *, limits: DocxLimits | None = None) -> DocxContent:
    """Return what the Word reader finds in an upload; any refusal becomes InvalidInput."""
    try:
        return read_docx(data, limits=limits)
    except UnsafeDocument as exc:
        raise InvalidInput(exc.message) from None
    except RecursionError:
        raise InvalidInput("The Word file is nested too deeply to be read.") from None
    except Exception:  # a reader bug on strange input must still end in a clear message, not a 500
        log.exception("unexpected failure reading an uploaded .docx")
        raise InvalidInput(UNREADABLE) from None


@dataclass(frozen=True, slots=True)
class Classified:
    """One version of a Word file through the structure detector."""

    result: ParseResult
    #: the Word paragraph each detected paragraph came from (same order as result.paragraphs)
    sources: list[VersionParagraph]
    #: the title block: lines whose style says so, then what the detector took for title lines
    title_lines: list[str]


def _block(p: VersionParagraph, trust_italics: bool) -> Block:
    """Return the Block of one Word paragraph, its list label turned into hints the detector reads."""
    label, level = p.number_label.strip(), p.level
    if p.heading_hint or not label:
        hint, level_hint = label, (level if label else -1)
    elif LIST_LABEL.fullmatch(label):
        hint, level_hint = label, level
    elif not any(ch.isalnum() for ch in label):  # a bullet: an item under the paragraph above
        hint, level_hint = "", level + 1
    else:  # "Article 1", "Section 1.2": a label the detector would misread
        hint, level_hint = "", -1
    return Block(p.text, hint, level_hint, p.heading_hint, p.italic_chars if trust_italics else -1)


def _squash(text: str) -> str:
    return " ".join(text.split())


def classified(content: DocxContent, version: Version = "new") -> Classified:
    """Return the structure of one version of the document, each paragraph traced to its source."""
    paragraphs = content.block_paragraphs(version)
    leading = 0
    while leading < len(paragraphs) and _TITLE_STYLE.fullmatch(paragraphs[leading].style_name.strip()):
        leading += 1
    body = paragraphs[leading:]
    trust_italics = any(p.italic_chars for p in body)
    result = classify([_block(p, trust_italics) for p in body])
    sources: list[VersionParagraph] = []
    at = 0
    for parsed in result.paragraphs:
        # classify drops title lines and closing lines and strips labels: find the block in order
        want = _squash(parsed.text)
        while at < len(body) and not _same_paragraph(_squash(body[at].text), want):
            at += 1
        if at == len(body):  # cannot happen with the detector as written; keep going without notes
            sources = []
            break
        sources.append(body[at])
        at += 1
    title = [p.text for p in paragraphs[:leading]] + list(result.title_lines)
    return Classified(result, sources, title)


def _same_paragraph(block: str, parsed: str) -> bool:
    return bool(parsed) and (block.endswith(parsed) or parsed.endswith(block))


def read_docx_draft(data: bytes, *, limits: DocxLimits | None = None) -> Draft:
    """Return the draft in an uploaded .docx (tracked changes accepted), or raise InvalidInput."""
    content = read_docx_content(data, limits=limits)
    found = classified(content, "new")
    paragraphs, warnings = _with_footnotes(content, found)
    if not paragraphs:
        raise InvalidInput("No paragraphs were found in the Word file: it has no text to import.")
    skipped = list(content.skipped)
    if content.has_tracked_changes:
        who = ", ".join(a for a in content.authors if a) or "an unnamed author"
        warnings.insert(
            0, f"The file has tracked changes (by {who}): the text with every change accepted was imported."
        )
    return Draft(
        paragraphs,
        found.title_lines,
        [*warnings, *found.result.warnings],
        skipped,
        title_footnotes=title_notes(content, found),
    )


def _with_footnotes(content: DocxContent, found: Classified) -> tuple[list[ParsedParagraph], list[str]]:
    """Return the detected paragraphs with their Word footnotes (and endnotes, taken as footnotes).

    The reader put a marker where each reference stands; the detected text keeps it. A note on a
    paragraph that is not part of the draft (a title line), or a reference whose note is missing
    or empty, is reported.
    """
    paragraphs = list(found.result.paragraphs)
    if not found.sources:
        return paragraphs, []
    attached = {source.index for source in found.sources}
    warnings = [
        f"A note on “{excerpt(source.text)}”, which is not a paragraph of the draft, was not imported: {note}"
        for source in content.block_paragraphs("new") if source.index not in attached
        for note in source.footnotes.values() if note
    ]  # fmt: skip
    out = []
    for p, source in zip(paragraphs, found.sources):
        notes = footnotes.used(p.text, source.footnotes)
        for note_id in footnotes.ids_in(p.text):
            if not notes.get(note_id, "").strip():
                notes[note_id] = ""
                warnings.append(
                    f"A footnote reference in “{excerpt(footnotes.strip(p.text))}” has no text in the file."
                )
        out.append(replace(p, footnotes=notes) if notes else p)
    return out, warnings


def title_notes(content: DocxContent, found: Classified) -> list[str]:
    """Return the notes of the title block that print their own mark: "* On behalf of ..."."""
    attached = {source.index for source in found.sources}
    return [
        f"* {note}" if not note.startswith("*") else note
        for source in content.block_paragraphs("new") if source.index not in attached
        for note in source.marked_notes
    ]  # fmt: skip
