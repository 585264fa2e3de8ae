"""The API's reads: thin views over the same guards and queries as the pages.

Each view loads what it names through ``drafting.guards`` (404 for what the caller may not know
exists, 403 for what they may see but not do), calls one query, and answers with
``api.serialise``: with an ``ETag``, and 304 to a matching ``If-None-Match``. The writes are in
``api.writes``; the request pipeline commits once, as for a page.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, request, url_for
from sqlalchemy.orm import selectinload

from drafter import auditlog
from drafter.api import openapi, serialise
from drafter.api.blueprint import bp, token
from drafter.api.errors import ApiError
from drafter.api.forms import page_params, query_enum, query_int
from drafter.api.http import answer, paged
from drafter.audit import AuditEvent
from drafter.auth.models import Membership
from drafter.auth.permissions import (
    Action,
    can,
    can_export,
    can_read_revision,
    own_delegation,
    proposal_scope,
    role_of,
)
from drafter.auth.sessions import user
from drafter.dbtypes import utcnow
from drafter.drafting.guards import negotiation_or_404, revision_or_404
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, Revision
from drafter.drafting.queries import compare_revisions, load_versions
from drafter.exporting.models import ExportKind
from drafter.exporting.services import akn_export
from drafter.extensions import db
from drafter.proposals.models import Proposal, ProposalKind, ProposalPosition, ProposalState
from drafter.proposals.queries import Filters, compile_revision, load_proposals, outcome, proposal_refs, visible_to


def _readable(n: Negotiation) -> list[Revision]:
    me = user()
    return [r for r in n.revisions if can_read_revision(me, r)]


# -- Who is calling, and the description ----------------------------------------------------------


@bp.get("/openapi.json")
def openapi_json():
    return answer(openapi.SPEC)


@bp.get("/me")
def me():
    return answer(serialise.me(user(), token()))


# -- Negotiations and revisions -------------------------------------------------------------------


@bp.get("/negotiations")
def negotiations():
    me = user()
    q = sa.select(Negotiation).order_by(Negotiation.id)
    if not me.is_admin:
        q = q.join(Membership).where(Membership.user_id == me.id)
    visible = [n for n in db.session.scalars(q) if can(me, Action.READ, n)]
    return answer(
        paged(
            visible,
            lambda n: n.id,
            lambda n: serialise.negotiation(n, role=_role(n), own=own_delegation(me, n)),
            "api.negotiations",
        )
    )


def _role(n: Negotiation) -> str | None:
    role = role_of(user(), n)
    return role.value if role else None


@bp.get("/negotiations/<slug>")
def negotiation(slug: str):
    n = negotiation_or_404(slug)
    now = utcnow()
    return answer(
        {
            **serialise.negotiation(n, role=_role(n), own=own_delegation(user(), n)),
            "revisions": [serialise.revision_summary(r, now) for r in _readable(n)],
        }
    )


@bp.get("/negotiations/<slug>/revisions")
def revisions(slug: str):
    n = negotiation_or_404(slug)
    now = utcnow()
    return answer({"items": [serialise.revision_summary(r, now) for r in _readable(n)], "next": None})


@bp.get("/negotiations/<slug>/revisions/<int:seq>")
def revision(slug: str, seq: int):
    n = negotiation_or_404(slug)
    rev = revision_or_404(n, seq)
    versions = load_versions(db.session, rev)
    return answer(serialise.revision(rev, versions, revision_refs(versions), utcnow()))


@bp.get("/negotiations/<slug>/revisions/<int:seq>/akn")
def revision_akn(slug: str, seq: int):
    n = negotiation_or_404(slug)
    rev = revision_or_404(n, seq)
    if not can_export(user(), ExportKind.AKN.value, rev):
        raise ApiError(403, "You may read this revision but not take its files.")
    response = Response(akn_export(db.session, rev).data, mimetype=ExportKind.AKN.mimetype)
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/negotiations/<slug>/compare")
def compare(slug: str):
    n = negotiation_or_404(slug)
    readable = _readable(n)
    new_seq, old_seq = query_int("new"), query_int("old")
    if len(readable) < 2 and (new_seq is None or old_seq is None):
        raise ApiError(404, "There are not two revisions here that you may read to compare.")
    new = revision_or_404(n, new_seq or readable[-1].seq)
    if old_seq is None:
        base = new.base_revision
        old_seq = base.seq if base is not None and can_read_revision(user(), base) else readable[-2].seq
    old = revision_or_404(n, old_seq)
    return answer(serialise.comparison(compare_revisions(db.session, old, new)))


# -- Proposals ------------------------------------------------------------------------------------


def _public_revision(n: Negotiation, seq: int) -> Revision:
    rev = revision_or_404(n, seq)
    if not rev.state.is_public:
        abort(404)  # proposals are made on circulated revisions: a working one has none
    return rev


#: proposals read at a time, after the first reading of one page's worth, while a page is filled
CHUNK = 500


def _loading(q: sa.Select) -> sa.Select:
    """Return the query loading what a proposal's answer prints with it, in a few queries."""
    return q.options(
        selectinload(Proposal.delegation),
        selectinload(Proposal.target_version),
        selectinload(Proposal.positions).selectinload(ProposalPosition.delegation),
    )


def _refs(rev: Revision, shown: list[Proposal]) -> dict[int, str]:
    """Return the printed reference of each shown proposal: its paragraph's, or its "5 bis" label.

    The labels of new paragraphs are given over every new paragraph the caller may see on the
    revision, as the compilation gives them, so a proposal has the same label on every page.
    """
    inserts = _loading(
        sa.select(Proposal)
        .where(Proposal.revision_id == rev.id, Proposal.kind == ProposalKind.INSERT)
        .order_by(Proposal.created_at, Proposal.id)
    )
    visible = visible_to(user(), list(db.session.scalars(inserts)))
    return proposal_refs(load_versions(db.session, rev), visible + [p for p in shown if not p.kind.is_insert])


def _page_of_proposals(rev: Revision, filters: Filters, limit: int, after: int | None) -> tuple[list[Proposal], bool]:
    """Return the next ``limit`` proposals after ``after`` (by id) that the caller may see and the filters keep,
    and whether more follow; read a chunk at a time, so a page does not load all 2,000 of a revision."""
    q = _loading(sa.select(Proposal).where(Proposal.revision_id == rev.id).order_by(Proposal.id))
    if filters.kind is not None:  # narrows the reading only: ``keep`` below decides
        q = q.where(Proposal.kind == filters.kind)
    if filters.state is not None:
        q = q.where(Proposal.state == filters.state)
    found: list[Proposal] = []
    cursor, size = after or 0, limit + 1  # enough when the caller sees every proposal; more when they see fewer
    while len(found) <= limit:
        chunk = list(db.session.scalars(q.where(Proposal.id > cursor).limit(size)))
        if not chunk:
            break
        cursor, size = chunk[-1].id, max(size, CHUNK)
        found += [p for p in visible_to(user(), chunk) if filters.keep(p)]
    return found[:limit], len(found) > limit


@bp.get("/negotiations/<slug>/revisions/<int:seq>/proposals")
def proposals(slug: str, seq: int):
    n = negotiation_or_404(slug)
    rev = _public_revision(n, seq)
    filters = Filters(
        delegation_id=query_int("delegation"),
        kind=query_enum("kind", ProposalKind),
        state=query_enum("state", ProposalState),
    )
    limit, after = page_params()
    page, more = _page_of_proposals(rev, filters, limit, after)
    refs = _refs(rev, page)
    following = None
    if more:
        args = {k: v for k, v in request.args.items() if k not in ("after", "limit")}
        following = url_for("api.proposals", slug=slug, seq=seq, **args, limit=limit, after=page[-1].id)
    return answer({"items": [serialise.proposal(p, refs[p.id]) for p in page], "next": following})


def proposal_or_404(n: Negotiation, proposal_id: int) -> Proposal:
    p = db.session.get(Proposal, proposal_id)
    if p is None or p.revision.negotiation_id != n.id or not visible_to(user(), [p]):
        abort(404)
    return p


def shown(p: Proposal, status: int = 200, **headers: str) -> Response:
    refs = _refs(p.revision, [p])
    return answer(serialise.proposal(p, refs.get(p.id, ""), outcome=outcome(db.session, p)), status, headers)


@bp.get("/negotiations/<slug>/proposals/<int:proposal_id>")
def proposal(slug: str, proposal_id: int):
    n = negotiation_or_404(slug)
    return shown(proposal_or_404(n, proposal_id))


@bp.get("/negotiations/<slug>/revisions/<int:seq>/compilation")
def compilation(slug: str, seq: int):
    n = negotiation_or_404(slug)
    rev = _public_revision(n, seq)
    me = user()
    comp = compile_revision(db.session, rev, scope=proposal_scope(me, rev), own=own_delegation(me, n))
    return answer(serialise.compilation(comp, {p.id: p for p in load_proposals(db.session, rev)}))


# -- The record -----------------------------------------------------------------------------------


@bp.get("/negotiations/<slug>/audit")
def audit(slug: str):
    n = negotiation_or_404(slug, Action.READ_AUDIT)
    limit, after = page_params()
    q = auditlog.filtered(db.session, n, auditlog.parse_filter(request.args))
    if after is not None:
        # newest first: the page after an event holds those written before it
        cursor = db.session.get(AuditEvent, after)
        if cursor is None or cursor.negotiation_id != n.id:
            raise ApiError(400, "“after” names no event of this record.", field="after")
        q = q.where(
            sa.or_(
                AuditEvent.created_at < cursor.created_at,
                sa.and_(AuditEvent.created_at == cursor.created_at, AuditEvent.id < cursor.id),
            )
        )
    events = db.session.scalars(auditlog.newest_first(q).limit(limit + 1)).all()
    labels = auditlog.revision_labels(db.session, n)
    # what an event recorded may quote the revision it is about: only for those who may read that revision
    readable = {r.id for r in _readable(n)}
    working = can(user(), Action.READ_WORKING, n)
    following = None
    if len(events) > limit:
        events = events[:limit]
        args = {k: v for k, v in request.args.items() if k not in ("after", "limit")}
        following = url_for("api.audit", slug=slug, **args, limit=limit, after=events[-1].id)
    shown = [
        serialise.audit_event(e, labels, with_data=working or e.revision_id is None or e.revision_id in readable)
        for e in events
    ]
    return answer({"items": shown, "next": following})
