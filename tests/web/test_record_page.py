"""The record page: filters by who, what, revision and date, pages, and the CSV download."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from drafter import auditlog
from drafter.audit import AuditEvent
from drafter.auth.models import Role
from tests import factories as f
from tests.conftest import login

DAY = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def record(session):
    """A negotiation whose record has events by two people, on two revisions, over three days."""
    n = f.negotiation(session, slug="rec", title="Record test")
    secretariat = f.user(session, role=Role.SECRETARIAT, negotiation=n, name="Sam Secretariat")
    cofac = f.user(session, role=Role.COFACILITATOR, negotiation=n, name='=HYPERLINK("http://evil.example","x")')
    zero = f.revision(session, n, label="Zero draft")
    rev1 = f.revision(session, n, label="Rev.1", circulate=False)
    rows = [
        (DAY, cofac, "revision.circulated", zero, "Circulated Zero draft"),
        (DAY + dt.timedelta(days=1), cofac, "paragraph.edited", rev1, "Edited OP1 in Rev.1"),
        (DAY + dt.timedelta(days=1, hours=14), secretariat, "proposal.submitted", zero, "-Mexico proposed: amend"),
        (DAY + dt.timedelta(days=2), secretariat, "proposal.decided", zero, "+Proposal #1: not retained"),
    ]
    for when, actor, action, rev, summary in rows:
        session.add(
            AuditEvent(
                created_at=when,
                actor_id=actor.id,
                negotiation_id=n.id,
                revision_id=rev.id,
                action=action,
                object_type="Revision",
                object_id=rev.id,
                summary=summary,
                data={},
            )
        )
    session.commit()
    return {"n": n, "secretariat": secretariat, "cofac": cofac, "zero": zero, "rev1": rev1}


def _summaries(response) -> list[str]:
    body = response.get_data(as_text=True)
    return re.findall(r"<td>([^<]*?) <span class=\"muted small\">\(", body)


def test_the_record_filters_by_who_what_revision_and_date(client, record):
    login(client, record["secretariat"])
    base = "/n/rec/audit"
    everything = _summaries(client.get(base))
    assert everything[-4:] == [
        "+Proposal #1: not retained",
        "-Mexico proposed: amend",
        "Edited OP1 in Rev.1",
        "Circulated Zero draft",
    ]
    assert _summaries(client.get(f"{base}?actor={record['cofac'].id}")) == [
        "Edited OP1 in Rev.1",
        "Circulated Zero draft",
    ]
    assert _summaries(client.get(f"{base}?kind=proposal")) == ["+Proposal #1: not retained", "-Mexico proposed: amend"]
    assert _summaries(client.get(f"{base}?kind=proposal.decided")) == ["+Proposal #1: not retained"]
    assert _summaries(client.get(f"{base}?action=proposal.")) == _summaries(client.get(f"{base}?kind=proposal"))
    on_rev1 = _summaries(client.get(f"{base}?revision={record['rev1'].seq}"))
    assert on_rev1[-1] == "Edited OP1 in Rev.1" and all("Zero draft" not in s or "Rev.1" in s for s in on_rev1)
    assert _summaries(client.get(f"{base}?revision={record['rev1'].seq}&until=2026-11-30")) == ["Edited OP1 in Rev.1"]
    assert _summaries(client.get(f"{base}?since=2026-11-21&until=2026-11-21")) == [
        "-Mexico proposed: amend",
        "Edited OP1 in Rev.1",
    ]
    assert _summaries(client.get(f"{base}?since=2026-11-22&kind=paragraph")) == []


def test_the_form_keeps_the_filters_after_submit(client, record):
    login(client, record["secretariat"])
    body = client.get(
        f"/n/rec/audit?actor={record['cofac'].id}&kind=paragraph&revision={record['rev1'].seq}"
        "&since=2026-11-21&until=2026-11-22"
    ).get_data(as_text=True)
    assert f'<option value="{record["cofac"].id}" selected>' in body
    assert '<option value="paragraph" selected>' in body
    assert f'<option value="{record["rev1"].seq}" selected>' in body
    assert re.search(r'name="since" type="text"[^>]* value="2026-11-21"', body) and re.search(
        r'name="until" type="text"[^>]* value="2026-11-22"', body
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ("since=yesterday", "“From” must be a date such as 1 December 2026 or 2026-12-01."),
        ("since=2026-11-22&until=2026-11-21", "The “From” date is after the “To” date."),
        ("actor=x%27", "“Who” must be chosen from the list."),
    ],
)
def test_a_filter_that_cannot_be_read_is_a_plain_message(client, record, query, message):
    login(client, record["secretariat"])
    response = client.get(f"/n/rec/audit?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _summaries(response) == []  # no list that looks filtered but is not
    assert client.get(f"/n/rec/audit.csv?{query}").status_code == 400


def test_a_long_record_is_read_page_by_page_with_its_filter(client, session, record):
    n, cofac = record["n"], record["cofac"]
    for i in range(2 * auditlog.PER_PAGE + 5):
        session.add(
            AuditEvent(
                created_at=DAY + dt.timedelta(days=3, seconds=i),
                actor_id=cofac.id,
                negotiation_id=n.id,
                action="paragraph.moved",
                object_type="ParagraphVersion",
                summary=f"Moved {i}",
                data={},
            )
        )
    session.commit()
    login(client, record["secretariat"])
    first = client.get("/n/rec/audit?kind=paragraph")
    body = first.get_data(as_text=True)
    assert "206 events match the filter, newest first · page 1 of 3" in body
    assert _summaries(first)[0] == "Moved 204" and len(_summaries(first)) == auditlog.PER_PAGE
    older = re.search(r'<a href="([^"]+)" rel="next">', body).group(1).replace("&amp;", "&")
    assert "kind=paragraph" in older and "page=2" in older
    last = client.get("/n/rec/audit?kind=paragraph&page=3")
    assert _summaries(last) == ["Moved 4", "Moved 3", "Moved 2", "Moved 1", "Moved 0", "Edited OP1 in Rev.1"]
    assert 'rel="next"' not in last.get_data(as_text=True)
    assert _summaries(client.get("/n/rec/audit?kind=paragraph&page=99")) == _summaries(last)


def test_the_csv_is_the_filtered_record_in_utf8_for_excel_with_no_formulas(client, record):
    login(client, record["secretariat"])
    response = client.get("/n/rec/audit.csv?kind=proposal")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="record-rec-')
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == list(auditlog.CSV_HEADER)
    assert [r[7] for r in rows[1:]] == ["'+Proposal #1: not retained", "'-Mexico proposed: amend"]
    assert rows[1][0] == "2026-11-22 09:30:00" and rows[1][6] == "Zero draft" and rows[1][1] == "Sam Secretariat"
    everything = list(csv.reader(io.StringIO(client.get("/n/rec/audit.csv").get_data().decode("utf-8-sig"))))
    assert {r[1] for r in everything if r[3] == "paragraph.edited"} == {"'" + record["cofac"].name}


@pytest.mark.parametrize(
    "value, cell",
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Edited OP5", "Edited OP5"),
        ("", ""),
        (None, ""),
        (7, "7"),
        ("a=b", "a=b"),
    ],
)
def test_csv_cells_never_start_a_formula(value, cell):
    assert auditlog.csv_cell(value) == cell
