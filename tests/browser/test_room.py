"""The room in three browsers (chair, typist, delegate): screens follow the chair without a reload."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from drafter.auth.models import User
from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation
from drafter.drafting.queries import revision_by_label
from drafter.extensions import db
from drafter.room import services as room
from drafter.room.models import Reading
from tests.browser.conftest import SHOTS

SLUG = "coastal-resilience"
CHAIR, TYPIST, DELEGATE = "amina@demo.drafter.example", "secretariat@demo.drafter.example", "g77@demo.drafter.example"


def _open_readings(app) -> tuple[int, int]:
    """Open a reading of the circulated zero draft and one of a working Rev.1; return their ids."""
    with app.app_context():
        n = db.session.scalar(sa.select(Negotiation).where(Negotiation.slug == SLUG))
        chair = db.session.scalar(sa.select(User).where(User.email == CHAIR))
        zero = revision_by_label(db.session, n, "Zero draft")
        working = drafting.start_revision(db.session, chair, n, label="Rev.1")
        public = room.open_reading(db.session, chair, zero, "First reading")
        private = room.open_reading(db.session, chair, working, "Informal consultations")
        db.session.commit()
        ids = public.id, private.id
        db.session.remove()
    return ids


def test_the_delegates_screen_follows_the_chair_and_the_chair_sees_the_floor_and_the_typing(visitor, live_app):
    live_app.config["ROOM_STREAM_SECONDS"] = 2  # streams end and reconnect often: a dropped one is seen soon
    public, private = _open_readings(live_app)
    page = f"/n/{SLUG}/readings/{public}"
    chair = visitor(CHAIR, "chair")
    delegate = visitor(DELEGATE, "delegate")
    typist = visitor(TYPIST, "typist")
    chair.go(page)
    delegate.go(page)
    expect(delegate.page.locator("#room-ref")).to_have_text("PP1")

    # The chair moves on: the delegate's screen follows without a reload.
    delegate.page.evaluate("window.__stayed = true")
    chair.page.get_by_role("button", name="Next").click()
    expect(delegate.page.locator("#room-ref")).to_have_text("PP2")
    chair.page.fill("input[name=to]", "OP1")
    chair.page.get_by_role("button", name="Take up").click()
    expect(delegate.page.locator("#room-ref")).to_have_text("OP1")
    expect(delegate.page.locator("#room-text")).to_contain_text("Decides to convene")
    assert delegate.page.evaluate("window.__stayed === true"), "the delegate's page was reloaded"

    # The delegate asks for the floor: it appears in the chair's queue, and the chair gives it.
    delegate.page.get_by_role("button", name="Request the floor for G77 and China").click()
    expect(chair.page.locator("#room-queue")).to_contain_text("G77 and China")
    chair.page.locator("#room-queue").get_by_role("button", name="Give the floor").click()
    expect(delegate.page.locator("#room-queue li.speaking")).to_contain_text("G77 and China")
    chair.shot("chair")

    # The delegate's connection drops: the screen says so, reconnects and catches up.
    delegate.page.route("**/stream*", lambda route: route.abort())
    expect(delegate.page.locator("#room-connection")).to_contain_text("Connection lost, reconnecting")
    chair.page.get_by_role("button", name="Next").click()
    expect(chair.page.locator("#room-ref")).to_have_text(re.compile(r"OP2"))
    delegate.page.unroute("**/stream*")
    expect(delegate.page.locator("#room-ref")).to_have_text(re.compile(r"OP2"), timeout=20_000)
    expect(delegate.page.locator("#room-connection")).to_be_hidden()
    delegate.shot("delegate")

    # Typing in the reading of the working revision: the chair's screen shows the typed text at once.
    working = f"/n/{SLUG}/readings/{private}"
    chair.go(working)
    typist.go(working)
    box = typist.page.locator("#type-text")
    box.fill(box.input_value().replace("Recalling", "Recalling [and reaffirming]", 1))
    typist.page.get_by_role("button", name="Save the text").click()
    expect(typist.page.locator("#type-saved")).to_have_text("Saved.")
    expect(chair.page.locator("#room-text")).to_contain_text("[and reaffirming]")
    typist.shot("typist")

    # The typist names who asked for the new passage: the chair's screen shows it after the passage, unreloaded.
    chair.page.evaluate("window.__stayed = true")
    expect(typist.page.locator("#room-passages-stale")).to_be_visible()  # the list was drawn before the brackets
    typist.go(working)
    passage = typist.page.locator("#room-passages li").filter(has_text="[and reaffirming]")
    passage.locator("select[name=asked]").select_option("G77 and China")
    passage.get_by_role("button", name="Save").click()
    expect(chair.page.locator("#room-text .attribution")).to_have_text("(G77 and China)")
    expect(chair.page.locator("#room-text")).to_contain_text("[and reaffirming] (G77 and China)")
    assert chair.page.evaluate("window.__stayed === true"), "the chair's page was reloaded"
    expect(typist.page.locator("#room-passages")).to_contain_text("(G77 and China)")

    # The projector, as the delegate opens it: large type, no navigation.
    delegate.page.set_viewport_size({"width": 1920, "height": 1080})
    delegate.go(f"{page}/projector")
    expect(delegate.page.locator("#room-ref")).to_have_text(re.compile(r"OP2"))
    assert delegate.page.locator(".topbar").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    delegate.page.screenshot(path=str(SHOTS / "room-projector-1920.png"))
    delegate.page.set_viewport_size({"width": 1280, "height": 720})
    delegate.page.screenshot(path=str(SHOTS / "room-projector-1280.png"))
    size = delegate.page.locator("#room-text").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 32, f"the projected paragraph is set in {size}px"
    chair.go(page)
    chair.page.get_by_role("button", name="Close the reading").click()
    expect(delegate.page.locator("#room-closed")).to_be_visible()
    with live_app.app_context():
        assert not db.session.get(Reading, public).is_open
        db.session.remove()
