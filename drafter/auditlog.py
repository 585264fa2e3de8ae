"""Reading the record of a negotiation: filters, pages, and the CSV download."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from drafter.audit import AuditEvent
from drafter.auth.models import User
from drafter.drafting.models import Negotiation, Revision
from drafter.errors import InvalidInput
from drafter.text.dates import NotADate, read_date

PER_PAGE = 100
#: how the dotted prefix of an action reads in the "What" filter
KIND_LABELS = {
    "negotiation": "Negotiation settings",
    "revision": "Revisions",
    "paragraph": "Paragraph edits",
    "proposal": "Proposals",
    "proposals": "Proposal imports",
    "membership": "Members and roles",
    "export": "Word files",
}
#: a spreadsheet runs a cell starting with one of these as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ("Time (UTC)", "Who", "Email", "Action", "Object", "Object id", "Revision", "Summary")


@dataclass(frozen=True)
class RecordFilter:
    """What the reader asked to see; every field empty means the whole record."""

    actor: int | None = None
    kind: str = ""  #: a dotted prefix ("proposal") or a whole action ("proposal.decided")
    revision: int | None = None  #: the revision's seq in its negotiation
    since: dt.date | None = None
    until: dt.date | None = None  #: inclusive

    def as_args(self) -> dict[str, str]:
        """Return the filter as URL query values (empty ones left out), for links and the CSV."""
        values = {
            "actor": self.actor or "",
            "kind": self.kind,
            "revision": self.revision or "",
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {k: str(v) for k, v in values.items() if v}


def parse_filter(args: Mapping[str, str]) -> RecordFilter:
    """Return the filter named by query values; raise InvalidInput for a value that cannot be read."""
    since, until = _date(args.get("since", ""), "From"), _date(args.get("until", ""), "To")
    if since and until and since > until:
        raise InvalidInput("The “From” date is after the “To” date.")
    # "action=proposal." is how links to the record were written before "kind"; they still work
    kind = (args.get("kind", "") or args.get("action", "")).strip().rstrip(".")[:64]
    return RecordFilter(
        actor=_number(args.get("actor", ""), "Who"),
        kind=kind,
        revision=_number(args.get("revision", ""), "Revision"),
        since=since,
        until=until,
    )


def _date(value: str, field: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return read_date(value)
    except NotADate:
        raise InvalidInput(f"“{field}” must be a date such as 1 December 2026 or 2026-12-01.") from None


def _number(value: str, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise InvalidInput(f"“{field}” must be chosen from the list.")
    return int(value)


def filtered(session: Session, negotiation: Negotiation, flt: RecordFilter) -> sa.Select:
    """Return the query of the negotiation's events that match the filter (no order)."""
    q = sa.select(AuditEvent).where(AuditEvent.negotiation_id == negotiation.id)
    if flt.actor:
        q = q.where(AuditEvent.actor_id == flt.actor)
    if flt.kind:
        q = q.where(
            sa.or_(AuditEvent.action == flt.kind, AuditEvent.action.startswith(flt.kind + ".", autoescape=True))
        )
    if flt.revision:
        revision_id = session.scalar(
            sa.select(Revision.id).where(Revision.negotiation_id == negotiation.id, Revision.seq == flt.revision)
        )
        q = q.where(AuditEvent.revision_id == (revision_id or -1))
    if flt.since:
        q = q.where(AuditEvent.created_at >= _midnight(flt.since))
    if flt.until:
        q = q.where(AuditEvent.created_at < _midnight(flt.until + dt.timedelta(days=1)))
    return q


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def newest_first(q: sa.Select) -> sa.Select:
    """Return the query in the order the record is read: newest first."""
    return q.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


@dataclass(frozen=True)
class Page:
    """One page of the record."""

    events: list[AuditEvent]
    number: int
    count: int  #: pages in all (at least 1)
    total: int  #: events matching the filter


def page_of(session: Session, q: sa.Select, number: int, per_page: int = PER_PAGE) -> Page:
    """Return page ``number`` (from 1, newest first) of the query's events."""
    total = session.scalar(sa.select(sa.func.count()).select_from(q.subquery())) or 0
    count = max(1, -(-total // per_page))
    number = min(max(1, number), count)
    events = session.scalars(
        newest_first(q).options(joinedload(AuditEvent.actor)).limit(per_page).offset((number - 1) * per_page)
    ).all()
    return Page(list(events), number, count, total)


def actors(session: Session, negotiation: Negotiation) -> list[User]:
    """Return the users who appear in the negotiation's record, by name."""
    return list(
        session.scalars(
            sa.select(User)
            .where(User.id.in_(sa.select(AuditEvent.actor_id).where(AuditEvent.negotiation_id == negotiation.id)))
            .order_by(User.name)
        )
    )


def kinds(session: Session, negotiation: Negotiation) -> list[tuple[str, str]]:
    """Return (prefix, label) for each kind of action in the negotiation's record."""
    actions = session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.negotiation_id == negotiation.id).distinct()
    )
    prefixes = sorted({a.split(".", 1)[0] for a in actions})
    return [(p, KIND_LABELS.get(p, p.replace("_", " ").capitalize())) for p in prefixes]


def revision_labels(session: Session, negotiation: Negotiation) -> dict[int, str]:
    """Return the label of each revision of the negotiation, by id."""
    rows = session.execute(sa.select(Revision.id, Revision.label).where(Revision.negotiation_id == negotiation.id))
    return {rid: label for rid, label in rows}


def csv_cell(value: object) -> str:
    """Return a value as a CSV cell that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(events: Iterable[AuditEvent], labels: Mapping[int, str]) -> str:
    """Return the events as CSV text, with a byte-order mark so that Excel reads it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for e in events:
        revision = labels.get(e.revision_id, "(discarded)") if e.revision_id else ""
        row = (
            e.created_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor.name if e.actor else "System",
            e.actor.email if e.actor else "",
            e.action,
            e.object_type,
            e.object_id,
            revision,
            e.summary,
        )
        writer.writerow([csv_cell(v) for v in row])
    return "\ufeff" + out.getvalue()


def csv_of(session: Session, negotiation: Negotiation, flt: RecordFilter) -> str:
    """Return the CSV of the negotiation's events that match the filter, newest first."""
    q = newest_first(filtered(session, negotiation, flt)).options(joinedload(AuditEvent.actor))
    return to_csv(session.scalars(q.execution_options(yield_per=1000)), revision_labels(session, negotiation))
