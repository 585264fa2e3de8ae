"""The daily work in Chromium: a delegate's refused proposal keeps what was typed; a co-facilitator sets
the status of a run of paragraphs at once and edits in place, and a lost race shows both texts there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from drafter import demo

pytestmark = pytest.mark.browser

#: the answers below come from a server shared with the rest of the suite: give them time
SLOW = 15_000

SLUG = demo.SLUG


def _start_rev1(v) -> None:
    v.go(f"/n/{SLUG}/")
    v.page.get_by_role("button", name=re.compile("Start the next revision")).click()
    expect(v.page.locator("h1")).to_contain_text("Rev.1", timeout=SLOW)


def test_a_refused_proposal_comes_back_with_the_text_and_justification_typed(visitor):
    g77 = visitor("g77@demo.drafter.example", "g77")
    g77.go(f"/n/{SLUG}/r/1/compilation")
    op1 = g77.page.locator("section.para-row", has_text="Decides to convene a high-level meeting")
    op1.locator("summary").click()
    op1.get_by_role("link", name=re.compile(r"^Amend")).click()
    justification = "Our capitals need the text unchanged — الصياغة الحالية مقبولة."
    g77.page.fill("textarea#justification", justification)
    g77.page.get_by_role("button", name="Submit the proposal").click()
    expect(g77.page.locator(".field-error, .form-error").first).to_contain_text("nothing would change", timeout=SLOW)
    expect(g77.page.locator("textarea#justification")).to_have_value(justification, timeout=SLOW)
    expect(g77.page.locator("textarea#text")).to_have_value(re.compile("in 2028"), timeout=SLOW)
    expect(g77.page.locator("body")).not_to_contain_text("Conflict")
    g77.shot("refused-kept")


def test_a_run_of_paragraphs_gets_one_status_without_a_reload(visitor):
    amina = visitor("amina@demo.drafter.example", "amina")
    _start_rev1(amina)
    page = amina.page
    page.evaluate("window.sameEditorPage = true")
    rows = page.locator("section.edit-row")
    # PP1, then shift-click PP3: the three are ticked
    rows.nth(0).locator("input[name=pick]").click()
    rows.nth(2).locator("input[name=pick]").click(modifiers=["Shift"])
    expect(page.locator("input[name=pick]:checked")).to_have_count(3, timeout=SLOW)
    page.select_option("#bulk-status-choice", "agreed_ad_ref")
    page.locator("#bulk-status").get_by_role("button", name="Set status").click()
    expect(page.locator("#editor-flash")).to_contain_text("PP1–PP3: now agreed ad ref.", timeout=SLOW)
    for i in range(3):
        expect(rows.nth(i).locator(".margin")).to_contain_text("agreed ad ref", timeout=SLOW)
    expect(rows.nth(3).locator(".margin")).not_to_contain_text("agreed ad ref")
    expect(page.locator("input[name=pick]:checked")).to_have_count(0, timeout=SLOW)

    # A range typed, one reference that does not exist: refused beside the box, nothing set, the text kept
    page.fill("#bulk-paragraphs", "OP1–OP3, OP99")
    page.locator("#bulk-status").get_by_role("button", name="Set status").click()
    expect(page.locator("#bulk-status .field-error")).to_contain_text("There is no paragraph OP99", timeout=SLOW)
    expect(page.locator("#bulk-paragraphs")).to_have_value("OP1–OP3, OP99", timeout=SLOW)
    page.fill("#bulk-paragraphs", "OP1–OP3")
    page.select_option("#bulk-status-choice", "pending")
    page.locator("#bulk-status").get_by_role("button", name="Set status").click()
    expect(page.locator("#editor-flash")).to_contain_text("OP1–OP3: now pending.", timeout=SLOW)
    expect(page.locator("#bulk-status .field-error")).to_have_count(0, timeout=SLOW)
    op2 = page.locator("section.edit-row[data-ref=OP2]")
    expect(op2.locator(".margin")).to_contain_text("pending", timeout=SLOW)
    assert page.evaluate("window.sameEditorPage") is True
    amina.shot("bulk-status")


def test_two_co_facilitators_edit_one_paragraph_and_the_second_sees_both_texts_in_place(visitor):
    amina = visitor("amina@demo.drafter.example", "amina")
    _start_rev1(amina)
    lars = visitor("lars@demo.drafter.example", "lars")
    lars.go(f"/n/{SLUG}/r/2/edit")
    mine = amina.page.locator("section.edit-row", has_text="Encourages the sharing of data")
    theirs = lars.page.locator("section.edit-row", has_text="Encourages the sharing of data")
    mine.get_by_role("link", name=re.compile("^Edit text")).click()
    theirs.get_by_role("link", name=re.compile("^Edit text")).click()
    box = theirs.locator("textarea")
    box.fill(box.input_value().replace("good practices", "lessons learned"))
    theirs.get_by_role("button", name="Save").click()
    expect(theirs.locator(".para")).to_contain_text("lessons learned", timeout=SLOW)

    box = mine.locator("textarea")
    box.fill(box.input_value().replace("coastal adaptation", "adaptation and resilience"))
    mine.get_by_role("button", name="Save").click()
    expect(mine.locator(".row-notice")).to_contain_text("changed this paragraph after you opened it", timeout=SLOW)
    expect(mine).to_contain_text("The text now saved", timeout=SLOW)
    expect(mine.locator("textarea")).to_have_value(re.compile("adaptation and resilience"), timeout=SLOW)
    amina.shot("conflict-in-place")
    # she keeps both changes and saves over the new version
    box = mine.locator("textarea")
    box.fill(box.input_value().replace("good practices", "lessons learned"))
    mine.get_by_role("button", name="Save this text").click()
    expect(mine.locator(".para")).to_contain_text("lessons learned on adaptation and resilience", timeout=SLOW)
    expect(mine.locator("textarea")).to_have_count(0, timeout=SLOW)


def test_moves_and_deletions_reorder_the_rows_in_place(visitor):
    amina = visitor("amina@demo.drafter.example", "amina")
    _start_rev1(amina)
    page = amina.page
    page.evaluate("window.sameEditorPage = true")
    rows = page.locator("section.edit-row")
    first_text = rows.nth(0).locator(".para").inner_text()
    rows.nth(0).get_by_role("button", name="Move down").click()
    expect(rows.nth(1).locator(".para"), "the first paragraph is now second").to_have_text(first_text, timeout=SLOW)
    expect(rows.nth(0).get_by_role("button", name="Move up")).to_be_disabled()
    expect(rows.nth(1).get_by_role("button", name="Move up")).to_be_enabled()
    expect(rows.nth(1).locator(".margin .ref")).to_have_text("PP2")
    expect(rows.nth(1).locator(".margin")).to_contain_text("PP1 in Zero draft")
    # the focus stays on the moved paragraph's button, to move it again from the keyboard
    assert page.evaluate("document.activeElement.closest('section.edit-row').id") == page.evaluate(
        "document.querySelectorAll('section.edit-row')[1].id"
    )
    count = rows.count()
    page.once("dialog", lambda d: d.accept())
    rows.nth(1).get_by_role("button", name=re.compile("^Delete")).click()
    expect(rows).to_have_count(count - 1, timeout=SLOW)
    expect(page.locator("#editor-flash")).to_contain_text("PP2 deleted from Rev.1.", timeout=SLOW)
    expect(rows.last.get_by_role("button", name="Move down")).to_be_disabled()
    assert page.evaluate("window.sameEditorPage") is True
