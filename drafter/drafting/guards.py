"""Loading objects for views with the permission check in the same step.

Something the user may not know exists (another negotiation, a working revision for a
delegate) is a 404; something they can see but may not do is a 403.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from drafter.auth.permissions import Action, can, can_read_revision
from drafter.auth.sessions import user
from drafter.drafting.models import Negotiation, Revision
from drafter.drafting.queries import revision_by_seq
from drafter.extensions import db


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
