"""Dates and times as negotiators type them: "4 December 2026 18:00", "4/12/2026", "2026-12-04T18:00".

A browser's own date picker shows the order of the browser's language (month first in an
American browser), so the forms take plain text instead and read every usual way of writing a
date, the day before the month as the United Nations writes it. ISO dates (2026-12-04) are read
as they are; times are on the 24-hour clock, in UTC unless another offset is written.
"""

from __future__ import annotations

import datetime as dt
import re

from drafter.text.masthead import MONTHS, printed_date

#: how a date and time is asked for, beside the box
WHEN_HINT = "Day, month and year, then the time in UTC: 4 December 2026 18:00, or 2026-12-04 18:00."
DATE_HINT = "Day, month and year: 4 December 2026, 4/12/2026 or 2026-12-04."

_MONTHS = {name.lower(): i for i, name in enumerate(MONTHS, start=1)}
_MONTHS.update({name[:3].lower(): i for i, name in enumerate(MONTHS, start=1)})
_MONTHS["sept"] = 9
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_NUMBERS = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})$")
_SPLIT = re.compile(r"^(.*?)(?:[\sT,]+(?:at\s+)?(\d{1,2}[:.h]\d{2}))?\s*(?:h\s*)?(utc|gmt|z)?$")


class NotADate(ValueError):
    """What was typed is not a date (or a date and time); the message says what is expected."""


def _weekday_dropped(text: str) -> str:
    first, _, rest = text.partition(" ")
    day = first.rstrip(",.").lower()
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return rest if rest and (day in names or day in {n[:3] for n in names}) else text


def read_date(text: str) -> dt.date:
    """Return the date written in ``text``; raise NotADate when it holds none."""
    value = _weekday_dropped(" ".join(text.strip().lower().split()))
    try:
        if m := _ISO.match(value):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMBERS.match(value):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if (m := _WORDS.match(value)) and m[2] in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    except ValueError:
        raise NotADate(f"“{text.strip()}” is not a day of the calendar.") from None
    raise NotADate(f"“{text.strip()}” is not a date. {DATE_HINT}")


def read_when(text: str) -> dt.datetime:
    """Return the moment written in ``text`` as an aware UTC datetime; raise NotADate when it holds none.

    A date without a time is midnight UTC at its start; an ISO date-time with its own offset
    (2026-12-04T18:00+01:00) is converted to UTC.
    """
    value = " ".join(text.strip().split())
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    else:
        return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
    m = _SPLIT.match(value.lower())
    if m is None or not m[1]:
        raise NotADate(f"“{value}” is not a date and time. {WHEN_HINT}")
    try:
        day = read_date(m[1])
    except NotADate:
        raise NotADate(f"“{value}” is not a date and time. {WHEN_HINT}") from None
    hour = minute = 0
    if m[2]:
        t = _TIME.match(m[2])
        hour, minute = int(t[1]), int(t[2])  # type: ignore[index]
        if hour > 23 or minute > 59:
            raise NotADate(f"“{m[2]}” is not a time of day: use the 24-hour clock, 00:00 to 23:59.")
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def typed_when(when: dt.datetime) -> str:
    """Return a moment as the forms show it for editing, in words that ``read_when`` reads back."""
    when = when.astimezone(dt.UTC)
    return f"{printed_date(when.date())} {when:%H:%M}"


def typed_date(day: dt.date) -> str:
    """Return a date as the forms show it for editing."""
    return printed_date(day)
