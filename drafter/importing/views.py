"""Uploads: a draft to become a revision, a delegation's file to become proposals. Preview, then confirm."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from drafter.auth.models import Delegation
from drafter.auth.permissions import Action, abilities, can, can_act_for, own_delegation
from drafter.auth.sessions import user
from drafter.dbtypes import utcnow
from drafter.drafting import services as drafting
from drafter.drafting.forms import KIND_CHOICES, kind_value
from drafter.drafting.guards import negotiation_or_404, require, revision_or_404
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, Revision
from drafter.drafting.queries import latest_revision, load_versions
from drafter.errors import DrafterError, InvalidInput, StateError
from drafter.extensions import db
from drafter.forms import show_refusal
from drafter.importing import pending as pending_store
from drafter.importing.docx import docx_limits
from drafter.importing.forms import ConfirmForm, DraftUploadForm, ProposalsUploadForm, RevisionPreviewForm
from drafter.importing.models import ImportKind
from drafter.importing.preview import LOW_SIMILARITY, pair_rows, pairing_choices
from drafter.importing.proposals import ProposalPlan, plan_amendments, plan_upload, submit_plan
from drafter.importing.services import Draft, masthead_for, read_draft, read_text_draft
from drafter.lifecycle import services as lifecycle
from drafter.lifecycle.views import confirm_identical_page
from drafter.proposals.services import check_open
from drafter.text.masthead import Masthead
from drafter.text.numbering import number_labels
from drafter.web import require_that

bp = Blueprint("importing", __name__)


@bp.route("/n/<slug>/import", methods=["GET", "POST"])
@login_required
def revision(slug: str):
    n = negotiation_or_404(slug, Action.DRAFT)
    form = DraftUploadForm()
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            return _keep_draft(n, form)
        except DrafterError as e:
            status = show_refusal(form, e, "file" if form.upload is not None else "text")
    return render_template(
        "importing/revision.html",
        negotiation=n,
        may=abilities(user(), n),
        form=form,
        label=drafting.next_label(db.session, n),
    ), status


def _keep_draft(n: Negotiation, form: DraftUploadForm):
    """Read the draft uploaded or pasted, keep it for its preview and send the user there."""
    if form.upload is not None:
        filename, data = form.upload
        draft = read_draft(filename, data, limits=docx_limits(current_app.config))
    else:
        filename, draft = "pasted text", read_text_draft(form.text.data or "")
    payload = {
        "paragraphs": pending_store.paragraphs_to_json(draft.paragraphs),
        "title_lines": draft.title_lines,
        "title_footnotes": draft.title_footnotes,
        "warnings": draft.warnings,
        "skipped": draft.skipped,
    }
    p = pending_store.keep(
        db.session, negotiation_id=n.id, user_id=user().id, kind=ImportKind.REVISION, filename=filename, payload=payload
    )
    return redirect(url_for("importing.revision_preview", slug=n.slug, pending_id=p.id))


@bp.route("/n/<slug>/import/<int:pending_id>", methods=["GET", "POST"])
@login_required
def revision_preview(slug: str, pending_id: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    posted = request.method == "POST"
    # Confirming locks the preview: a second click waits for the first, then finds it saved.
    p = pending_store.find(
        db.session, pending_id, negotiation_id=n.id, user_id=user().id, kind=ImportKind.REVISION, lock=posted
    )
    if p is None:
        if posted:
            flash("This import was already saved (or has expired); nothing was saved twice.", "info")
            return redirect(url_for("drafting.negotiation", slug=slug))
        flash("That import has expired or was already saved. Upload the file again.", "info")
        return redirect(url_for("importing.revision", slug=slug))
    paragraphs = pending_store.paragraphs_from_json(p.payload["paragraphs"])
    previous = latest_revision(db.session, n)
    old_versions = load_versions(db.session, previous) if previous else []
    masthead, unread = _masthead_read(n, p)
    form = RevisionPreviewForm(
        n_new=len(paragraphs),
        n_old=len(old_versions),
        data={"label": drafting.next_label(db.session, n), **RevisionPreviewForm.values(masthead)},
    )
    paragraphs = form.corrected(paragraphs)  # the kinds chosen in the preview, if any
    status = 200
    if posted and form.cancelled:
        db.session.delete(p)
        flash("Import cancelled; nothing was saved.", "info")
        return redirect(url_for("drafting.negotiation", slug=slug))
    if posted:
        status = 400
        if form.validate():
            try:
                return _save_import(n, p, paragraphs, form, pairing=form.pairing.data if old_versions else None)
            except lifecycle.IdenticalRevision as warning:
                return confirm_identical_page(n, warning, back=request.path)
            except DrafterError as e:
                status = show_refusal(form, e)
    return _preview_page(n, p, paragraphs, previous, old_versions, form, unread), status


def _masthead_read(n: Negotiation, p) -> tuple[Masthead, list[str]]:
    """Return the document details the preview offers: read from the upload's title lines, the rest inherited."""
    draft = Draft(
        [], list(p.payload.get("title_lines", [])), title_footnotes=list(p.payload.get("title_footnotes", []))
    )
    return masthead_for(db.session, n, draft)


def _save_import(n: Negotiation, p, paragraphs, form: RevisionPreviewForm, *, pairing):
    """Save the previewed draft as a working revision (circulated at once if asked) and send the user to it."""
    rev = drafting.import_revision(
        db.session,
        user(),
        n,
        label=form.label.data or "",
        paragraphs=paragraphs,
        pairing=pairing,
        masthead=form.masthead(),
    )
    if form.circulate.data:
        lifecycle.circulate(
            db.session, user(), rev, deadline=form.deadline.data, confirm_identical=form.confirm_identical.data
        )
    db.session.delete(p)
    flash(f"{rev.label} saved with {len(paragraphs)} paragraphs.", "success")
    target = "drafting.revision" if form.circulate.data else "drafting.editor"
    return redirect(url_for(target, slug=n.slug, seq=rev.seq))


def _preview_page(
    n: Negotiation, p, paragraphs, previous, old_versions, form: RevisionPreviewForm, unread: list[str]
) -> str:
    """Render the preview: each imported paragraph beside the earlier one it continues, as aligned or as chosen."""
    alignment = drafting.plan_alignment(old_versions, paragraphs) if old_versions else []
    paired = {a.new: a for a in alignment if a.new is not None}
    selected = form.selection({j: a.old for j, a in paired.items()})
    choices = pairing_choices(alignment, len(old_versions), len(paragraphs))
    if choices is not None:  # a paragraph chosen from the whole list stays offered on its row
        choices = [row if s is None or s in row else sorted([*row, s]) for row, s in zip(choices, selected)]
    labels = number_labels([(q.kind, q.level) for q in paragraphs])
    old_refs = revision_refs(old_versions)
    rows = pair_rows(paragraphs, labels, old_versions, old_refs, selected)
    return render_template(
        "importing/revision_preview.html",
        negotiation=n,
        pending=p,
        paragraphs=paragraphs,
        rows=rows,
        doubtful=sorted((r for r in rows if r.is_low), key=lambda r: r.similarity),
        rekinded=[r for r in rows if r.kind_changed],
        dropped=[r for r in rows if r.drops_status],
        kept=[r for r in rows if r.keeps_status],
        kinds=[(kind_value(k, lvl), label) for k, lvl, label in KIND_CHOICES],
        low_percent=round(LOW_SIMILARITY * 100),
        previous=previous,
        old_versions=old_versions,
        old_refs=old_refs,
        paired=paired,
        selected=selected,
        deleted=[a for a in alignment if a.new is None],
        may=abilities(user(), n),
        choices=choices,
        form=form,
        unread=unread,
    )


# -- A delegation's file as proposals ------------------------------------------------------------


def _proposing(slug: str, seq: int) -> tuple[Negotiation, Revision]:
    """Return the negotiation and revision if the user may propose there (own delegation or on behalf)."""
    n = negotiation_or_404(slug)
    require(n, Action.PROPOSE, Action.PROPOSE_ON_BEHALF)
    rev = revision_or_404(n, seq)
    if not rev.state.is_public:
        abort(404)
    return n, rev


def _delegation_for(n: Negotiation, chosen: int | None) -> Delegation:
    """Return the delegation the import is for: the delegate's own, or the one chosen (on behalf); else 403."""
    own = own_delegation(user(), n)
    if chosen is None and own is None:
        raise InvalidInput("Choose the delegation the proposals are from.")
    d = own if chosen is None or (own is not None and own.id == chosen) else db.session.get(Delegation, chosen)
    require_that(d is not None and can_act_for(user(), n, d))
    return d


@bp.route("/n/<slug>/r/<int:seq>/import-proposals", methods=["GET", "POST"])
@login_required
def proposals(slug: str, seq: int):
    n, rev = _proposing(slug, seq)
    on_behalf = can(user(), Action.PROPOSE_ON_BEHALF, n)
    own = own_delegation(user(), n)
    form = ProposalsUploadForm(data={"delegation": own.id if own else None})
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            return _plan_proposals(n, rev, form)
        except DrafterError as e:
            # a revision closed to proposals concerns the whole form; the rest, what was read
            status = show_refusal(form, e, None if isinstance(e, StateError) else "file" if form.upload else "text")
    delegations = db.session.scalars(sa.select(Delegation).order_by(Delegation.name)).all() if on_behalf else []
    return render_template(
        "importing/proposals.html",
        negotiation=n,
        revision=rev,
        own=own,
        form=form,
        delegations=delegations,
        closed=_closed(rev),
        may=abilities(user(), n),
    ), status


def _plan_proposals(n: Negotiation, rev: Revision, form: ProposalsUploadForm):
    """Read the proposals uploaded or pasted, keep them for their preview and send the user there."""
    delegation = _delegation_for(n, form.delegation.data)
    if form.upload is not None:
        filename, data = form.upload
        plan = plan_upload(db.session, rev, delegation, filename, data, limits=docx_limits(current_app.config))
    else:
        plan = plan_amendments(db.session, rev, delegation, form.text.data or "")
    p = pending_store.keep(
        db.session,
        negotiation_id=n.id,
        user_id=user().id,
        kind=ImportKind.PROPOSALS,
        filename=plan.filename,
        payload=plan.to_json(),
    )
    return redirect(url_for("importing.proposals_preview", slug=n.slug, seq=rev.seq, pending_id=p.id))


def _closed(rev: Revision) -> str:
    """Return why the revision takes no proposals now, in the service's words (with when its deadline
    passed), or "" when it takes them."""
    try:
        check_open(rev, utcnow())
    except StateError as e:
        return e.message
    return ""


@bp.route("/n/<slug>/r/<int:seq>/import-proposals/<int:pending_id>", methods=["GET", "POST"])
@login_required
def proposals_preview(slug: str, seq: int, pending_id: int):
    n, rev = _proposing(slug, seq)
    posted = request.method == "POST"
    p = pending_store.find(
        db.session, pending_id, negotiation_id=n.id, user_id=user().id, kind=ImportKind.PROPOSALS, lock=posted
    )
    plan = ProposalPlan.from_json(p.payload) if p is not None else None
    if p is None or plan is None or plan.revision_id != rev.id:
        flash("That import has expired or was already submitted. Upload the file again.", "info")
        return redirect(url_for("importing.proposals", slug=slug, seq=seq))
    delegation = db.session.get(Delegation, plan.delegation_id)
    require_that(delegation is not None and can_act_for(user(), n, delegation))
    form = ConfirmForm()
    status = 200
    if posted:
        if not form.submitted:
            db.session.delete(p)
            flash("Import cancelled; nothing was submitted.", "info")
            return redirect(url_for("proposals.compilation", slug=slug, seq=seq))
        status = 400
        if form.validate():
            try:
                submitted = submit_plan(db.session, user(), rev, delegation, plan)
            except DrafterError as e:
                status = show_refusal(form, e)  # the preview stays, to be submitted once the cause is gone
            else:
                db.session.delete(p)
                flash(f"{len(submitted)} proposals submitted for {delegation.name} from {plan.filename}.", "success")
                return redirect(url_for("proposals.compilation", slug=slug, seq=seq, delegation=delegation.id))
    return render_template(
        "importing/proposals_preview.html",
        negotiation=n,
        revision=rev,
        delegation=delegation,
        pending=p,
        plan=plan,
        rows=[(q, q.diff()) for q in plan.proposals],
        form=form,
        mismatches=[(m, m.diff()) for m in plan.mismatches],
        may=abilities(user(), n),
    ), status
