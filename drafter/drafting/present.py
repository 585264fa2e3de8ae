"""What the templates print for paragraphs, computed once in Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from drafter.drafting.models import ParagraphVersion
from drafter.errors import InvalidInput
from drafter.text import brackets, footnotes
from drafter.text.direction import is_rtl
from drafter.text.numbering import printed_number


@dataclass(frozen=True)
class ParagraphRow:
    version: ParagraphVersion
    ref: str
    #: the italic opening words and the rest of the text
    opening: str
    rest: str
    #: the printed number with its punctuation: "5.", "(a)"; "" when unnumbered
    number: str
    #: writing direction of the text: "rtl" for Arabic or Hebrew, else "auto"
    direction: str
    #: its footnotes' numbers in the document, by marker id
    numbers: Mapping[int, int] = field(default_factory=dict)

    @property
    def attributed(self) -> list[tuple[str, str]]:
        """Return the bracketed passages someone asked for or opposed, each as (its label, who):
        ("[in accordance with national legislation]", "(G77 and China; opposed: EU)")."""
        if not self.version.attributions:
            return []
        try:
            pairs = brackets.attach(self.version.text, self.version.attributions)
        except InvalidInput:  # brackets that do not pair up, stored before they were checked
            return []
        return [(span.label, who) for span, entry in pairs if (who := brackets.line(entry))]

    @property
    def notes(self) -> list[tuple[int, str]]:
        """Return the paragraph's footnotes as printed at its foot: (number, text), in order."""
        notes = self.version.notes
        return [(n, notes.get(k, "")) for k, n in self.numbers.items()]


def split_opening(text: str, italic_chars: int) -> tuple[str, str]:
    """Return the italic opening of a text and the rest."""
    n = max(0, min(italic_chars, len(text)))
    return text[:n], text[n:]


def direction(text: str) -> str:
    """Return "rtl" when the first strong character of the text is right-to-left, else "auto"."""
    return "rtl" if is_rtl(text) else "auto"


def paragraph_rows(versions: list[ParagraphVersion], refs: dict[int, str]) -> list[ParagraphRow]:
    """Return the rows the revision page prints, one per paragraph version; footnotes are
    numbered over ``versions`` in order (the whole revision, or the one paragraph shown)."""
    rows = []
    numbering = footnotes.numbering(v.text for v in versions)
    for v, numbers in zip(versions, numbering):
        opening, rest = split_opening(v.text, v.italic_chars)
        rows.append(
            ParagraphRow(
                v,
                refs.get(v.id, ""),
                opening,
                rest,
                printed_number(v.kind, v.number_label),
                direction(v.text),
                numbers,
            )
        )
    return rows
