"""The form of what a user receives: for each kind of notification, e-mail too, in the app only, or none."""

from __future__ import annotations

from flask_wtf import FlaskForm

from drafter.forms import enum_select
from drafter.notifications.models import Delivery, NotificationKind

_CHOOSE = "Choose e-mail too, in the app only or none."


class PreferencesForm(FlaskForm):
    """One choice per kind of notification, named by the kind's value."""

    def choices(self) -> dict[NotificationKind, Delivery]:
        """Return the delivery chosen for each kind."""
        return {kind: self[kind.value].data for kind in NotificationKind}

    def kinds(self) -> list:
        """Return (kind, field) pairs in the order of the kinds."""
        return [(kind, self[kind.value]) for kind in NotificationKind]


for _kind in NotificationKind:
    setattr(PreferencesForm, _kind.value, enum_select(_kind.label, list(Delivery), _CHOOSE))
