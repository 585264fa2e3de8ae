"""Word automatic numbering: the label Word prints before a numbered paragraph.

A paragraph is numbered by ``w:numPr`` (numId, ilvl) in its own ``w:pPr`` or inherited from its
paragraph style and the styles that one is ``basedOn``; numId 0 switches numbering off.
numId → ``w:num`` → ``w:abstractNum`` (through ``w:numStyleLink`` when a numbering style defines
it) → the level's ``start``, ``numFmt`` and ``lvlText``, with the num's ``w:lvlOverride``.

Counters belong to the abstract numbering, as in Word: lists (``w:num``) sharing one abstractNum
continue each other, and a num with a ``w:startOverride`` restarts that level the first time the
num is used at it. Using a level restarts the deeper ones (unless their ``w:lvlRestart`` says
otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from drafter.text.numbering import alpha, roman

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEVELS = 9
#: Word's bullet glyphs in Symbol/Wingdings sit in the private use area; print a plain bullet
BULLET = "•"


def val(el: etree._Element | None, tag: str) -> str | None:
    """Return the w:val of child ``tag`` of ``el``, or None when either is missing."""
    if el is None:
        return None
    child = el.find(W + tag)
    return None if child is None else child.get(W + "val")


def int_val(el: etree._Element | None, tag: str) -> int | None:
    """Return the w:val of child ``tag`` as an int, or None when missing or not a number."""
    return _int(val(el, tag))


def is_on(el: etree._Element) -> bool:
    """Return the value of a toggle property such as w:i (absent w:val means on)."""
    return el.get(W + "val", "true").lower() not in ("0", "false", "off", "none")


class StyleSheet:
    """Paragraph and run properties of the styles in styles.xml, looked up along basedOn."""

    def __init__(self, styles_root: etree._Element | None) -> None:
        self.names: dict[str, str] = {}
        self._props: dict[str, tuple[str, etree._Element | None, etree._Element | None]] = {}
        self.default_paragraph = ""
        self.default_rpr: etree._Element | None = None
        self._cache: dict[tuple[str, str, str], etree._Element | None] = {}
        if styles_root is None:
            return
        self.default_rpr = styles_root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        for style in styles_root.iterchildren(W + "style"):
            style_id = style.get(W + "styleId") or ""
            self.names[style_id] = val(style, "name") or style_id
            self._props[style_id] = (val(style, "basedOn") or "", style.find(W + "pPr"), style.find(W + "rPr"))
            if style.get(W + "type") == "paragraph" and is_on_attr(style.get(W + "default")):
                self.default_paragraph = style_id

    def paragraph_style(self, ppr: etree._Element | None) -> str:
        """Return the style id a paragraph uses: its w:pStyle, or the default paragraph style."""
        return val(ppr, "pStyle") or self.default_paragraph

    def find(self, style_id: str, props: str, tag: str) -> etree._Element | None:
        """Return the first ``props`` ("pPr" or "rPr") child ``tag`` along the basedOn chain."""
        key = (style_id, props, tag)
        if key not in self._cache:
            self._cache[key] = self._find(style_id, props, tag)
        return self._cache[key]

    def _find(self, style_id: str, props: str, tag: str) -> etree._Element | None:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._props:
            seen.add(style_id)  # basedOn loops exist in damaged files
            based_on, ppr, rpr = self._props[style_id]
            found = ppr if props == "pPr" else rpr
            found = None if found is None else found.find(W + tag)
            if found is not None:
                return found
            style_id = based_on
        return None


def is_on_attr(text: str | None) -> bool:
    return text is not None and text.lower() in ("1", "true", "on")


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a list definition."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""  #: w:lvlText, e.g. "%1." or "(%2)"
    restart: int | None = None  #: w:lvlRestart: restart after this (1-based) level; 0 never
    legal: bool = False  #: w:isLgl: show every level's number in decimal
    style_id: str = ""  #: w:pStyle: the paragraph style that selects this level


@dataclass(frozen=True, slots=True)
class Num:
    """A list instance (w:num): its abstract numbering and overrides."""

    abstract: str
    levels: dict[int, Level] = field(default_factory=dict)  #: abstract levels with w:lvl overrides
    start_overrides: dict[int, int] = field(default_factory=dict)


def parse_level(lvl: etree._Element) -> Level:
    """Return the Level a w:lvl element defines."""
    text_el = lvl.find(W + "lvlText")
    text = "" if text_el is None or is_on_attr(text_el.get(W + "null")) else text_el.get(W + "val", "")
    start = int_val(lvl, "start")
    legal = lvl.find(W + "isLgl")
    return Level(
        start=0 if start is None else start,  # the spec's default when w:start is absent
        fmt=val(lvl, "numFmt") or "decimal",
        text=text,
        restart=int_val(lvl, "lvlRestart"),
        legal=legal is not None and is_on(legal),
        style_id=val(lvl, "pStyle") or "",
    )


def _levels(parent: etree._Element) -> dict[int, Level]:
    found: dict[int, Level] = {}
    for lvl in parent.iterchildren(W + "lvl"):
        ilvl = _ilvl(lvl.get(W + "ilvl"))
        if ilvl is not None:
            found[ilvl] = parse_level(lvl)
    return found


def _ilvl(text: str | None) -> int | None:
    try:
        number = int(text or "")
    except ValueError:
        return None
    return number if 0 <= number < LEVELS else None


class Numbering:
    """The list definitions of numbering.xml, with the style sheet they are attached through."""

    def __init__(self, numbering_root: etree._Element | None, styles: StyleSheet) -> None:
        self.styles = styles
        self.nums: dict[int, Num] = {}
        if numbering_root is None:
            return
        abstracts: dict[str, dict[int, Level]] = {}
        links: dict[str, str] = {}
        for ab in numbering_root.iterchildren(W + "abstractNum"):
            key = ab.get(W + "abstractNumId") or ""
            abstracts[key] = _levels(ab)
            if (link := val(ab, "numStyleLink")) is not None:
                links[key] = link
        raw: dict[int, tuple[str, etree._Element]] = {}
        for num in numbering_root.iterchildren(W + "num"):
            num_id, abstract = _int(num.get(W + "numId")), val(num, "abstractNumId")
            if num_id is not None and abstract is not None:
                raw[num_id] = (abstract, num)
        for num_id, (abstract, num) in raw.items():
            abstract = self._follow_links(abstract, links, raw)
            levels = dict(abstracts.get(abstract, {}))
            starts: dict[int, int] = {}
            for override in num.iterchildren(W + "lvlOverride"):
                ilvl = _ilvl(override.get(W + "ilvl"))
                if ilvl is None:
                    continue
                if (lvl := override.find(W + "lvl")) is not None:
                    levels[ilvl] = parse_level(lvl)
                if (start := int_val(override, "startOverride")) is not None:
                    starts[ilvl] = start
            self.nums[num_id] = Num(abstract, levels, starts)

    def _follow_links(self, abstract: str, links: dict[str, str], raw: dict[int, tuple[str, etree._Element]]) -> str:
        """Follow w:numStyleLink → numbering style → its numId → that num's abstractNum."""
        for _ in range(4):
            if abstract not in links:
                break
            linked = _int(val(self.styles.find(links[abstract], "pPr", "numPr"), "numId"))
            if linked not in raw:
                break
            abstract = raw[linked][0]
        return abstract

    def resolve(self, ppr: etree._Element | None) -> tuple[int, int] | None:
        """Return the (numId, ilvl) a paragraph is numbered with, or None when it is not."""
        direct = None if ppr is None else ppr.find(W + "numPr")
        num_id, ilvl = int_val(direct, "numId"), _ilvl(val(direct, "ilvl"))
        style_id = self.styles.paragraph_style(ppr)
        if num_id is None or ilvl is None:
            inherited = self.styles.find(style_id, "pPr", "numPr")
            num_id = int_val(inherited, "numId") if num_id is None else num_id
            ilvl = _ilvl(val(inherited, "ilvl")) if ilvl is None else ilvl
        if num_id is None or (num := self.nums.get(num_id)) is None:
            return None  # numId 0 switches numbering off; an undefined list prints nothing either
        if ilvl is None:
            ilvl = next((i for i, lvl in num.levels.items() if style_id and lvl.style_id == style_id), 0)
        return num_id, ilvl

    def counter(self) -> ListCounter:
        """Return a counter that numbers paragraphs given in document order."""
        return ListCounter(self)


def _int(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


class ListCounter:
    """Counts list items in document order and prints each one's label."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.counts: dict[str, list[int | None]] = {}
        self.overridden: set[tuple[int, int]] = set()

    def number(self, ppr: etree._Element | None) -> tuple[str, int]:
        """Return the label and level of the next paragraph with these properties ("", -1 if none)."""
        resolved = self.numbering.resolve(ppr)
        if resolved is None:
            return "", -1
        num_id, ilvl = resolved
        num = self.numbering.nums[num_id]
        counts = self.counts.setdefault(num.abstract, [None] * LEVELS)
        level = num.levels.get(ilvl, Level())
        start = num.start_overrides.get(ilvl, level.start)
        current = counts[ilvl]
        if ilvl in num.start_overrides and (num_id, ilvl) not in self.overridden:
            self.overridden.add((num_id, ilvl))
            counts[ilvl] = start
        else:
            counts[ilvl] = start if current is None else current + 1
        for deeper in range(ilvl + 1, LEVELS):
            restart = num.levels[deeper].restart if deeper in num.levels else None
            if restart is None or restart > deeper or ilvl < restart:
                counts[deeper] = None
        return self._label(num, counts, ilvl), ilvl

    def _label(self, num: Num, counts: list[int | None], ilvl: int) -> str:
        level = num.levels.get(ilvl, Level())
        if level.fmt == "bullet":
            return "".join(BULLET if "\ue000" <= ch <= "\uf8ff" else ch for ch in level.text)

        def placeholder(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            ref = num.levels.get(index, Level())
            value = counts[index]
            value = num.start_overrides.get(index, ref.start) if value is None else value
            return format_number(value, "decimal" if level.legal and ref.fmt != "none" else ref.fmt)

        return re.sub(r"%([1-9])", placeholder, level.text)


def format_number(n: int, fmt: str) -> str:
    """Return ``n`` printed in a Word number format (decimal for formats not handled)."""
    if fmt == "none":
        return ""
    if fmt in ("lowerLetter", "upperLetter"):
        # Word's letters go a..z, then aa..zz, then aaa..: the letter repeated, as UN documents do
        text = "" if n < 1 else alpha(n)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = roman(n) if 0 < n < 4000 else str(n)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
