"""A delegate searches the demo from the overview's box: a Chinese phrase, then an Arabic word typed
without its diacritics, each found and marked, and follows the link to the proposal."""

from __future__ import annotations

import pytest

from drafter import demo

pytestmark = pytest.mark.browser


def test_a_delegate_finds_chinese_and_arabic_words_and_follows_the_link(visitor):
    v = visitor("mexico@demo.drafter.example", "mexico-search")
    v.go(f"/n/{demo.SLUG}/")
    v.page.fill("#overview-q", "可持续发展")
    v.page.press("#overview-q", "Enter")
    v.page.wait_for_url("**/search?q=*")
    hits = v.page.locator(".search-hit")
    assert hits.count() == 1
    assert "G77 and China" in hits.first.inner_text()
    assert v.page.locator(".search-hit mark").count() >= 1
    v.shot("chinese")

    v.page.fill("#s-q", "الافريقية")
    v.page.press("#s-q", "Enter")
    v.page.wait_for_load_state()
    marked = v.page.locator(".search-hit mark").all_inner_texts()
    assert marked == ["الأفريقية"]
    v.shot("arabic")
    v.page.locator(".search-hit a", has_text="Proposal #").first.click()
    v.page.wait_for_load_state()
    assert "/proposals/" in v.page.url and "African Group" in v.page.inner_text("main")
