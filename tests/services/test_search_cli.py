"""``drafter search``: the same results as the page, in the terminal or as JSON; the demo in six languages."""

from __future__ import annotations

import json

from drafter.demo import SLUG


def test_the_demo_finds_a_chinese_phrase_and_an_arabic_word(runner, session):
    assert runner.invoke(args=["demo"]).exit_code == 0
    out = runner.invoke(args=["search", SLUG, "可持续发展", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    [hit] = data["hits"]
    [match] = hit["matches"]
    assert match["delegation"] == "G77 and China" and match["field"] == "justification"
    assert "**可****持****续****发****展**" in match["text"] or "**可持续发展**" in match["text"]
    # without its diacritics, with a bare alef: the word as most people type it
    out = runner.invoke(args=["search", SLUG, "الافريقية"])
    assert out.exit_code == 0, out.output
    assert "African Group (Retain, Submitted)" in out.output and "**الأفريقية**" in out.output


def test_the_terminal_prints_each_paragraph_once_with_its_matches(runner, session):
    runner.invoke(args=["demo"])
    out = runner.invoke(args=["search", SLUG, "grant-based finance"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].endswith("of Zero draft")
    assert any("G77 and China (Amend, Submitted)" in line and "**grant-based** **finance**;" in line for line in lines)
    assert lines[-1] == "1 place."


def test_a_query_of_quotes_or_operators_is_answered_and_bad_filters_are_named(runner, session):
    runner.invoke(args=["demo"])
    out = runner.invoke(args=["search", SLUG, '"glaciers" AND "tundra"'])
    assert out.exit_code == 0 and "Nothing holds these words." in out.output
    for typed in ('""', '" * ( ) : ^ -', "“”«»"):
        out = runner.invoke(args=["search", SLUG, typed])
        assert out.exit_code == 0 and "Type one or more words to search for." in out.output, typed
    out = runner.invoke(args=["search", SLUG, "coastal", "--revision", "Rev.9"])
    assert out.exit_code != 0 and "has no revision labelled 'Rev.9'" in out.output
    out = runner.invoke(args=["search", SLUG, "coastal " * 60])
    assert out.exit_code != 0 and "at most 300 characters" in out.output


def test_as_an_account_only_what_it_may_read_and_a_rebuild(runner, session):
    runner.invoke(args=["demo"])
    out = runner.invoke(args=["search", SLUG, "coastal", "--as", "nobody@example.org"])
    assert out.exit_code != 0 and "No account has the address" in out.output
    out = runner.invoke(args=["search", SLUG, "--rebuild"])
    assert out.exit_code == 0 and out.output.startswith("Indexed ") and f"texts of {SLUG}." in out.output
    again = runner.invoke(args=["search", SLUG, "可持续发展", "--json"])
    assert len(json.loads(again.output)["hits"]) == 1
