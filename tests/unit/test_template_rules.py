"""Templates print answers: none compares an enum's value or tests a permission string itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafter.auth.permissions import Action

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

#: an enum's value compared, tested for membership or used as a key ("p.state.value == 'submitted'")
ENUM_VALUE = re.compile(r"\.value\s*(==|!=|\bin\b|\]|\bis\b)|\[\s*[\w.]+\.value\s*\]")
#: a permission string tested against the user's actions ("'circulate' in actions")
PERMISSION = re.compile(r"""['"](%s)['"]\s*(not\s+)?in\b|\bin\s+actions\b""" % "|".join(a.value for a in Action))


def _expressions(text: str) -> list[str]:
    """Return the Jinja expressions and statements of a template ({{ ... }} and {% ... %})."""
    return re.findall(r"\{\{.*?\}\}|\{%.*?%\}", text, flags=re.S)


def offences(text: str) -> list[str]:
    """Return the expressions in a template that decide a rule instead of printing an answer."""
    return [e for e in _expressions(text) if ENUM_VALUE.search(e) or PERMISSION.search(e)]


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_compares_an_enum_value_or_a_permission_string(path: Path) -> None:
    assert offences(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "expression",
    [
        "{% if p.state.value == 'submitted' %}",
        "{% if revision.state.value != 'working' %}",
        "{% if proposal.kind.value in ('amend', 'insert') %}",
        "{{ {'support': 'Support'}[s.value] }}",
        "{% if 'circulate' in actions %}",
        "{% if 'export_any' in actions or x %}",
    ],
)
def test_the_check_catches_what_it_forbids(expression: str) -> None:
    assert offences(f"<p>{expression}</p>") == [expression]


@pytest.mark.parametrize(
    "expression",
    [
        '<option value="{{ s.value }}">',
        "{% if may.circulate %}",
        "{% if proposal.state.is_submitted %}",
        "{% if active == 'overview' %}",
    ],
)
def test_the_check_lets_answers_and_printed_values_pass(expression: str) -> None:
    assert offences(expression) == []
