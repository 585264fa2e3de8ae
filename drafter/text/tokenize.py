"""Split text into word tokens for diffing.

Tokens are runs of letters and digits (combining marks included, so an Arabic word with its
harakat stays whole), runs of whitespace, single punctuation marks, and single CJK
characters (Chinese and Japanese have no spaces between words). A symbol keeps what modifies
it: an emoji its skin tone, variation selector and zero-width-joined parts ("👍🏽", "👩‍💻"),
a mark its combining accents, so a diff never cuts inside what a reader sees as one sign.
"""

from __future__ import annotations

import re

# Combining marks and joiners that belong inside a word although str.isalnum() says no.
_MARKS = (
    "\u0300-\u036f"  # Latin combining diacritics
    "\u0483-\u0489"  # Cyrillic
    "\u0591-\u05c7"  # Hebrew points
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"  # Arabic
    "\u08d3-\u08ff"  # Arabic extended marks
    "\u0900-\u0963\u0966-\u0dff"  # Indic scripts (letters and their vowel signs; not the danda "।")
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u200c\u200d"  # zero-width non-joiner and joiner (Persian, Arabic)
)
_CJK = (
    "\u2e80-\u2fdf"  # radicals
    "\u3005-\u3007\u3021-\u3029\u3038-\u303b"  # ideographic iteration marks and numbers
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\U00020000-\U0003134f"
)
# What attaches to the symbol before it: combining marks, variation selectors, emoji skin tones.
_MODIFIERS = (
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # combining marks
    "\ufe00-\ufe0f"  # variation selectors (text or emoji presentation)
    "\U0001f3fb-\U0001f3ff"  # skin tones
    "\U000e0020-\U000e007f"  # tag characters of subdivision flags
)
_TOKEN = re.compile(
    rf"[{_CJK}]"  # one CJK character
    rf"|(?:(?![{_CJK}])[\w{_MARKS}])+"  # a word
    r"|\s+"  # a run of whitespace
    rf"|.[{_MODIFIERS}]*(?:\u200d\S[{_MODIFIERS}]*)*",  # any other sign (punctuation, symbols, emoji)
    re.DOTALL,
)
_CJK_CHAR = re.compile(rf"[{_CJK}]")


def tokenize(text: str) -> list[str]:
    """Return the tokens of ``text``; joined together they give ``text`` back exactly."""
    return _TOKEN.findall(text)


def is_word(token: str) -> bool:
    """Return True when the token is a word (letters, digits or a CJK character)."""
    return (
        bool(token) and not token.isspace() and (token[0].isalnum() or token[0] == "_" or bool(_CJK_CHAR.match(token)))
    )


def words(text: str) -> list[str]:
    """Return the word tokens of ``text`` (no whitespace, no punctuation)."""
    return [t for t in _TOKEN.findall(text) if is_word(t)]
