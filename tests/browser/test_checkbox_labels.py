"""A box to tick sits right beside its words, in the filter bars as in the forms (Chromium measures it)."""

from __future__ import annotations

import pytest

from drafter import demo

pytestmark = pytest.mark.browser

#: the gap, in CSS pixels, between a box and the first letter of its words
GAP = """(label) => {
  const box = label.querySelector('input').getBoundingClientRect();
  const text = [...label.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(text);
  const words = range.getClientRects()[0];
  return {gap: words.left - box.right, width: box.width, top: words.top - box.top};
}"""


@pytest.mark.parametrize(
    "path",
    [
        f"/n/{demo.SLUG}/settings",
        f"/n/{demo.SLUG}/r/1/compilation",
        f"/n/{demo.SLUG}/exports",
    ],
)
def test_each_box_sits_beside_its_words(visitor, path):
    v = visitor("amina@demo.drafter.example", "amina")
    v.go(path)
    v.shot(path.rsplit("/", 1)[-1])
    labels = v.page.locator("label.check:visible")
    assert labels.count() >= 1
    for i in range(labels.count()):
        measured = labels.nth(i).evaluate(GAP)
        assert measured["width"] < 24 and 0 <= measured["gap"] < 12, (path, labels.nth(i).inner_text(), measured)
