"""Forms of the room: open a reading, move the paragraph under negotiation, mark, type, the floor."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from drafter.drafting.services import MAX_PARAGRAPH_CHARS
from drafter.forms import DbIntField, choices, enum_select, limited
from drafter.inputs import db_int
from drafter.room.models import Mark
from drafter.room.services import MAX_NAME_CHARS, MAX_NOTE_CHARS

_RELOAD = "The form is missing the paragraph's version; reload the page."


class OpenReadingForm(FlaskForm):
    revision = SelectField(
        "Revision",
        coerce=db_int,
        validate_choice=True,
        invalid_value_message="Choose the revision to read.",
        invalid_choice_message="Choose the revision to read.",
    )
    name = StringField(
        "Name",
        validators=[
            InputRequired('Give the reading a name, such as "First reading".'),
            limited(MAX_NAME_CHARS, "A reading's name"),
        ],
    )


class MoveForm(FlaskForm):
    """Next, previous (``direction``), or the paragraph a reference names (``to``)."""

    direction = SelectField(
        "Direction",
        choices=choices([("", ""), ("next", "Next"), ("previous", "Previous")]),
        validators=[Optional()],
        invalid_choice_message="Choose next or previous.",
    )
    to = StringField("Go to", validators=[Length(max=40, message="Give a reference such as OP12 or 12 bis.")])
    #: the paragraph taken up from the list of the text (its lineage id)
    paragraph = DbIntField(message="That paragraph is not part of this revision.")


class MarkForm(FlaskForm):
    paragraph = DbIntField(message="That paragraph is not part of this revision.", validators=[InputRequired()])
    mark = enum_select("Status", list(Mark), "Choose read, agreed ad ref, pending or parked.")
    note = StringField("Note", validators=[limited(MAX_NOTE_CHARS, "A note")])
    version = DbIntField(message=_RELOAD)


class TypeForm(FlaskForm):
    text = TextAreaField(
        "Text of the paragraph under negotiation",
        validators=[InputRequired("The paragraph text is empty."), limited(MAX_PARAGRAPH_CHARS, "A paragraph")],
    )
    version = DbIntField(message=_RELOAD, validators=[InputRequired(_RELOAD)])
    #: the paragraph the typist's text is for: the chair may have moved on meanwhile
    paragraph = DbIntField(message=_RELOAD)


class FloorForm(FlaskForm):
    """Ask for the floor, give it or clear it: the request is named by the address."""


class BracketForm(FlaskForm):
    """Who asks for a bracketed passage and who opposes it; or take its brackets off, or delete it."""

    #: the passage's place among the paragraph's, and its words when the page was drawn
    index = DbIntField(message=_RELOAD, validators=[InputRequired(_RELOAD)])
    inner = HiddenField()
    version = DbIntField(message=_RELOAD, validators=[InputRequired(_RELOAD)])
    paragraph = DbIntField(message=_RELOAD)
    asked = SelectMultipleField("Asked for by", invalid_choice_message="Choose delegations of this negotiation.")
    opposed = SelectMultipleField("Opposed by", invalid_choice_message="Choose delegations of this negotiation.")
    action = SelectField(
        "Action",
        choices=choices(
            [("attribute", "Save"), ("remove", "Remove brackets"), ("delete", "Delete the bracketed words")]
        ),
        invalid_choice_message="Choose to save who asks for the passage, remove its brackets or delete it.",
    )
