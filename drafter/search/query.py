"""A typed search query read as terms, and a text with the terms' words marked: no database, no Flask."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from drafter.errors import InvalidInput
from drafter.search.index import _CJK, words
from drafter.text import footnotes

MAX_QUERY_CHARS = 300  #: the longest query taken
MAX_TERMS = 20  #: the most words and phrases one query may hold
#: a quoted phrase, in straight, curly or French quotes
_QUOTED = re.compile(r'"([^"]*)"?|“([^”]*)”?|«([^»]*)»?')
#: a word as it stands in stored text, with the marks normalisation drops
_RAW_WORD = re.compile(f"[{_CJK}]|[^\\W_{_CJK}][^\\W_{_CJK}\u0300-\u036f\u064b-\u065f\u0670\u0640]*")


@dataclass(frozen=True)
class Term:
    """A word, or words that must follow each other (a phrase; Chinese characters typed together)."""

    words: tuple[str, ...]
    #: the last word may be the start of a longer one ("develop*")
    prefix: bool = False


def parse(typed: str) -> tuple[Term, ...]:
    """Return the terms of a typed query; operators, brackets and stray quotes are only separators.

    Raise InvalidInput when the query is longer than the index is asked to answer.
    """
    if len(typed) > MAX_QUERY_CHARS:
        raise InvalidInput(f"A search may have at most {MAX_QUERY_CHARS:,} characters.")
    terms: list[Term] = []
    rest = []
    last = 0
    for m in _QUOTED.finditer(typed):
        rest.append(typed[last : m.start()])
        last = m.end()
        phrase = tuple(words(next(g for g in m.groups() if g is not None)))
        if phrase:
            terms.append(Term(phrase))
    rest.append(typed[last:])
    for chunk in " ".join(rest).split():
        found = tuple(words(chunk))
        if found:
            terms.append(Term(found, prefix=chunk.rstrip("\"')]}»”").endswith("*")))
    unique = list(dict.fromkeys(terms))
    if len(unique) > MAX_TERMS:
        raise InvalidInput(f"A search may hold at most {MAX_TERMS} words or phrases.")
    return tuple(unique)


@functools.lru_cache(maxsize=65_536)
def _alike(word: str, wanted: str, prefix: bool) -> bool:
    """Return True when ``word`` is the word looked for, or (as the engines' stemmers find) a form of it."""
    if word == wanted or (prefix and word.startswith(wanted)):
        return True
    if min(len(word), len(wanted)) < 4:
        return False
    common = next((i for i, (a, b) in enumerate(zip(word, wanted)) if a != b), min(len(word), len(wanted)))
    return common >= 4 and common >= min(len(word), len(wanted)) - 3


@functools.lru_cache(maxsize=65_536)
def _words_of(token: str) -> tuple[str, ...]:
    # the same words come back in text after text: normalise each once
    return tuple(words(token))


def _spans(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    found = [(w, m.start(), m.end()) for m in _RAW_WORD.finditer(text) for w in _words_of(m.group())]
    spans: list[tuple[int, int]] = []
    for term in terms:
        *inner, last = term.words
        n = len(term.words)
        for i in range(len(found) - n + 1):
            if not _alike(found[i + n - 1][0], last, term.prefix):
                continue
            if all(found[i + k][0] == want for k, want in enumerate(inner)):
                spans.append((found[i][1], found[i + n - 1][2]))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


#: a text cut into runs, each marked when it matches
Pieces = tuple[tuple[str, bool], ...]


def pieces(text: str, terms: tuple[Term, ...], width: int = 400) -> Pieces:
    """Return ``text`` (markers dropped) as runs, matches marked, cut to about ``width`` characters
    around the first match ("…" where it is cut)."""
    text = footnotes.strip(text)
    spans = _spans(text, terms)
    start, end = 0, len(text)
    if len(text) > width:
        first = spans[0][0] if spans else 0
        start = max(0, first - width // 3)
        end = min(len(text), start + width)
    out: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    at = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out += [(text[at:s], False), (text[s:e], True)]
        at = e
    out.append((text[at:end] + ("…" if end < len(text) else ""), False))
    return tuple((run, marked) for run, marked in out if run)


def as_html(runs: Pieces) -> Markup:
    """Return the runs as escaped HTML, each match in ``<mark>``."""
    return Markup("").join(Markup("<mark>%s</mark>") % run if marked else escape(run) for run, marked in runs)


def as_text(runs: Pieces, mark: str = "**") -> str:
    """Return the runs as plain text, each match between ``mark``s (the terminal's way)."""
    return "".join(f"{mark}{run}{mark}" if marked else run for run, marked in runs)


def highlight(text: str, terms: tuple[Term, ...], width: int = 400) -> Markup:
    """Return ``text`` as escaped HTML with the terms' words in ``<mark>`` (``pieces``)."""
    return as_html(pieces(text, terms, width))
