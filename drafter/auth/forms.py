"""Forms for signing in and administering accounts, delegations and roles, and what every form shares."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from drafter.auth.models import DelegationKind, Role
from drafter.auth.passwords import MAX_LENGTH, MIN_LENGTH
from drafter.forms import QueryForm, choices, member_or_none, stripped
from drafter.inputs import db_int, safe_next


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class UserForm(FlaskForm):
    concerns = (("e-mail", "email"), ("password", "password"), ("name", "name"))
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    password = PasswordField("Initial password", validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)])
    is_admin = BooleanField("Instance administrator")


class DelegationForm(FlaskForm):
    concerns = (("kind", "kind"), ("delegation", "name"), ("name", "name"))
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField(
        "Kind",
        choices=choices((k.value, k.label) for k in DelegationKind),
        coerce=DelegationKind,
        invalid_value_message="Choose the kind of delegation.",
        invalid_choice_message="Choose the kind of delegation.",
    )


class MemberForm(FlaskForm):
    concerns = (
        ("no account", "name"),
        ("password", "password"),
        ("delegation", "delegation"),
        ("co-facilitator", "role"),
        ("role", "role"),
        ("e-mail", "email"),
    )
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name (for a new account)", validators=[Optional(), Length(max=120)])
    password = PasswordField(
        "Initial password (for a new account)", validators=[Optional(), Length(min=MIN_LENGTH, max=MAX_LENGTH)]
    )
    role = SelectField(
        "Role",
        choices=choices((r.value, r.label) for r in Role),
        coerce=Role,
        invalid_value_message="Choose a role.",
        invalid_choice_message="Choose a role you may give.",
    )
    delegation = SelectField(
        "Delegation (for a delegate)",
        coerce=db_int,
        validate_choice=False,
        invalid_value_message="Choose the delegation the delegate speaks for.",
    )


class NegotiationForm(FlaskForm):
    concerns = (("short name", "slug"), ("called", "slug"), ("symbol", "symbol"), ("title", "title"))
    slug = StringField("Short name (in addresses)", validators=[DataRequired(), Length(min=3, max=64)])
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    symbol = StringField("Document symbol", validators=[Optional(), Length(max=60)])


class ChangePasswordForm(FlaskForm):
    concerns = (("current", "current"),)
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    new = PasswordField("New password", validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)])
    confirm = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("new", "The two new passwords differ.")]
    )


class NextForm(QueryForm):
    """Where to go after signing in: a path on this site, else nowhere."""

    next = StringField(filters=[safe_next])


class UserFilterForm(QueryForm):
    q = StringField("Filter", filters=[stripped])


class DelegationFilterForm(QueryForm):
    q = StringField("Filter", filters=[stripped])
    kind = SelectField(
        "Kind",
        coerce=member_or_none(DelegationKind),
        validate_choice=False,
        choices=choices([("", "All kinds")] + [(k.value, k.label) for k in DelegationKind]),
    )


class MemberFilterForm(QueryForm):
    role = SelectField(
        "Role",
        coerce=member_or_none(Role),
        validate_choice=False,
        choices=choices([("", "All roles")] + [(r.value, r.label) for r in Role]),
    )


class ActiveForm(FlaskForm):
    """An account made active again ("1") or deactivated ("0")."""

    active = SelectField(
        choices=choices([("1", "Activate"), ("0", "Deactivate")]),
        invalid_choice_message="Choose to activate or to deactivate the account.",
    )

    @property
    def activate(self) -> bool:
        """Return True when the account is to be active."""
        return self.active.data == "1"


class TokenForm(FlaskForm):
    """A new personal API token: the name its owner will know it by."""

    concerns = (("name", "name"),)
    name = StringField(
        "Name of the new token",
        validators=[DataRequired("Give the token a name, such as the program that will use it."), Length(max=80)],
    )
