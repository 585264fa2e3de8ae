"""Quotations in an amendment document, swapped for placeholders while the grammar reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Quotations are swapped for placeholders first, so the grammar never looks inside them.
_Q_OPEN, _Q_CLOSE = "\ue000", "\ue001"
_Q = f"{_Q_OPEN}(\\d+){_Q_CLOSE}"
#: opening mark -> closing mark; a right mark opening a quotation is sloppy but common
_CLOSER = {"\u201c": "\u201d", '"': '"', "\u201d": "\u201d", "\u201e": "\u201c"}


def _quote_end(text: str, start: int) -> int:
    """Return the index of the mark closing the quotation opened at ``start``, or -1."""
    opener = text[start]
    if opener == "\u201d" and ((start and not text[start - 1].isspace()) or text[start + 1 : start + 2].isspace()):
        return -1  # a stray closing mark
    closer, depth = _CLOSER[opener], 0
    for j in range(start + 1, len(text)):
        if text[j] == opener == "\u201c":  # a quotation inside the quotation
            depth += 1
        elif text[j] == closer:
            if not depth:
                return j
            depth -= 1
    return -1


def _protect(text: str) -> tuple[str, list[str]]:
    """Return ``text`` with each quotation replaced by a placeholder, and the quotations."""
    out: list[str] = []
    quotes: list[str] = []
    i = 0
    while i < len(text):
        end = _quote_end(text, i) if text[i] in _CLOSER else -1
        if end < 0:
            out.append(text[i])
            i += 1
            continue
        out.append(f"{_Q_OPEN}{len(quotes)}{_Q_CLOSE}")
        quotes.append(text[i : end + 1])
        i = end + 1
    return "".join(out), quotes


def _paragraphs(text: str) -> list[str]:
    """Split running text into paragraphs at blank lines, unwrapping the lines of each."""
    return [re.sub(r"\s*\n\s*", " ", p).strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


@dataclass
class _Context:
    """What the grammar of one sentence may draw on beyond the sentence itself."""

    quotes: list[str]
    #: the blocks after the sentence up to the next instruction: an unquoted new text
    following: list[str]
    used_following: bool = False

    def quoted(self, index: int) -> str:
        return " ".join(_paragraphs(self.quotes[index][1:-1]))

    def restore(self, skeleton: str) -> str:
        return re.sub(_Q, lambda m: self.quotes[int(m.group(1))], skeleton)
