"""Square brackets as data: the bracketed passages and alternatives of a paragraph, and who asked for them.

The text keeps its literal brackets, as the UN prints a draft under negotiation:
"[in accordance with national legislation]", "[Alt 1: to strengthen] [Alt 2: to enhance]".
``spans`` pairs them (nesting allowed) or names the bracket that has no partner. The attributions
are kept beside the text, one per bracketed passage: its inner words, the delegations that asked
for it, those opposed, and when. ``carry`` moves them through an edit of the text. Footnote
markers (``text.footnotes``) may stand inside a passage; positions shown to people do not count them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from drafter.errors import InvalidInput
from drafter.text import footnotes

#: "Alt 1:", "Alt. 2 :", "alt 3:" at the start of a passage make it an alternative wording
_ALT = re.compile(r"\s*alt\.?\s*(\d{1,3})\s*:\s*", re.I)
#: how alike two passages' words must be for an attribution to follow a rewritten passage
SIMILAR = 0.6
_CONTEXT_WORDS = 3

Attribution = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Span:
    """One bracketed passage: ``text[start:end]`` is "[...]", ``inner`` the words between."""

    start: int  #: index of the opening bracket
    end: int  #: index just after the closing bracket
    inner: str
    alternative: int | None = None  #: the number of "Alt N:", or None for a plain passage
    depth: int = 0  #: 0 for a passage in no other, 1 inside one ...

    @property
    def is_alternative(self) -> bool:
        return self.alternative is not None

    @property
    def words(self) -> str:
        """Return the passage's words without the "Alt N:" that names an alternative."""
        m = _ALT.match(self.inner)
        return self.inner[m.end() :] if m and self.is_alternative else self.inner

    @property
    def label(self) -> str:
        """Return "Alt 2" for an alternative, else the opening words of the passage in brackets."""
        if self.is_alternative:
            return f"Alt {self.alternative}"
        return f"[{_short(footnotes.strip(self.inner), 8)}]"


def _short(text: str, words: int, *, from_end: bool = False) -> str:
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return "…" + " ".join(parts[-words:]) if from_end else " ".join(parts[:words]) + "…"


def _where(text: str, index: int) -> int:
    """Return the 1-based position of ``text[index]`` as a reader counts it (footnote markers left out)."""
    return len(footnotes.strip(text[:index])) + 1


def spans(text: str) -> tuple[Span, ...]:
    """Return the bracketed passages of ``text`` in order of their opening brackets.

    Raise ``InvalidInput`` naming the first bracket that has no partner.
    """
    opened: list[int] = []
    found: list[Span] = []
    for i, ch in enumerate(text):
        if ch == "[":
            opened.append(i)
        elif ch == "]":
            if not opened:
                before = _short(footnotes.strip(text[:i]), _CONTEXT_WORDS, from_end=True)
                after = f", after “{before}”" if before else ""
                raise InvalidInput(
                    f"The closing bracket at character {_where(text, i)}{after}, has no opening bracket."
                )
            start = opened.pop()
            inner = text[start + 1 : i]
            m = _ALT.match(inner)
            found.append(Span(start, i + 1, inner, int(m.group(1)) if m else None, len(opened)))
    if opened:
        i = opened[0]
        following = _short(footnotes.strip(text[i + 1 :]), _CONTEXT_WORDS)
        before = f", before “{following}”" if following else ""
        raise InvalidInput(f"The opening bracket at character {_where(text, i)}{before}, has no closing bracket.")
    return tuple(sorted(found, key=lambda s: s.start))


def count(text: str) -> int:
    """Return how many bracketed passages ``text`` holds; unpaired brackets count one each."""
    try:
        return len(spans(text))
    except InvalidInput:
        return text.count("[") or text.count("]")


# -- Attributions ----------------------------------------------------------------------------------


def attribution(inner: str, asked: Iterable[str] = (), opposed: Iterable[str] = (), at: str = "") -> Attribution:
    """Return the attribution of the passage whose words are ``inner``, as the JSON column keeps it."""
    return {"text": inner, "for": list(dict.fromkeys(asked)), "against": list(dict.fromkeys(opposed)), "at": at}


def _clean(entries: object) -> list[Attribution]:
    """Return the well-formed attributions of a column's value (anything else is left out)."""
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("text"), str)]


def attach(text: str, attributions: object) -> list[tuple[Span, Attribution | None]]:
    """Return each passage of ``text`` with its attribution: the first unused one with its words."""
    unused = _clean(attributions)
    out: list[tuple[Span, Attribution | None]] = []
    for span in spans(text):
        entry = next((e for e in unused if e["text"] == span.inner), None)
        if entry is not None:
            unused.remove(entry)
        out.append((span, entry))
    return out


def carry(old_text: str, old_attributions: object, new_text: str) -> list[Attribution]:
    """Return the attributions of ``new_text`` after an edit of ``old_text``.

    A passage whose words are still there keeps its attribution; one rewritten keeps it when
    it stands at the same place among the passages with similar words; one gone loses it.
    Raise ``InvalidInput`` when the brackets of ``new_text`` do not pair up.
    """
    new = spans(new_text)
    entries = _clean(old_attributions)
    if not entries:
        return []
    try:
        old = [(i, e) for i, (_, e) in enumerate(attach(old_text, entries)) if e is not None]
    except InvalidInput:  # a text stored before brackets were checked: match on the words alone
        old = list(enumerate(entries))
    kept: dict[int, Attribution] = {}
    for j, span in enumerate(new):
        match = next((pair for pair in old if pair[1]["text"] == span.inner), None)
        if match is not None:
            old.remove(match)
            kept[j] = match[1]
    for j, span in enumerate(new):
        if j in kept:
            continue
        match = next((pair for pair in old if pair[0] == j and _similar(pair[1]["text"], span.inner)), None)
        if match is not None:
            old.remove(match)
            kept[j] = {**match[1], "text": span.inner}
    return [kept[j] for j in sorted(kept)]


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a.split(), b.split()).ratio() >= SIMILAR


def line(entry: Attribution | None) -> str:
    """Return the attribution as printed after its passage: "(G77 and China; opposed: EU)"; "" for none."""
    if not entry:
        return ""
    asked, opposed = entry.get("for") or [], entry.get("against") or []
    parts = [", ".join(asked)] if asked else []
    if opposed:
        parts.append("opposed: " + ", ".join(opposed))
    return f"({'; '.join(parts)})" if parts else ""


def alternatives_line(pairs: Sequence[tuple[Span, Attribution | None]]) -> str:
    """Return the alternatives of a paragraph in one line: "Alt 1 (EU, Japan) / Alt 2 (G77 and China)"."""
    return " / ".join(" ".join(filter(None, (s.label, line(e)))) for s, e in pairs if s.is_alternative)


def pieces(text: str, attributions: object, italic_chars: int = 0) -> list[tuple[str, bool, str]]:
    """Return ``text`` cut into (words, italic, attribution after them) pieces, for the screens and Word.

    The cuts fall where the italic opening ends and after each attributed passage. Text whose
    brackets do not pair up is one piece (with its italic opening), without attributions.
    """
    try:
        ends = {s.end: line(e) for s, e in attach(text, attributions) if line(e)}
    except InvalidInput:
        ends = {}
    cuts = sorted({0, len(text), *ends, *([italic_chars] if 0 < italic_chars < len(text) else [])})
    out: list[tuple[str, bool, str]] = []
    for a, b in zip(cuts, cuts[1:]):
        out.append((text[a:b], b <= italic_chars, ends.get(b, "")))
    return out


# -- Changing the text -----------------------------------------------------------------------------


def _join(left: str, right: str) -> str:
    """Return ``left + right`` with the spaces a removed passage leaves closed up."""
    if left.endswith((" ", "\t")) and (not right or right[0] in " \t,;:.)]"):
        left = left.rstrip(" \t")
    if left.endswith(("(", "[")):
        right = right.lstrip(" \t")
    if left[-1:] in (",", ";") and right[:1] == left[-1:]:  # "Decides, [...], to" loses one comma
        right = right[1:]
    return left + right


def unbracket(text: str, span: Span) -> str:
    """Return ``text`` with the brackets of ``span`` gone and its words kept (an alternative's "Alt N:" too)."""
    return _join(text[: span.start], span.words + text[span.end :]).strip()


def without(text: str, span: Span) -> str:
    """Return ``text`` with the passage ``span`` deleted, brackets and words."""
    return _join(text[: span.start], text[span.end :]).strip()


def find(text: str, index: int, inner: str) -> Span:
    """Return passage number ``index`` of ``text`` if its words are still ``inner``; else raise InvalidInput."""
    found = spans(text)
    if not 0 <= index < len(found) or found[index].inner != inner:
        raise InvalidInput("The bracketed passage has changed since the page was loaded; look at the paragraph again.")
    return found[index]
