"""Pages for proposing, the compilation, positions, and the co-facilitators' decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial

import sqlalchemy as sa
from flask import Blueprint, abort, flash, get_template_attribute, jsonify, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from drafter import throttle
from drafter.auth.models import Delegation
from drafter.auth.permissions import Action, abilities, can, can_act_for, can_export, own_delegation, proposal_scope
from drafter.auth.sessions import user
from drafter.dbtypes import utcnow
from drafter.drafting.editable import HINT, editable, editable_version, note_numbers, read_typed
from drafter.drafting.goto import go_to
from drafter.drafting.guards import negotiation_or_404, require, revision_or_404
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision
from drafter.drafting.present import paragraph_rows
from drafter.drafting.queries import latest_revision, version_of, working_revision
from drafter.errors import DrafterError, EditConflict, InvalidInput, StateError
from drafter.extensions import db
from drafter.forms import choices, show_refusal
from drafter.inputs import safe_next
from drafter.proposals import decisions, services
from drafter.proposals.forms import (
    CompilationFilters,
    DecideForm,
    EditForm,
    PositionForm,
    ProposeForm,
    VerdictFilter,
)
from drafter.proposals.markup import Viewer, proposal_html
from drafter.proposals.models import Proposal, ProposalKind, ProposalState, Stance
from drafter.proposals.queries import (
    compile_revision,
    delegation_outcomes,
    delegation_proposals,
    new_paragraph_anchors,
    on_same_paragraph,
    outcome,
    view_of,
    visible_to,
)
from drafter.text import footnotes
from drafter.text.cycles import without_cycle_collection
from drafter.text.diff import preview_diff, word_diff
from drafter.web import refused, require_that

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


#: a proposal id no row has, where ``id_url`` builds a URL once and cuts it
_ANY_ID = 987654321


def id_url(endpoint: str, **values: object) -> Callable[[int], str]:
    """Return a function that gives the endpoint's URL for a proposal id, built through ``url_for`` once
    (a compilation links thousands of proposals; building each link anew was a fifth of the page)."""
    before, after = url_for(endpoint, **values, proposal_id=_ANY_ID).rsplit(str(_ANY_ID), 1)
    return lambda proposal_id: f"{before}{proposal_id}{after}"


@bp.route("/n/<slug>/r/<int:seq>/compilation")
@login_required
@without_cycle_collection
def compilation(slug: str, seq: int):
    n = negotiation_or_404(slug)
    rev = revision_or_404(n, seq)
    if not rev.state.is_public:
        abort(404)
    me = user()
    scope = proposal_scope(me, rev)
    own = own_delegation(me, n)
    goto, there = go_to(rev, also=lambda: new_paragraph_anchors(db.session, rev, scope=scope, own=own))
    if there is not None:
        return there
    form = CompilationFilters(request.args)
    filters = form.filters()
    comp = compile_revision(db.session, rev, scope=scope, own=own, filters=filters)
    form.delegation.choices = choices([("", "All"), *((d.id, d.name) for d in comp.delegations)])
    form.paragraph.choices = choices([("", "All"), *comp.paragraphs])
    may = abilities(me, n)
    viewer = Viewer(
        may,
        own,
        generate_csrf(),
        request.full_path,
        *(id_url(f"proposals.{name}", slug=n.slug) for name in ("detail", "position", "decide")),
    )
    return render_template(
        "proposals/compilation.html",
        negotiation=n,
        revision=rev,
        comp=comp,
        scope=scope,
        own=own,
        filters=filters,
        form=form,
        may=may,
        open=rev.accepts_proposals(utcnow()),
        may_export_compilation=can_export(me, "compilation", rev),
        goto=goto,
        proposal_html=partial(proposal_html, viewer=viewer),
    ), (400 if goto.go.errors else 200)


def _target(rev: Revision, paragraph_id: int | None) -> ParagraphVersion | None:
    if not paragraph_id:
        return None
    return db.session.scalar(
        sa.select(ParagraphVersion).where(
            ParagraphVersion.revision_id == rev.id, ParagraphVersion.paragraph_id == paragraph_id
        )
    )


def _acting_delegation(n: Negotiation, chosen: int | None) -> Delegation | None:
    """Return the delegation the user proposes for: their own, or (secretariat) the one chosen.

    The secretariat opening the form without a choice gets the first delegation preselected;
    a submitted form that names none gets None. One the user may not speak for is a 403.
    """
    me = user()
    own = own_delegation(me, n)
    on_behalf = can(me, Action.PROPOSE_ON_BEHALF, n)
    if chosen:
        d = db.session.get(Delegation, chosen)
    elif own is not None:
        d = own
    elif on_behalf and request.method == "POST":
        return None
    elif on_behalf:
        d = db.session.scalar(sa.select(Delegation).order_by(Delegation.name).limit(1))
    else:
        d = None
    require_that(d is not None and can_act_for(me, n, d))
    return d


def _typed(kind: ProposalKind, target: ParagraphVersion | None, text: str, own: Mapping[int, str] | None = None):
    """Return a proposal's typed text read back: [^N] references to the target's footnotes, new ones.

    A title takes no footnote: its text goes as typed, and the service refuses a reference in it.
    """
    if kind.is_title:
        return footnotes.Edited(text, {})
    if kind.is_amend and target is not None:
        return read_typed(text, {**target.notes, **(own or {})}, note_numbers(target))
    return read_typed(text, dict(own or {}), {})


#: a paragraph id that names none of the revision's paragraphs
NOT_IN_REVISION = "That paragraph is not part of this revision."


@bp.route("/n/<slug>/r/<int:seq>/propose", methods=["GET", "POST"])
@login_required
def propose(slug: str, seq: int):
    n = negotiation_or_404(slug)
    require(n, Action.PROPOSE, Action.PROPOSE_ON_BEHALF)
    rev = revision_or_404(n, seq)
    if request.method == "GET":
        return _open_propose(n, rev)
    form = ProposeForm()
    valid = form.validate()
    kind = form.kind.data or ProposalKind.AMEND
    target = _target(rev, form.paragraph.data)
    delegation = _acting_delegation(n, form.delegation.data)
    if form.paragraph.data and target is None:
        form.paragraph.errors.append(NOT_IN_REVISION)
        valid = False
    if delegation is None and not form.delegation.errors:
        form.delegation.errors.append("Choose the delegation the proposal is made for.")
        valid = False
    status = 400
    if valid:
        try:
            typed = _typed(kind, target, form.text.data or "")
            p = services.submit(
                db.session,
                user(),
                rev,
                delegation,
                kind=kind,
                target=target,
                text=typed.text,
                notes=typed.notes,
                justification=form.justification.data or "",
                new_kind=form.new_kind.data,
                new_level=form.new_level.data or 0,
            )
        except DrafterError as e:
            show_refusal(form, e)
            status = e.status_code
        else:
            flash(f"Proposal submitted for {delegation.name}.", "success")
            return redirect(url_for("proposals.detail", slug=n.slug, proposal_id=p.id))
    typed = {"text": form.text.data, "justification": form.justification.data}
    return _propose_page(n, rev, form, kind, target, delegation, typed=typed), status


def _open_propose(n: Negotiation, rev: Revision):
    """Return the propose form for the paragraph and the kind its link names (from the compilation)."""
    form = ProposeForm(request.args, meta={"csrf": False})
    problems = form.kind.process_errors + form.paragraph.process_errors
    if problems:  # a link that names no possible proposal: nothing was typed yet
        raise InvalidInput(problems[0])
    kind = form.kind.data
    target = _target(rev, form.paragraph.data)
    if form.paragraph.data and target is None:
        raise InvalidInput(NOT_IN_REVISION)
    delegation = _acting_delegation(n, form.delegation.data)
    if kind.is_title:
        if target is not None:
            raise InvalidInput("A proposal on the title is about no paragraph.")
        form.text.data = form.text.data or rev.title
    elif target is None and not kind.is_insert:
        flash("Choose the paragraph first: use the links beside it in the compilation.", "error")
        return redirect(url_for("proposals.compilation", slug=n.slug, seq=rev.seq))
    if target is not None:
        form.text.data = editable_version(target) if kind.is_amend else form.text.data
        form.new_kind.data = form.new_kind.data or target.kind
    try:
        services.check_open(rev, utcnow())
    except StateError as e:
        form.form_errors.append(e.message)
        return _propose_page(n, rev, form, kind, target, delegation), e.status_code
    return _propose_page(n, rev, form, kind, target, delegation)


def _propose_page(
    n: Negotiation,
    rev: Revision,
    form: ProposeForm,
    kind: ProposalKind,
    target: ParagraphVersion | None,
    delegation: Delegation | None,
    typed: dict[str, str | None] | None = None,
) -> str:
    ref = revision_refs(rev.versions).get(target.id, "") if target else ""
    on_behalf = can(user(), Action.PROPOSE_ON_BEHALF, n)
    delegations = db.session.scalars(sa.select(Delegation).order_by(Delegation.name)).all() if on_behalf else []
    row = paragraph_rows([target], {target.id: ref})[0] if target else None
    return render_template(
        "proposals/propose.html",
        negotiation=n,
        revision=rev,
        form=form,
        kind=kind,
        target=target,
        ref=ref,
        delegation=delegation,
        delegations=delegations,
        typed=typed or {},
        row=row,
        base_text=rev.title if kind.is_title else editable_version(target) if target else "",
        hint=HINT,
        open=rev.accepts_proposals(utcnow()),
        may=abilities(user(), n),
    )


def _proposal_or_404(n: Negotiation, proposal_id: int) -> Proposal:
    p = db.session.get(Proposal, proposal_id)
    if p is None or p.revision.negotiation_id != n.id or not visible_to(user(), [p]):
        abort(404)
    return p


@bp.route("/n/<slug>/proposals/<int:proposal_id>")
@login_required
def detail(slug: str, proposal_id: int):
    n = negotiation_or_404(slug)
    return _detail_page(n, _proposal_or_404(n, proposal_id))


def _detail_page(n: Negotiation, p: Proposal, position: PositionForm | None = None) -> str:
    me = user()
    own = own_delegation(me, n)
    refs = revision_refs(p.revision.versions)
    return render_template(
        "proposals/detail.html",
        negotiation=n,
        proposal=p,
        view=view_of(p, refs.get(p.target_version_id or 0, "")),
        outcome=outcome(db.session, p),
        may_edit=can_act_for(me, n, p.delegation),
        own=own,
        open=p.revision.accepts_proposals(utcnow()),
        stances=list(Stance),
        may=abilities(me, n),
        position=position or PositionForm(formdata=None),
        my_stance=next((x.stance for x in p.positions if own and x.delegation_id == own.id), None),
    )


@bp.route("/n/<slug>/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, proposal_id: int):
    n = negotiation_or_404(slug)
    p = _proposal_or_404(n, proposal_id)
    require_that(can_act_for(user(), n, p.delegation))
    if request.method == "GET":
        form = EditForm(
            kind=p.kind, data={"text": _editable_text(p), "justification": p.justification, "version": p.version}
        )
        return _edit_page(n, p, form)
    form = EditForm(kind=p.kind)
    status, conflict = 400, False
    if form.validate():
        try:
            typed = _typed(p.kind, p.target_version, form.text.data or "", p.notes)
            services.edit(
                db.session,
                user(),
                p,
                text=typed.text,
                notes=typed.notes,
                justification=form.justification.data or "",
                expected_version=form.version.data,
            )
        except DrafterError as e:
            show_refusal(form, e)
            status, conflict = e.status_code, isinstance(e, EditConflict)
            if isinstance(e, (EditConflict, StateError)):
                # Decided, withdrawn or edited by someone else meanwhile: the page shows the proposal as
                # it is now beside what was typed, and saving again replaces what it shows.
                p = _proposal_or_404(n, proposal_id)
                form.version.data = p.version
        else:
            flash("Proposal updated.", "success")
            return redirect(url_for("proposals.detail", slug=slug, proposal_id=p.id))
    return _edit_page(n, p, form, conflict=conflict), status


def _edit_page(n: Negotiation, p: Proposal, form: EditForm, *, conflict: bool = False) -> str:
    return render_template(
        "proposals/edit.html",
        negotiation=n,
        proposal=p,
        form=form,
        editable=_editable(p),
        conflict=conflict,
        base_text=p.revision.title
        if p.kind.is_title
        else editable_version(p.target_version)
        if p.target_version is not None
        else "",
        hint=HINT,
        may=abilities(user(), n),
    )


def _editable(p: Proposal) -> bool:
    return p.state is ProposalState.SUBMITTED and p.revision.accepts_proposals(utcnow())


def _editable_text(p: Proposal) -> str:
    """Return a proposal's text as its edit form shows it: [^N] for the target's footnotes, new ones written out."""
    target = p.target_version
    if target is None:
        return editable(p.proposed_text, p.notes, {})
    return editable(p.proposed_text, {**target.notes, **p.notes}, note_numbers(target))


def _working_paragraph(p: Proposal) -> ParagraphVersion | None:
    """Return the working revision's version of the proposal's paragraph, or None."""
    working = working_revision(db.session, p.revision.negotiation)
    if working is None or p.target_version is None:
        return None
    return version_of(db.session, working, p.target_version.paragraph_id)


@bp.route("/n/<slug>/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw(slug: str, proposal_id: int):
    n = negotiation_or_404(slug)
    p = _proposal_or_404(n, proposal_id)
    require_that(can_act_for(user(), n, p.delegation))
    services.withdraw(db.session, user(), p)
    flash("Proposal withdrawn.", "success")
    return redirect(url_for("proposals.detail", slug=slug, proposal_id=p.id))


@bp.route("/n/<slug>/proposals/<int:proposal_id>/position", methods=["POST"])
@login_required
def position(slug: str, proposal_id: int):
    n = negotiation_or_404(slug)
    p = _proposal_or_404(n, proposal_id)
    own = own_delegation(user(), n)
    require_that(own is not None and can_act_for(user(), n, own))
    form = PositionForm()
    status = 400
    if form.validate():
        stance = form.stance.data
        try:
            services.set_position(db.session, user(), p, own, stance)
        except DrafterError as e:
            show_refusal(form, e)
            status = e.status_code
            p = _proposal_or_404(n, proposal_id)
        else:
            flash(
                f"{own.name}: " + (f"{stance.label.split()[0]} this proposal." if stance else "position withdrawn."),
                "success",
            )
            return redirect(safe_next(form.next.data) or url_for("proposals.detail", slug=slug, proposal_id=p.id))
    return _detail_page(n, p, position=form), status


@bp.route("/n/<slug>/proposals/<int:proposal_id>/decide", methods=["GET", "POST"])
@login_required
def decide(slug: str, proposal_id: int):
    n = negotiation_or_404(slug, Action.DECIDE)
    p = _proposal_or_404(n, proposal_id)
    if request.method == "GET":
        return _decide_page(n, p, DecideForm(formdata=None, data={"version": p.version, "note": p.decision_note}))
    form = DecideForm()
    status, clash = 400, None
    if form.validate():
        merged_into = db.session.get(Proposal, form.merged_into.data) if form.merged_into.data else None
        try:
            decisions.decide(
                db.session,
                user(),
                p,
                form.outcome.data,
                note=form.note.data or "",
                text=form.text.data if form.use_text.data else None,
                merged_into=merged_into,
                expected_version=form.version.data,
            )
        except decisions.MergeNeeded as e:
            refused(e)
            status, clash = e.status_code, e
            p = _proposal_or_404(n, proposal_id)
        except DrafterError as e:
            show_refusal(form, e)
            status = e.status_code
            if isinstance(e, (EditConflict, StateError)):
                # Decided by someone else or edited by its delegation meanwhile: show it as it is now.
                p = _proposal_or_404(n, proposal_id)
                form.version.data = p.version
        else:
            flash(f"Decision recorded: {form.outcome.data.label.lower()}.", "success")
            return redirect(url_for("proposals.compilation", slug=slug, seq=p.revision.seq) + f"#proposal-{p.id}")
    return _decide_page(n, p, form, clash=clash), status


def _decide_page(n: Negotiation, p: Proposal, form: DecideForm, clash: decisions.MergeNeeded | None = None) -> str:
    # The page opened, or the decision met a clash: the form starts afresh; otherwise it keeps what was typed.
    afresh = request.method == "GET" or clash is not None
    plan, problem = None, None
    if clash is None:
        try:
            plan = decisions.plan_application(db.session, p)
        except decisions.MergeNeeded as e:
            clash = e
        except DrafterError as e:  # no working revision yet, or the paragraph was deleted from it
            problem = e.message
    others = db.session.scalars(
        sa.select(Proposal).where(Proposal.revision_id == p.revision_id, Proposal.id != p.id).order_by(Proposal.id)
    ).all()
    form.merged_into.choices = choices(
        [("", "—"), *((o.id, f"#{o.id} {o.delegation.name} ({o.kind.label})") for o in others)]
    )
    if afresh and clash is not None:
        # Resolved by hand: the text starts from the current working text, to incorporate with changes.
        form.outcome.data, form.use_text.data = ProposalState.INCORPORATED_WITH_CHANGES, True
        current = _working_paragraph(p)
        form.text.data = editable_version(current) if current is not None else clash.details.get("current_text", "")
    elif afresh:
        # Nothing to incorporate into (no working revision, or the paragraph left it): no choice is made for the user.
        form.outcome.data = decisions.DECISIONS[0] if problem is None else None
    if form.text.data is None:
        form.text.data = decisions.editable_for_hand(
            p,
            plan.version if plan is not None and not p.kind.is_insert else None,
            plan.text if plan else p.proposed_text,
        )
    plan_diff = None
    if plan is not None and plan.version is not None and p.kind is ProposalKind.AMEND:
        plan_diff = word_diff(plan.version.text, plan.text)
    elif plan is not None and p.kind.is_title:
        plan_diff = word_diff(plan.working.title, plan.text)
    refs = revision_refs(p.revision.versions)
    ref = refs.get(p.target_version_id or 0, "")
    target = p.target_version
    return render_template(
        "proposals/decide.html",
        negotiation=n,
        proposal=p,
        view=view_of(p, ref),
        row=paragraph_rows([target], {target.id: ref})[0] if target is not None else None,
        nearby=[view_of(o, refs.get(o.target_version_id or 0, "")) for o in on_same_paragraph(db.session, p)],
        plan=plan,
        clash=clash,
        problem=problem,
        form=form,
        may=abilities(user(), n),
        plan_diff=plan_diff,
    )


@bp.route("/n/<slug>/delegations/<int:delegation_id>")
@login_required
def delegation(slug: str, delegation_id: int):
    n = negotiation_or_404(slug)
    d = db.session.get(Delegation, delegation_id)
    if d is None:
        abort(404)
    proposals = visible_to(user(), delegation_proposals(db.session, n.id, d.id))
    rows = delegation_outcomes(db.session, proposals)
    form = VerdictFilter(request.args)
    form.read()
    if form.verdict.data:
        rows = [r for r in rows if r[1].verdict == form.verdict.data]
    return render_template(
        "proposals/delegation.html", negotiation=n, delegation=d, rows=rows, form=form, may=abilities(user(), n)
    )


@bp.route("/api/diff", methods=["POST"])
@login_required
def live_diff():
    """Return the word diff of two texts as HTML, for the live diff under a text box."""
    limit, per = DIFF_RATE
    wait = throttle.allow(db.session, f"diff:{user().id}", limit=limit, per=per)
    if wait:
        response = jsonify(
            error=f"The comparison is paused for {wait} s: the text changed faster than it can be compared. "
            "Keep typing; it updates again in a moment."
        )
        response.headers["Retry-After"] = str(wait)
        return response, 429
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    base, text = data.get("base", ""), data.get("text", "")
    if not isinstance(base, str) or not isinstance(text, str):
        return jsonify(error="The texts to compare were not sent as text."), 400
    if len(base) > services.MAX_PROPOSAL_CHARS or len(text) > services.MAX_PROPOSAL_CHARS:
        return jsonify(
            error=f"The text is too long to compare: a proposed text may have at most "
            f"{services.MAX_PROPOSAL_CHARS:,} characters."
        ), 400
    d = preview_diff(base, text, seconds=PREVIEW_SECONDS)
    html = get_template_attribute("_macros.html", "diff")(d.ops)
    note = "" if d.exact else "Too long to compare live word by word: the changes are shown in larger pieces."
    if note:
        html = Markup('<p class="muted small">{}</p>').format(note) + html
    return jsonify(html=str(html), changed=d.changed, similarity=round(d.similarity, 3), exact=d.exact, note=note)
