"""Number labels and short references of paragraphs, as UN documents print them.

``number_labels(items) -> list[str]``
    ``items`` gives ``(kind, level)`` of each paragraph of one revision in order. Operative
    paragraphs are numbered "1", "2" ... through the whole document (headings do not restart
    the count); subparagraphs are lettered by depth: level 1 "(a)" ... "(z)", "(aa)", "(bb)";
    level 2 "(i)", "(ii)"; level 3 "(A)", "(B)"; deeper levels "(1)", "(2)". Lettering restarts
    under each new preambular or operative paragraph (and after a heading), and a deeper
    level restarts under each new item of the level above. Headings and preambular paragraphs
    get "". A subparagraph level below 1 counts as level 1.

``paragraph_refs(items) -> list[str]``
    ``items`` gives ``(kind, level, text)``; returns the short reference negotiators use:
    "PP3" (third preambular paragraph), "OP5", "OP5 (a)", "OP5 (a)(ii)", and for a heading
    its text shortened to about 40 characters. A subparagraph under a preambular paragraph
    is "PP3 (a)".

``latin_multiplier(n) -> str``
    1 "bis", 2 "ter", 3 "quater" ... 9 "decies", then the Latin numeral adverbs used for
    inserted articles of laws (10 "undecies", 11 "duodecies", 19 "vicies", 20 "unvicies" ...)
    up to 98 "novononagies" (the 99th); from 99 on, the plain count in brackets: "(100)".

``insertion_label(base, n) -> str`` and ``insertion_labels(bases) -> list[str]``
    The label compilations give to the n-th (1-based) new paragraph after the paragraph whose
    short reference is ``base``: after "OP12" (or "12") it is "12 bis", "12 ter"; after "PP3"
    "PP3 bis"; after "OP5 (a)" "5 (a) bis". New paragraphs before the very first paragraph of
    a text (``base`` ""): "New", "New 2", "New 3" (a number 0 with "bis" would read as if a
    paragraph 0 existed). After a heading, pass the reference of the last paragraph before the
    heading (or "" if there is none): a heading's shortened text is no anchor for "bis".
    ``insertion_labels`` takes the base of each new paragraph in order and counts per base.

``printed_number(kind, label)`` is the label with its punctuation: "5.", "12 bis", "(a)".

``roman(n)`` and ``alpha(n)`` are the lower-case helpers: roman(4) "iv", alpha(27) "aa".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from drafter.text.structure import Kind

_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip

# Multipliers 2..10 have their own words; from 11 on they are built from a unit prefix and a
# tens word, as in the numbering of inserted articles ("undecies", "vicies", "unvicies").
_FIRST_WORDS = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")
_UNIT_PREFIX = ("", "un", "duo", "ter", "quater", "quin", "sex", "sept", "octo", "novo")
_TENS_WORD = ("", "decies", "vicies", "tricies", "quadragies", "quinquagies", "sexagies", "septuagies",
              "octogies", "nonagies")  # fmt: skip
# Between 11 and 19 usage settled on these spellings (French and Belgian legislation).
_TEENS = ("undecies", "duodecies", "terdecies", "quaterdecies", "quindecies", "sexdecies", "septdecies",
          "octodecies", "novodecies")  # fmt: skip

_OP_REF = re.compile(r"^OP(?=\d)")
HEADING_REF_CHARS = 40


def roman(n: int) -> str:
    """Return ``n`` (1 to 3999) as a lower-case roman numeral: 4 -> "iv"."""
    if not 1 <= n <= 3999:
        raise ValueError(f"no roman numeral for {n}")
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def alpha(n: int) -> str:
    """Return the UN letter of the n-th item: 1 -> "a", 26 -> "z", 27 -> "aa", 28 -> "bb"."""
    if n < 1:
        raise ValueError(f"no letter for {n}")
    # UN documents double the letter after (z) rather than counting like spreadsheet columns.
    repeat, index = divmod(n - 1, 26)
    return chr(ord("a") + index) * (repeat + 1)


def _sub_label(level: int, n: int) -> str:
    """Return the printed label of the n-th subparagraph at ``level``."""
    if level == 1:
        return f"({alpha(n)})"
    if level == 2:
        return f"({roman(n)})"
    if level == 3:
        return f"({alpha(n).upper()})"
    return f"({n})"


def printed_number(kind: Kind, label: str) -> str:
    """Return the number as printed before a paragraph: "5." for operative, "12 bis", "(a)" as is."""
    label = label.strip()
    return f"{label}." if kind is Kind.OPERATIVE and label[-1:].isdigit() else label


def number_labels(items: Sequence[tuple[Kind, int]]) -> list[str]:
    """Return the printed number label of each paragraph, given its kind and level in order."""
    labels: list[str] = []
    operative = 0
    counters: list[int] = []  # counters[k] = items seen at level k + 1 under the current parent
    for kind, level in items:
        if kind is Kind.SUBPARAGRAPH:
            depth = max(1, level)
            del counters[depth:]
            counters.extend([0] * (depth - len(counters)))
            counters[depth - 1] += 1
            labels.append(_sub_label(depth, counters[depth - 1]))
            continue
        counters = []
        if kind is Kind.OPERATIVE:
            operative += 1
            labels.append(str(operative))
        else:
            labels.append("")
    return labels


def shorten(text: str, limit: int = HEADING_REF_CHARS) -> str:
    """Return ``text`` on one line, cut at a word boundary to at most ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def paragraph_refs(items: Sequence[tuple[Kind, int, str]]) -> list[str]:
    """Return the short reference of each paragraph: "PP3", "OP5", "OP5 (a)", a heading's text."""
    labels = number_labels([(kind, level) for kind, level, _ in items])
    refs: list[str] = []
    preambular = 0
    parents: list[str] = [""]  # parents[k] = reference of the enclosing item at depth k
    for (kind, level, text), label in zip(items, labels):
        if kind is Kind.SUBPARAGRAPH:
            depth = max(1, level)
            parent = parents[min(depth - 1, len(parents) - 1)]
            # "OP5 (a)" then "OP5 (a)(i)": a label follows another label without a space.
            ref = f"{parent}{label}" if parent.endswith(")") else f"{parent} {label}".strip()
            del parents[depth:]
            parents.extend([parent] * (depth - len(parents)))
            parents.append(ref)
            refs.append(ref)
            continue
        if kind is Kind.HEADING:
            ref = shorten(text)
            parents = [""]
        elif kind is Kind.PREAMBULAR:
            preambular += 1
            ref = f"PP{preambular}"
            parents = [ref]
        else:
            ref = f"OP{label}"
            parents = [ref]
        refs.append(ref)
    return refs


def latin_multiplier(n: int) -> str:
    """Return the Latin word for the (n + 1)-th occurrence: 1 -> "bis", 2 -> "ter", 9 -> "decies"."""
    if n < 1:
        raise ValueError(f"no multiplier for {n}")
    k = n + 1
    if k <= 10:
        return _FIRST_WORDS[k - 2]
    if k < 20:
        return _TEENS[k - 11]
    if k < 100:
        tens, units = divmod(k, 10)
        return _UNIT_PREFIX[units] + _TENS_WORD[tens]
    return f"({k})"


def insertion_label(base: str, n: int) -> str:
    """Return the label of the n-th (1-based) new paragraph after ``base``: "12 bis", "PP3 ter", "New"."""
    if n < 1:
        raise ValueError(f"no insertion label for {n}")
    base = _OP_REF.sub("", base.strip())
    if not base:
        return "New" if n == 1 else f"New {n}"
    return f"{base} {latin_multiplier(n)}"


def insertion_labels(bases: Sequence[str]) -> list[str]:
    """Return the label of each new paragraph, given in order the base each one follows."""
    seen: dict[str, int] = {}
    out = []
    for base in bases:
        key = _OP_REF.sub("", base.strip())
        seen[key] = seen.get(key, 0) + 1
        out.append(insertion_label(key, seen[key]))
    return out
