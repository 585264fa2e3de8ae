"""Finding and editing words: tolerant matching of quoted words, and edits that keep the spacing."""

from __future__ import annotations

import re
from functools import lru_cache

from drafter.text.amendments.model import ALL, Action, Instruction
from drafter.text.ordinals import ordinal_word

_QUOTE_MARKS = "\"'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033"
_HYPHENS = "\u2010\u2011-"
# A footnote reference glued to a word ("Court11", "Commitment,1") is not part of the words.
_MARK_AFTER_WORD = r"(?:\d{1,3}|[*\u2020\u2021]+)?"
_MARK_AFTER_SIGN = r"(?:\d{1,3}(?=\s|$)|[*\u2020\u2021]+)?"
#: footnote markers stored in the text (``text.footnotes``) may stand after any word or sign
_NOTE_MARKERS = "[\ue001-\uf8ff]*"
_OWN_MARKS = re.compile(r"(?<=[a-z\u00df-\u00ff])\d{1,3}(?=[\s,.;:]|$)|(?<=\S)[*\u2020\u2021]+")


def _token_pattern(token: str) -> str:
    if token in _QUOTE_MARKS:
        return f"[{_QUOTE_MARKS}]"
    if token in _HYPHENS:
        return f"[{_HYPHENS}]"
    return re.escape(token)


@lru_cache(maxsize=1024)
def _words_pattern(words: str) -> re.Pattern[str]:
    """Return a pattern for ``words`` that forgives whitespace, quote, hyphen and footnote marks."""
    items: list[tuple[str, bool]] = []  # (token, whitespace before it)
    spaced = False
    for token in re.findall(r"\s+|\w+|\S", _OWN_MARKS.sub("", words.strip())):
        if token.isspace():
            spaced = True
            continue
        items.append((token, spaced))
        spaced = False
    parts = [r"(?<!\w)" if items and items[0][0][0].isalnum() else ""]
    for k, (token, _) in enumerate(items):
        is_word = token[0].isalnum() or token[0] == "_"
        if k:
            parts.append(r"\s+" if is_word and items[k - 1][0][0].isalnum() else r"\s*")
        parts.append(_token_pattern(token))
        parts.append(_NOTE_MARKERS)
        next_spaced = items[k + 1][1] if k + 1 < len(items) else True
        if is_word and token[-1].isalpha():
            parts.append(_MARK_AFTER_WORD)
        elif not is_word and next_spaced and token in ",.;:)\u201d\u2019\"'":
            parts.append(_MARK_AFTER_SIGN)
    if items and items[-1][0][-1].isalnum():
        parts.append(r"(?!\w)")
    return re.compile("".join(parts))


def _show(words: str) -> str:
    """Return quoted words for a message, shortened in the middle when long."""
    short = words if len(words) <= 80 else f"{words[:38]} \u2026 {words[-38:]}"
    return f"\u201c{short}\u201d"


def _insert(text: str, pos: int, new: str) -> str:
    """Return ``text`` with ``new`` inserted at ``pos``, spaced like running text."""
    left, right, new = text[:pos], text[pos:], new.strip()
    if not new:
        return text
    if left and not left[-1].isspace() and left[-1] not in "([\u201c\u2018" and new[0] not in ",.;:)]\u201d\u2019":
        new = " " + new
    if right and not right[0].isspace() and right[0] not in ",.;:)]\u201d\u2019" and new[-1] not in "([\u201c\u2018":
        new += " "
    return left + new + right


def _close_gap(left: str, right: str) -> str:
    """Join the text on either side of deleted words, leaving one space where one belongs."""
    if not left.strip():
        return left + right.lstrip()
    if not right.strip():
        return left.rstrip() + right
    if left[-1].isspace() and right[0] in ",.;:)]":
        return left.rstrip() + right
    if (left[-1].isspace() or left[-1] in "([") and right[0].isspace():
        return left + right.lstrip()
    if left[-1].isalnum() and right[0].isalnum():
        return left + " " + right
    return left + right


def _add_at_end(text: str, new: str) -> str:
    """Return ``text`` with ``new`` added before its closing punctuation (unless ``new`` has its own)."""
    body = text.rstrip()
    tail, new = text[len(body) :], new.strip()
    punct = body[-1] if body and body[-1] in ",;.:" else ""
    if punct == "." and new[:1].isupper():  # a new sentence
        return f"{body} {new}{tail}"
    core = body[:-1] if punct else body
    joined = _insert(core, len(core), new)
    return joined + ("" if new[-1:] in (",", ";", ".", ":") else punct) + tail


class _Refused(Exception):
    """An instruction cannot be applied; the message says why."""


def _chosen(matches: list[re.Match[str]], ins: Instruction, name: str) -> list[re.Match[str]]:
    """Return the occurrences of the words the instruction means."""
    shown = _show(ins.words)
    if not matches:
        raise _Refused(f"the words {shown} were not found in {name}")
    if ins.occurrence == ALL:
        return matches
    if ins.occurrence == 0 and len(matches) > 1:
        raise _Refused(f"the words {shown} occur {len(matches)} times in {name}; the instruction does not say which")
    if ins.occurrence > len(matches):
        times = "once" if len(matches) == 1 else f"{len(matches)} times"
        raise _Refused(f"the words {shown} occur only {times} in {name}, not a {ordinal_word(ins.occurrence)} time")
    return [matches[max(ins.occurrence, 1) - 1]]


def _edit_words(text: str, ins: Instruction, name: str) -> str:
    """Return ``text`` after one word edit."""
    if ins.action is Action.ADD_AT_END:
        return _add_at_end(text, ins.text)
    if ins.action is Action.ADD_AT_BEGINNING:
        lead = re.match(r"\s*(?:\([^()\s]{1,4}\)\s+)*", text)  # after a subparagraph's own label
        return _insert(text, lead.end() if lead else 0, ins.text)
    for m in reversed(_chosen(list(_words_pattern(ins.words).finditer(text)), ins, name)):
        if ins.action is Action.INSERT_AFTER_WORDS:
            text = _insert(text, m.end(), ins.text)
        elif ins.action is Action.INSERT_BEFORE_WORDS:
            text = _insert(text, m.start(), ins.text)
        elif ins.action is Action.REPLACE_WORDS and ins.text.strip():
            text = text[: m.start()] + ins.text.strip() + text[m.end() :]
        else:
            text = _close_gap(text[: m.start()], text[m.end() :])
    return text
