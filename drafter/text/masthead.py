"""The document identity a UN text prints above its first paragraph, read from its title lines.

A General Assembly document opens with a masthead and a frame (measured on A/C.2/80/L.58)::

    United Nations A/C.2/80/L.58                   <- the symbol
    General Assembly Distr.: Limited               <- the distribution
    18 November 2025                               <- the date of issue
    Original: English                              <- the original language
    Eightieth session                              <- the session
    Second Committee                               <- the committee (none for the plenary)
    Agenda item 15                                 <- the agenda item ...
    Information and communications ...             <- ... and its title, over one or more lines
    Draft resolution submitted by ...              <- the sponsor line ("Iraq:* draft resolution")
    Information and communications technologies    <- the title
    The General Assembly,                          <- the chapeau

Adopted resolutions carry "Resolution adopted by the General Assembly on ..." and
"[on the report of the ... Committee (...)]" where drafts carry the sponsor line, and their
title starts with the resolution number ("80/118. ..."). Each field is read when its line is
found; a line that fits none is reported in ``unread`` and nothing is guessed, so a masthead
that cannot be read leaves empty fields and an explanation, never a failure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace

from drafter.text.clean import excerpt

#: the printed length limits of each field (the database columns follow them)
LIMITS = {
    "symbol": 60,
    "distribution": 20,
    "original_language": 30,
    "session_name": 60,
    "committee": 80,
    "agenda_item": 30,
    "agenda_title": 500,
    "sponsor_line": 2000,
    "title": 500,
    "chapeau": 300,
}
DISTRIBUTIONS = ("General", "Limited", "Restricted")
LANGUAGES = ("Arabic", "Chinese", "English", "French", "Russian", "Spanish")

_SYMBOL = r"[A-Z]{1,10}(?:/[A-Z0-9.()\-]+)+"
_MASTHEAD_SYMBOL = re.compile(rf"United\s+Nations\s+({_SYMBOL})")
_SYMBOL_ONLY = re.compile(_SYMBOL)
_DISTRIBUTION = re.compile(r"(?:General\s+Assembly\s+)?Distr\.:?\s*(\w+)", re.IGNORECASE)
_DATE = re.compile(r"(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})")
_ORIGINAL = re.compile(r"Original:\s*(\w+)", re.IGNORECASE)
_SESSION = re.compile(r"[\w-]+(?:th|st|nd|rd)\s+(?:special\s+|emergency\s+special\s+)?session", re.IGNORECASE)
_COMMITTEE = re.compile(r"(?:First|Second|Third|Fourth|Fifth|Sixth)\s+Committee", re.IGNORECASE)
_AGENDA = re.compile(r"Agenda\s+items?\s+(\d.*)", re.IGNORECASE)
_SPONSOR = re.compile(
    r"(?:.{1,2000}?:\**\s*(?:revised\s+)?(?:draft\s+(?:resolution|decision)|amendments?\b).*"
    r"|Draft\s+(?:resolution|decision)\s+submitted\s+by\b.*"
    r"|Resolution\s+adopted\s+by\b.*|Decision\s+adopted\s+by\b.*"
    r"|\[(?:on\s+the\s+report\s+of|without\s+reference\s+to)\b.*\])",
    re.IGNORECASE,
)
_BARE_CHAPEAU = re.compile(
    r"The\s+General\s+Assembly|The\s+Economic\s+and\s+Social\s+Council|The\s+Security\s+Council"
    r"|We,\s+the\s+Heads\s+of\s+State\b.*",
    re.IGNORECASE,
)
#: the organ a symbol's first element names
ORGANS = {"A": "General Assembly", "E": "Economic and Social Council", "S": "Security Council"}
_CHAPEAU_ORGAN = re.compile(
    r"\W*the\s+(General\s+Assembly|Economic\s+and\s+Social\s+Council|Security\s+Council)\b", re.IGNORECASE
)
#: month names as UN documents print them, whatever the machine's locale
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTHS = {name: i for i, name in enumerate(MONTHS, start=1)}


@dataclass(frozen=True, slots=True)
class Masthead:
    """A revision's own document identity: what the UN prints above its first paragraph."""

    symbol: str = ""  #: "A/C.2/80/L.58", then "A/RES/80/118"
    issued_on: dt.date | None = None  #: the date of issue printed under the distribution
    distribution: str = ""  #: "Limited" for drafts, "General" for resolutions
    original_language: str = ""  #: "English"
    session_name: str = ""  #: "Eightieth session"
    committee: str = ""  #: "Second Committee"; "" for the plenary
    agenda_item: str = ""  #: "15", "71 (b)"
    agenda_title: str = ""  #: the agenda item's title, on one line
    sponsor_line: str = ""  #: "Iraq: draft resolution", "Draft resolution submitted by ..."; lines joined by "\n"
    title: str = ""  #: the document's title: "Information and communications technologies ..."
    chapeau: str = ""  #: "The General Assembly,"; "We, the Heads of State and Government ..."
    #: footnotes of the title block, marker first: "* On behalf of the States that are members of ..."
    footnotes: tuple[str, ...] = ()

    @property
    def organ(self) -> str:
        """Return the organ the document is of ("General Assembly"), from its symbol or chapeau."""
        return organ_of(self.symbol, self.chapeau)

    def filled(self) -> dict[str, object]:
        """Return the fields that carry a value, by name (for a preview or a CLI summary)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def merged(self, **changes: object) -> Masthead:
        """Return a copy with the given fields changed."""
        return replace(self, **changes)


@dataclass(slots=True)
class ReadMasthead:
    """A masthead read from title lines, and what could not be read."""

    masthead: Masthead
    #: lines of the title block that fit no field, and fields that were not found
    unread: list[str] = field(default_factory=list)


def organ_of(symbol: str, chapeau: str = "") -> str:
    """Return the organ a document is of ("General Assembly"), from its symbol or chapeau; "" if neither says."""
    series = symbol.split("/", 1)[0].strip().upper()
    if series in ORGANS:
        return ORGANS[series]
    m = _CHAPEAU_ORGAN.match(chapeau.strip())
    return " ".join(m.group(1).split()).title().replace(" And ", " and ") if m else ""


def parse_date(text: str) -> dt.date | None:
    """Return the date printed as "18 November 2025" (or ISO "2025-11-18"), or None."""
    text = " ".join(text.split())
    m = _DATE.fullmatch(text)
    if m and m.group(2) in _MONTHS:
        try:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
        except ValueError:
            return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def printed_date(day: dt.date) -> str:
    """Return a date as the UN prints it: "18 November 2025"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _clip(name: str, value: str) -> str:
    value = (
        " ".join(value.split()) if name != "sponsor_line" else "\n".join(" ".join(x.split()) for x in value.split("\n"))
    )
    return value[: LIMITS[name]]


def read_masthead(lines: Sequence[str], footnotes: Sequence[str] = ()) -> ReadMasthead:
    """Return the identity printed in a document's title lines.

    ``footnotes`` are the star footnotes found on the first page ("* On behalf of ..."); those
    whose marker stands in the title lines become the masthead's own notes.
    """
    values: dict[str, str] = {}
    issued_on: dt.date | None = None
    unread: list[str] = []
    rest = [" ".join(x.split()) for x in lines if x.strip()]
    i = 0
    agenda_lines: list[str] = []
    sponsor_lines: list[str] = []
    title_lines: list[str] = []
    state = "masthead"
    while i < len(rest):
        line = rest[i]
        i += 1
        m = _MASTHEAD_SYMBOL.match(line) or _SYMBOL_ONLY.fullmatch(line)
        if state == "masthead" and m and "symbol" not in values:
            values["symbol"] = m.group(m.lastindex or 0)
            continue
        if (
            state in ("masthead", "agenda")
            and (m := _DISTRIBUTION.fullmatch(line) or _DISTRIBUTION.search(line))
            and "distribution" not in values
        ):
            values["distribution"] = m.group(1).capitalize()
            state = "masthead"
            continue
        if state in ("masthead", "agenda") and issued_on is None and (day := parse_date(line)):
            issued_on = day
            continue
        if state == "masthead" and line in ORGANS.values():
            continue  # the organ on a line of its own (no "Distr.:" beside it): the symbol says it
        if state == "masthead" and (m := _ORIGINAL.fullmatch(line)):
            values["original_language"] = m.group(1).capitalize()
            continue
        if state == "masthead" and _SESSION.fullmatch(line):
            values["session_name"] = line
            continue
        if state == "masthead" and _COMMITTEE.fullmatch(line):
            values["committee"] = line
            continue
        if state == "masthead" and (m := _AGENDA.fullmatch(line)):
            values["agenda_item"] = m.group(1).strip()
            state = "agenda"
            continue
        if state in ("masthead", "agenda", "sponsor") and _SPONSOR.fullmatch(line):
            sponsor_lines.append(line)
            state = "sponsor"
            continue
        if _BARE_CHAPEAU.fullmatch(line.rstrip(",")) and i == len(rest):
            values["chapeau"] = line
            continue
        if state == "agenda":
            agenda_lines.append(line)
            continue
        if state in ("sponsor", "title"):
            title_lines.append(line)
            state = "title"
            continue
        if state == "masthead" and "symbol" in values:
            # no sponsor line (a declaration, a decision): the first line after the masthead is the title
            title_lines.append(line)
            state = "title"
            continue
        unread.append(line)
    if agenda_lines:
        values["agenda_title"] = " ".join(agenda_lines)
    if sponsor_lines:
        values["sponsor_line"] = "\n".join(sponsor_lines)
    if title_lines:
        values["title"] = " ".join(title_lines)
    marked = " ".join(rest)
    notes = tuple(n for n in footnotes if (mark := _star(n)) and mark in marked)
    masthead = Masthead(issued_on=issued_on, footnotes=notes, **{k: _clip(k, v) for k, v in values.items()})
    return ReadMasthead(masthead, [f"Not read as part of the masthead: “{excerpt(x)}”." for x in unread])


def _star(note: str) -> str:
    m = re.match(r"(\*{1,3})\s", note)
    return m.group(1) if m else ""


#: what each field is called in messages
FIELD_NAMES = {
    "symbol": "symbol",
    "issued_on": "date of issue",
    "distribution": "distribution",
    "original_language": "original language",
    "session_name": "session",
    "committee": "committee",
    "agenda_item": "agenda item",
    "agenda_title": "agenda item's title",
    "sponsor_line": "sponsor line",
    "title": "title",
    "chapeau": "chapeau",
}


def normalised(masthead: Masthead) -> tuple[Masthead, list[str]]:
    """Return the masthead with blanks folded (the sponsor line keeps its line breaks), and the
    problems that make it unusable ("The title has at most 500 characters.")."""
    values: dict[str, object] = {}
    problems: list[str] = []
    for name, limit in LIMITS.items():
        raw = str(getattr(masthead, name) or "")
        value = (
            "\n".join(" ".join(x.split()) for x in raw.split("\n")).strip()
            if name == "sponsor_line"
            else " ".join(raw.split())
        )
        if len(value) > limit:
            problems.append(f"The {FIELD_NAMES[name]} has at most {limit:,} characters.")
        values[name] = value
    footnotes = tuple(" ".join(n.split()) for n in masthead.footnotes if n.strip())
    return replace(masthead, footnotes=footnotes, **values), problems


def _shown(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "\n".join(value)
    return str(value or "")


def changes(before: Masthead, after: Masthead) -> dict[str, tuple[str, str]]:
    """Return {field: (before, after)} for the fields that differ, dates as ISO text."""
    out: dict[str, tuple[str, str]] = {}
    for f in fields(Masthead):
        a, b = getattr(before, f.name), getattr(after, f.name)
        if a != b:
            out[f.name] = (_shown(a), _shown(b))
    return out
