"""A co-facilitator checks an imported Rev.1 in Chromium: the doubtful pairing first, both texts side by
side with the changes, a paragraph's kind corrected before saving; and the preview fits a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from drafter.text.structure import Kind
from drafter.word.clean import write_clean
from drafter.word.model import DocParagraph
from tests.browser.test_finding_the_way import OVERFLOW, screen
from tests.browser.test_imports import HEADER, SLUG, _save, _zero_draft

WELCOMING = "Welcoming the offer of a host country for the high-level meeting,"


def _rev1(live_app, tmp_path):
    """Return a Word Rev.1 of the demo's zero draft: its first operative paragraph half rewritten, and a
    preambular paragraph added after the preamble but numbered, as if it were operative."""
    old = _zero_draft(live_app)
    first_op = next(i for i, p in enumerate(old) if p.kind is Kind.OPERATIVE)
    new = list(old)
    before = old[first_op].text
    words = before.split()
    half = len(words) // 2
    rewritten = " ".join(words[:half] + ["with", "the", "participation", "of", "all", "coastal", "States;"])
    new[first_op] = DocParagraph(Kind.OPERATIVE, rewritten, italic_chars=old[first_op].italic_chars)
    new.insert(first_op, DocParagraph(Kind.OPERATIVE, WELCOMING, italic_chars=9))
    return _save(write_clean(HEADER, new), tmp_path / "rev1.docx"), before, rewritten, first_op


def test_a_cofacilitator_checks_the_import_side_by_side_and_corrects_a_kind(visitor, live_app, tmp_path):
    docx, before, rewritten, at = _rev1(live_app, tmp_path)
    amina = visitor("amina@demo.drafter.example", "amina")
    amina.go(f"/n/{SLUG}/")
    amina.page.get_by_role("link", name=re.compile("Import a revision")).click()
    amina.page.set_input_files("input#file", str(docx))
    amina.page.get_by_role("button", name="Preview").click()

    # the doubtful pairing is listed above the table; its link leads to the row
    check = amina.page.locator("#check-first")
    expect(check).to_be_visible()
    link = check.get_by_role("link").first
    expect(link).to_contain_text("OP1")
    amina.shot("check-first")
    link.click()
    row_id = amina.page.evaluate("() => location.hash.slice(1)")
    row = amina.page.locator(f"tr#{row_id}")
    top = row.evaluate("el => el.getBoundingClientRect().top")
    assert -1 <= top < 60
    # both texts in full, side by side, and the changes under them
    old_box, new_box = row.locator(".pair-old"), row.locator(".pair-new")
    expect(old_box).to_contain_text(before[-40:])
    expect(new_box).to_contain_text("participation of all coastal States;")
    old_left, new_left = (b.evaluate("el => el.getBoundingClientRect().left") for b in (old_box, new_box))
    assert old_left < new_left  # beside each other, the earlier text on the left
    expect(row.locator(".pair-diff del").first).to_be_visible()
    expect(row.locator(".pair-diff ins").first).to_contain_text("participation")
    expect(row).to_contain_text("alike: check the pairing")
    screen(amina, "side-by-side")

    # the paragraph numbered by mistake becomes preambular
    kind = amina.page.locator(f"select#kind-{at}")
    expect(kind).to_have_value("operative:0")
    kind.select_option("preambular:0")
    amina.page.fill("input#label", "Rev.1")
    amina.page.get_by_role("button", name="Save the revision").click()
    expect(amina.page.locator("h1")).to_contain_text("Rev.1")

    amina.go(f"/n/{SLUG}/r/2/")
    welcoming = amina.page.locator("section.para-row", has_text=WELCOMING)
    expect(welcoming.locator(".ref")).to_have_text(re.compile(r"^PP\d+$"))
    expect(welcoming.locator(".num")).to_have_count(0)
    amina.shot("saved")


def test_the_import_preview_fits_a_390_px_phone(visitor, live_app, tmp_path):
    docx, *_ = _rev1(live_app, tmp_path)
    amina = visitor("amina@demo.drafter.example", "amina")
    amina.go(f"/n/{SLUG}/import")
    amina.page.set_input_files("input#file", str(docx))
    amina.page.get_by_role("button", name="Preview").click()
    expect(amina.page.locator("#check-first")).to_be_visible()
    amina.page.set_viewport_size({"width": 390, "height": 844})
    amina.page.locator("#check-first a").first.click()
    screen(amina, "390-import-preview")
    measured = amina.page.evaluate(OVERFLOW)
    assert measured["scroll"] <= 0, measured
