"""The "status of negotiations" Word file of a reading: the text as it stands, brackets with their
attributions, and where each paragraph stands."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from drafter.drafting.queries import load_versions
from drafter.exporting.services import doc_paragraph
from drafter.room.models import Reading
from drafter.room.queries import last_event_id, marks_of, record
from drafter.text import brackets
from drafter.text.structure import Kind
from drafter.word.model import DocHeader
from drafter.word.package import save_docx
from drafter.word.status import StatusParagraph, write_status

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def status_of(version, mark) -> str:
    """Return where a paragraph stands: the reading's mark, else its own status, else "bracketed" if it is."""
    if version.kind is Kind.HEADING:
        return ""
    if mark is not None:
        return mark.mark.label
    if version.status.is_set:
        return version.status.label
    return "bracketed" if brackets.count(version.text) else ""


def status_file(session: Session, reading: Reading) -> tuple[str, bytes]:
    """Return the file name and the .docx bytes of the reading's status of negotiations."""
    revision = reading.revision
    events = record(session, reading)
    as_at = events[-1].at if events else reading.opened_at
    n = revision.negotiation
    header = DocHeader.of(
        revision.masthead,
        label=revision.label,
        date=revision.date_of_issue,
        subtitle=f"Status of negotiations: {reading.name}, as at {as_at:%d %B %Y, %H:%M} UTC".replace(" 0", " ", 1),
        title=n.title,
        symbol=n.symbol,
    )
    marks = marks_of(session, reading)
    rows = [
        StatusParagraph(doc_paragraph(v), list(v.attributions or []), status_of(v, marks.get(v.paragraph_id)))
        for v in load_versions(session, revision)
    ]
    data = save_docx(write_status(header, rows), timestamp=as_at)
    name = re.sub(
        r"[^A-Za-z0-9._-]+", "-", f"{n.slug}_{revision.label}_{reading.name}_status-{last_event_id(session, reading)}"
    )
    return name.strip("-") + ".docx", data
