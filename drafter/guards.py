"""Loading objects for views with the permission check in the same step.

Something the user may not know exists (another negotiation, a working revision for a
delegate) is a 404; something they can see but may not do is a 403.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from drafter.auth.permissions import Action, can, can_read_revision
from drafter.drafting.models import Negotiation, Revision
from drafter.drafting.queries import revision_by_seq
from drafter.extensions import db


def user():
    """Return the signed-in user (views are behind login_required)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def negotiation_or_404(slug: str, action: Action = Action.READ) -> Negotiation:
    """Return the negotiation if the user may read it, else 404; 403 if ``action`` is not theirs."""
    negotiation = db.session.scalar(sa.select(Negotiation).where(Negotiation.slug == slug))
    if negotiation is None or not can(user(), Action.READ, negotiation):
        abort(404)
    if not can(user(), action, negotiation):
        abort(403)
    return negotiation


def revision_or_404(negotiation: Negotiation, seq: int) -> Revision:
    """Return the revision if the user may read it, else 404."""
    revision = revision_by_seq(db.session, negotiation, seq)
    if revision is None or not can_read_revision(user(), revision):
        abort(404)
    return revision


def require(negotiation: Negotiation, *actions: Action) -> None:
    """Abort with 403 unless the user may take at least one of the actions."""
    if not any(can(user(), action, negotiation) for action in actions):
        abort(403)


def require_that(allowed: bool) -> None:
    """Abort with 403 unless ``allowed``, the answer of a question of ``permissions`` (``can_act_for`` ...)."""
    if not allowed:
        abort(403)


#: the largest id or number a request may name: the range of the database's integer columns
MAX_INT = 2**31 - 1


def db_int(value: str) -> int:
    """Return a request value as an int the database can hold; ValueError otherwise.

    Use as ``request.args.get(name, type=db_int)``: a value that is not such a number reads as
    missing, rather than overflowing the database driver with a 500.
    """
    number = int(value)
    if not -MAX_INT - 1 <= number <= MAX_INT:
        raise ValueError(f"{value!r} is out of range")
    return number


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None (no open redirects).

    Browsers read a backslash as a slash and drop tabs and newlines, so either can turn a
    path into "//evil.example": refuse them as well as scheme-relative and absolute URLs.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
