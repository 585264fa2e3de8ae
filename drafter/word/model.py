"""Plain data the Word writers take. Built by the exporting services from the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from drafter.text.diff import DiffOp
from drafter.text.masthead import Masthead
from drafter.text.structure import Kind

#: who the tracked changes of a revision's export are by, unless the secretariat names someone
DEFAULT_TRACKED_AUTHOR = "Co-facilitators"


@dataclass(frozen=True, slots=True)
class DocHeader:
    """The title block of a document: the revision's own identity (``text.masthead.Masthead``)
    and what the file is (its label, a subtitle). Empty fields are not printed."""

    title: str  #: the document's title, e.g. "Political declaration of ..."
    label: str  #: the revision's label, e.g. "Zero draft", "Rev.1"
    date: dt.date  #: the date of issue the document prints
    symbol: str = ""  #: document symbol such as "A/80/L.41"; "" when none
    subtitle: str = ""  #: e.g. "Compilation of proposals" or "Tracked changes against Zero draft"
    distribution: str = ""  #: "Limited", "General"
    original_language: str = ""  #: "English"
    session_name: str = ""  #: "Eightieth session"
    committee: str = ""  #: "Second Committee"; "" for the plenary
    agenda_item: str = ""  #: "15", "71 (b)"
    agenda_title: str = ""  #: the agenda item's title
    sponsor_line: str = ""  #: "Iraq:* draft resolution"; lines joined by "\n"
    chapeau: str = ""  #: "The General Assembly,"
    #: star footnotes of the title block, marker first: "* On behalf of ..."
    footnotes: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, masthead: Masthead, *, label: str, date: dt.date, subtitle: str = "", title: str = "", symbol: str = ""
    ) -> DocHeader:
        """Return the title block printing ``masthead``; ``title`` and ``symbol`` stand in where it has none."""
        fields = {name: getattr(masthead, name) for name in _MASTHEAD_FIELDS}
        return cls(
            title=masthead.title or title,
            label=label,
            date=date,
            symbol=masthead.symbol or symbol,
            subtitle=subtitle,
            **fields,
        )


#: the fields a DocHeader takes from a Masthead as they are
_MASTHEAD_FIELDS = (
    "distribution",
    "original_language",
    "session_name",
    "committee",
    "agenda_item",
    "agenda_title",
    "sponsor_line",
    "chapeau",
    "footnotes",
)

PAPERS = ("letter", "a4")


@dataclass(frozen=True, slots=True)
class PageSetup:
    """How the pages of a clean or tracked file are set: paper, and the deployment's emblem."""

    paper: str = "letter"  #: "letter" (the UN's New York documents) or "a4"
    #: a PNG printed beside the organ's name on the first page; nothing when None or unreadable
    emblem: bytes | None = None


#: Letter, no emblem: what a writer uses unless told otherwise
DEFAULT_PAGE = PageSetup()


@dataclass(frozen=True, slots=True)
class DocParagraph:
    """One paragraph of a revision as it is printed."""

    kind: Kind
    text: str
    number_label: str = ""  #: "5", "(a)", "(i)", "12 bis"; "" for headings and preambular paragraphs
    level: int = 0  #: subparagraph depth (1 = (a), 2 = (i)); 0 otherwise
    italic_chars: int = 0  #: length of the italic opening words
    status: str = ""  #: human label of the paragraph's status ("agreed ad ref"); "" for none
    #: the footnotes its text's markers name, by marker id (``text.footnotes``)
    footnotes: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TrackedRow:
    """One paragraph of a tracked document, in the newer revision's order.

    ``old`` only: deleted; ``new`` only: inserted; both: kept, with ``ops`` the word diff
    of old.text → new.text (all-equal when unchanged). Deleted paragraphs stand where they
    stood in the old revision.

    Read for their old side, the rows must give the old revision in order. Rows paired across
    a move break that; give ``old_position`` on every row with an old side and the writer
    shows each moved paragraph as deleted where it stood and inserted where it stands.
    """

    old: DocParagraph | None
    new: DocParagraph | None
    ops: tuple[DiffOp, ...] = ()
    old_position: int | None = None  #: the old paragraph's index in the old revision


@dataclass(frozen=True, slots=True)
class CompiledProposal:
    """One proposal as it appears in a compilation."""

    attribution: str  #: "G77 and China, supported by Mexico; opposed by Norway"
    author: str  #: Word author for the tracked style: the proposing delegation's name
    kind: str  #: "amend", "insert", "delete" or "retain"
    ops: tuple[DiffOp, ...]  #: base text → proposed text (all-insert for a new paragraph)
    note: str = ""  #: justification, decision or state, printed small after the text
    date: dt.datetime | None = None  #: when it was submitted (w:date in the tracked style)
    #: the footnotes the proposed text's markers name (the base paragraph's and its own)
    footnotes: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CompilationEntry:
    """A paragraph of the base revision (or a proposed new one) and the proposals on it."""

    paragraph: DocParagraph  #: for a proposed new paragraph: its "12 bis" label and empty text
    proposals: list[CompiledProposal] = field(default_factory=list)
    is_new: bool = False  #: a paragraph proposed for insertion, not in the base revision
