"""Progress at a glance on the negotiation's overview: the bars and their figures, for whom, escaped."""

from __future__ import annotations

import re

import pytest

from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import Status
from drafter.drafting.queries import load_versions
from drafter.room import services as room
from drafter.room.models import Mark
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def world(session):
    """Zero draft circulated with a reading, Rev.1 <b>draft</b> being drafted with a status and a reading."""
    n = f.negotiation(session, title="Ocean progress")
    team = f.team(session, n)
    zero = f.revision(session, n, label="Zero draft")
    first = room.open_reading(session, team["cofacilitator"], zero, "First reading")
    pp2 = load_versions(session, zero)[1]
    room.mark(session, team["cofacilitator"], first, pp2.paragraph_id, Mark.PARKED)
    working = drafting.start_revision(session, None, n, label="Rev.1 <b>draft</b>")
    session.flush()
    op1 = next(v for v in load_versions(session, working) if v.number_label == "1")
    editing.set_status(session, team["cofacilitator"], op1, Status.BRACKETED, expected_version=op1.version)
    room.open_reading(session, team["cofacilitator"], working, "Informal <i>consultations</i>")
    session.commit()
    return n, team


def _page(app, user, n) -> str:
    client = app.test_client()
    login(client, user)
    response = client.get(f"/n/{n.slug}/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rows(html: str, chart: str) -> dict[str, dict[str, str]]:
    """Return the figures table of a chart: its row labels, each with its counts by key."""
    figure = re.search(rf'<figure class="progress-chart" aria-labelledby="{chart}-caption">(.*?)</figure>', html, re.S)
    assert figure, f"no {chart} chart"
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', figure.group(1), re.S)
    return {label: dict(re.findall(r'<td data-key="(\w+)">(\d+)</td>', cells)) for label, cells in rows}


def test_the_overview_shows_each_revision_and_reading_with_its_figures(app, world):
    n, team = world
    html = _page(app, team["cofacilitator"], n)
    assert "Progress at a glance" in html and '<svg class="progress-bars"' in html
    revisions = _rows(html, "progress-revisions")
    assert list(revisions) == ["Zero draft", "Rev.1 &lt;b&gt;draft&lt;/b&gt;"]
    assert revisions["Zero draft"] == {
        "agreed": "0",
        "agreed_ad_ref": "0",
        "pending": "0",
        "bracketed": "0",
        "none": "7",
        "total": "7",
    }
    assert revisions["Rev.1 &lt;b&gt;draft&lt;/b&gt;"]["bracketed"] == "1"
    assert revisions["Rev.1 &lt;b&gt;draft&lt;/b&gt;"]["none"] == "6"
    readings = _rows(html, "progress-readings")
    first = readings["First reading (Zero draft)"]
    assert (first["parked"], first["read"], first["not_read"], first["total"]) == ("1", "1", "5", "7")
    assert "Informal &lt;i&gt;consultations&lt;/i&gt; (Rev.1 &lt;b&gt;draft&lt;/b&gt;)" in readings
    # the bars' figures as text, for a screen reader
    assert "Zero draft: 7 paragraphs: 7 no status." in html
    assert "First reading (Zero draft): 7 paragraphs: 1 parked, 1 read, 5 not yet read" in html
    assert '<rect class="seg seg-bracketed"' in html


def test_a_label_with_html_is_printed_as_text(app, world):
    n, team = world
    html = _page(app, team["secretariat"], n)
    assert "<b>draft</b>" not in html and "<i>consultations</i>" not in html
    assert "Rev.1 &lt;b&gt;draft&lt;/b&gt; · 7 paragraphs" in html


def test_a_delegate_sees_neither_the_working_revision_nor_a_reading_on_it(app, world):
    n, team = world
    html = _page(app, team["delegate"], n)
    assert list(_rows(html, "progress-revisions")) == ["Zero draft"]
    assert list(_rows(html, "progress-readings")) == ["First reading (Zero draft)"]
    assert "Rev.1" not in html and "consultations" not in html


def test_without_readings_only_the_revisions_are_drawn(app, session):
    n = f.negotiation(session)
    team = f.team(session, n)
    f.revision(session, n, label="Zero draft")
    session.commit()
    html = _page(app, team["observer"], n)
    assert list(_rows(html, "progress-revisions")) == ["Zero draft"]
    assert "progress-readings" not in html


def test_an_empty_negotiation_has_no_chart(app, session):
    n = f.negotiation(session)
    team = f.team(session, n)
    session.commit()
    html = _page(app, team["cofacilitator"], n)
    assert "No revision yet." in html and "Progress at a glance" not in html and "<svg" not in html
