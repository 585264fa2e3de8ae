"""Forms of the circulation page: the deadline, the silence procedure and its breaks."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput

from drafter.auth.models import Delegation
from drafter.extensions import db
from drafter.forms import WhenField, limited
from drafter.inputs import db_int
from drafter.lifecycle.services import MAX_OVERRIDE_REASON_CHARS, MAX_STATEMENT_CHARS


class CirculateForm(FlaskForm):
    deadline = WhenField("Proposal deadline (UTC)", what="proposal deadline")
    confirm_identical = HiddenField()


class DeadlineForm(FlaskForm):
    deadline = WhenField("New deadline (UTC)", what="proposal deadline")
    #: ticked after the warning that the deadline has passed: it closes proposals now
    confirm_past = BooleanField("Yes, close proposals now")


class SilenceForm(FlaskForm):
    until = WhenField(
        "Silence ends (UTC)",
        what="end of the silence procedure",
        validators=[InputRequired("Give the date and time the silence procedure ends.")],
    )
    #: asked for when the silence is shorter than the negotiation's minimum, and kept in the record
    override_reason = TextAreaField(
        "Reason for a shorter silence", validators=[limited(MAX_OVERRIDE_REASON_CHARS, "A reason")]
    )


_NO_DELEGATION = "Choose the delegation breaking the silence."
_LONG_STATEMENT = f"The statement is too long (at most {MAX_STATEMENT_CHARS:,} characters)."


class SilenceBreakForm(FlaskForm):
    delegation = SelectField("Delegation", coerce=db_int, validate_choice=False, invalid_value_message=_NO_DELEGATION)
    paragraphs = SelectMultipleField(
        "Paragraphs concerned",
        coerce=db_int,
        option_widget=CheckboxInput(),
        invalid_value_message="Some of the paragraphs named are not part of this revision.",
        invalid_choice_message="Some of the paragraphs named are not part of this revision.",
    )
    statement = TextAreaField(
        "Statement",
        validators=[
            DataRequired("The delegation's statement is required."),
            Length(max=MAX_STATEMENT_CHARS, message=_LONG_STATEMENT),
        ],
    )

    def validate_delegation(self, field: SelectField) -> None:
        if not field.process_errors and db.session.get(Delegation, field.data or 0) is None:
            raise ValidationError(_NO_DELEGATION)
