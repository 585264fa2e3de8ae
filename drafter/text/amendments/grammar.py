"""Grammar: the forms of one sentence of an amendment document, read into instructions."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from drafter.text.amendments.model import ALL, EVERYWHERE, Action, Instruction, Target
from drafter.text.amendments.quotes import _Q, _Context, _paragraphs
from drafter.text.amendments.references import _norm_label, _parse_targets
from drafter.text.ordinals import ORDINAL_RE, parse_ordinal
from drafter.text.structure import Kind

_ORD_OCC = rf"(?P<ord>{ORDINAL_RE}|last)"
_OCC_BEFORE = rf"the\s+{_ORD_OCC}\s+(?:occurrence|instance|appearance)\s+of\b"
_OCC_AFTER = (
    rf",?\s*(?:(?:(?:the|on\s+the|in\s+the|in\s+its)\s+)?{_ORD_OCC}\s+(?:time|occurrence|instance)"
    r"(?:\s+(?:it|they)\s+(?:appears?|occurs?))?"
    r"|(?P<all>(?:wherever|whenever|each\s+time|every\s+time|everywhere)\s+(?:it|they)\s+(?:appears?|occurs?)"
    r"|throughout(?:\s+the\s+(?:sub)?paragraph)?|in\s+(?:all|both)\s+(?:instances|places|occurrences)))"
)
_NEW_NOUN = (
    r"(?:(?:a|an|one|two|three|four|five|the\s+following)\s+)?(?:(?:new|additional)\s+)?"
    r"(?:(?P<pkind>preambular|operative)\s+)?(?P<noun>(?:sub-?)?paragraphs?)\b"
    r"(?:\s+\d{1,3}(?:\s*(?:bis|ter|quater|quinquies|sexies)\b)?)?"
    r"|the\s+following(?:\s+(?:text|wording))?\b"
)
_READING = (
    r",?\s*(?:(?:reading|to\s+read|which\s+reads|that\s+reads|worded|with\s+the\s+following\s+(?:text|wording))\b)?"
    r"(?:\s*,?\s*as\s+follows\b)?\s*:?"
)
_WORDS_INTRO = r"the\s+(?:following\s+)?(?:words?|phrases?|texts?|wording)\b\s*:?"
_FOLLOWING = r"the\s+following(?:\s+(?:words?|text|wording))?\b\s*:?"
_AT_EDGE = r"at\s+the\s+(?P<edge>end|beginning)(?:\s+of\s+the\s+(?:sub)?paragraph)?\b"


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\s*(?:{pattern})", re.I)


class _Cursor:
    """A position in one sentence (quotations as placeholders) and the parsers that move it."""

    def __init__(self, text: str, ctx: _Context) -> None:
        self.text, self.ctx, self.pos = text, ctx, 0

    def take(self, pattern: str) -> re.Match[str] | None:
        m = _compiled(pattern).match(self.text, self.pos)
        if m:
            self.pos = m.end()
        return m

    def at_end(self) -> bool:
        return re.fullmatch(r"[\s.;,]*(?:and)?[\s.;,]*", self.text[self.pos :], re.I) is not None

    def quoted(self) -> str | None:
        """Take a quotation, with or without "the words" before it."""
        start = self.pos
        self.take(_WORDS_INTRO)
        m = self.take(_Q)
        words = self.ctx.quoted(int(m.group(1))) if m else ""
        if not words:  # an empty quotation would match everywhere
            self.pos = start
            return None
        return words

    def occurrence(self, before: int = 0) -> int:
        """Take "the second time it appears" or "wherever it appears"; return 0 if absent."""
        if before:
            return before
        m = self.take(_OCC_AFTER)
        if m is None:
            return 0
        return ALL if m["all"] else parse_ordinal(m["ord"]) or 0

    def occurrence_before(self) -> int:
        m = self.take(_OCC_BEFORE)
        return parse_ordinal(m["ord"]) or 0 if m else 0

    def targets(self, stop: str) -> list[Target] | None:
        """Take the longest target phrase that ends where ``stop`` matches."""
        ends = [m.start() for m in re.compile(stop, re.I).finditer(self.text, self.pos)]
        for end in sorted(set(ends), reverse=True):
            found = _parse_targets(self.text[self.pos : end])
            if found:
                self.pos = end
                return found
        return None

    def payload(self) -> list[str] | None:
        """Take the rest as new paragraphs: quotations, or running text and the blocks after it."""
        rest = self.text[self.pos :].strip().lstrip(":").strip()
        self.pos = len(self.text)
        if re.fullmatch(rf"{_Q}(?:\s*(?:,|and|,\s*and)?\s*{_Q})*[\s.;,]*", rest):
            return [p for i in re.findall(_Q, rest) for p in _paragraphs(self.ctx.quotes[int(i)][1:-1])]
        units = ([rest] if rest else []) + self.ctx.following
        self.ctx.used_following = bool(self.ctx.following)
        return [p for unit in units for p in self._unquoted(unit)] or None

    def _unquoted(self, unit: str) -> list[str]:
        """Return the paragraphs of a block; a block that is one quotation loses its marks."""
        whole = re.fullmatch(rf"{_Q}[\s.;,]*", unit)
        if whole:
            return _paragraphs(self.ctx.quotes[int(whole.group(1))][1:-1])
        return _paragraphs(self.ctx.restore(unit))

    def words_text(self) -> str | None:
        """Take new words: a quotation, or "the following:" and running text."""
        words = self.quoted()
        if words is None and self.take(_FOLLOWING):
            texts = self.payload()
            return " ".join(texts) if texts else None
        return words


def _ins(action: Action, words: str = "", text: str = "", occurrence: int = 0, sub: str = "") -> Instruction:
    """Return an instruction whose target the sentence rule fills in later."""
    return Instruction(action, Target(Kind.OPERATIVE, 0, sub), words, text, occurrence=occurrence)


def _replace_words(c: _Cursor, verb: str) -> Instruction | None:
    if c.take(r"the\s+(?:whole\s+|entire\s+|existing\s+)?(?:sub)?paragraph\s+(?:with|by)\b"):
        c.take(_FOLLOWING)
        texts = c.payload()
        return _ins(Action.REPLACE_PARAGRAPH, text=texts[0]) if texts and len(texts) == 1 else None
    before = c.occurrence_before()
    old = c.quoted()
    if old is None:
        return None
    occurrence = c.occurrence(before)
    new: str | None
    if verb.lower() == "substitute" and c.take(r"for\b"):  # substitute NEW for OLD
        new, replaced = old, c.quoted()
        if replaced is None:
            return None
        old, occurrence = replaced, c.occurrence(occurrence)
    elif c.take(r",?\s*(?:with|by)\b"):
        new = c.words_text()
        occurrence = c.occurrence(occurrence)  # "replace "A" with "B" the second time it appears"
    else:
        return None
    return None if new is None else _ins(Action.REPLACE_WORDS, old, new, occurrence)


def _delete_words(c: _Cursor) -> Instruction | None:
    if c.take(r"the\s+(?:whole\s+|entire\s+)?(?:sub)?paragraph\b"):
        return _ins(Action.DELETE_PARAGRAPH)
    sub = c.take(r"subparagraph\s+(\([a-z]{1,4}\))")
    if sub:
        return _ins(Action.DELETE_PARAGRAPH, sub=_norm_label(sub.group(1)))
    before = c.occurrence_before()
    old = c.quoted()
    return None if old is None else _ins(Action.DELETE_WORDS, old, occurrence=c.occurrence(before))


def _insert_words(c: _Cursor) -> Instruction | None:
    edge = c.take(_AT_EDGE + r"\s*,?\s*:?")
    new = c.words_text()
    if new is None:
        return None
    edge = edge or c.take(r",?\s*" + _AT_EDGE)
    if edge:
        return _ins(Action.ADD_AT_END if edge["edge"].lower() == "end" else Action.ADD_AT_BEGINNING, text=new)
    where = c.take(r",?\s*(after|before)\b")
    if where is None:
        return None
    before = c.occurrence_before()
    anchor = c.quoted()
    action = Action.INSERT_AFTER_WORDS if where.group(1).lower() == "after" else Action.INSERT_BEFORE_WORDS
    return None if anchor is None else _ins(action, anchor, new, c.occurrence(before))


def _edit(c: _Cursor, previous: Instruction | None) -> Instruction | None:
    """Take one word edit ("replace "A" with "B"") as an instruction without a target."""
    if verb := c.take(r"(replace|substitute)\b"):
        return _replace_words(c, verb.group(1))
    if c.take(r"(?:delete|strike\s+out|remove)\b"):
        return _delete_words(c)
    if c.take(r"(?:insert|add)\b"):
        return _insert_words(c)
    if where := c.take(r"(after|before)\b"):
        before = c.occurrence_before()
        anchor = c.quoted()
        occurrence = c.occurrence(before)
        if anchor is None or not c.take(r",?\s*(?:insert|add)\b") or (new := c.words_text()) is None:
            return None
        action = Action.INSERT_AFTER_WORDS if where.group(1).lower() == "after" else Action.INSERT_BEFORE_WORDS
        return _ins(action, anchor, new, occurrence)
    if edge := c.take(_AT_EDGE + r"\s*,?\s*(?:insert|add)\b"):
        new = c.words_text()
        action = Action.ADD_AT_END if edge["edge"].lower() == "end" else Action.ADD_AT_BEGINNING
        return None if new is None else _ins(action, text=new)
    if previous is not None and previous.action is Action.DELETE_WORDS:  # delete "A" and "B"
        old = c.quoted()
        return None if old is None else _ins(Action.DELETE_WORDS, old, occurrence=c.occurrence())
    return None


def _edits(c: _Cursor) -> list[Instruction]:
    """Take one or more word edits joined by "and", commas or semicolons."""
    found: list[Instruction] = []
    while True:
        start = c.pos
        if found:
            c.take(r"[,;]?\s*(?:and\b|also\b)?")
        c.take(r"\(?(?:[a-h]|[ivx]{1,4}|\d{1,2})[.)]\s")  # "In operative paragraph 3: (a) replace ...; (b) ..."
        edit = _edit(c, found[-1] if found else None)
        if edit is None:
            c.pos = start
            return found
        found.append(edit)


def _aim(edits: list[Instruction], targets: list[Target]) -> list[Instruction]:
    """Return each edit aimed at each target (a subparagraph the edit names goes inside)."""
    return [
        replace(e, target=replace(t, subparagraph=t.subparagraph + e.target.subparagraph))
        for t in targets
        for e in edits
    ]


def _rule_in(c: _Cursor) -> list[Instruction] | None:
    """In the third preambular paragraph, replace "A" with "B" and delete "C"."""
    if not c.take(r"in\b"):
        return None
    targets = c.targets(r"\s*[,:]")
    if not targets or not c.take(r"[,:]"):
        return None
    edits = _edits(c)
    return _aim(edits, targets) if edits and c.at_end() else None


def _rule_at_edge(c: _Cursor) -> list[Instruction] | None:
    """At the end of operative paragraph 7, add "A"."""
    edge = c.take(r"at\s+the\s+(end|beginning)\s+of\b")
    targets = c.targets(r"\s*[,:]|\s+(?:add|insert)\b") if edge else None
    if not edge or not targets or not c.take(r"[,:]?\s*(?:add|insert)\b"):
        return None
    new = c.words_text()
    action = Action.ADD_AT_END if edge.group(1).lower() == "end" else Action.ADD_AT_BEGINNING
    return _aim([_ins(action, text=new)], targets) if new is not None and c.at_end() else None


def _new_paragraphs(
    c: _Cursor, where: str, targets: list[Target], noun: re.Match[str] | None
) -> list[Instruction] | None:
    """Return the insertion of the new paragraphs that end the sentence next to one target."""
    texts = c.payload()
    if not texts or len(targets) != 1:
        return None
    target = targets[0]
    kind = target.kind if target.subparagraph == "" else Kind.SUBPARAGRAPH
    if noun and noun["pkind"]:
        kind = Kind.PREAMBULAR if noun["pkind"].lower() == "preambular" else Kind.OPERATIVE
    elif noun and (noun["noun"] or "").lower().startswith("sub"):
        kind = Kind.SUBPARAGRAPH
    action = Action.INSERT_PARAGRAPH_AFTER if where.lower() == "after" else Action.INSERT_PARAGRAPH_BEFORE
    # a number the new paragraph was given ("3 bis.") belongs to the compilation, not the text
    texts = [re.sub(r"^\d{1,3}(?:\s*(?:bis|ter|quater))?\.\s+", "", t) for t in texts]
    return [Instruction(action, target, text=t, new_kind=kind) for t in texts]


def _rule_place_first(c: _Cursor) -> list[Instruction] | None:
    """After operative paragraph 3, insert a new paragraph reading: ..."""
    where = c.take(r"(after|before)\b")
    targets = c.targets(r"\s*[,:]|\s+(?:insert|add)\b") if where else None
    if not where or not targets or not c.take(r"[,:]?\s*(?:insert|add)\b"):
        return None
    noun = c.take(_NEW_NOUN)
    c.take(_READING)
    return _new_paragraphs(c, where.group(1), targets, noun)


def _rule_insert_first(c: _Cursor) -> list[Instruction] | None:
    """Insert a new preambular paragraph after the fifth preambular paragraph, reading: ..."""
    if not c.take(r"(?:insert|add)\b"):
        return None
    noun = c.take(_NEW_NOUN)
    quoted = None if noun else c.take(_Q)  # insert "A" after operative paragraph 3
    where = c.take(r",?\s*(after|before)\b")
    stop = (
        r"\s*[,:]|\s+(?:reading|to\s+read|which\s+reads|as\s+follows|an?\s+|the\s+following|new)\b|\s*" + _Q + r"|\s*$"
    )
    targets = c.targets(stop) if where else None
    if where is None or not targets:
        return None
    if quoted:
        if not c.at_end():
            return None
        c.text, c.pos = quoted.group(0), 0  # the quotation is the new paragraph
    else:
        noun = noun or c.take(r",?\s*(?:" + _NEW_NOUN + ")")
        c.take(_READING)
    return _new_paragraphs(c, where.group(1), targets, noun)


def _rule_delete(c: _Cursor) -> list[Instruction] | None:
    """Delete the third preambular paragraph and operative paragraphs 4 to 6."""
    if not c.take(r"(?:delete|strike\s+out|remove)\b"):
        return None
    targets = c.targets(r"[\s.;]*$")
    return [Instruction(Action.DELETE_PARAGRAPH, t) for t in targets] if targets else None


def _rule_replace(c: _Cursor) -> list[Instruction] | None:
    """Replace operative paragraph 9 with the following: ...; Amend ... to read: ..."""
    if c.take(r"replace\b"):
        targets = c.targets(r"\s+(?:with|by)\b")
        if not targets or not c.take(r"(?:with|by)\b"):
            return None
        c.take(r"the\s+following(?:\s+(?:new\s+)?(?:text|wording|(?:preambular\s+|operative\s+)?paragraphs?))?\b")
    elif c.take(r"(?:amend|revise|redraft|reword)\b"):
        targets = c.targets(r"\s*,?\s*(?:so\s+as\s+)?(?:to\s+read|as\s+follows)\b")
        if not targets or not c.take(r",?\s*(?:so\s+as\s+)?(?:to\s+read|as\s+follows)\b"):
            return None
    else:
        return None
    c.take(r"(?:as\s+follows)?\s*:?")
    texts = c.payload()
    if not texts:
        return None
    # "Replace operative paragraphs 4 to 6 with the following": the first becomes the new text
    found = [Instruction(Action.REPLACE_PARAGRAPH, targets[0], text=texts[0])]
    found += [Instruction(Action.DELETE_PARAGRAPH, t) for t in targets[1:]]
    found += [
        Instruction(Action.INSERT_PARAGRAPH_AFTER, targets[0], text=t, new_kind=targets[0].kind) for t in texts[1:]
    ]
    return found


def _rule_edits_first(c: _Cursor) -> list[Instruction] | None:
    """Delete "A" in operative paragraph 2; Add "A" at the end of operative paragraph 7."""
    edits = _edits(c)
    if not edits or not c.take(r",?\s*(?:in|from|of|to)\b"):
        return None
    targets = c.targets(r"[\s.;]*$")
    return _aim(edits, targets) if targets else None


_WHOLE_TEXT = r"(?:the\s+)?(?:whole\s+|entire\s+)?(?:text|draft(?:\s+(?:resolution|decision|declaration))?|document)\b"
_TITLE_TOO = r"(?P<title>,?\s*(?:and|including|also)\s+(?:in\s+)?(?:its\s+|the\s+)?title\b)?"


def _everywhere(edits: list[Instruction], title: bool) -> list[Instruction]:
    return [replace(e, target=EVERYWHERE, occurrence=ALL, including_title=title) for e in edits]


def _rule_whole_text_first(c: _Cursor) -> list[Instruction] | None:
    """Throughout the text (and in the title), replace "A" with "B"."""
    m = c.take(rf"(?:throughout|everywhere\s+in|in)\s+{_WHOLE_TEXT}{_TITLE_TOO}\s*[,:]")
    if m is None:
        return None
    edits = _edits(c)
    return _everywhere(edits, bool(m["title"])) if edits and c.at_end() else None


def _rule_everywhere(c: _Cursor) -> list[Instruction] | None:
    """Replace "A" with "B" throughout the text / wherever it appears (in the text), including in the title."""
    edits = _edits(c)
    if not edits or edits[-1].occurrence != ALL:  # "throughout" and "wherever it appears" were read with the edit
        return None
    c.take(rf"\s*(?:in\s+)?{_WHOLE_TEXT}")
    m = c.take(_TITLE_TOO)
    return _everywhere(edits, bool(m and m["title"])) if c.at_end() else None


_RULES = (
    _rule_in,
    _rule_at_edge,
    _rule_place_first,
    _rule_insert_first,
    _rule_delete,
    _rule_replace,
    _rule_edits_first,
    _rule_whole_text_first,
    _rule_everywhere,
)


def _parse_sentence(sentence: str, ctx: _Context) -> list[Instruction] | None:
    """Return the instructions of one sentence, or None when it matches no known form."""
    for rule in _RULES:
        found = rule(_Cursor(sentence, ctx))
        if found:
            source = ctx.restore(sentence).strip()
            return [replace(i, source=source) for i in found]
        ctx.used_following = False  # a rule that failed may have taken the following blocks
    return None
