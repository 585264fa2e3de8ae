"""The search page of a negotiation."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_login import login_required

from drafter.auth.models import Delegation, Membership
from drafter.auth.permissions import abilities, can_read_revision
from drafter.auth.sessions import user
from drafter.drafting.guards import negotiation_or_404
from drafter.errors import InvalidInput
from drafter.extensions import db
from drafter.search.forms import SearchForm
from drafter.search.services import Filters, search

bp = Blueprint("search", __name__)


@bp.route("/n/<slug>/search")
@login_required
def index(slug: str):
    n = negotiation_or_404(slug)
    me = user()
    revisions = [r for r in n.revisions if can_read_revision(me, r)]
    delegations = list(
        db.session.scalars(
            sa.select(Delegation)
            .join(Membership, Membership.delegation_id == Delegation.id)
            .where(Membership.negotiation_id == n.id)
            .distinct()
            .order_by(Delegation.name)
        )
    )
    form = SearchForm(request.args)
    form.offer([(r.seq, r.label) for r in revisions], [(d.id, d.name) for d in delegations])
    ok = form.read_filters()
    results, status = None, 200
    if ok and form.q.data:
        filters = Filters(
            revision=next((r for r in revisions if r.seq == form.revision.data), None),
            delegation=next((d for d in delegations if d.id == form.delegation.data), None),
            kind=form.kind.data,
            state=form.state.data,
        )
        try:
            results = search(db.session, me, n, form.q.data, filters)
        except InvalidInput as e:
            form.q.errors = [str(e)]
    if form.q.errors:
        status = 400
    # built once, not once per place printed: a page holds hundreds of links
    revision_urls = {r.seq: url_for("drafting.revision", slug=n.slug, seq=r.seq) for r in revisions}
    return render_template(
        "search/index.html",
        negotiation=n,
        form=form,
        results=results,
        revision_urls=revision_urls,
        proposals_url=url_for("proposals.index", slug=n.slug),
        may=abilities(me, n),
    ), status
