"""What the import preview shows of each imported paragraph: the earlier one it continues, side by side
with the word diff, and which earlier paragraphs its choice list offers.

A choice list of every earlier paragraph on every row makes the page grow with the product of
the two lengths: 12 million options (1.2 GB of HTML) for 4,000 paragraphs against 3,000.
Past ``FULL_LISTS`` options in all, each row lists the paragraph the alignment chose, the
one it was split from, and the earlier paragraphs around where it is expected; the page's
script offers the whole list on demand, from one copy of it on the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from drafter.drafting.forms import KIND_CHOICES, kind_value
from drafter.drafting.models import ParagraphVersion, Status
from drafter.drafting.services import keeps_status
from drafter.text import footnotes
from drafter.text.align import Aligned
from drafter.text.diff import WordDiff, word_diff
from drafter.text.structure import ParsedParagraph

#: Below this many options in all, every row lists every earlier paragraph.
FULL_LISTS = 50_000
#: Earlier paragraphs listed on each side of where a paragraph is expected.
AROUND = 3


def pairing_choices(alignment: Sequence[Aligned], n_old: int, n_new: int) -> list[list[int]] | None:
    """Return, for each imported paragraph, the earlier paragraphs its choice list offers, or
    None when every list offers all of them."""
    if n_old * n_new <= FULL_LISTS:
        return None
    rows = {a.new: a for a in alignment if a.new is not None}
    choices: list[list[int]] = []
    last: tuple[int, int] | None = None  # (new index, old index) of the nearest pair above
    for j in range(n_new):
        a = rows.get(j)
        offered: set[int] = set()
        if a is not None and a.old is not None:
            where = a.old
            last = (j, a.old)
        else:
            where = last[1] + (j - last[0]) if last is not None else j * n_old // max(n_new, 1)
            where = min(where, n_old - 1)
        if a is not None and a.split_from is not None:
            offered.add(a.split_from)
        offered.update(range(max(0, where - AROUND), min(n_old, where + AROUND + 1)))
        if a is not None and a.old is not None:
            offered.add(a.old)
        choices.append(sorted(offered))
    return choices


#: below this similarity a pairing is listed among those to check first (the alignment pairs
#: paragraphs from ``text.align.MIN_SIMILARITY``, 0.5: a quarter of the words changed is worth a look)
LOW_SIMILARITY = 0.75


@dataclass(frozen=True)
class PairRow:
    """One imported paragraph as the preview shows it: beside the earlier paragraph it continues."""

    index: int
    paragraph: ParsedParagraph
    #: its number label as the new revision will print it ("5", "(a)"; "" unnumbered)
    label: str
    #: the earlier paragraph it continues, with its reference ("OP5"); None for a new paragraph
    old: ParagraphVersion | None = None
    old_ref: str = ""
    #: the word diff from the earlier text to the imported one (None when the words are the same)
    diff: WordDiff | None = None
    similarity: float = 1.0
    #: the earlier paragraph's status, which the new revision keeps (or not: the words changed)
    status: Status = Status.NONE
    keeps_status: bool = False

    @property
    def is_low(self) -> bool:
        """Return True when the pairing is doubtful: an earlier paragraph with few words in common."""
        return self.old is not None and self.similarity < LOW_SIMILARITY

    @property
    def kind_value(self) -> str:
        """Return the value of the paragraph's kind in the preview's kind list ("operative:0")."""
        return kind_value(self.paragraph.kind, self.paragraph.level)

    @property
    def kind_changed(self) -> bool:
        """Return True when the paragraph was read as another kind than the earlier one it continues."""
        if self.old is None:
            return False
        return kind_value(self.old.kind, self.old.level) != self.kind_value

    @property
    def old_kind_label(self) -> str:
        """Return how the kind list names the earlier paragraph's kind ("Preambular", "Subparagraph (a)")."""
        if self.old is None:
            return ""
        value = kind_value(self.old.kind, self.old.level)
        return next((label for k, lvl, label in KIND_CHOICES if kind_value(k, lvl) == value), self.old.kind.value)

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)

    @property
    def drops_status(self) -> bool:
        """Return True when the earlier paragraph had a status the imported one will not keep."""
        return self.status.is_set and not self.keeps_status


def pair_rows(
    paragraphs: Sequence[ParsedParagraph],
    labels: Sequence[str],
    old_versions: Sequence[ParagraphVersion],
    old_refs: Mapping[int, str],
    selected: Sequence[int | None],
) -> list[PairRow]:
    """Return each imported paragraph beside the earlier one chosen for it, with the word diff between them."""
    rows = []
    for i, (p, label, chosen) in enumerate(zip(paragraphs, labels, selected)):
        if chosen is None or chosen >= len(old_versions):
            rows.append(PairRow(i, p, label))
            continue
        old = old_versions[chosen]
        before, after = footnotes.strip(old.text), footnotes.strip(p.text)
        d = None if before.split() == after.split() else word_diff(old.text, p.text)
        rows.append(
            PairRow(
                i,
                p,
                label,
                old,
                old_refs.get(old.id, ""),
                d,
                d.similarity if d is not None else 1.0,
                old.status,
                keeps_status(old, p),
            )
        )
    return rows
