"""Forms of the Word files page: the archive's filter, and a request for a clean, tracked, compilation or Akoma Ntoso file."""

from __future__ import annotations

from typing import get_args

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField

from drafter.exporting.models import ExportKind
from drafter.exporting.services import Style
from drafter.forms import QueryForm, choices, member_or_none, stripped
from drafter.inputs import db_int

KIND_MESSAGE = "Choose clean, tracked, compilation or Akoma Ntoso."
#: how each compilation style is offered
STYLE_LABELS = {
    "formatted": "Formatted for printing (bold underline, strikethrough)",
    "tracked": "Word track changes, one author per delegation",
}


class ArchiveFilterForm(QueryForm):
    """The archive's filter (query string); an unknown kind filters nothing."""

    kind = SelectField(
        "Kind",
        coerce=member_or_none(ExportKind),
        validate_choice=False,
        choices=choices([("", "All")] + [(k.value, k.label) for k in ExportKind]),
    )


class ExportForm(FlaskForm):
    """A Word file to make: its kind, the revision (and, tracked, the one it is compared against), options."""

    #: which field a refusal from the services concerns, by the words it uses
    concerns = (
        ("different revisions", "from_"),
        ("same negotiation", "from_"),
        ("style", "style"),
        ("circulated", "revision"),
    )

    kind = SelectField(
        "Kind",
        choices=choices((k.value, k.label) for k in ExportKind),
        coerce=ExportKind,
        invalid_value_message=KIND_MESSAGE,
        invalid_choice_message=KIND_MESSAGE,
    )
    revision = SelectField("Revision", coerce=db_int, validate_choice=False, invalid_value_message="Choose a revision.")
    from_ = SelectField(
        "Against",
        name="from",
        coerce=db_int,
        validate_choice=False,
        invalid_value_message="Choose the revision to compare against.",
    )
    show_status = BooleanField("Show paragraph statuses")
    author = StringField("Author of the changes", filters=[stripped])
    only_with_proposals = BooleanField("Only paragraphs with proposals")
    # any style is passed on: the service refuses one it does not make, in its own words
    style = RadioField(
        "Style",
        choices=choices((s, STYLE_LABELS[s]) for s in get_args(Style)),
        default="formatted",
        validate_choice=False,
    )

    def offer(self, revisions, *, against: int | None = None) -> ExportForm:
        """Offer these revisions, latest first (and ``against`` as the one compared against, unless the user chose)."""
        self.revision.choices = choices((r.seq, r.label) for r in reversed(revisions))
        self.from_.choices = self.revision.choices
        if self.from_.data is None:
            self.from_.data = against
        return self
