"""The decide page in Chromium: the paragraph and the other proposals on it in view, on a desk and on a phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_finding_the_way import COMPILATION, OVERFLOW, screen


def test_the_decide_page_shows_the_paragraph_and_its_other_proposals(visitor):
    amina = visitor("amina@demo.drafter.example", "amina")
    amina.go(COMPILATION)
    # the paragraph with the most proposals: deciding one, the others are on the page
    busiest = amina.page.eval_on_selector_all(
        "[data-proposals]",
        "els => els.sort((a, b) => b.querySelectorAll('.proposal').length"
        " - a.querySelectorAll('.proposal').length)[0].id",
    )
    section = amina.page.locator(f"#{busiest}")
    ref = section.locator(".ref").inner_text()
    count = section.locator(".proposal").count()
    section.get_by_role("link", name="Decide").first.click()
    paragraph = amina.page.locator("#the-paragraph")
    expect(paragraph).to_contain_text(ref)
    expect(paragraph).to_contain_text("Status:")
    others = amina.page.locator("#other-proposals")
    expect(others).to_contain_text(f"Other proposals on {ref}")
    expect(others.locator(".proposal")).to_have_count(count - 1)
    screen(amina, "decide")
    amina.page.set_viewport_size({"width": 390, "height": 844})
    screen(amina, "390-decide")
    assert amina.page.evaluate(OVERFLOW)["scroll"] <= 0
