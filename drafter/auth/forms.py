"""Forms for signing in and administering accounts, delegations and roles."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from drafter.auth.models import DelegationKind, Role
from drafter.auth.passwords import MAX_LENGTH, MIN_LENGTH
from drafter.guards import db_int

try:  # WTForms 3.3 deprecates (value, label) tuples as choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover  (older WTForms take tuples)
    def SelectChoice(value, label):  # type: ignore[no-redef]  # noqa: N802
        return (value, label)


def choices(pairs) -> list:
    """Return (value, label) pairs as choices of a SelectField."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class UserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)])
    is_admin = BooleanField("Instance administrator")


class DelegationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField("Kind", choices=choices((k.value, k.label) for k in DelegationKind))


class MemberForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name (for a new account)", validators=[Optional(), Length(max=120)])
    password = PasswordField("Initial password (for a new account)",
                             validators=[Optional(), Length(min=MIN_LENGTH, max=MAX_LENGTH)])
    role = SelectField("Role", choices=choices((r.value, r.label) for r in Role))
    delegation = SelectField("Delegation (for a delegate)", coerce=db_int, validate_choice=False)


class NegotiationForm(FlaskForm):
    slug = StringField("Short name (in addresses)", validators=[DataRequired(), Length(min=3, max=64)])
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    symbol = StringField("Document symbol", validators=[Optional(), Length(max=60)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    new = PasswordField("New password", validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)])
    confirm = PasswordField("New password again", validators=[DataRequired(), EqualTo("new", "The two new passwords differ.")])
