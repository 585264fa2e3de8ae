"""Finding one's way in a long text, in Chromium: keys between paragraphs with proposals, words marked,
the "go to paragraph" box, and the long pages on a 390 px phone without sideways scrolling."""

from __future__ import annotations

import json

import pytest

from drafter import demo
from tests.browser.conftest import SHOTS

pytestmark = pytest.mark.browser

COMPILATION = f"/n/{demo.SLUG}/r/1/compilation"

#: how far, in CSS pixels, the page reaches beyond the window, and what sticks out most
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  let worst = null;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1 && (!worst || r.right > worst.right)) {
      worst = {right: Math.round(r.right), tag: el.tagName, cls: el.className, text: (el.textContent || '').slice(0, 40)};
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim() || node.parentElement.closest('.sr-only, .skip, template')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width && r.right > width + 1 && (!worst || r.right > worst.right)) {
      worst = {right: Math.round(r.right), tag: '#text in ' + node.parentElement.tagName,
               cls: node.parentElement.className, text: node.textContent.slice(0, 40)};
    }
  }
  return {scroll: document.documentElement.scrollWidth - width, worst};
}"""


def screen(v, label: str) -> None:
    """Keep what the phone's screen shows (the top of the page) for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    v.page.screenshot(path=str(SHOTS / f"{v.name}-{label}.png"))


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement.id")


def test_j_and_k_move_between_the_paragraphs_with_proposals(visitor):
    amina = visitor("amina@demo.drafter.example", "amina")
    amina.go(COMPILATION)
    with_proposals = amina.page.eval_on_selector_all("[data-proposals]", "els => els.map(e => e.id)")
    assert len(with_proposals) >= 2
    all_rows = amina.page.locator("article.compilation > section.para-row").count()
    assert all_rows > len(with_proposals)  # the keys skip paragraphs without proposals
    assert amina.page.locator(".keys-hint").is_visible()
    amina.page.keyboard.press("j")
    assert focused_id(amina.page) == with_proposals[0]
    amina.page.keyboard.press("j")
    assert focused_id(amina.page) == with_proposals[1]
    assert amina.page.url.endswith("#" + with_proposals[1])
    amina.page.keyboard.press("k")
    assert focused_id(amina.page) == with_proposals[0]
    top = amina.page.evaluate(f"() => document.getElementById('{with_proposals[0]}').getBoundingClientRect().top")
    assert -1 <= top < 50  # brought to the top of the window
    amina.shot("keys")
    # typing in a field types: the keys do not move the page
    amina.page.fill("#f-q", "")
    amina.page.focus("#f-q")
    amina.page.keyboard.type("jk")
    assert amina.page.input_value("#f-q") == "jk"
    assert focused_id(amina.page) == "f-q"


def test_words_searched_are_marked_and_never_read_as_markup(visitor):
    amina = visitor("amina@demo.drafter.example", "amina")
    amina.go(COMPILATION)
    amina.page.fill("#f-q", "coastal")
    with amina.page.expect_navigation():
        amina.page.click("form.filters button")
    marks = amina.page.eval_on_selector_all("article.compilation mark", "els => els.map(e => e.textContent)")
    assert marks and {m.lower() for m in marks} == {"coastal"}
    rows = amina.page.locator("article.compilation > section.para-row")
    assert rows.count() >= 1
    for i in range(rows.count()):
        assert "coastal" in rows.nth(i).inner_text().lower()
    amina.shot("marked")
    amina.go(COMPILATION + "?q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E")
    assert amina.page.locator("article img").count() == 0
    assert amina.page.input_value("#f-q") == "<img src=x onerror=alert(1)>"


def test_the_box_goes_to_the_paragraph(visitor):
    amina = visitor("amina@demo.drafter.example", "amina")
    amina.go(COMPILATION)
    amina.page.fill("#go", "OP3")
    with amina.page.expect_navigation():
        amina.page.press("#go", "Enter")
    target = amina.page.evaluate("() => location.hash")
    assert target.startswith("#p")
    ref = amina.page.locator(f"{target} .ref").inner_text()
    assert ref == "OP3"
    top = amina.page.evaluate(f"() => document.querySelector('{target}').getBoundingClientRect().top")
    assert -1 <= top < 50
    amina.page.fill("#go", "OP99")
    with amina.page.expect_navigation():
        amina.page.press("#go", "Enter")
    assert "There is no paragraph OP99" in amina.page.locator("#go-error").inner_text()


def _working_revision(amina) -> None:
    """Start Rev.1 from the negotiation's page, so that the editor and the comparison have two revisions."""
    amina.go(f"/n/{demo.SLUG}/")
    start = amina.page.locator("form[action$='/revisions/start'] button")
    with amina.page.expect_navigation():
        start.first.click()


def test_the_long_pages_fit_a_390_px_phone(visitor):
    amina = visitor("amina@demo.drafter.example", "amina")
    amina.page.set_viewport_size({"width": 390, "height": 844})
    _working_revision(amina)
    pages = {
        "revision": f"/n/{demo.SLUG}/r/1/",
        "compilation": COMPILATION,
        "compilation-filtered": COMPILATION + "?q=coastal&only=1",
        "compare": f"/n/{demo.SLUG}/compare?from=1&to=2",
        "editor": f"/n/{demo.SLUG}/r/2/edit",
        "negotiation": f"/n/{demo.SLUG}/",
        "delegation": f"/n/{demo.SLUG}/exports",
    }
    wide = {}
    for name, path in pages.items():
        amina.go(path)
        screen(amina, f"390-{name}")
        measured = amina.page.evaluate(OVERFLOW)
        if measured["scroll"] > 0:
            wide[name] = measured
    assert not wide, json.dumps(wide, indent=1)
