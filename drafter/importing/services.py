"""Reading drafts and proposals from uploaded files, through the drafting and proposal services."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation
from drafter.errors import InvalidInput
from drafter.text.clean import normalise_text
from drafter.text.masthead import Masthead, ReadMasthead, read_masthead
from drafter.text.structure import ParsedParagraph, parse_text
from drafter.word.safety import MAGIC, DocxLimits

#: what binary files start with, and what to tell someone who uploaded one as text: the Word
#: reader's table of other formats, and a zip (a .docx named .txt, or another zipped file)
_NOT_TEXT = (
    *MAGIC,
    (b"PK\x03\x04", "This is a Word or other zipped file, not plain text. Name it .docx if it is a Word document."),
)

MAX_TEXT_CHARS = 2_000_000


@dataclass
class Draft:
    """A draft read from a file or a paste, before it becomes a revision."""

    paragraphs: list[ParsedParagraph]
    title_lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: what was in the file but not imported (tables, images), as sentences for the user
    skipped: list[str] = field(default_factory=list)
    #: footnotes of the title block ("* On behalf of ..."), marker first
    title_footnotes: list[str] = field(default_factory=list)

    def read_masthead(self) -> ReadMasthead:
        """Return the document identity printed in the draft's title lines."""
        return read_masthead(self.title_lines, self.title_footnotes)


def masthead_for(session: Session, negotiation: Negotiation, draft: Draft) -> tuple[Masthead, list[str]]:
    """Return the identity an imported draft gets: what its title lines print, the rest inherited
    from the latest revision; and what of the title lines could not be read."""
    read = draft.read_masthead()
    inherited = drafting.inherited_masthead(session, negotiation)
    fields = read.masthead.filled()
    if read.masthead.symbol:
        # a masthead of its own: its sponsor line and their footnotes are the document's, even when none
        fields.update(sponsor_line=read.masthead.sponsor_line, footnotes=read.masthead.footnotes)
    return inherited.merged(**fields), read.unread


def decode_text(data: bytes) -> str:
    """Return the text of an uploaded plain-text file (UTF-8, UTF-16, or Windows-1252), normalised."""
    for magic, message in _NOT_TEXT:
        if data.startswith(magic):
            raise InvalidInput(message)
    return normalise_text(_decode(data))


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if (encoding := _bomless_utf16(data)) is not None:
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8-sig")  # a stray NUL here is valid UTF-8; the normalisation drops it
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise InvalidInput("This file is not plain text. Upload a .txt or .docx file.")
    return data.decode("cp1252", errors="replace")


def _bomless_utf16(data: bytes) -> str | None:
    """Return the UTF-16 byte order of a file saved without a byte order mark, or None.

    Latin text in UTF-16 has a zero in every other byte, which UTF-8 would decode (NULs are
    valid UTF-8) into a text with a NUL after each letter.
    """
    head = data[:4096]
    even, odd = head[0::2], head[1::2]
    if len(head) < 4:
        return None
    if odd.count(0) > len(odd) // 3 and even.count(0) < len(even) // 20:
        return "utf-16-le"
    if even.count(0) > len(even) // 3 and odd.count(0) < len(odd) // 20:
        return "utf-16-be"
    return None


def read_text_draft(text: str) -> Draft:
    """Return the draft found in pasted or uploaded plain text."""
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(f"The text is longer than {MAX_TEXT_CHARS:,} characters.")
    result = parse_text(text)
    if not result.paragraphs:
        raise InvalidInput("No paragraphs were found in the text.")
    return Draft(
        list(result.paragraphs),
        list(result.title_lines),
        list(result.warnings),
        title_footnotes=list(result.title_footnotes),
    )


def read_draft(filename: str, data: bytes, *, limits: DocxLimits | None = None) -> Draft:
    """Return the draft in an uploaded file, by its kind (.txt or .docx)."""
    name = filename.lower()
    if name.endswith(".docx"):
        from drafter.importing.docx import read_docx_draft

        return read_docx_draft(data, limits=limits)
    if name.endswith((".txt", ".text", ".md")) or "." not in name:
        return read_text_draft(decode_text(data))
    raise InvalidInput("Drafts can be imported from .txt or .docx files.")
