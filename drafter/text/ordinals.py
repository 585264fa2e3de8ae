"""English ordinals as UN documents write them: "first", "twenty-eighth", "28th".

Preambular paragraphs are unnumbered, so amendments address them by ordinal ("the
twenty-eighth preambular paragraph"); these functions turn such words into numbers and back.
Words run from "first" to "nine hundred and ninety-ninth" (UN style keeps the "and").
"""

from __future__ import annotations

import re

_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_FIRST_19 = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth",
)  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TENTHS = ("twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth")

_ORDINAL_VALUE = {w: i + 1 for i, w in enumerate(_FIRST_19)} | {w: 20 + 10 * i for i, w in enumerate(_TENTHS)}
_TENS_VALUE = {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_UNIT_VALUE = {w: i + 1 for i, w in enumerate(_UNITS)}
_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}
#: hyphens as they come out of Word and PDFs: ASCII, U+2010, non-breaking U+2011
_HYPHEN = "\u2010\u2011-"  # "-" last: it is literal at the end of a character class


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_BELOW_100 = (
    rf"(?:(?:{_alternation(list(_TENS))})[\s{_HYPHEN}]+(?:{_alternation(list(_FIRST_19[:9]))})"
    rf"|{_alternation(list(_ORDINAL_VALUE))})"
)
#: a regular expression (no groups) for one ordinal: "third", "twenty-eighth", "28th", "101st"
ORDINAL_RE = (
    r"(?:\d{1,3}(?:st|nd|rd|th)\b"
    rf"|(?:(?:{_alternation(list(_UNITS))})[\s{_HYPHEN}]+hundred"
    rf"(?:th\b|(?:[\s{_HYPHEN}]+and)?[\s{_HYPHEN}]+{_BELOW_100}\b)"
    rf"|{_BELOW_100}\b))"
)
_NUMERIC = re.compile(r"(\d{1,3})(st|nd|rd|th)")


def ordinal_suffix(n: int) -> str:
    """Return the English suffix of ``n`` as a numeral: "st", "nd", "rd" or "th"."""
    if n % 100 in (11, 12, 13):
        return "th"
    return _SUFFIXES.get(n % 10, "th")


def ordinal_word(n: int) -> str:
    """Return ``n`` (1 to 999) as an English ordinal word: 28 -> "twenty-eighth"."""
    if not 1 <= n <= 999:
        raise ValueError(f"no ordinal word for {n}")
    hundreds, rest = divmod(n, 100)
    head = f"{_UNITS[hundreds - 1]} hundred" if hundreds else ""
    if not rest:
        return head + "th"
    if rest < 20:
        tail = _FIRST_19[rest - 1]
    else:
        tens, units = divmod(rest, 10)
        tail = _TENTHS[tens - 2] if not units else f"{_TENS[tens - 2]}-{_FIRST_19[units - 1]}"
    return f"{head} and {tail}" if head else tail


def _below_100(parts: list[str]) -> int | None:
    if len(parts) == 1:
        return _ORDINAL_VALUE.get(parts[0])
    if len(parts) == 2 and parts[0] in _TENS_VALUE and _ORDINAL_VALUE.get(parts[1], 10) < 10:
        return _TENS_VALUE[parts[0]] + _ORDINAL_VALUE[parts[1]]
    return None


def parse_ordinal(text: str) -> int | None:
    """Return the number an ordinal stands for ("twenty-eighth", "28th"), or None if not one."""
    text = text.strip().lower()
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        n = int(numeric.group(1))
        return n if n > 0 and numeric.group(2) == ordinal_suffix(n) else None
    parts = [p for p in re.split(rf"[\s{_HYPHEN}]+", text) if p]
    hundreds = 0
    if len(parts) >= 2 and parts[0] in _UNIT_VALUE and parts[1] in ("hundred", "hundredth"):
        hundreds = 100 * _UNIT_VALUE[parts[0]]
        if parts[1] == "hundredth":
            return hundreds if len(parts) == 2 else None
        parts = parts[3:] if parts[2:3] == ["and"] else parts[2:]
        if not parts:
            return None
    rest = _below_100(parts)
    return None if rest is None else hundreds + rest
