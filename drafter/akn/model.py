"""Plain data the Akoma Ntoso writer takes. Built by the exporting services from the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from drafter.text.masthead import Masthead
from drafter.text.structure import Kind


@dataclass(frozen=True, slots=True)
class AknParagraph:
    """One paragraph of a revision as the writer takes it."""

    lineage: int  #: the paragraph's identity across revisions
    kind: Kind
    text: str  #: with footnote markers (``text.footnotes``)
    number_label: str = ""  #: "5", "12 bis", "(a)", "(i)"; "" for headings and preambular paragraphs
    level: int = 0  #: subparagraph depth (1 = (a), 2 = (i))
    italic_chars: int = 0  #: length of the italic opening words
    footnotes: Mapping[int, str] = field(default_factory=dict)  #: marker id → note text


@dataclass(frozen=True, slots=True)
class AknRevision:
    """A revision to write: its document identity and paragraphs, and those of the revision before it."""

    masthead: Masthead
    label: str  #: "Zero draft", "Rev.1"
    issued_on: dt.date  #: the date of issue: FRBR work and expression date
    generated_at: dt.datetime  #: the manifestation's date (the revision's, so the bytes depend on it only)
    number: str  #: the FRBR number when the revision has no symbol, e.g. "ict4sd-rev.1"
    paragraphs: Sequence[AknParagraph]
    #: the paragraphs of the revision it was made from, for the eId mapping; None for the first
    previous: Sequence[AknParagraph] | None = None
    previous_label: str = ""
