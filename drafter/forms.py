"""What every form shares, and values typed in a form or on the command line, parsed the same way in both.

Each domain has its form classes in its own ``forms.py``; they build on the fields and helpers
here: enum choices, database ids, date-times, query-string filters, and ``show_refusal``, which
prints a service's refusal beside the field it concerns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length
from wtforms.widgets import TextInput

from drafter.errors import DrafterError, InvalidInput
from drafter.inputs import db_int
from drafter.text.dates import WHEN_HINT, NotADate, read_when, typed_when

try:  # WTForms 3.3 deprecates (value, label) tuples as choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover  (older WTForms take tuples)

    def SelectChoice(value, label):  # type: ignore[no-redef]  # noqa: N802
        return (value, label)


def choices(pairs: Iterable[tuple[Any, str]]) -> list:
    """Return (value, label) pairs as choices of a SelectField."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def stripped(value: str | None) -> str:
    """Return a typed value without surrounding spaces ("" when missing)."""
    return (value or "").strip()


def member_or_none(enum: type[Enum]) -> Callable[[Any], Any]:
    """Return a coerce function for a filter: the enum member a value names, or None when it names none."""

    def coerce(value: Any) -> Any:
        return value if isinstance(value, enum) or value is None else enum._value2member_map_.get(value)

    return coerce


def optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Return ``convert`` reading an empty value as None (a choice left at "All" or "—")."""

    def coerce(value: Any) -> Any:
        return None if value is None or value == "" else convert(value)

    return coerce


def enum_select(
    label: str,
    members: Sequence[Enum],
    message: str,
    *,
    blank: str | None = None,
    field: type[SelectField] = SelectField,
    **kwargs: Any,
) -> Any:
    """Return a choice of enum members: the value read as the member, anything else refused with ``message``.

    ``blank`` is the label of an empty choice that reads as None ("All"); without it a member
    must be chosen.
    """
    enum = type(members[0])
    pairs = [(m.value, m.label) for m in members]  # type: ignore[attr-defined]
    if blank is not None:
        pairs.insert(0, ("", blank))
    return field(
        label,
        choices=choices(pairs),
        coerce=optional(enum) if blank is not None else enum,
        invalid_value_message=message,
        invalid_choice_message=message,
        **kwargs,
    )


def limited(limit: int, what: str) -> Length:
    """Return the validator of a service's length limit, in its words: "A note may have at most 5,000 characters."."""
    return Length(max=limit, message=f"{what} may have at most {limit:,} characters.")


class DbIntField(HiddenField):
    """A number sent by the page (an id, a version): ``data`` is an int the database holds, or None when empty."""

    def __init__(
        self, label: str | None = None, validators: Any = None, *, message: str = "Give a whole number.", **kwargs: Any
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = db_int(valuelist[0].strip())
            except ValueError:
                raise ValueError(self.message) from None


class QueryForm(FlaskForm):
    """Filters read from the query string: no CSRF token; a value that cannot be used filters nothing."""

    class Meta:
        csrf = False

    def read(self) -> None:
        """Set every field whose value cannot be used to None, as if it were left at "All"."""
        for field in self:
            if not field.validate(self):
                field.data, field.errors = None, []


def show_refusal(form: FlaskForm, e: DrafterError, field: str | None = None) -> int:
    """Undo the refused action and show its message beside the field whose words it uses (the
    form's ``concerns``: (words, field name) pairs), else beside ``field``, else at the top of the
    form; return the status of the answer (400, or 409 for a conflict)."""
    from drafter.web import refused

    message = refused(e)
    lowered = message.lower()
    field = next((name for words, name in getattr(form, "concerns", ()) if words in lowered), field)
    if field is None:
        form.form_errors.append(message)
    else:
        form[field].errors = [*form[field].errors, message]
    return e.status_code


def parse_when(value: str | None, what: str) -> dt.datetime | None:
    """Return a date-time typed in a form (taken as UTC), or None when left empty."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return read_when(value)
    except NotADate as e:
        raise InvalidInput(f"The {what} {e}") from None


class WhenField(StringField):
    """A date and time field read by ``parse_when``: ``data`` is an aware UTC datetime, or None when empty.

    A text box, not the browser's date picker (which orders the day and month as the browser's
    language does); its description says how to write the date. What the user typed is shown
    again as typed when the form comes back refused.
    """

    widget = TextInput()

    def __init__(self, label: str | None = None, validators=None, *, what: str = "date and time", **kwargs) -> None:
        kwargs.setdefault("description", WHEN_HINT)
        kwargs.setdefault("render_kw", {"placeholder": "4 December 2026 18:00", "autocomplete": "off", "size": 24})
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
        return typed_when(self.data) if isinstance(self.data, dt.datetime) else ""
