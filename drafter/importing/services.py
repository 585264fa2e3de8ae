"""Reading drafts and proposals from uploaded files, through the drafting and proposal services."""

from __future__ import annotations

from dataclasses import dataclass, field

from drafter.errors import InvalidInput
from drafter.text.structure import ParsedParagraph, parse_text

MAX_TEXT_CHARS = 2_000_000


@dataclass
class Draft:
    """A draft read from a file or a paste, before it becomes a revision."""

    paragraphs: list[ParsedParagraph]
    title_lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: what was in the file but not imported (tables, images), as sentences for the user
    skipped: list[str] = field(default_factory=list)


def decode_text(data: bytes) -> str:
    """Return the text of an uploaded plain-text file (UTF-8, UTF-16 with a BOM, or Windows-1252)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise InvalidInput("This file is not plain text. Upload a .txt or .docx file.")
    return data.decode("cp1252", errors="replace")


def read_text_draft(text: str) -> Draft:
    """Return the draft found in pasted or uploaded plain text."""
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(f"The text is longer than {MAX_TEXT_CHARS:,} characters.")
    result = parse_text(text)
    if not result.paragraphs:
        raise InvalidInput("No paragraphs were found in the text.")
    return Draft(list(result.paragraphs), list(result.title_lines), list(result.warnings))


def read_draft(filename: str, data: bytes) -> Draft:
    """Return the draft in an uploaded file, by its kind (.txt or .docx)."""
    name = filename.lower()
    if name.endswith(".docx"):
        from drafter.importing.docx import read_docx_draft

        return read_docx_draft(data)
    if name.endswith((".txt", ".text", ".md")) or "." not in name:
        return read_text_draft(decode_text(data))
    raise InvalidInput("Drafts can be imported from .txt or .docx files.")
