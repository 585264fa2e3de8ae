"""Read an uploaded .docx: every body paragraph as it reads before and after its tracked changes.

The body's ``w:p`` elements (outside tables) are *source paragraphs*, numbered from 0 in document
order. Each has text in the **old** version (before tracked changes: ``w:del``/``w:moveFrom`` in,
``w:ins``/``w:moveTo`` out) and in the **new** version (the reverse); text inside both an insertion
and a deletion is in neither. A source paragraph whose mark is deleted runs on into the next one
in the new version; one whose mark is inserted runs on in the old version; a drop cap (a framed
initial letter) runs on in both. So each version is a list of VersionParagraph made of
consecutive source paragraphs (``sources``), merges resolved. A body with no text of its own is
read again into its one-column tables and text boxes, whose paragraphs are then the sources.

Rows (ReadParagraph) pair the old and new paragraph that are one paragraph: within each stretch
of source paragraphs between marks that both versions share, old and new paragraphs are matched
in order by the unchanged text they share (ties go to the pair ending with the shared mark).
An old paragraph left unmatched was deleted (``new`` is None); a new one left unmatched was
inserted (``old`` is None); such rows stand where their first source paragraph stands.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from drafter.text import footnotes, labels
from drafter.text.clean import normalise_text
from drafter.text.structure import Block
from drafter.word.numbering import Numbering, StyleSheet, W, int_val, is_on, is_on_attr
from drafter.word.safety import (
    DAMAGED,
    DTD_REFUSED,
    STRICT,
    STRICT_PREFIX,
    DocxLimits,
    UnreadableDocument,
    UnsafeDocument,
    check_docx,
    parse_xml,
)

Version = Literal["old", "new"]
HEADING_MAX_CHARS = 150  #: a bold paragraph longer than this is not taken for a heading
MATCH_LIMIT = 10_000  #: old × new paragraphs in one stretch above which only the shared mark pairs
P, R, TBL, PPR, RPR = W + "p", W + "r", W + "tbl", W + "pPr", W + "rPr"
INSERTS = {W + "ins": "insert", W + "moveTo": "insert"}
DELETES = {W + "del": "delete", W + "moveFrom": "delete"}
#: run content that is text, and the text it stands for (None: the element's own text)
RUN_TEXT = {W + "t": None, W + "delText": None, W + "tab": "\t", W + "ptab": "\t", W + "br": "\n",
            W + "cr": "\n", W + "noBreakHyphen": "-", W + "softHyphen": ""}  # fmt: skip
NOTES = {W + "footnoteReference": "footnote", W + "endnoteReference": "endnote"}
#: where a note reference stands in a paragraph's text until its marker is known (``_place_notes``)
PLACEHOLDER = "\ue000"
MEDIA = {W + "drawing", W + "pict", W + "object"}
RUN_FLAGS = {W + "i", W + "b", W + "iCs", W + "bCs", W + "rtl", W + "cs", W + "rStyle"}
#: paragraph content that holds no text of the paragraph
IGNORED = {W + "proofErr", W + "bookmarkStart", W + "bookmarkEnd", W + "commentRangeStart",
           W + "commentRangeEnd", W + "permStart", W + "permEnd"}  # fmt: skip
MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
SEPARATORS = ("separator", "continuationSeparator", "continuationNotice")
#: tracked changes of a paragraph's properties (its numbering, style, mark's formatting): no text
PROPERTY_CHANGES = (W + "pPrChange", W + "rPrChange", W + "numberingChange", W + "sectPrChange")
DROP_CAPS = ("drop", "margin")  #: w:framePr/@w:dropCap values of a dropped first letter
DROP_CAP_CHARS = 3  #: a drop cap holds one letter, or a few ("In") at most
IN_TABLE = (
    "The text of this file is in a table; convert the table to text in Word (Table Layout > "
    "Convert to Text), save the file and upload it again."
)
#: what the reader says when a file's only text was in one-column tables or text boxes
READ_FROM = {
    "table": "The text of this file is in a table; its paragraphs were imported in order.",
    "text box": "The text of this file is in text boxes; their paragraphs were imported in order.",
}


class ChangeKind(StrEnum):
    INSERT = "insert"  #: text inserted (w:ins, w:moveTo)
    DELETE = "delete"  #: text deleted (w:del, w:moveFrom)
    PARAGRAPH_INSERT = "paragraph-insert"  #: a paragraph mark inserted: a new paragraph or a split
    PARAGRAPH_DELETE = "paragraph-delete"  #: a paragraph mark deleted: paragraphs merged or one removed


@dataclass(frozen=True, slots=True)
class Change:
    """One tracked change as Word recorded it."""

    kind: ChangeKind
    author: str
    date: dt.datetime | None  #: as written in the file (Word writes local time marked "Z")
    text: str  #: the inserted or deleted text; "" for a paragraph mark


@dataclass(frozen=True, slots=True)
class VersionParagraph:
    """One paragraph as it reads in one version (old or new) of the document."""

    index: int  #: position in DocxContent.old or DocxContent.new
    row: int  #: position of its ReadParagraph in DocxContent.paragraphs
    text: str  #: plain text, stripped; tabs "\t", line breaks "\n"
    sources: tuple[int, ...]  #: the body paragraphs merged into it (more than one after a merge)
    number_label: str = ""  #: Word's automatic number as printed ("5.", "(a)"); "" when none
    level: int = -1  #: list level (w:ilvl), -1 when not in a list
    style_name: str = ""
    heading_hint: bool = False  #: heading/title style, outline level, or short and all bold
    italic_chars: int = 0  #: length of the italic opening words
    #: the notes its markers name (``text.footnotes``): footnotes and endnotes alike, by marker id
    footnotes: dict[int, str] = field(default_factory=dict)
    #: notes that print their own mark ("*") instead of a number: the title block's, "* On behalf of ..."
    marked_notes: list[str] = field(default_factory=list)

    def block(self) -> Block:
        """Return the hints the structure detector takes."""
        return Block(self.text, self.number_label, self.level, self.heading_hint, self.italic_chars)


@dataclass(frozen=True, slots=True)
class ReadParagraph:
    """One paragraph in both versions: ``old`` None when inserted, ``new`` None when deleted."""

    old: VersionParagraph | None
    new: VersionParagraph | None
    changes: list[Change] = field(default_factory=list)

    @property
    def old_text(self) -> str | None:
        return None if self.old is None else self.old.text

    @property
    def new_text(self) -> str | None:
        return None if self.new is None else self.new.text

    @property
    def current(self) -> VersionParagraph:
        """Return the new version of the paragraph, or the old one when it was deleted."""
        current = self.new or self.old
        assert current is not None  # a row always has one side
        return current

    # The paragraph's properties as they are now (new version), or as they were when deleted.
    @property
    def number_label(self) -> str:
        return self.current.number_label

    @property
    def level(self) -> int:
        return self.current.level

    @property
    def style_name(self) -> str:
        return self.current.style_name

    @property
    def heading_hint(self) -> bool:
        return self.current.heading_hint

    @property
    def italic_chars(self) -> int:
        return self.current.italic_chars

    @property
    def footnotes(self) -> dict[int, str]:
        return self.current.footnotes


@dataclass(frozen=True, slots=True)
class DocxContent:
    """What read_docx found: rows in document order, each version's paragraphs, and notes."""

    paragraphs: list[ReadParagraph]
    old: list[VersionParagraph]
    new: list[VersionParagraph]
    has_tracked_changes: bool
    authors: list[str]  #: authors of tracked changes, in order of first appearance
    skipped: list[str]  #: what was not read (tables, images ...), or read from a table, as sentences for the user
    #: tracked changes that change no text: numbering, formatting, fields with no text
    other_changes: int = 0

    def block_paragraphs(self, version: Version = "new") -> list[VersionParagraph]:
        """Return the version's non-empty paragraphs: the ones blocks() turns into Blocks."""
        return [p for p in (self.new if version == "new" else self.old) if p.text]

    def blocks(self, version: Version = "new") -> list[Block]:
        """Return the version's non-empty paragraphs as Blocks for the structure detector."""
        return [p.block() for p in self.block_paragraphs(version)]


def read_docx(data: bytes, *, limits: DocxLimits | None = None) -> DocxContent:
    """Return the paragraphs of an uploaded .docx, or raise UnsafeDocument with a user message."""
    limits = limits or DocxLimits()
    check_docx(data, max_bytes=limits.max_bytes, max_members=limits.max_members,
               max_uncompressed=limits.max_uncompressed, max_ratio=limits.max_ratio, max_part=limits.max_part)  # fmt: skip
    document = _open(data)
    parts = _parts(document)
    body = getattr(document.element, "body", None)
    if body is None:  # the main part is some other XML, or a document with no body
        strict = str(document.element.tag).startswith("{" + STRICT_PREFIX)
        raise UnreadableDocument(STRICT if strict else DAMAGED)
    _check_size(body, limits)
    styles = StyleSheet(parts.get("styles"))
    walker = Walker(styles)
    sources = list(walker.body(body))
    if not _has_text(sources):
        walker, sources = _boxed(body, styles, walker, sources)
    notes = {kind: _notes(parts.get(kind + "s"), kind, styles) for kind in ("footnote", "endnote")}
    return _assemble(sources, walker, Numbering(parts.get("numbering"), styles), styles, notes)


def _has_text(sources: list[Source]) -> bool:
    return any(s.text("new").strip() or s.text("old").strip() for s in sources)


def _boxed(
    body: etree._Element, styles: StyleSheet, walker: Walker, sources: list[Source]
) -> tuple[Walker, list[Source]]:
    """Return the walk of a body with no text of its own, into its one-column tables and text boxes.

    A file typed in a one-column table, or in text boxes, reads in order as its paragraphs;
    one whose text is in a table of several columns (numbers beside text) is refused with a
    message, never called empty. A file with no text anywhere is returned as it was walked.
    """
    inner = Walker(styles, inside=True)
    found = list(inner.body(body))
    if _has_text(found):
        return inner, found
    if any((t.text or "").strip() for tbl in body.iter(TBL) for t in tbl.iter(W + "t", W + "delText")):
        raise UnreadableDocument(IN_TABLE)
    return walker, sources


def _check_size(body: etree._Element, limits: DocxLimits) -> None:
    """Refuse a body whose element or paragraph count would make reading it slow."""
    elements = paragraphs = 0
    for el in body.iter():
        elements += 1
        paragraphs += el.tag == P
        if elements > limits.max_elements or paragraphs > limits.max_paragraphs:
            raise UnsafeDocument(
                f"The document is too large to read (more than {limits.max_paragraphs:,} paragraphs "
                f"or {limits.max_elements:,} XML elements)."
            )


def _open(data: bytes) -> docx.document.Document:
    """Open the package with python-docx, turning any failure into UnreadableDocument."""
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and zipfile raise many types on damaged input
        raise UnreadableDocument(DAMAGED) from exc


def _parts(document: docx.document.Document) -> dict[str, etree._Element]:
    """Return the root elements of the parts the reader uses, by short name."""
    wanted = {RT.STYLES: "styles", RT.NUMBERING: "numbering", RT.FOOTNOTES: "footnotes", RT.ENDNOTES: "endnotes"}
    found: dict[str, etree._Element] = {"document": document.element}
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype in wanted:
            element = getattr(rel.target_part, "element", None)
            found[wanted[rel.reltype]] = element if element is not None else parse_xml(rel.target_part.blob)
    # check_docx refused DTDs in the first 64 KB of each part; this catches one placed later
    if any(root.getroottree().docinfo.internalDTD is not None for root in found.values()):
        raise UnsafeDocument(DTD_REFUSED)
    return found


def parse_date(text: str | None) -> dt.datetime | None:
    """Return a w:date as a datetime (UTC when no zone is given), or None when unreadable."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)(\.\d+)?(Z|[+-]\d\d:?\d\d)?", (text or "").strip())
    if match is None:
        return None
    base, fraction, zone = match.groups()
    try:
        return dt.datetime.fromisoformat(base + (fraction or "")[:7] + ("+00:00" if zone in (None, "Z") else zone))
    except ValueError:
        return None


@dataclass(slots=True)
class Piece:
    """A stretch of text of one source paragraph, with the versions it belongs to."""

    text: str
    old: bool
    new: bool
    italic: bool
    bold: bool


@dataclass(slots=True)
class Source:
    """One body paragraph as found in the XML, before versions are separated."""

    index: int
    ppr_new: etree._Element | None
    ppr_old: etree._Element | None
    pieces: list[Piece] = field(default_factory=list)
    #: kind, id, old, new, prints its own mark
    notes: list[tuple[str, str, bool, bool, bool]] = field(default_factory=list)
    changes: list[tuple[Change, bool]] = field(default_factory=list)  #: change, belongs to the new side
    mark_inserted: bool = False
    mark_deleted: bool = False
    before_table: bool = False  #: its mark cannot merge across what follows (a table, a cell's end, a text box)
    drop_cap: bool = False  #: a dropped first letter: it reads as the start of the next paragraph

    def text(self, version: Version) -> str:
        return "".join(p.text for p in self.pieces if (p.new if version == "new" else p.old))

    def runs_on(self, version: Version) -> bool:
        """Return whether the paragraph has no mark of its own in the version."""
        if self.before_table:
            return False
        return self.drop_cap or (self.mark_deleted if version == "new" else self.mark_inserted)


class Walker:
    """Walks paragraphs in document order, keeping complex-field state across paragraphs."""

    def __init__(self, styles: StyleSheet, *, inside: bool = False) -> None:
        self.styles = styles
        #: read one-column tables and text boxes as paragraphs, in order
        self.inside = inside
        self.read_from: dict[str, None] = {}  #: "table", "text box": where text was read from (inside)
        self.fields: list[bool] = []  #: one per open w:fldChar field: True while in its instructions
        self.authors: dict[str, None] = {}
        self.events: list[tuple[str, int, int]] = []  #: (what, source index, table rows) to report
        self.format_changes = 0
        self.empty_changes = 0  #: insertions and deletions holding no text (a field's code, an image)
        self.count = 0
        self._toggles: dict[tuple[str, str, str], bool] = {}
        self._last: Source | None = None

    def body(self, container: etree._Element) -> Iterator[Source]:
        """Yield the source paragraphs of the body (or a block-level content control)."""
        for el in container:
            if el.tag == P:
                yield self.paragraph(el)
                if self.inside:
                    for box in _text_boxes(el):
                        self._close()
                        yield from self._from("text box", self.body(box))
                        self._close()
            elif el.tag == TBL and self.inside and _one_column(el):
                for cell in (tc for tr in el.findall(W + "tr") for tc in tr.findall(W + "tc")):
                    self._close()
                    yield from self._from("table", self.body(cell))
                    self._close()
            elif el.tag == TBL:
                self.events.append(("table", self.count - 1, len(el.findall(W + "tr"))))
                if self._last is not None:
                    self._last.before_table = True
            elif el.tag in (W + "sdt", W + "customXml"):
                content = el.find(W + "sdtContent") if el.tag == W + "sdt" else el
                if content is not None:
                    yield from self.body(content)
            elif el.tag == W + "altChunk":
                self.events.append(("embedded document", self.count - 1, 0))

    def _close(self) -> None:
        """Keep the last paragraph's mark from merging into what follows (a cell's end, a text box)."""
        if self._last is not None:
            self._last.before_table = True

    def _from(self, where: str, sources: Iterator[Source]) -> Iterator[Source]:
        """Yield the sources, noting that text was read from a table or text box."""
        for source in sources:
            if source.text("new").strip() or source.text("old").strip():
                self.read_from.setdefault(where, None)
            yield source

    def paragraph(self, p: etree._Element) -> Source:
        """Return the source paragraph of one w:p."""
        ppr = p.find(PPR)
        change = None if ppr is None else ppr.find(W + "pPrChange")
        source = Source(self.count, ppr, ppr if change is None else change.find(PPR))
        self.count += 1
        self.format_changes += 0 if ppr is None else sum(1 for _ in ppr.iter(*PROPERTY_CHANGES))
        mark = None if ppr is None else ppr.find(RPR)
        for rev in () if mark is None else mark:
            if rev.tag in INSERTS or rev.tag in DELETES:
                inserted = rev.tag in INSERTS
                source.mark_inserted |= inserted
                source.mark_deleted |= not inserted
                kind = ChangeKind.PARAGRAPH_INSERT if inserted else ChangeKind.PARAGRAPH_DELETE
                source.changes.append((self._change(rev, kind, ""), inserted))
        self._walk(p, source, True, True, self.styles.paragraph_style(ppr))
        frame = None if ppr is None else ppr.find(W + "framePr")
        source.drop_cap = frame is not None and frame.get(W + "dropCap") in DROP_CAPS and _is_initial(source)
        self._last = source
        return source

    def _change(self, rev: etree._Element, kind: ChangeKind, text: str) -> Change:
        author = rev.get(W + "author") or ""
        self.authors.setdefault(author, None)
        return Change(kind, author, parse_date(rev.get(W + "date")), text)

    def _walk(self, parent: etree._Element, source: Source, old: bool, new: bool, style: str) -> None:
        for el in parent:
            tag = el.tag
            if not isinstance(tag, str) or tag in IGNORED or tag.endswith(("Pr", "PrChange")):
                continue  # comments, properties (pPr, rPr, sdtPr ...), bookmarks, proofing marks
            if tag == R:
                self._run(el, source, old, new, style)
            elif tag in INSERTS or tag in DELETES:
                inserted = tag in INSERTS
                start, notes = len(source.pieces), len(source.notes)
                self.authors.setdefault(el.get(W + "author") or "", None)  # the outer change came first
                self._walk(el, source, old and not inserted, new and inserted, style)
                text = "".join(p.text for p in source.pieces[start:]).replace(PLACEHOLDER, "")
                if text or len(source.notes) > notes:  # words, or a footnote added or removed
                    kind = ChangeKind.INSERT if inserted else ChangeKind.DELETE
                    source.changes.append((self._change(el, kind, text), inserted))
                else:
                    self.empty_changes += 1
            elif tag.startswith(MATH):
                self.events.append(("equation", source.index, 0))
            elif tag == MC + "AlternateContent":
                fallback = el.find(MC + "Fallback")
                if fallback is not None:
                    self._walk(fallback, source, old, new, style)
            else:  # hyperlinks, smart tags, content controls, simple fields: their content is text
                self._walk(el, source, old, new, style)

    def _run(self, run: etree._Element, source: Source, old: bool, new: bool, style: str) -> None:
        rpr = run.find(RPR)
        self.format_changes += rpr is not None and rpr.find(W + "rPrChange") is not None
        flags: tuple[bool, bool] | None = None
        for el in run:
            tag = el.tag
            if tag == W + "fldChar":
                self._field(el.get(W + "fldCharType"))
            elif any(self.fields):
                continue  # a field's instructions ("PAGE", "HYPERLINK ..."): only its result is text
            elif tag in RUN_TEXT or tag == W + "sym":
                text = _run_text(el)
                if text:
                    flags = flags or self._flags(rpr, style)
                    source.pieces.append(Piece(text, old, new, *flags))
            elif tag in NOTES:
                own_mark = is_on_attr(el.get(W + "customMarkFollows"))
                source.notes.append((NOTES[tag], el.get(W + "id") or "", old, new, own_mark))
                if not own_mark:  # where the reference stands; _version names the note
                    source.pieces.append(Piece(PLACEHOLDER, old, new, False, False))
            elif tag in MEDIA or tag == MC + "AlternateContent":
                boxed = next(el.iter(W + "txbxContent"), None) is not None
                if not (boxed and self.inside):  # inside, the walk reads the box after its paragraph
                    self.events.append(("text box" if boxed else "image", source.index, 0))
            elif tag == W + "commentReference":
                self.events.append(("comment", source.index, 0))

    def _field(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(True)
        elif kind == "separate" and self.fields:
            self.fields[-1] = False
        elif kind == "end" and self.fields:
            self.fields.pop()

    def _flags(self, rpr: etree._Element | None, style: str) -> tuple[bool, bool]:
        """Return (italic, bold) of a run: direct formatting, else run style, paragraph style, defaults."""
        direct = {} if rpr is None else {el.tag: el for el in rpr if el.tag in RUN_FLAGS}
        complex_script = any(is_on(direct[tag]) for tag in (W + "rtl", W + "cs") if tag in direct)
        run_style = direct[W + "rStyle"].get(W + "val", "") if W + "rStyle" in direct else ""
        italic, bold = (W + "iCs", W + "bCs") if complex_script else (W + "i", W + "b")
        return (
            is_on(direct[italic]) if italic in direct else self._inherited(italic, run_style, style),
            is_on(direct[bold]) if bold in direct else self._inherited(bold, run_style, style),
        )

    def _inherited(self, tag: str, run_style: str, style: str) -> bool:
        """Return a toggle property from the run style, else the paragraph style, else the defaults."""
        key = (tag, run_style, style)
        if key not in self._toggles:
            local = tag[len(W) :]
            el = self.styles.find(run_style, "rPr", local) if run_style else None
            if el is None:
                el = self.styles.find(style, "rPr", local)
            if el is None and self.styles.default_rpr is not None:
                el = self.styles.default_rpr.find(tag)
            self._toggles[key] = el is not None and is_on(el)
        return self._toggles[key]


def _is_initial(source: Source) -> bool:
    """Return whether a paragraph holds a dropped initial: a letter or a few, no blank, in each version."""
    texts = [source.text("old").strip(), source.text("new").strip()]
    return any(texts) and all(len(t) <= DROP_CAP_CHARS and not any(c.isspace() for c in t) for t in texts)


def _one_column(table: etree._Element) -> bool:
    """Return whether every row of a table has exactly one cell."""
    rows = table.findall(W + "tr")
    return bool(rows) and all(len(tr.findall(W + "tc")) == 1 for tr in rows)


def _text_boxes(p: etree._Element) -> list[etree._Element]:
    """Return the text boxes anchored in a paragraph, in order, each once.

    A box inside another box is read with that box; the mc:Fallback copy (VML) of a box that
    the mc:Choice (DrawingML) also holds is left out.
    """
    boxes = []
    for box in p.iter(W + "txbxContent"):
        outer = []
        for ancestor in box.iterancestors():
            if ancestor is p:
                break
            outer.append(ancestor)
        if any(a.tag == W + "txbxContent" or (a.tag == MC + "Fallback" and _choice_has_box(a)) for a in outer):
            continue
        boxes.append(box)
    return boxes


def _choice_has_box(fallback: etree._Element) -> bool:
    parent = fallback.getparent()
    choices = () if parent is None else parent.iterchildren(MC + "Choice")
    return any(next(choice.iter(W + "txbxContent"), None) is not None for choice in choices)


def _run_text(el: etree._Element) -> str:
    """Return the text a piece of run content stands for."""
    if el.tag == W + "sym":
        try:
            code = int(el.get(W + "char") or "", 16)
        except ValueError:
            return ""
        # symbol-font glyphs live in the private use area and mean nothing as text
        return "" if 0xE000 <= code <= 0xF8FF or code > 0x10FFFF else chr(code)
    fixed = RUN_TEXT[el.tag]
    return footnotes.strip(normalise_text(el.text or "")) if fixed is None else fixed


def _notes(root: etree._Element | None, kind: str, styles: StyleSheet) -> dict[str, dict[str, str]]:
    """Return each footnote's (or endnote's) text in both versions, by id; separators left out."""
    if root is None:
        return {}
    walker = Walker(styles)
    found: dict[str, dict[str, str]] = {}
    for note in root.iterchildren(W + kind):
        if note.get(W + "type") in SEPARATORS:
            continue
        sources = [walker.paragraph(p) for p in note.iter(P)]
        found[note.get(W + "id") or ""] = {
            version: "\n".join(text for s in sources if (text := s.text(version).strip())) for version in ("old", "new")
        }
    return found


def _assemble(
    sources: list[Source],
    walker: Walker,
    numbering: Numbering,
    styles: StyleSheet,
    notes: dict[str, dict[str, dict[str, str]]],
) -> DocxContent:
    """Return the content: each version's paragraphs, the rows pairing them, what was skipped."""
    groups = {version: _groups(sources, version) for version in ("old", "new")}
    pairs = _match(sources, groups["old"], groups["new"])
    row_of: dict[str, dict[int, int]] = {"old": {}, "new": {}}
    for row, (old, new) in enumerate(pairs):
        if old is not None:
            row_of["old"][old] = row
        if new is not None:
            row_of["new"][new] = row
    versions = {
        version: _version(sources, groups[version], version, row_of[version], numbering, styles, notes)
        for version in ("old", "new")
    }
    changes: list[list[Change]] = [[] for _ in pairs]
    group_of = {version: {i: k for k, group in enumerate(groups[version]) for i in group} for version in groups}
    for source in sources:
        for change, on_new in source.changes:
            side = "new" if on_new else "old"
            changes[row_of[side][group_of[side][source.index]]].append(change)
    rows = [
        ReadParagraph(None if o is None else versions["old"][o], None if n is None else versions["new"][n], changes[r])
        for r, (o, n) in enumerate(pairs)
    ]
    return DocxContent(
        rows,
        versions["old"],
        versions["new"],
        any(s.changes for s in sources),
        list(walker.authors),
        _skipped(walker, sources),
        walker.format_changes + walker.empty_changes,
    )


def _groups(sources: list[Source], version: Version) -> list[tuple[int, ...]]:
    """Return the source paragraphs of each paragraph of the version, merges resolved."""
    groups: list[tuple[int, ...]] = []
    current: list[int] = []
    for source in sources:
        current.append(source.index)
        if not source.runs_on(version) or source.index == len(sources) - 1:
            groups.append(tuple(current))
            current = []
    return groups


def _version(
    sources: list[Source],
    groups: list[tuple[int, ...]],
    version: Version,
    rows: dict[int, int],
    numbering: Numbering,
    styles: StyleSheet,
    notes: dict[str, dict[str, dict[str, str]]],
) -> list[VersionParagraph]:
    """Return the paragraphs of one version, numbered as Word numbers them in that version."""
    counter = numbering.counter()
    paragraphs = []
    for index, group in enumerate(groups):
        last = sources[group[-1]]  # its mark ends the paragraph, and the mark holds the properties
        ppr = last.ppr_new if version == "new" else last.ppr_old
        label, level = counter.number(ppr)
        pieces = [p for i in group for p in sources[i].pieces if (p.new if version == "new" else p.old)]
        text, italic, bold = _text(pieces)
        style = styles.paragraph_style(ppr)
        name = styles.names.get(style, "")
        heading = _heading_style(name, ppr, style, styles) or (
            bold and len(text) <= HEADING_MAX_CHARS and not footnotes.strip(text).endswith((";", ",", ".", ":"))
        )
        text, attached, marked = _place_notes(text, [sources[s] for s in group], version, notes)
        paragraphs.append(
            VersionParagraph(
                index,
                rows[index],
                text,
                group,
                label,
                level,
                name,
                heading,
                italic,
                attached,
                marked,
            )
        )
    return paragraphs


def _place_notes(
    text: str, group: list[Source], version: Version, notes: dict[str, dict[str, dict[str, str]]]
) -> tuple[str, dict[int, str], list[str]]:
    """Return the text with a marker for each note reference, the notes by marker id, and the
    notes that print their own mark.

    Ids run 1, 2 ... over the references of both versions in the order they stand, so a note
    keeps its id in the old and the new text of a tracked paragraph. A reference whose note
    is missing from the file keeps its marker with an empty note (the importer reports it).
    """
    refs = [(kind, note_id, o, n, own) for s in group for kind, note_id, o, n, own in s.notes]
    ids: dict[tuple[str, str], int] = {}
    for kind, note_id, _, _, own in refs:
        if not own:
            ids.setdefault((kind, note_id), len(ids) + 1)
    mine = [(kind, note_id, own) for kind, note_id, o, n, own in refs if (n if version == "new" else o)]
    attached: dict[int, str] = {}
    marked: list[str] = []
    numbered = iter([(kind, note_id) for kind, note_id, own in mine if not own])
    for kind, note_id, own in mine:
        body = notes[kind].get(note_id, {}).get(version, "")
        if own:
            if body:
                marked.append(body)
        else:
            attached[ids[(kind, note_id)]] = body

    def name(_: re.Match[str]) -> str:
        ref = next(numbered, None)
        return footnotes.marker(ids[ref]) if ref is not None and ids[ref] <= footnotes.MAX_NOTES else ""

    return re.sub(PLACEHOLDER, name, text), attached, marked


def _text(pieces: list[Piece]) -> tuple[str, int, bool]:
    """Return the stripped text, the length of its italic opening, and whether it is all bold.

    The italic opening is counted from the start of the text; a number label typed by hand
    before it ("5.\t", "(a) ") is not italic in Word and is counted in, so the opening of
    "5. *Decides* to ..." ends after "Decides", as the structure detector expects.
    """
    raw = "".join(p.text for p in pieces)
    text = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    italic = [flag for p in pieces for flag in [p.italic] * len(p.text)][lead : lead + len(text)]
    label = labels.LEADING.match(text)
    start = label.end() if label and not any(italic[: label.end()]) else 0
    end = start
    for pos in range(start, len(text)):
        if text[pos].isspace():
            continue  # blanks neither start nor end the italic opening
        if not italic[pos]:
            break
        end = pos + 1
    bold = bool(text) and all(p.bold for p in pieces if p.text.strip())
    return text, (end if end > start else 0), bold


def _heading_style(name: str, ppr: etree._Element | None, style: str, styles: StyleSheet) -> bool:
    """Return whether the paragraph's style or outline level makes it a heading."""
    lowered = name.lower()
    if "heading" in lowered or "title" in lowered:
        return True
    outline = int_val(ppr, "outlineLvl")
    if outline is None:
        found = styles.find(style, "pPr", "outlineLvl")
        outline = None if found is None else int_val(found.getparent(), "outlineLvl")
    return outline is not None and 0 <= outline < 9  # 9 is "body text"


def _match(
    sources: list[Source], old_groups: list[tuple[int, ...]], new_groups: list[tuple[int, ...]]
) -> list[tuple[int | None, int | None]]:
    """Return rows (old index, new index) in document order; None for an inserted or deleted side."""
    old_end = {group[-1]: k for k, group in enumerate(old_groups)}
    new_end = {group[-1]: k for k, group in enumerate(new_groups)}
    kept = [
        sum(len(p.text.strip()) for p in s.pieces if p.old and p.new)
        + (0.5 if s.text("old").strip() and s.text("new").strip() else 0.0)  # rewritten in place
        for s in sources
    ]
    rows: list[tuple[int | None, int | None]] = []
    o0 = n0 = 0
    for i in range(len(sources)):
        if i in old_end and i in new_end:  # a mark both versions share closes a stretch
            o1, n1 = old_end[i] + 1, new_end[i] + 1
            olds, news = range(o0, o1), range(n0, n1)
            if len(olds) * len(news) == 1 or len(olds) * len(news) > MATCH_LIMIT:
                pairs = [(o1 - 1, n1 - 1)]  # the paragraphs ending with the shared mark
            else:
                pairs = _best_pairs(olds, news, old_groups, new_groups, kept)
            for old, new in [*pairs, (o1, n1)]:
                # unpaired paragraphs in the order their text stands in the file (a deletion first on a tie)
                alone = [(_where(sources, old_groups[k], "old"), 0, (k, None)) for k in range(o0, old)]
                alone += [(_where(sources, new_groups[k], "new"), 1, (None, k)) for k in range(n0, new)]
                rows.extend(item for _, _, item in sorted(alone, key=lambda x: x[:2]))
                if old < o1:
                    rows.append((old, new))
                o0, n0 = old + 1, new + 1
            o0, n0 = o1, n1
    return rows


def _where(sources: list[Source], group: tuple[int, ...], version: Version) -> int:
    """Return the first source paragraph holding text of the group in the version (else its last)."""
    return next((i for i in group if sources[i].text(version).strip()), group[-1])


def _best_pairs(
    olds: range, news: range, old_groups: list[tuple[int, ...]], new_groups: list[tuple[int, ...]], kept: list[float]
) -> list[tuple[int, int]]:
    """Return the in-order pairs of old and new paragraphs sharing the most unchanged text."""

    def weight(o: int, n: int) -> float:
        shared = range(max(old_groups[o][0], new_groups[n][0]), min(old_groups[o][-1], new_groups[n][-1]) + 1)
        bonus = 0.25 if (o, n) == (olds[-1], news[-1]) else 0.0  # they end with the same mark
        return sum(kept[i] for i in shared) + bonus if shared else 0.0

    best = [[0.0] * (len(news) + 1) for _ in range(len(olds) + 1)]
    for a in range(1, len(olds) + 1):
        for b in range(1, len(news) + 1):
            w = weight(olds[a - 1], news[b - 1])
            best[a][b] = max(best[a - 1][b], best[a][b - 1], best[a - 1][b - 1] + w if w > 0 else 0.0)
    pairs = []
    a, b = len(olds), len(news)
    while a and b:
        if best[a][b] == best[a - 1][b]:
            a -= 1
        elif best[a][b] == best[a][b - 1]:
            b -= 1
        else:
            pairs.append((olds[a - 1], news[b - 1]))
            a, b = a - 1, b - 1
    return pairs[::-1]


def _skipped(walker: Walker, sources: list[Source]) -> list[str]:
    """Return sentences telling the user what was not read, and where."""
    numbers, openings = [], []
    count, last = 0, ""
    for source in sources:
        text = (source.text("new") or source.text("old")).strip()
        if text and not source.drop_cap:
            count, last = count + 1, text
        numbers.append(count)
        openings.append(last)
    messages = [READ_FROM[where] for where in walker.read_from]
    places: dict[str, list[int]] = {}
    for what, index, size in walker.events:
        if what != "table":
            places.setdefault(what, []).append(numbers[index] if index >= 0 else 0)
        elif index < 0 or numbers[index] == 0:
            messages.append(f"A table with {_count(size, 'row')} at the start of the document was skipped.")
        else:
            words = " ".join(openings[index].split()[:6])
            messages.append(
                f'A table with {_count(size, "row")} after paragraph {numbers[index]} ("{words} ...") was skipped.'
            )
    for what, where in places.items():
        near = ", ".join(str(n) for n in sorted(set(where))[:10])
        verb = "was" if len(where) == 1 else "were"
        messages.append(f"{_count(len(where), what)} {verb} not imported (near paragraph {near}).")
    if walker.format_changes:
        messages.append(
            f"{_count(walker.format_changes, 'tracked formatting change')} ignored; only text changes are read."
        )
    return messages


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
