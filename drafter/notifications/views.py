"""The notifications page: the user's list, marking read, and what they choose to receive."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from drafter.auth.sessions import user
from drafter.extensions import db
from drafter.notifications import sender, services
from drafter.notifications.forms import PreferencesForm
from drafter.notifications.models import Notification

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.before_app_request
def _start_sender() -> None:
    """Start this process's background sender with its first request (not at import: commands need none)."""
    if "drafter.sender" not in current_app.extensions:
        sender.start(current_app._get_current_object())  # type: ignore[attr-defined]


@bp.app_context_processor
def _unread() -> dict:
    def unread_notifications() -> int:
        return services.unread_count(db.session, current_user) if current_user.is_authenticated else 0

    return {"unread_notifications": unread_notifications}


def _page(form: PreferencesForm | None = None):
    me = user()
    if form is None:
        form = PreferencesForm(formdata=None, data={k.value: d for k, d in services.deliveries(db.session, me).items()})
    return render_template(
        "notifications/index.html",
        notifications=services.listed(db.session, me),
        form=form,
        mail_configured=services.mail_configured(),
    )


def _own_or_404(notification_id: int) -> Notification:
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != user().id:  # someone else's is not there for this user
        abort(404)
    return row


@bp.route("/", methods=["GET"])
@login_required
def index():
    return _page()


@bp.route("/preferences", methods=["POST"])
@login_required
def preferences():
    form = PreferencesForm()
    if not form.validate():
        return _page(form), 400
    services.set_deliveries(db.session, user(), form.choices())
    flash("Your choices are saved.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    services.mark_read(db.session, user(), _own_or_404(notification_id))
    return redirect(url_for("notifications.index"))


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    services.mark_all_read(db.session, user())
    return redirect(url_for("notifications.index"))
