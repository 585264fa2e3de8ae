"""The co-facilitators' pages: the working revision editor and the revision lifecycle."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from drafter.auth.models import Delegation
from drafter.auth.permissions import Action, abilities, can, may_break_silence_for, own_delegation
from drafter.dbtypes import utcnow
from drafter.drafting import editing, services
from drafter.drafting.blueprint import bp
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import ParagraphVersion, Revision, Status
from drafter.drafting.present import paragraph_rows
from drafter.drafting.queries import load_versions
from drafter.errors import EditConflict, InvalidInput
from drafter.extensions import db
from drafter.forms import parse_when
from drafter.guards import db_int, negotiation_or_404, require, revision_or_404, user
from drafter.text.diff import word_diff
from drafter.text.structure import Kind

KIND_CHOICES = [(Kind.PREAMBULAR, 0, "Preambular"), (Kind.OPERATIVE, 0, "Operative"), (Kind.SUBPARAGRAPH, 1, "Subparagraph (a)"),
                (Kind.SUBPARAGRAPH, 2, "Subparagraph (i)"), (Kind.HEADING, 0, "Heading")]


def _kind_level(value: str) -> tuple[Kind, int]:
    kind, _, level = value.partition(":")
    try:
        return Kind(kind), int(level or 0)
    except ValueError:
        raise InvalidInput("Choose a kind of paragraph.") from None


def _version_in(revision: Revision, paragraph_id: int) -> ParagraphVersion:
    v = db.session.scalar(sa.select(ParagraphVersion).where(ParagraphVersion.revision_id == revision.id,
                                                            ParagraphVersion.paragraph_id == paragraph_id))
    if v is None:
        if request.method == "POST" and "version" in request.form and revision.state.value == "working":
            # A form sent from a page showing the paragraph: it was deleted meanwhile.
            conflict = editing.deleted_conflict(db.session, revision, paragraph_id)
            if conflict.details["recorded"]:
                raise conflict
        abort(404)
    return v


def _conflict_page(n, rev: Revision, paragraph_id: int, conflict: EditConflict, mine: str | None = None):
    """Render the conflict page (409): what is saved now, and the user's own text when they typed one."""
    v = db.session.scalar(sa.select(ParagraphVersion).where(ParagraphVersion.revision_id == rev.id,
                                                            ParagraphVersion.paragraph_id == paragraph_id))
    diff = None
    if v is not None and mine is not None:
        diff = word_diff(v.text, editing.clean_text(mine) if mine.strip() else "")
    return render_template("drafting/conflict.html", negotiation=n, revision=rev, version=v, mine=mine,
                           theirs=v.text if v is not None else "", diff=diff, conflict=conflict, may=abilities(user(), n)), 409


def _guarded(view):
    """Turn an edit conflict of an editor form into the conflict page instead of a bare error."""
    @functools.wraps(view)
    def wrapper(slug: str, seq: int, paragraph_id: int):
        try:
            return view(slug, seq, paragraph_id)
        except EditConflict as conflict:
            db.session.rollback()  # nothing of the refused request is kept
            n = negotiation_or_404(slug, Action.DRAFT)
            return _conflict_page(n, revision_or_404(n, seq), paragraph_id, conflict,
                                  request.form.get("text") if request.endpoint == "drafting.edit_paragraph" else None)
    return wrapper


def _expected() -> int:
    try:
        return db_int(request.form.get("version", ""))
    except ValueError:
        raise InvalidInput("The form is missing the paragraph's version; reload the page.") from None


def _back(revision: Revision, paragraph_id: int | None = None):
    anchor = f"#p{paragraph_id}" if paragraph_id else ""
    return redirect(url_for("drafting.editor", slug=revision.negotiation.slug, seq=revision.seq) + anchor)


@bp.route("/n/<slug>/r/<int:seq>/edit")
@login_required
def editor(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    if rev.state.value != "working":
        flash(f"{rev.label} has been circulated and can no longer be edited.", "info")
        return redirect(url_for("drafting.revision", slug=slug, seq=seq))
    versions = load_versions(db.session, rev)
    rows = paragraph_rows(versions, revision_refs(versions))
    return render_template("drafting/editor.html", negotiation=n, revision=rev, rows=rows, statuses=list(Status),
                           kinds=KIND_CHOICES, may=abilities(user(), n))


@bp.route("/n/<slug>/r/<int:seq>/p/<int:paragraph_id>/edit", methods=["GET", "POST"])
@login_required
@_guarded
def edit_paragraph(slug: str, seq: int, paragraph_id: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    v = _version_in(rev, paragraph_id)
    if request.method == "POST":
        editing.edit_text(db.session, user(), v, request.form.get("text", ""), expected_version=_expected())
        flash("Paragraph saved.", "success")
        return _back(rev, paragraph_id)
    ref = revision_refs(rev.versions).get(v.id, "")
    return render_template("drafting/edit_paragraph.html", negotiation=n, revision=rev, version=v, ref=ref,
                           may=abilities(user(), n))


@bp.route("/n/<slug>/r/<int:seq>/p/<int:paragraph_id>/status", methods=["POST"])
@login_required
@_guarded
def set_status(slug: str, seq: int, paragraph_id: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    v = _version_in(rev, paragraph_id)
    try:
        status = Status(request.form.get("status", "none"))
    except ValueError:
        raise InvalidInput("Choose a status.") from None
    editing.set_status(db.session, user(), v, status, request.form.get("note", ""), expected_version=_expected())
    return _back(rev, paragraph_id)


@bp.route("/n/<slug>/r/<int:seq>/p/<int:paragraph_id>/kind", methods=["POST"])
@login_required
@_guarded
def change_kind(slug: str, seq: int, paragraph_id: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    v = _version_in(rev, paragraph_id)
    kind, level = _kind_level(request.form.get("kind", ""))
    editing.change_kind(db.session, user(), v, kind, level, expected_version=_expected())
    return _back(rev, paragraph_id)


@bp.route("/n/<slug>/r/<int:seq>/p/<int:paragraph_id>/move", methods=["POST"])
@login_required
@_guarded
def move(slug: str, seq: int, paragraph_id: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    v = _version_in(rev, paragraph_id)
    editing.move_paragraph(db.session, user(), v, up=request.form.get("direction") == "up", expected_version=_expected())
    return _back(rev, paragraph_id)


@bp.route("/n/<slug>/r/<int:seq>/p/<int:paragraph_id>/delete", methods=["POST"])
@login_required
@_guarded
def delete(slug: str, seq: int, paragraph_id: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    v = _version_in(rev, paragraph_id)
    ref = revision_refs(rev.versions).get(v.id, "The paragraph")
    editing.delete_paragraph(db.session, user(), v, expected_version=_expected())
    flash(f"{ref} deleted from {rev.label}.", "success")
    return _back(rev)


@bp.route("/n/<slug>/r/<int:seq>/insert", methods=["GET", "POST"])
@login_required
def insert(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    anchor_id = request.values.get("anchor", type=db_int)
    anchor = _version_in(rev, anchor_id) if anchor_id else None
    after = request.values.get("where", "after") != "before"
    if request.method == "POST":
        kind, level = _kind_level(request.form.get("kind", ""))
        new = editing.insert_paragraph(db.session, user(), rev, anchor=anchor, after=after, kind=kind, level=level,
                                       text=request.form.get("text", ""))
        flash("Paragraph inserted.", "success")
        return _back(rev, new.paragraph_id)
    ref = revision_refs(rev.versions).get(anchor.id, "") if anchor else ""
    default_kind = f"{anchor.kind.value}:{anchor.level}" if anchor else "operative:0"
    return render_template("drafting/insert.html", negotiation=n, revision=rev, anchor=anchor, ref=ref, after=after,
                           kinds=KIND_CHOICES, default_kind=default_kind, may=abilities(user(), n))


@bp.route("/n/<slug>/revisions/start", methods=["POST"])
@login_required
def start_revision(slug: str):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = services.start_revision(db.session, user(), n, label=request.form.get("label", ""))
    flash(f"{rev.label} started from {rev.base_revision.label if rev.base_revision else 'scratch'}.", "success")
    return redirect(url_for("drafting.editor", slug=slug, seq=rev.seq))


@bp.route("/n/<slug>/r/<int:seq>/discard", methods=["POST"])
@login_required
def discard(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    label = rev.label
    services.discard_revision(db.session, user(), rev)
    flash(f"Working revision {label} discarded.", "success")
    return redirect(url_for("drafting.negotiation", slug=slug))


@bp.route("/n/<slug>/r/<int:seq>/lifecycle", methods=["GET"])
@login_required
def lifecycle(slug: str, seq: int):
    n = negotiation_or_404(slug)
    rev = revision_or_404(n, seq)
    me = user()
    if not (can(me, Action.CIRCULATE, n) or can(me, Action.RECORD_SILENCE_BREAK, n) or own_delegation(me, n)):
        abort(403)
    delegations = db.session.scalars(sa.select(Delegation).order_by(Delegation.name)).all()
    delegations = [d for d in delegations if may_break_silence_for(me, n, d)]
    versions = load_versions(db.session, rev)
    now = utcnow()
    return render_template("drafting/lifecycle.html", negotiation=n, revision=rev, delegations=delegations,
                           refs=revision_refs(versions), versions=versions, may=abilities(me, n),
                           default_deadline=services.default_deadline(now).strftime("%Y-%m-%dT%H:%M"),
                           default_silence=services.default_silence_until(now).strftime("%Y-%m-%dT%H:%M"))


@bp.route("/n/<slug>/r/<int:seq>/circulate", methods=["POST"])
@login_required
def circulate(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.CIRCULATE)
    rev = revision_or_404(n, seq)
    try:
        services.circulate(db.session, user(), rev, deadline=parse_when(request.form.get("deadline"), "proposal deadline"),
                           confirm_identical=request.form.get("confirm_identical") == "1")
    except services.IdenticalRevision as warning:
        return confirm_identical_page(n, warning, back=url_for("drafting.lifecycle", slug=slug, seq=seq))
    flash(f"{rev.label} circulated. Delegations can now read it and make proposals.", "success")
    return redirect(url_for("drafting.revision", slug=slug, seq=seq))


def confirm_identical_page(n, warning: services.IdenticalRevision, *, back: str):
    """Render the warning (409) that a revision is identical to the one it follows, with the form sent again."""
    db.session.rollback()
    fields = [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirm_identical")]
    return render_template("drafting/confirm_identical.html", negotiation=n, warning=warning, action=request.path,
                           fields=fields, back=back, may=abilities(user(), n)), 409


@bp.route("/n/<slug>/r/<int:seq>/deadline", methods=["POST"])
@login_required
def set_deadline(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.CIRCULATE)
    rev = revision_or_404(n, seq)
    services.set_deadline(db.session, user(), rev, parse_when(request.form.get("deadline"), "proposal deadline"))
    flash("Proposal deadline updated.", "success")
    return redirect(url_for("drafting.revision", slug=slug, seq=seq))


@bp.route("/n/<slug>/r/<int:seq>/silence", methods=["POST"])
@login_required
def silence(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.CIRCULATE)
    rev = revision_or_404(n, seq)
    until = parse_when(request.form.get("until"), "end of the silence procedure")
    if until is None:
        raise InvalidInput("Give the date and time the silence procedure ends.")
    services.put_under_silence(db.session, user(), rev, until=until)
    flash(f"{rev.label} is under silence until {until:%d %B %Y %H:%M} UTC.", "success")
    return redirect(url_for("drafting.revision", slug=slug, seq=seq))


@bp.route("/n/<slug>/r/<int:seq>/silence-break", methods=["POST"])
@login_required
def silence_break(slug: str, seq: int):
    n = negotiation_or_404(slug)
    rev = revision_or_404(n, seq)
    delegation = db.session.get(Delegation, request.form.get("delegation", type=db_int) or 0)
    if delegation is None:
        raise InvalidInput("Choose the delegation breaking the silence.")
    paragraph_ids = request.form.getlist("paragraphs", type=db_int)
    statement = request.form.get("statement", "")
    services.record_silence_break(db.session, user(), rev, delegation=delegation, statement=statement,
                                  paragraph_ids=paragraph_ids)
    flash(f"Silence break by {delegation.name} recorded.", "success")
    return redirect(url_for("drafting.revision", slug=slug, seq=seq))


@bp.route("/n/<slug>/r/<int:seq>/adopt", methods=["POST"])
@login_required
def adopt(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.CIRCULATE)
    rev = revision_or_404(n, seq)
    services.adopt(db.session, user(), rev)
    flash(f"{rev.label} adopted.", "success")
    return redirect(url_for("drafting.revision", slug=slug, seq=seq))


@bp.route("/n/<slug>/r/<int:seq>/release", methods=["POST"])
@login_required
def release(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.CIRCULATE)
    rev = revision_or_404(n, seq)
    services.release_compilation(db.session, user(), rev)
    flash("The compilation is now visible to delegations and observers.", "success")
    return redirect(url_for("proposals.compilation", slug=slug, seq=seq))


@bp.route("/n/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    from drafter.drafting.models import ProposalVisibility

    n = negotiation_or_404(slug)
    require(n, Action.CIRCULATE, Action.MANAGE_MEMBERS)
    if request.method == "POST":
        try:
            visibility = ProposalVisibility(request.form.get("visibility", ""))
        except ValueError:
            raise InvalidInput("Choose when delegations see each other's proposals.") from None
        symbol = request.form.get("symbol", "")
        services.update_settings(db.session, user(), n, title=request.form.get("title", ""), symbol=symbol,
                                 visibility=visibility)
        flash("Settings saved.", "success")
        return redirect(url_for("drafting.negotiation", slug=slug))
    return render_template("drafting/settings.html", negotiation=n, visibilities=list(ProposalVisibility),
                           may=abilities(user(), n))
