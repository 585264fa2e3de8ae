"""Reading the document: footnotes dropped, blocks and numbered items split into sentences."""

from __future__ import annotations

import re

from drafter.text import footnotes
from drafter.text.amendments.grammar import _parse_sentence
from drafter.text.amendments.model import Instruction, ParsedAmendments
from drafter.text.amendments.quotes import _Q_OPEN, _Context, _protect
from drafter.text.clean import normalise_text

_MARKER = r"\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+"
_PARA_REF = r"[^,:;.\n]{0,80}?\b(?i:paragraphs?\b|PP\s?\d|OP\s?\d)"
_OPENER = (
    rf"(?:In|After|Before|At the (?:end|beginning) of)\b{_PARA_REF}"
    r"|(?:Delete|Replace|Insert|Add|Amend|Substitute|Redraft|Revise|Reword|Strike)\b"
    r"|(?:Throughout|Everywhere in|In) the (?:whole |entire )?(?:text|draft|document)\b"
)
_INSTRUCTION = re.compile(rf"(?:{_MARKER})?(?={_OPENER})")
_SENTENCE_BREAK = re.compile(rf"(?<=[.;])\s+(?:and\s+)?(?=(?:{_OPENER})|in\b{_PARA_REF})")
_ITEM_BREAK = re.compile(rf"(?:(?<=[.;:])[ \t]*\n|\n(?=[ \t]*{_MARKER}))(?=[ \t]*(?:{_MARKER})?(?:{_OPENER}))")
_FOOTNOTE_RULE = re.compile(r"^[ \t]*_{3,}[ \t]*$", re.M)
_FOOTNOTE = re.compile(r"(?:[*\u2020\u2021]+|\d{1,2})\s+(?!(?:In|At|After|Before|Delete|Replace|Insert|Add)\b)\S")
_VERB = re.compile(r"\b(?:delete|replace|insert|add|amend|substitute)\b", re.I)
# Amendments say "operative paragraph"; resolutions say "paragraph 7 above" and are not reported.
_REFERENCE = re.compile(r"\b(?:(?:preambular|operative)\s+paragraphs?|PP\s?\d+|OP\s?\d+)\b", re.I)


def _units(skeleton: str) -> list[str]:
    """Split the document into blocks and numbered items, each unwrapped to one line."""
    rule = _FOOTNOTE_RULE.search(skeleton)
    if rule:
        skeleton = skeleton[: rule.start()]
    units: list[str] = []
    header = False  # the last unit is "In operative paragraph 3:", and lettered edits follow
    for block in re.split(r"\n[ \t]*\n", skeleton):
        for item in _ITEM_BREAK.split(block):
            unit = re.sub(r"\s*\n\s*", " ", item).strip()
            if header and re.match(r"\(?[a-h][.)]\s", unit):
                units[-1] += " " + unit
            elif unit and not _FOOTNOTE.match(unit):
                units.append(unit)
                header = bool(re.fullmatch(rf"(?:{_MARKER})?In\b{_PARA_REF}[^{_Q_OPEN}]*:", unit))
    return units


def parse_amendments(text: str) -> ParsedAmendments:
    """Return the instructions of an amendment document and the sentences not understood."""
    skeleton, quotes = _protect(footnotes.strip(normalise_text(text)))
    units = _units(skeleton)
    instructions: list[Instruction] = []
    unparsed: list[str] = []
    i = 0
    while i < len(units):
        start = _INSTRUCTION.match(units[i])
        if start is None:
            if _VERB.search(units[i]) and _REFERENCE.search(units[i]):
                unparsed.append(_Context(quotes, []).restore(units[i]))
            i += 1
            continue
        j = i + 1
        while j < len(units) and not _INSTRUCTION.match(units[j]):
            j += 1
        sentences = _SENTENCE_BREAK.split(units[i][start.end() :])
        ctx = _Context(quotes, [])
        for k, sentence in enumerate(sentences):
            ctx.following = units[i + 1 : j] if k == len(sentences) - 1 else []
            found = _parse_sentence(sentence, ctx)
            if found is None:
                unparsed.append(ctx.restore(sentence).strip())
            else:
                instructions.extend(found)
        i = j if ctx.used_following else i + 1
    return ParsedAmendments(instructions, unparsed)
