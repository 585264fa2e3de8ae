"""The footnotes of a written document: ``word/footnotes.xml`` and the references to it.

A document collects its footnotes as its paragraphs are written (``Footnotes``): first the
title block's notes that print their own mark ("*"), then each numbered footnote where its
marker (``text.footnotes``) stands in a paragraph. Word numbers the others itself. Notes get
ids in the order of their references, because LibreOffice pairs notes with references by order.

In a tracked file a footnote added is its reference and its text inside ``w:ins``, one removed
the same inside ``w:del``, and a footnote rewritten keeps its reference and has its text's
changes tracked inside the note; accepting every change gives the newer notes, rejecting them
the older ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.xmlchemy import BaseOxmlElement

from drafter.text.diff import DiffOp, Op, word_diff
from drafter.word import ooxml, styles
from drafter.word.ooxml import Fmt
from drafter.word.runs import Track


@dataclass
class Footnotes:
    """The footnotes of one document, in the order of their references."""

    elements: list[BaseOxmlElement] = field(default_factory=list)
    #: how many numbered notes are written: the number Word prints on the last one
    numbered_count: int = 0

    @property
    def next_id(self) -> int:
        return len(self.elements) + 1

    def own_mark(self, text: str) -> int:
        """Add a note that prints its own mark (a star note of the title block); return its id."""
        p = ooxml.paragraph(styles.FOOTNOTE_TEXT)
        p.append(ooxml.footnote_mark(styles.FOOTNOTE_REFERENCE))
        p.append(ooxml.run("\t" + text))
        return self._add(p)

    def numbered(self, ops: Sequence[DiffOp], track: Track | None, whole: Op = Op.EQUAL) -> int:
        """Add a numbered note whose text is ``ops`` (old → new note text); return its id.

        ``whole`` says whether the note itself is added (INSERT) or removed (DELETE) in a
        tracked file: its mark and text are then inside that revision.
        """
        self.numbered_count += 1
        p = ooxml.paragraph(styles.FOOTNOTE_TEXT)
        mark = ooxml.footnote_mark(styles.FOOTNOTE_REFERENCE)
        tab = ooxml.run("\t", deleted=whole is Op.DELETE and track is not None)
        if track is not None and whole is not Op.EQUAL:
            kind = "ins" if whole is Op.INSERT else "del"
            text = "".join(o.text for o in ops)
            runs = [mark, tab, ooxml.run(text, deleted=whole is Op.DELETE)]
            p.append(track.revisions.wrap(kind, track.author, track.date, runs))
            return self._add(p)
        p.append(mark)
        p.append(tab)
        for o in ops:
            if not o.text:
                continue
            if o.op is Op.EQUAL or track is None:
                if o.op is not Op.DELETE:
                    p.append(ooxml.run(o.text))
                continue
            kind = "ins" if o.op is Op.INSERT else "del"
            r = ooxml.run(o.text, deleted=o.op is Op.DELETE)
            p.append(track.revisions.wrap(kind, track.author, track.date, [r]))
        return self._add(p)

    def _add(self, paragraph: BaseOxmlElement) -> int:
        note_id = self.next_id
        self.elements.append(ooxml.footnote(note_id, paragraph))
        return note_id

    def write(self, document: Document) -> None:
        """Write ``word/footnotes.xml`` with the separators and every note; nothing when there are none."""
        if not self.elements:
            return
        root = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}/>")
        for separator in ooxml.footnote_separators():
            root.append(separator)
        for note in self.elements:
            root.append(note)
        package = document.part.package
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, package)
        document.part.relate_to(part, RT.FOOTNOTES)
        ooxml.set_footnote_properties(document.settings.element)


@dataclass(frozen=True, slots=True)
class ParagraphNotes:
    """The notes a paragraph's markers name, in its old and new text, and where they are written."""

    sink: Footnotes
    old: Mapping[int, str] = field(default_factory=dict)
    new: Mapping[int, str] = field(default_factory=dict)
    #: notes already printed elsewhere (a compilation's base paragraph), by id → their number:
    #: a marker of an unchanged one prints that number instead of a second note
    printed: Mapping[int, int] = field(default_factory=dict)

    def reference(self, note_id: int, op: Op, fmt: Fmt, track: Track | None) -> BaseOxmlElement:
        """Return the reference run of the marker of ``note_id``, met in an ``op`` piece; its note is added.

        A marker inserted or deleted brings its whole note in or out (tracked in a tracked
        file); a kept marker whose note was rewritten has the note's words tracked.
        """
        old, new = self.old.get(note_id), self.new.get(note_id)
        if note_id in self.printed and op is Op.EQUAL and old == new:
            return ooxml.run(str(self.printed[note_id]), Fmt(style=styles.FOOTNOTE_REFERENCE, rtl=fmt.rtl))
        if op is Op.DELETE:
            text = ooxml.xml_safe(old if old is not None else new or "")
            written = self.sink.numbered([DiffOp(Op.EQUAL, text)], track, Op.DELETE)
        elif op is Op.INSERT or old is None or new is None or old == new or track is None:
            text = ooxml.xml_safe(new if new is not None else old or "")
            written = self.sink.numbered([DiffOp(Op.EQUAL, text)], track, op)
        else:
            written = self.sink.numbered(word_diff(ooxml.xml_safe(old), ooxml.xml_safe(new)).ops, track)
        return ooxml.note_reference(written, styles.FOOTNOTE_REFERENCE, fmt)


def notes_for(
    sink: Footnotes | None,
    old: Mapping[int, str] | None,
    new: Mapping[int, str] | None,
    printed: Mapping[int, int] | None = None,
) -> ParagraphNotes | None:
    """Return the notes of one paragraph to write into ``sink``; None when there is no sink."""
    if sink is None:
        return None
    return ParagraphNotes(sink, old or {}, new or {}, printed or {})
