"""Uploads: a draft to become a revision, a delegation's file to become proposals. Preview, then confirm."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from drafter.auth.models import Delegation
from drafter.auth.permissions import Action, abilities, can, can_act_for, own_delegation
from drafter.dbtypes import utcnow
from drafter.drafting import services as drafting
from drafter.drafting.editor_views import confirm_identical_page
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, Revision
from drafter.drafting.queries import latest_revision, load_versions
from drafter.errors import InvalidInput
from drafter.extensions import db
from drafter.forms import parse_when
from drafter.guards import db_int, negotiation_or_404, require, revision_or_404, user
from drafter.importing import pending as pending_store
from drafter.importing.docx import docx_limits
from drafter.importing.models import ImportKind
from drafter.importing.preview import pairing_choices
from drafter.importing.proposals import ProposalPlan, plan_amendments, plan_upload, submit_plan
from drafter.importing.services import read_draft, read_text_draft

bp = Blueprint("importing", __name__)


def _upload() -> tuple[str, bytes] | None:
    """Return the uploaded file's name and bytes, or None when no file was chosen."""
    f = request.files.get("file")
    if f is None or not f.filename:
        return None
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = f.stream.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(f"The file is larger than {limit // (1024 * 1024)} MB.")
    if not data:
        raise InvalidInput("The file is empty.")
    return f.filename, data


@bp.route("/n/<slug>/import", methods=["GET", "POST"])
@login_required
def revision(slug: str):
    n = negotiation_or_404(slug, Action.DRAFT)
    if request.method == "POST":
        upload = _upload()
        if upload is not None:
            filename, data = upload
            draft = read_draft(filename, data, limits=docx_limits(current_app.config))
        elif request.form.get("text", "").strip():
            filename, draft = "pasted text", read_text_draft(request.form["text"])
        else:
            raise InvalidInput("Paste the text of the draft, or choose a .txt or .docx file.")
        payload = {"paragraphs": pending_store.paragraphs_to_json(draft.paragraphs), "title_lines": draft.title_lines,
                   "warnings": draft.warnings, "skipped": draft.skipped}
        p = pending_store.keep(db.session, negotiation_id=n.id, user_id=user().id, kind=ImportKind.REVISION,
                               filename=filename, payload=payload)
        return redirect(url_for("importing.revision_preview", slug=slug, pending_id=p.id))
    return render_template("importing/revision.html", negotiation=n, may=abilities(user(), n),
                           label=drafting.next_label(db.session, n))


@bp.route("/n/<slug>/import/<int:pending_id>", methods=["GET", "POST"])
@login_required
def revision_preview(slug: str, pending_id: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    # Confirming locks the preview: a second click waits for the first, then finds it saved.
    p = pending_store.find(db.session, pending_id, negotiation_id=n.id, user_id=user().id, kind=ImportKind.REVISION,
                           lock=request.method == "POST")
    if p is None:
        if request.method == "POST":
            flash("This import was already saved (or has expired); nothing was saved twice.", "info")
            return redirect(url_for("drafting.negotiation", slug=slug))
        flash("That import has expired or was already saved. Upload the file again.", "info")
        return redirect(url_for("importing.revision", slug=slug))
    paragraphs = pending_store.paragraphs_from_json(p.payload["paragraphs"])
    previous = latest_revision(db.session, n)
    old_versions = load_versions(db.session, previous) if previous else []
    if request.method == "POST":
        if request.form.get("action") == "cancel":
            db.session.delete(p)
            flash("Import cancelled; nothing was saved.", "info")
            return redirect(url_for("drafting.negotiation", slug=slug))
        pairing = _pairing(len(paragraphs), len(old_versions)) if old_versions else None
        rev = drafting.import_revision(db.session, user(), n, label=request.form.get("label", ""), paragraphs=paragraphs,
                                       pairing=pairing, symbol=request.form.get("symbol", ""))
        if request.form.get("circulate") == "1":
            try:
                drafting.circulate(db.session, user(), rev, deadline=parse_when(request.form.get("deadline"), "proposal deadline"),
                                   confirm_identical=request.form.get("confirm_identical") == "1")
            except drafting.IdenticalRevision as warning:
                return confirm_identical_page(n, warning, back=request.path)
        db.session.delete(p)
        flash(f"{rev.label} saved with {len(paragraphs)} paragraphs.", "success")
        target = "drafting.revision" if request.form.get("circulate") == "1" else "drafting.editor"
        return redirect(url_for(target, slug=slug, seq=rev.seq))
    alignment = drafting.plan_alignment(old_versions, paragraphs) if old_versions else []
    paired = {a.new: a for a in alignment if a.new is not None}
    old_refs = revision_refs(old_versions)
    from drafter.text.numbering import number_labels

    labels = number_labels([(q.kind, q.level) for q in paragraphs])
    return render_template("importing/revision_preview.html", negotiation=n, pending=p, paragraphs=paragraphs, labels=labels,
                           previous=previous, old_versions=old_versions, old_refs=old_refs, paired=paired,
                           deleted=[a for a in alignment if a.new is None], may=abilities(user(), n),
                           choices=pairing_choices(alignment, len(old_versions), len(paragraphs)),
                           label=drafting.next_label(db.session, n))


def _pairing(n_new: int, n_old: int) -> dict[int, int | None]:
    """Return the user's pairing choices from the preview form: new index → old index or None."""
    pairing: dict[int, int | None] = {}
    for i in range(n_new):
        value = request.form.get(f"pair-{i}", "auto")
        if value == "auto":
            continue
        if value == "new":
            pairing[i] = None
        elif value.isdigit() and int(value) < n_old:
            pairing[i] = int(value)
        else:
            abort(400)
    return pairing


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
    if d is None or not can_act_for(user(), n, d):
        abort(403)
    return d


@bp.route("/n/<slug>/r/<int:seq>/import-proposals", methods=["GET", "POST"])
@login_required
def proposals(slug: str, seq: int):
    n, rev = _proposing(slug, seq)
    on_behalf = can(user(), Action.PROPOSE_ON_BEHALF, n)
    if request.method == "POST":
        delegation = _delegation_for(n, request.form.get("delegation", type=db_int))
        upload = _upload()
        if upload is not None:
            plan = plan_upload(db.session, rev, delegation, upload[0], upload[1], limits=docx_limits(current_app.config))
        elif request.form.get("text", "").strip():
            plan = plan_amendments(db.session, rev, delegation, request.form["text"])
        else:
            raise InvalidInput("Choose a tracked Word file (.docx) or an amendment document, or paste the amendments.")
        p = pending_store.keep(db.session, negotiation_id=n.id, user_id=user().id, kind=ImportKind.PROPOSALS,
                               filename=plan.filename, payload=plan.to_json())
        return redirect(url_for("importing.proposals_preview", slug=slug, seq=seq, pending_id=p.id))
    delegations = db.session.scalars(sa.select(Delegation).order_by(Delegation.name)).all() if on_behalf else []
    return render_template("importing/proposals.html", negotiation=n, revision=rev, own=own_delegation(user(), n),
                           delegations=delegations, open=rev.accepts_proposals(utcnow()), may=abilities(user(), n))


@bp.route("/n/<slug>/r/<int:seq>/import-proposals/<int:pending_id>", methods=["GET", "POST"])
@login_required
def proposals_preview(slug: str, seq: int, pending_id: int):
    n, rev = _proposing(slug, seq)
    p = pending_store.find(db.session, pending_id, negotiation_id=n.id, user_id=user().id, kind=ImportKind.PROPOSALS,
                           lock=request.method == "POST")
    plan = ProposalPlan.from_json(p.payload) if p is not None else None
    if p is None or plan is None or plan.revision_id != rev.id:
        flash("That import has expired or was already submitted. Upload the file again.", "info")
        return redirect(url_for("importing.proposals", slug=slug, seq=seq))
    delegation = db.session.get(Delegation, plan.delegation_id)
    if delegation is None or not can_act_for(user(), n, delegation):
        abort(403)
    if request.method == "POST":
        db.session.delete(p)
        if request.form.get("action") != "submit":
            flash("Import cancelled; nothing was submitted.", "info")
            return redirect(url_for("proposals.compilation", slug=slug, seq=seq))
        submitted = submit_plan(db.session, user(), rev, delegation, plan)
        flash(f"{len(submitted)} proposals submitted for {delegation.name} from {plan.filename}.", "success")
        return redirect(url_for("proposals.compilation", slug=slug, seq=seq, delegation=delegation.id))
    return render_template("importing/proposals_preview.html", negotiation=n, revision=rev, delegation=delegation,
                           pending=p, plan=plan, rows=[(q, q.diff()) for q in plan.proposals],
                           mismatches=[(m, m.diff()) for m in plan.mismatches], may=abilities(user(), n))
