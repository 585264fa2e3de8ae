"""Fuzzing the text core: tokenize, word diff, alignment, merge and the structure parser never crash.

Inputs mix the words and marks of UN drafts (numbers, "(a)", openers, brackets, footnote
marks) in six languages with arbitrary Unicode, control characters and lone surrogates.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drafter.text.align import align, align_with_overrides
from drafter.text.compare import compare
from drafter.text.diff import Op, word_diff
from drafter.text.merge import merge
from drafter.text.structure import Kind, clean_extracted_text, parse_text
from drafter.text.tokenize import tokenize
from tests.unit.fuzzing import fuzz

PIECES = (
    "Decides",
    "Recalling",
    "Requests",
    "the",
    "of",
    "Member States",
    ",",
    ";",
    ".",
    ":",
    "1.",
    "12.",
    "(a)",
    "(ii)",
    "bis",
    "[",
    "]",
    "Alt 1",
    "*",
    "1/",
    "____",
    "Annex",
    "A/80/L.41",
    "General Assembly",
    "Rev.1",
    "Se félicite",
    "Acoge con beneplácito",
    "Приветствует",
    "يرحب",
    "欢迎区域委员会",
    "I.",
    "II. Follow-up",
    "\u00ad",
    "\u200b",
    "\ufeff",
    "\t",
    "\x0c",
    "\x00",
    "\ud800",
    "\u2028",
    "“",
    "”",
    "—",
    "…",
)
SPACES = ("", " ", "  ", "\n", "\n\n", "\r\n", "\r", "\n \n")

piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=6))
line = st.lists(st.tuples(piece, st.sampled_from(SPACES)), max_size=12).map(lambda ps: "".join(a + b for a, b in ps))
document = st.lists(line, max_size=30).map("\n".join)
paragraphs = st.lists(line, max_size=12)


@fuzz()
@given(line)
def test_tokens_join_back_to_the_text(text):
    assert "".join(tokenize(text)) == text


@fuzz()
@given(line, line)
def test_the_word_diff_gives_back_both_texts(old, new):
    diff = word_diff(old, new)
    assert "".join(o.text for o in diff.ops if o.op is not Op.INSERT) == old
    assert "".join(o.text for o in diff.ops if o.op is not Op.DELETE) == new


@fuzz()
@given(paragraphs, paragraphs)
def test_alignment_pairs_each_paragraph_at_most_once(old, new):
    result = align(old, new)
    olds = [a.old for a in result if a.old is not None]
    news = [a.new for a in result if a.new is not None]
    assert len(olds) == len(set(olds)) and set(olds) <= set(range(len(old)))
    assert sorted(news) == list(range(len(new)))


@fuzz(0.5)
@given(
    paragraphs, paragraphs, st.dictionaries(st.integers(-2, 14), st.one_of(st.none(), st.integers(-2, 14)), max_size=4)
)
def test_alignment_with_corrections_refuses_only_with_a_message(old, new, pairing):
    try:
        align_with_overrides(old, new, pairing)
    except ValueError as e:  # documented: a correction that names no paragraph, or one paired twice
        assert str(e)


@fuzz()
@given(paragraphs, paragraphs)
def test_comparison_rows_cover_both_revisions(old, new):
    keyed_old = list(enumerate(old))
    keyed_new = [(k if k < len(old) else 1000 + k, t) for k, t in enumerate(new)]
    rows = compare(keyed_old, keyed_new, key=lambda kt: kt[0], text=lambda kt: kt[1])
    assert [r.new for r in rows if r.new is not None] == keyed_new
    assert sorted(r.old[0] for r in rows if r.old is not None) == list(range(len(old)))


@fuzz()
@given(line, line, line)
def test_merge_gives_a_text_or_conflicts(base, current, proposed):
    result = merge(base, current, proposed)
    assert result.text is not None or result.conflicts


@fuzz()
@given(document)
def test_the_structure_parser_reads_any_text(text):
    result = parse_text(text)
    assert all(isinstance(p.kind, Kind) for p in result.paragraphs)
    extracted = clean_extracted_text(text)
    assert isinstance(extracted.body, str)
