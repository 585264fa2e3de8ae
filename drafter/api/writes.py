"""The API's writes: what delegates do, through the same services as the pages' forms.

Submit, edit and withdraw a proposal, take a position: each view loads through the same guards,
reads its body (``api.forms``), calls the one service the form calls, and answers with the
proposal as it now is. A refusal is the service's own, with the status the page gives it
(``deadline_passed``, ``conflict``, ``forbidden`` ...), and the record gets the same event.
"""

from __future__ import annotations

from flask import url_for

from drafter.api.blueprint import bp
from drafter.api.errors import ApiError
from drafter.api.forms import EditBody, PositionBody, SubmitBody, WithdrawBody
from drafter.api.http import read
from drafter.api.views import proposal_or_404, shown
from drafter.auth.models import Delegation
from drafter.auth.permissions import Action, can_act_for, own_delegation
from drafter.auth.sessions import user
from drafter.drafting.guards import negotiation_or_404, require, revision_or_404
from drafter.drafting.queries import version_of
from drafter.extensions import db
from drafter.proposals import services
from drafter.proposals.models import Proposal, ProposalKind, Stance
from drafter.text.structure import Kind
from drafter.web import require_that


@bp.post("/negotiations/<slug>/revisions/<int:seq>/proposals")
def submit(slug: str, seq: int):
    n = negotiation_or_404(slug)
    require(n, Action.PROPOSE, Action.PROPOSE_ON_BEHALF)
    rev = revision_or_404(n, seq)
    body = read(SubmitBody).data
    target = None
    if body["paragraph"] is not None:
        target = version_of(db.session, rev, body["paragraph"])
        if target is None:
            raise ApiError(400, "That paragraph is not part of this revision.", field="paragraph")
    if body["delegation"] is not None:
        delegation = db.session.get(Delegation, body["delegation"])
        if delegation is None:
            raise ApiError(400, "No delegation has this id.", field="delegation")
    else:
        delegation = own_delegation(user(), n)
        if delegation is None:
            raise ApiError(400, "Name the delegation the proposal is made for.", field="delegation")
    p = services.submit(
        db.session,
        user(),
        rev,
        delegation,
        kind=ProposalKind(body["kind"]),
        target=target,
        text=body["text"] or "",
        justification=body["justification"] or "",
        new_kind=Kind(body["new_kind"]) if body["new_kind"] else None,
        new_level=body["new_level"] or 0,
    )
    db.session.flush()
    return shown(p, 201, Location=url_for("api.proposal", slug=slug, proposal_id=p.id))


def _own_proposal(slug: str, proposal_id: int) -> Proposal:
    """Return the proposal for a change by its delegation (or the secretariat): 404 if unseen, 403 if not theirs."""
    n = negotiation_or_404(slug)
    p = proposal_or_404(n, proposal_id)
    require_that(can_act_for(user(), n, p.delegation))
    return p


@bp.post("/negotiations/<slug>/proposals/<int:proposal_id>/edit")
def edit(slug: str, proposal_id: int):
    p = _own_proposal(slug, proposal_id)
    body = read(EditBody).data
    services.edit(
        db.session,
        user(),
        p,
        text=p.proposed_text if body["text"] is None else body["text"],
        justification=p.justification if body["justification"] is None else body["justification"],
        expected_version=body["version"],
    )
    return shown(p)


@bp.post("/negotiations/<slug>/proposals/<int:proposal_id>/withdraw")
def withdraw(slug: str, proposal_id: int):
    p = _own_proposal(slug, proposal_id)
    body = read(WithdrawBody).data
    services.withdraw(db.session, user(), p, expected_version=body["version"])
    return shown(p)


@bp.post("/negotiations/<slug>/proposals/<int:proposal_id>/position")
def position(slug: str, proposal_id: int):
    n = negotiation_or_404(slug)
    p = proposal_or_404(n, proposal_id)
    own = own_delegation(user(), n)
    require_that(own is not None and can_act_for(user(), n, own))
    body = read(PositionBody).data
    services.set_position(db.session, user(), p, own, Stance(body["stance"]) if body["stance"] else None)
    return shown(p)
