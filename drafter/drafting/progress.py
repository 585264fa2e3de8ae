"""Progress at a glance: how many paragraphs stand where, per revision and per reading, as chart data.

Two queries count everything (the statuses of every revision, the marks of every reading); the
rest is plain data the overview's SVG prints as it is: bars, their segments and where they sit.
Headings are left out, as in the reading's summary: nobody agrees or brackets a heading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter.drafting.models import ParagraphVersion, Revision, Status
from drafter.text.structure import Kind

if TYPE_CHECKING:
    from drafter.room.models import Reading

#: the segments of a revision's bar, in the order they are drawn: (key, label)
STATUS_KEYS = (
    (Status.AGREED.value, "agreed"),
    (Status.AGREED_AD_REF.value, "agreed ad ref"),
    (Status.PENDING.value, "pending"),
    (Status.BRACKETED.value, "bracketed"),
    (Status.NONE.value, "no status"),
)
#: the segments of a reading's bar, by the values of room.models.Mark, then the paragraphs not yet read:
#: (key, label); "read" is taken up or marked read, nothing decided
READING_KEYS = (
    ("agreed_ad_ref", "agreed ad ref"),
    ("pending", "pending"),
    ("parked", "parked"),
    ("read", "read"),
    ("not_read", "not yet read"),
)

#: the drawing, in pixels: a label line above each bar, then the bar
ROW_HEIGHT, BAR_Y, BAR_HEIGHT = 46, 20, 18


@dataclass(frozen=True)
class Segment:
    key: str  #: the count's key, also the CSS class suffix: "agreed_ad_ref"
    label: str  #: "agreed ad ref"
    count: int
    x: float  #: where it starts, in per cent of the widest bar
    width: float  #: in per cent of the widest bar


@dataclass(frozen=True)
class Bar:
    label: str  #: "Rev.1", or "First reading (Rev.1)"
    total: int  #: paragraphs counted
    counts: tuple[tuple[str, int], ...]  #: every key's count, in the chart's order, zeros included
    segments: tuple[Segment, ...]  #: the counts that are drawn (not zero)
    y: int  #: top of the bar's row, in pixels

    @property
    def heading(self) -> str:
        """Return the line printed above the bar: "Rev.1 · 25 paragraphs"."""
        return f"{self.label} · {self.total} paragraph{'' if self.total == 1 else 's'}"

    @property
    def figures(self) -> str:
        """Return the bar's figures as a sentence: "8 paragraphs: 3 agreed ad ref, 5 no status"."""
        if not self.total:
            return "no paragraphs"
        parts = ", ".join(f"{s.count} {s.label}" for s in self.segments)
        return f"{self.total} paragraph{'' if self.total == 1 else 's'}: {parts}"


@dataclass(frozen=True)
class Chart:
    title: str
    keys: tuple[tuple[str, str], ...]  #: (key, label) of the segments, in order: the legend
    bars: tuple[Bar, ...]

    @property
    def height(self) -> int:
        """Return the SVG's height in pixels."""
        return ROW_HEIGHT * len(self.bars)


@dataclass(frozen=True)
class Progress:
    revisions: Chart
    readings: Chart

    @property
    def is_empty(self) -> bool:
        """Return True when there is nothing to draw: no revision the user may read."""
        return not self.revisions.bars


def chart(title: str, keys: Sequence[tuple[str, str]], rows: Iterable[tuple[str, Mapping[str, int]]]) -> Chart:
    """Return a chart of stacked bars, one per (label, counts by key), scaled to the widest bar."""
    rows = list(rows)
    widest = max((sum(counts.get(k, 0) for k, _ in keys) for _, counts in rows), default=0) or 1
    bars = []
    for i, (label, counts) in enumerate(rows):
        x, segments = 0.0, []
        for key, name in keys:
            count = counts.get(key, 0)
            if count:
                width = 100.0 * count / widest
                segments.append(Segment(key, name, count, round(x, 3), round(width, 3)))
                x += width
        bars.append(
            Bar(
                label=label,
                total=sum(counts.get(k, 0) for k, _ in keys),
                counts=tuple((k, counts.get(k, 0)) for k, _ in keys),
                segments=tuple(segments),
                y=i * ROW_HEIGHT,
            )
        )
    return Chart(title, tuple(keys), tuple(bars))


def status_counts(session: Session, revisions: Sequence[Revision]) -> dict[int, dict[str, int]]:
    """Return, by revision id, how many of its paragraphs have each status (headings left out)."""
    found: dict[int, dict[str, int]] = {r.id: {} for r in revisions}
    if not revisions:
        return found
    rows = session.execute(
        sa.select(ParagraphVersion.revision_id, ParagraphVersion.status, sa.func.count())
        .where(ParagraphVersion.revision_id.in_(found), ParagraphVersion.kind != Kind.HEADING)
        .group_by(ParagraphVersion.revision_id, ParagraphVersion.status)
    )
    for revision_id, status, count in rows:
        found[revision_id][status.value] = count
    return found


def reading_counts(session: Session, revisions: Sequence[Revision]) -> list[tuple[Reading, dict[str, int]]]:
    """Return the readings of these revisions, oldest first, each with its paragraphs counted by mark.

    A paragraph with no mark that was taken up counts as read; one neither taken up nor marked, as not yet read.
    """
    # the room builds on drafting: its models are imported when a reading is counted, not with this module
    from drafter.room.models import EventKind, Reading, ReadingEvent, ReadingMark

    if not revisions:
        return []
    pv, rm = ParagraphVersion, ReadingMark
    taken = (
        sa.exists()
        .where(
            ReadingEvent.reading_id == Reading.id,
            ReadingEvent.paragraph_id == pv.paragraph_id,
            # what counts a paragraph as read, as the reading's summary counts it
            ReadingEvent.kind.in_((EventKind.OPENED, EventKind.TAKEN_UP, EventKind.MARKED)),
        )
        .correlate(Reading, pv)
    )
    per_paragraph = (
        sa.select(Reading.id.label("reading_id"), rm.mark.label("mark"), taken.label("taken"), pv.id.label("version"))
        .select_from(Reading)
        .outerjoin(pv, sa.and_(pv.revision_id == Reading.revision_id, pv.kind != Kind.HEADING))
        .outerjoin(rm, sa.and_(rm.reading_id == Reading.id, rm.paragraph_id == pv.paragraph_id))
        .where(Reading.revision_id.in_([r.id for r in revisions]))
        .subquery()
    )
    rows = session.execute(
        sa.select(Reading, per_paragraph.c.mark, per_paragraph.c.taken, sa.func.count(per_paragraph.c.version))
        .join(per_paragraph, per_paragraph.c.reading_id == Reading.id)
        .group_by(Reading.id, per_paragraph.c.mark, per_paragraph.c.taken)
        .order_by(Reading.opened_at, Reading.id)
    )
    found: dict[int, dict[str, int]] = defaultdict(dict)
    readings: dict[int, Reading] = {}
    for reading, mark, was_taken, count in rows:
        readings.setdefault(reading.id, reading)
        key = mark.value if mark is not None else ("read" if was_taken else "not_read")
        counts = found[reading.id]
        counts[key] = counts.get(key, 0) + count
    return [(reading, found[reading_id]) for reading_id, reading in readings.items()]


def progress_of(session: Session, revisions: Sequence[Revision]) -> Progress:
    """Return the progress charts of these revisions (those the user may read) and of their readings."""
    statuses = status_counts(session, revisions)
    labels = {r.id: r.label for r in revisions}
    return Progress(
        revisions=chart("Paragraph statuses by revision", STATUS_KEYS, ((r.label, statuses[r.id]) for r in revisions)),
        readings=chart(
            "Paragraphs by reading",
            READING_KEYS,
            (
                (f"{reading.name} ({labels[reading.revision_id]})", counts)
                for reading, counts in reading_counts(session, revisions)
            ),
        ),
    )
