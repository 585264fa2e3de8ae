"""A long import's choice lists in a real browser: a few nearby paragraphs, all of them once used."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from drafter.drafting.models import Negotiation
from drafter.drafting.queries import latest_revision, load_versions
from drafter.extensions import db
from drafter.importing import preview

SLUG = "coastal-resilience"


def test_a_short_list_offers_every_earlier_paragraph_once_focused(visitor, live_app, monkeypatch: pytest.MonkeyPatch):
    # The demo draft is short; lists this size count as long here, as 4,000 against 3,000 would.
    monkeypatch.setattr(preview, "FULL_LISTS", 0)
    with live_app.app_context():
        n = db.session.scalar(sa.select(Negotiation).where(Negotiation.slug == SLUG))
        old = [v.text for v in load_versions(db.session, latest_revision(db.session, n))]
    amina = visitor("amina@demo.drafter.example", "amina")
    amina.go(f"/n/{SLUG}/import")
    amina.page.fill("textarea[name=text]", "\n\n".join(old))
    amina.page.get_by_role("button", name="Preview").click()
    last = amina.page.locator(f"select#pair-{len(old) - 1}")
    expect(last).to_have_value(str(len(old) - 1))
    assert last.locator("option").count() < len(old) + 1
    last.focus()
    expect(last.locator("option")).to_have_count(len(old) + 1)
    expect(last).to_have_value(str(len(old) - 1))  # the choice stays
    last.select_option(value="0")
    first = amina.page.locator("select#pair-0")
    first.select_option(value="new")
    amina.shot("long-lists")
    amina.page.fill("input#label", "Rev.1")
    amina.page.get_by_role("button", name="Save the revision").click()
    expect(amina.page.locator("h1")).to_contain_text("Rev.1")
    with live_app.app_context():
        n = db.session.scalar(sa.select(Negotiation).where(Negotiation.slug == SLUG))
        revisions = sorted(n.revisions, key=lambda r: r.seq)
        before = {v.paragraph_id: i for i, v in enumerate(load_versions(db.session, revisions[-2]))}
        after = load_versions(db.session, revisions[-1])
        assert before.get(after[-1].paragraph_id) == 0
        assert after[0].paragraph_id not in before
    assert re.search(r"/n/[^/]+/r/\d+/edit", amina.page.url)
