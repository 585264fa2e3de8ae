"""Pages for proposing, the compilation, positions, and the co-facilitators' decisions."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, abort, flash, get_template_attribute, jsonify, redirect, render_template, request, url_for
from flask_login import login_required
from markupsafe import Markup

from drafter import throttle
from drafter.auth.models import Delegation
from drafter.auth.permissions import Action, abilities, can, can_act_for, can_export, own_delegation, proposal_scope
from drafter.dbtypes import utcnow
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import ParagraphVersion, Revision
from drafter.drafting.present import paragraph_rows
from drafter.drafting.queries import latest_revision
from drafter.errors import DrafterError, EditConflict, InvalidInput, StateError
from drafter.extensions import db
from drafter.guards import db_int, negotiation_or_404, require, revision_or_404, safe_next, user
from drafter.proposals import decisions, services
from drafter.proposals.models import Proposal, ProposalKind, ProposalState, Stance
from drafter.proposals.queries import (Filters, compile_revision, delegation_outcomes, delegation_proposals, outcome, view_of,
                                      visible_to)
from drafter.text.diff import preview_diff, word_diff
from drafter.text.structure import Kind
from drafter.web import refused

bp = Blueprint("proposals", __name__)

#: the live diff's time budget: past it the preview is coarser, and says so
PREVIEW_SECONDS = 0.3
#: live diffs per account: the page asks once per pause of 200 ms in typing, which no typist
#: keeps up three times a second for ten seconds
DIFF_RATE = (30, dt.timedelta(seconds=10))


@bp.route("/n/<slug>/proposals")
@login_required
def index(slug: str):
    n = negotiation_or_404(slug)
    latest = latest_revision(db.session, n, public_only=True)
    if latest is None:
        flash("No revision has been circulated yet, so there are no proposals.", "info")
        return redirect(url_for("drafting.negotiation", slug=slug))
    return redirect(url_for("proposals.compilation", slug=slug, seq=latest.seq))


def _filters() -> Filters:
    def enum_arg(name: str, cls):
        try:
            return cls(request.args[name]) if request.args.get(name) else None
        except ValueError:
            return None

    return Filters(
        delegation_id=request.args.get("delegation", type=db_int),
        paragraph_id=request.args.get("paragraph", type=db_int),
        kind=enum_arg("kind", ProposalKind),
        state=enum_arg("state", ProposalState),
        with_proposals_only=request.args.get("only") == "1",
    )


@bp.route("/n/<slug>/r/<int:seq>/compilation")
@login_required
def compilation(slug: str, seq: int):
    n = negotiation_or_404(slug)
    rev = revision_or_404(n, seq)
    if not rev.state.is_public:
        abort(404)
    me = user()
    scope = proposal_scope(me, rev)
    own = own_delegation(me, n)
    filters = _filters()
    comp = compile_revision(db.session, rev, scope=scope, own=own, filters=filters)
    return render_template(
        "proposals/compilation.html", negotiation=n, revision=rev, comp=comp, scope=scope, own=own, filters=filters,
        kinds=list(ProposalKind), states=list(ProposalState), may=abilities(me, n), stances=list(Stance),
        open=rev.accepts_proposals(utcnow()),
        may_export_compilation=can_export(me, "compilation", rev),
    )


def _target(rev: Revision, paragraph_id: int | None) -> ParagraphVersion | None:
    if not paragraph_id:
        return None
    v = db.session.scalar(sa.select(ParagraphVersion).where(ParagraphVersion.revision_id == rev.id,
                                                            ParagraphVersion.paragraph_id == paragraph_id))
    if v is None:
        raise InvalidInput("That paragraph is not part of this revision.")
    return v


def _acting_delegation(n, chosen: int | None) -> Delegation:
    """Return the delegation the user proposes for: their own, or (secretariat) the one chosen.

    The secretariat opening the form without a choice gets the first delegation preselected;
    a submitted form always names one.
    """
    me = user()
    own = own_delegation(me, n)
    if own is not None and (not chosen or chosen == own.id):
        return own
    if can(me, Action.PROPOSE_ON_BEHALF, n):
        if chosen:
            d = db.session.get(Delegation, chosen)
        elif request.method == "GET":
            d = db.session.scalar(sa.select(Delegation).order_by(Delegation.name).limit(1))
        else:
            raise InvalidInput("Choose the delegation the proposal is made for.")
        if d is not None:
            return d
    abort(403)


@bp.route("/n/<slug>/r/<int:seq>/propose", methods=["GET", "POST"])
@login_required
def propose(slug: str, seq: int):
    n = negotiation_or_404(slug)
    require(n, Action.PROPOSE, Action.PROPOSE_ON_BEHALF)
    rev = revision_or_404(n, seq)
    try:
        kind = ProposalKind(request.values.get("kind", "amend"))
    except ValueError:
        raise InvalidInput("Choose what to propose: amend, new paragraph, delete or retain.") from None
    target = _target(rev, request.values.get("paragraph", type=db_int))
    delegation = _acting_delegation(n, request.values.get("delegation", type=db_int))
    if target is None and kind is not ProposalKind.INSERT:
        flash("Choose the paragraph first: use the links beside it in the compilation.", "error")
        return redirect(url_for("proposals.compilation", slug=slug, seq=seq))
    if request.method == "POST":
        new_kind = None
        if kind is ProposalKind.INSERT and request.form.get("new_kind"):
            try:
                new_kind = Kind(request.form["new_kind"])
            except ValueError:
                raise InvalidInput("Choose the kind of the new paragraph.") from None
        p = services.submit(db.session, user(), rev, delegation, kind=kind, target=target, text=request.form.get("text", ""),
                            justification=request.form.get("justification", ""), new_kind=new_kind,
                            new_level=request.form.get("new_level", 0, type=db_int))
        flash(f"Proposal submitted for {delegation.name}.", "success")
        return redirect(url_for("proposals.detail", slug=slug, proposal_id=p.id))
    if not rev.accepts_proposals(utcnow()):
        flash(f"{rev.label} does not take proposals now.", "error")
        return redirect(url_for("proposals.compilation", slug=slug, seq=seq))
    ref = revision_refs(rev.versions).get(target.id, "") if target else ""
    delegations = db.session.scalars(sa.select(Delegation).order_by(Delegation.name)).all() if can(user(), Action.PROPOSE_ON_BEHALF, n) else []
    return render_template("proposals/propose.html", negotiation=n, revision=rev, kind=kind, target=target, ref=ref,
                           delegation=delegation, delegations=delegations, kinds=[Kind.PREAMBULAR, Kind.OPERATIVE, Kind.SUBPARAGRAPH, Kind.HEADING],
                           row=paragraph_rows([target], {target.id: ref})[0] if target else None, may=abilities(user(), n))


def _proposal_or_404(n, proposal_id: int) -> Proposal:
    p = db.session.get(Proposal, proposal_id)
    if p is None or p.revision.negotiation_id != n.id or not visible_to(user(), [p]):
        abort(404)
    return p


@bp.route("/n/<slug>/proposals/<int:proposal_id>")
@login_required
def detail(slug: str, proposal_id: int):
    n = negotiation_or_404(slug)
    p = _proposal_or_404(n, proposal_id)
    me = user()
    own = own_delegation(me, n)
    refs = revision_refs(p.revision.versions)
    return render_template("proposals/detail.html", negotiation=n, proposal=p, view=view_of(p, refs.get(p.target_version_id or 0, "")),
                           outcome=outcome(db.session, p), may_edit=can_act_for(me, n, p.delegation), own=own,
                           open=p.revision.accepts_proposals(utcnow()), stances=list(Stance), may=abilities(me, n),
                           my_stance=next((x.stance for x in p.positions if own and x.delegation_id == own.id), None))


@bp.route("/n/<slug>/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, proposal_id: int):
    n = negotiation_or_404(slug)
    p = _proposal_or_404(n, proposal_id)
    if not can_act_for(user(), n, p.delegation):
        abort(403)
    if request.method == "POST":
        text, justification = request.form.get("text", ""), request.form.get("justification", "")
        try:
            services.edit(db.session, user(), p, text=text, justification=justification,
                          expected_version=request.form.get("version", type=db_int))
        except (EditConflict, StateError) as e:
            # Decided, withdrawn or edited by someone else meanwhile: show the proposal as it is now.
            message = refused(e)
            p = _proposal_or_404(n, proposal_id)
            return render_template("proposals/edit.html", negotiation=n, proposal=p, refused=message, editable=_editable(p),
                                   mine={"text": text, "justification": justification}, may=abilities(user(), n)), 409
        flash("Proposal updated.", "success")
        return redirect(url_for("proposals.detail", slug=slug, proposal_id=p.id))
    return render_template("proposals/edit.html", negotiation=n, proposal=p, editable=_editable(p), may=abilities(user(), n))


def _editable(p: Proposal) -> bool:
    return p.state is ProposalState.SUBMITTED and p.revision.accepts_proposals(utcnow())


@bp.route("/n/<slug>/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw(slug: str, proposal_id: int):
    n = negotiation_or_404(slug)
    p = _proposal_or_404(n, proposal_id)
    if not can_act_for(user(), n, p.delegation):
        abort(403)
    services.withdraw(db.session, user(), p)
    flash("Proposal withdrawn.", "success")
    return redirect(url_for("proposals.detail", slug=slug, proposal_id=p.id))


@bp.route("/n/<slug>/proposals/<int:proposal_id>/position", methods=["POST"])
@login_required
def position(slug: str, proposal_id: int):
    n = negotiation_or_404(slug)
    p = _proposal_or_404(n, proposal_id)
    own = own_delegation(user(), n)
    if own is None or not can(user(), Action.PROPOSE, n):
        abort(403)
    value = request.form.get("stance", "")
    try:
        stance = Stance(value) if value else None
    except ValueError:
        raise InvalidInput("Choose co-sponsor, support or oppose.") from None
    services.set_position(db.session, user(), p, own, stance)
    flash(f"{own.name}: " + (f"{stance.label.split()[0]} this proposal." if stance else "position withdrawn."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("proposals.detail", slug=slug, proposal_id=p.id))


@bp.route("/n/<slug>/proposals/<int:proposal_id>/decide", methods=["GET", "POST"])
@login_required
def decide(slug: str, proposal_id: int):
    n = negotiation_or_404(slug, Action.DECIDE)
    p = _proposal_or_404(n, proposal_id)
    if request.method == "POST":
        try:
            outcome_state = ProposalState(request.form.get("outcome", ""))
        except ValueError:
            raise InvalidInput("Choose a decision.") from None
        merged_into = db.session.get(Proposal, request.form.get("merged_into", 0, type=db_int) or 0)
        text = request.form.get("text") if request.form.get("use_text") == "1" else None
        try:
            decisions.decide(db.session, user(), p, outcome_state, note=request.form.get("note", ""), text=text,
                             merged_into=merged_into, expected_version=request.form.get("version", type=db_int))
        except decisions.MergeNeeded as clash:
            db.session.rollback()
            p = _proposal_or_404(n, proposal_id)
            return _decide_page(n, p, clash=clash), 409
        except (EditConflict, StateError) as e:
            # Decided by someone else or edited by its delegation meanwhile: show it as it is now.
            message = refused(e)
            p = _proposal_or_404(n, proposal_id)
            return _decide_page(n, p, refused=message), 409
        flash(f"Decision recorded: {outcome_state.label.lower()}.", "success")
        return redirect(url_for("proposals.compilation", slug=slug, seq=p.revision.seq) + f"#proposal-{p.id}")
    return _decide_page(n, p)


def _decide_page(n, p: Proposal, clash: decisions.MergeNeeded | None = None, refused: str = "") -> str:
    plan, problem = None, None
    if clash is None:
        try:
            plan = decisions.plan_application(db.session, p)
        except decisions.MergeNeeded as e:
            clash = e
        except DrafterError as e:  # no working revision yet, or the paragraph was deleted from it
            problem = e.message
    others = db.session.scalars(sa.select(Proposal).where(Proposal.revision_id == p.revision_id, Proposal.id != p.id)
                                .order_by(Proposal.id)).all()
    plan_diff = None
    if plan is not None and plan.version is not None and p.kind is ProposalKind.AMEND:
        plan_diff = word_diff(plan.version.text, plan.text)
    return render_template("proposals/decide.html", negotiation=n, proposal=p, view=view_of(p), plan=plan, clash=clash,
                           problem=problem, others=others, decisions=decisions.DECISIONS, may=abilities(user(), n),
                           plan_diff=plan_diff, refused=refused)


@bp.route("/n/<slug>/delegations/<int:delegation_id>")
@login_required
def delegation(slug: str, delegation_id: int):
    n = negotiation_or_404(slug)
    d = db.session.get(Delegation, delegation_id)
    if d is None:
        abort(404)
    proposals = visible_to(user(), delegation_proposals(db.session, n.id, d.id))
    rows = delegation_outcomes(db.session, proposals)
    verdict = request.args.get("verdict", "")
    if verdict:
        rows = [r for r in rows if r[1].verdict == verdict]
    return render_template("proposals/delegation.html", negotiation=n, delegation=d, rows=rows, verdict=verdict,
                           may=abilities(user(), n))


@bp.route("/api/diff", methods=["POST"])
@login_required
def live_diff():
    """Return the word diff of two texts as HTML, for the live diff under a text box."""
    limit, per = DIFF_RATE
    wait = throttle.allow(db.session, f"diff:{user().id}", limit=limit, per=per)
    if wait:
        response = jsonify(error=f"The comparison is paused for {wait} s: the text changed faster than it can be compared. "
                                 "Keep typing; it updates again in a moment.")
        response.headers["Retry-After"] = str(wait)
        return response, 429
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    base, text = data.get("base", ""), data.get("text", "")
    if not isinstance(base, str) or not isinstance(text, str):
        return jsonify(error="The texts to compare were not sent as text."), 400
    if len(base) > services.MAX_PROPOSAL_CHARS or len(text) > services.MAX_PROPOSAL_CHARS:
        return jsonify(error=f"The text is too long to compare: a proposed text may have at most "
                             f"{services.MAX_PROPOSAL_CHARS:,} characters."), 400
    d = preview_diff(base, text, seconds=PREVIEW_SECONDS)
    html = get_template_attribute("_macros.html", "diff")(d.ops)
    note = "" if d.exact else "Too long to compare live word by word: the changes are shown in larger pieces."
    if note:
        html = Markup('<p class="muted small">{}</p>').format(note) + html
    return jsonify(html=str(html), changed=d.changed, similarity=round(d.similarity, 3), exact=d.exact, note=note)
