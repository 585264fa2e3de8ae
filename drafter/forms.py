"""Values typed in a form or on the command line, parsed the same way in both places."""

from __future__ import annotations

import datetime as dt

from wtforms import StringField
from wtforms.widgets import DateTimeLocalInput

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


class WhenField(StringField):
    """A date and time field read by ``parse_when``: ``data`` is an aware UTC datetime, or None when empty.

    What the user typed is shown again as typed when the form comes back refused.
    """

    widget = DateTimeLocalInput()

    def __init__(self, label: str | None = None, validators=None, *, what: str = "date and time", **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.what = what

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if valuelist:
            try:
                self.data = parse_when(valuelist[0], self.what)
            except InvalidInput as e:
                raise ValueError(e.message) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%Y-%m-%dT%H:%M") if isinstance(self.data, dt.datetime) else ""
