"""Values typed in a form or on the command line, parsed the same way in both places."""

from __future__ import annotations

import datetime as dt

from drafter.errors import InvalidInput


def parse_when(value: str | None, what: str) -> dt.datetime | None:
    """Return a date-time typed in a form (taken as UTC), or None when left empty."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"The {what} {value!r} is not a date and time.") from None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
