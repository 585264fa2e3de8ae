"""The import preview is checkable: each pairing side by side with its changes, the doubtful ones
first, kinds corrected before saving, and the statuses that the new revision keeps or drops."""

from __future__ import annotations

import re

import pytest

from drafter.drafting.models import Status
from drafter.drafting.queries import latest_revision, load_versions
from drafter.text.structure import Kind
from tests import factories as f
from tests.conftest import login

OLD = [
    (Kind.PREAMBULAR, "Recalling its earlier resolutions on the subject, in particular those on coastal resilience,"),
    (Kind.PREAMBULAR, "Recognizing the importance of international cooperation,"),
    (Kind.OPERATIVE, "Decides to convene a high-level meeting in 2028 on the resilience of coastal communities;"),
    (Kind.OPERATIVE, "Requests the Secretary-General to report on progress;"),
]

#: PP1 as it was, PP2 with one word changed, OP1 rewritten but in its place, OP2 as it was
NEW = (
    "Recalling its earlier resolutions on the subject, in particular those on coastal resilience,\n\n"
    "Recognizing the great importance of international cooperation,\n\n"
    "1. Decides to convene a high-level meeting in 2028 on fisheries and the ports of small island States;\n\n"
    "2. Requests the Secretary-General to report on progress;"
)


@pytest.fixture
def preview(client, session):
    """Sign in a co-facilitator and upload the next revision; return the preview's address."""
    n = f.negotiation(session, slug="check")
    zero = f.revision(session, n, OLD)
    versions = load_versions(session, zero)
    versions[0].status, versions[1].status = Status.AGREED, Status.AGREED_AD_REF
    versions[2].status = Status.BRACKETED
    people = f.team(session, n)
    session.commit()
    login(client, people["cofacilitator"])
    started = client.post("/n/check/import", data={"text": NEW})
    assert started.status_code == 302
    return started.headers["Location"]


def row(html: str, index: int) -> str:
    match = re.search(rf'<tr class="[^"]*" id="row-{index}">(.*?)</tr>', html, re.S)
    assert match, f"no row {index}"
    return match.group(1)


def test_each_pairing_shows_both_texts_in_full_and_the_changes(client, preview):
    html = client.get(preview).get_data(as_text=True)
    changed = row(html, 1)
    assert "Zero draft PP2" in changed and "Recognizing the importance of international cooperation," in changed
    assert "the great importance of international cooperation," in changed
    assert re.search(r"<ins>.*great.*</ins>", changed)
    # no truncation: the whole long earlier text is there, beyond the 60 characters of a choice label
    op1 = row(html, 2)
    assert "Decides to convene a high-level meeting in 2028 on the resilience of coastal communities;" in op1
    assert "<del>" in op1 and "<ins>" in op1
    same = row(html, 0)
    assert "The same words as Zero draft PP1" in same and "<ins>" not in same


def test_doubtful_pairings_are_listed_first_and_lead_to_their_row(client, preview):
    html = client.get(preview).get_data(as_text=True)
    first = re.search(r'<section class="card check-first" id="check-first">(.*?)</section>', html, re.S)
    assert first, "no list of pairings to check"
    assert html.index('id="check-first"') < html.index('id="row-0"')
    links = re.findall(r'<a href="#row-(\d+)">Paragraph \d+[^<]*</a>: (\d+)% similar', first.group(1))
    assert [i for i, _ in links] == ["2"]  # OP1 rewritten; PP2's one word is no doubt
    assert int(links[0][1]) < 75
    assert 'class="kind-operative low-similarity" id="row-2"' in html
    assert "only " in row(html, 2) and "alike: check the pairing" in row(html, 2)


def test_the_preview_says_which_statuses_are_kept_and_which_are_dropped(client, preview, session):
    html = client.get(preview).get_data(as_text=True)
    statuses = re.search(r'<section class="card" id="statuses">(.*?)</section>', html, re.S).group(1)
    assert "1 paragraph keeps its status from Zero draft: PP1." in statuses
    assert re.search(r'href="#row-1">PP2</a> was <span class="status status-agreed_ad_ref">[^<]+</span>', statuses)
    assert re.search(r'href="#row-2">OP1</a> was <span class="status status-bracketed">', statuses)
    saved = client.post(preview, data={"action": "save", "label": "Rev.1"})
    assert saved.status_code == 302
    session.expire_all()
    rev1 = latest_revision(session, f_negotiation(session))
    assert [v.status for v in load_versions(session, rev1)] == [Status.AGREED, Status.NONE, Status.NONE, Status.NONE]


def f_negotiation(session):
    from drafter.drafting.models import Negotiation

    return session.query(Negotiation).filter_by(slug="check").one()


def test_a_kind_corrected_in_the_preview_is_the_kind_saved(client, preview, session):
    html = client.get(preview).get_data(as_text=True)
    assert re.search(r'<select id="kind-1" name="kind-1">.*?<option value="preambular:0" selected>', html, re.S)
    # refused (no label): the correction is still chosen on the page that comes back, and the numbers follow it
    refused = client.post(preview, data={"action": "save", "label": "", "kind-1": "operative:0"})
    assert refused.status_code == 400
    again = refused.get_data(as_text=True)
    assert re.search(r'<select id="kind-1" name="kind-1">.*?<option value="operative:0" selected>', again, re.S)
    assert re.findall(r'</select>\s*<span class="muted">(\d+)</span>', again) == ["1", "2", "3"]
    # a kind that differs from the earlier paragraph's is pointed out, in its row and at the top
    assert '<p class="flag small">Preambular in Zero draft</p>' in row(again, 1)
    assert re.search(r'href="#row-1">Paragraph 2 \(PP2\)</a>: preambular in Zero draft, read as operative', again)
    saved = client.post(preview, data={"action": "save", "label": "Rev.1", "kind-1": "operative:0"})
    assert saved.status_code == 302
    session.expire_all()
    versions = load_versions(session, latest_revision(session, f_negotiation(session)))
    assert [v.kind for v in versions] == [Kind.PREAMBULAR, Kind.OPERATIVE, Kind.OPERATIVE, Kind.OPERATIVE]
    assert [v.number_label for v in versions][1:] == ["1", "2", "3"]


def test_a_kind_the_lists_do_not_offer_is_refused_in_plain_words(client, preview, session):
    refused = client.post(preview, data={"action": "save", "label": "Rev.1", "kind-0": "subparagraph:9"})
    assert refused.status_code == 400
    assert "Paragraph 1: choose one of the kinds listed." in refused.get_data(as_text=True)
    session.expire_all()
    assert latest_revision(session, f_negotiation(session)).label == "Zero draft"
