"""Pages for reading negotiations and revisions, and for the co-facilitators' drafting."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, render_template, request, url_for
from flask_login import login_required

from drafter.auth.models import Membership
from drafter.auth.permissions import Action, abilities, actions_of, can_read_revision, own_delegation, role_of
from drafter.auth.sessions import user
from drafter.dbtypes import utcnow
from drafter.drafting.blueprint import bp
from drafter.drafting.forms import CompareForm, NewRevisionForm, RevisionFilterForm
from drafter.drafting.goto import go_to
from drafter.drafting.guards import negotiation_or_404, revision_or_404
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, Revision
from drafter.drafting.present import paragraph_rows
from drafter.drafting.progress import progress_of
from drafter.drafting.queries import load_versions
from drafter.errors import InvalidInput
from drafter.extensions import db
from drafter.inputs import db_int


@bp.route("/")
@login_required
def dashboard():
    me = user()
    if me.is_admin:
        negotiations = db.session.scalars(sa.select(Negotiation).order_by(Negotiation.created_at.desc())).all()
    else:
        negotiations = db.session.scalars(
            sa.select(Negotiation)
            .join(Membership)
            .where(Membership.user_id == me.id)
            .order_by(Negotiation.created_at.desc())
        ).all()
    cards = []
    for n in negotiations:
        visible = readable(n)
        cards.append(
            {
                "negotiation": n,
                "role": role_of(me, n),
                "delegation": own_delegation(me, n),
                "revisions": visible,
                "latest": visible[-1] if visible else None,
            }
        )
    return render_template("drafting/dashboard.html", cards=cards)


def readable(n: Negotiation) -> list[Revision]:
    """Return the negotiation's revisions the user may read, oldest first."""
    me = user()
    return [r for r in n.revisions if can_read_revision(me, r)]


def negotiation_page(n: Negotiation, start_form: NewRevisionForm | None = None):
    """Render a negotiation's overview; a refused start of the next revision comes back with its message."""
    me = user()
    revisions = readable(n)
    public = [r for r in revisions if r.state.is_public]
    latest = public[-1] if public else None
    return render_template(
        "drafting/negotiation.html",
        negotiation=n,
        revisions=revisions,
        working=next((r for r in revisions if r.state.is_working), None),
        latest=latest,
        progress=progress_of(db.session, revisions),
        # a silence whose time has passed: it can no longer be broken, only adopted
        silence_over=bool(latest and latest.state.is_under_silence and utcnow() >= (latest.silence_until or utcnow())),
        start_form=start_form or NewRevisionForm(formdata=None),
        may=abilities(me, n),
        role=role_of(me, n),
        delegation=own_delegation(me, n),
    )


@bp.route("/n/<slug>/")
@login_required
def negotiation(slug: str):
    return negotiation_page(negotiation_or_404(slug))


@bp.route("/n/<slug>/r/<int:seq>/")
@login_required
def revision(slug: str, seq: int):
    n = negotiation_or_404(slug)
    rev = revision_or_404(n, seq)
    goto, there = go_to(rev)
    if there is not None:
        return there
    versions = load_versions(db.session, rev)
    filters = RevisionFilterForm(formdata=request.args)
    status, q = filters.status.data, filters.q.data
    rows = paragraph_rows(versions, revision_refs(versions))
    total = len(rows)
    if status is not None:
        rows = [r for r in rows if r.version.status is status]
    if q:
        rows = [r for r in rows if q.lower() in r.version.text.lower()]
    return render_template(
        "drafting/revision.html",
        negotiation=n,
        revision=rev,
        rows=rows,
        total=total,
        filters=filters,
        filtered=status is not None or bool(q),
        may=abilities(user(), n),
        delegation=own_delegation(user(), n),
        previous=_previous_public(n, rev),
        goto=goto,
    ), (400 if goto.go.errors else 200)


def _previous_public(n: Negotiation, rev: Revision) -> Revision | None:
    """Return the revision this one is normally compared with: its base, if the user may read it."""
    base = rev.base_revision
    if base is not None and can_read_revision(user(), base):
        return base
    return None


@bp.route("/n/<slug>/compare")
@login_required
def compare(slug: str):
    from drafter.drafting.queries import compare_revisions

    n = negotiation_or_404(slug)
    revisions = readable(n)
    if len(revisions) < 2:
        return render_template(
            "drafting/compare.html",
            negotiation=n,
            revisions=revisions,
            comparison=None,
            may=abilities(user(), n),
            changes_only=False,
        )
    form = CompareForm(formdata=request.args)
    new = revision_or_404(n, form.new.data or revisions[-1].seq)
    old = revision_or_404(n, form.old.data or (_previous_public(n, new) or revisions[-2]).seq)
    goto, there = go_to(new, keep=("from", "to"))
    if there is not None:
        return there
    comparison = compare_revisions(db.session, old, new)
    rows = (
        [r for r in comparison.rows if r.change.value != "unchanged" or r.moved]
        if form.changes.data
        else comparison.rows
    )
    return render_template(
        "drafting/compare.html",
        negotiation=n,
        revisions=revisions,
        comparison=comparison,
        rows=rows,
        changes_only=form.changes.data,
        may=abilities(user(), n),
        goto=goto,
    ), (400 if goto.go.errors else 200)


@bp.route("/n/<slug>/p/<int:paragraph_id>/")
@login_required
def history(slug: str, paragraph_id: int):
    from drafter.drafting.queries import paragraph_history
    from drafter.proposals.queries import proposals_on_paragraph, view_of, visible_to

    n = negotiation_or_404(slug)
    me = user()
    entries = paragraph_history(db.session, n, paragraph_id, include_working=Action.READ_WORKING in actions_of(me, n))
    if not entries:
        abort(404)
    proposals = [view_of(p) for p in visible_to(me, proposals_on_paragraph(db.session, paragraph_id))]
    return render_template(
        "drafting/history.html",
        negotiation=n,
        entries=entries,
        paragraph_id=paragraph_id,
        proposals=proposals,
        may=abilities(me, n),
    )


@bp.route("/n/<slug>/audit")
@login_required
def audit_log(slug: str):
    from drafter import auditlog

    n = negotiation_or_404(slug, Action.READ_AUDIT)
    error = ""
    try:
        flt = auditlog.parse_filter(request.args)
    except InvalidInput as e:
        error, flt = e.message, auditlog.RecordFilter()
    page = (
        auditlog.Page([], 1, 1, 0)
        if error
        else auditlog.page_of(
            db.session, auditlog.filtered(db.session, n, flt), request.args.get("page", 1, type=db_int) or 1
        )
    )
    args = flt.as_args()
    links = {
        "newer": url_for("drafting.audit_log", slug=slug, **args, page=page.number - 1) if page.number > 1 else None,
        "older": url_for("drafting.audit_log", slug=slug, **args, page=page.number + 1)
        if page.number < page.count
        else None,
        "csv": url_for("drafting.audit_csv", slug=slug, **args),
    }
    return render_template(
        "drafting/audit.html",
        negotiation=n,
        page=page,
        flt=flt,
        typed=request.args,
        error=error,
        links=links,
        actors=auditlog.actors(db.session, n),
        kinds=auditlog.kinds(db.session, n),
        revisions=n.revisions,
        labels=auditlog.revision_labels(db.session, n),
        may=abilities(user(), n),
    ), 400 if error else 200


@bp.route("/n/<slug>/audit.csv")
@login_required
def audit_csv(slug: str):
    from drafter import auditlog

    n = negotiation_or_404(slug, Action.READ_AUDIT)
    body = auditlog.csv_of(db.session, n, auditlog.parse_filter(request.args))
    filename = f"record-{n.slug}-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(
        body.encode("utf-8"), mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
