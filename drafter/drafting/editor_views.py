"""The co-facilitators' pages: the working revision editor and the revision lifecycle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm

from drafter.auth.permissions import Action, abilities
from drafter.auth.sessions import user
from drafter.drafting import editing, services
from drafter.drafting.blueprint import bp
from drafter.drafting.editable import HINT, editable_version, note_numbers, read_typed
from drafter.drafting.editor_page import (
    Editor,
    answer,
    editor_page,
    form_messages,
    in_place,
    remember_rows,
    rows_answer,
)
from drafter.drafting.forms import (
    BulkStatusForm,
    DeleteForm,
    EditParagraphForm,
    InsertForm,
    KindForm,
    MastheadForm,
    MoveForm,
    NewRevisionForm,
    ParagraphForm,
    SettingsForm,
    StatusForm,
)
from drafter.drafting.goto import go_to
from drafter.drafting.guards import negotiation_or_404, require, revision_or_404
from drafter.drafting.labels import MAX_NAMED, find_paragraphs, ranges, revision_refs
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision
from drafter.drafting.views import negotiation_page
from drafter.errors import DrafterError, EditConflict, InvalidInput, StateError
from drafter.extensions import db
from drafter.forms import show_refusal
from drafter.inputs import db_int
from drafter.text.diff import word_diff
from drafter.text.structure import Kind
from drafter.web import refused

#: the refusals a form comes back with; a conflict has its own page and a NotAllowed its 403
FORM_REFUSALS = (InvalidInput, StateError)


def refuse(form: FlaskForm, e: DrafterError, field: Any = None) -> int:
    """Show a service's refusal beside ``field`` (a refused input) or atop the form; return the answer's status."""
    message = refused(e)
    if field is not None and isinstance(e, InvalidInput):
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)
    return e.status_code


def _version_in(revision: Revision, paragraph_id: int, *, from_page: bool = False) -> ParagraphVersion:
    v = db.session.scalar(
        sa.select(ParagraphVersion).where(
            ParagraphVersion.revision_id == revision.id, ParagraphVersion.paragraph_id == paragraph_id
        )
    )
    if v is None:
        if from_page and revision.state.is_working:
            # A form sent from a page showing the paragraph: it was deleted meanwhile.
            conflict = editing.deleted_conflict(db.session, revision, paragraph_id)
            if conflict.details["recorded"]:
                raise conflict
        abort(404)
    return v


def _conflict_parts(rev: Revision, paragraph_id: int, conflict: EditConflict, mine: str | None) -> dict[str, Any]:
    v = db.session.scalar(
        sa.select(ParagraphVersion).where(
            ParagraphVersion.revision_id == rev.id, ParagraphVersion.paragraph_id == paragraph_id
        )
    )
    diff = None
    if v is not None and mine is not None:
        diff = word_diff(v.text, editing.clean_text(mine) if mine.strip() else "")
    return {
        "negotiation": rev.negotiation,
        "revision": rev,
        "version": v,
        "mine": mine,
        "theirs": v.text if v is not None else "",
        "diff": diff,
        "conflict": conflict,
    }


def _conflict_answer(n: Negotiation, rev: Revision, paragraph_id: int, conflict: EditConflict, mine: str | None = None):
    """Answer a change made against a paragraph changed or deleted meanwhile (409).

    On the page: the conflict page, with the user's own text when they typed one. In place: the
    row as it is now with the message above it, and the choice of texts opened under it.
    """
    parts = _conflict_parts(rev, paragraph_id, conflict, mine)
    if not in_place():
        return render_template("drafting/conflict.html", **parts, may=abilities(user(), n)), 409
    editor = Editor.of(n, rev)
    if parts["version"] is None:
        message = conflict.message + " Nothing you sent was saved."
    elif mine is not None:
        message = conflict.message + " Nothing was overwritten: choose which text to keep, or combine them."
    else:
        message = conflict.message + " Nothing was changed: look at the paragraph as it is now, then try again."
    slot = None
    if mine is not None and parts["version"] is not None:
        slot = (paragraph_id, render_template("drafting/_conflict_choice.html", **parts, inline=True))
    elif mine:  # deleted while being edited: the text typed opens as a new paragraph at the end, to keep or drop
        message += " Your text is below: add it back as a new paragraph at the end, or cancel."
        form = InsertForm(formdata=None, text=mine)
        form.kind.data = (Kind.OPERATIVE, 0)
        parts = {"negotiation": n, "revision": rev, "anchor": None, "ref": "", "form": form, "hint": HINT}
        slot = (None, render_template("drafting/_insert_form.html", **parts, inline=True))
    return rows_answer(
        editor,
        [paragraph_id],
        error=message,
        notice=(paragraph_id, message),
        slot=slot,
        focus=paragraph_id,
        status=409,
    )


# -- The editor and its paragraph tools ------------------------------------------------------------


@bp.route("/n/<slug>/r/<int:seq>/edit")
@login_required
def editor(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    if not rev.state.is_working:
        flash(f"{rev.label} has been circulated and can no longer be edited.", "info")
        return redirect(url_for("drafting.revision", slug=slug, seq=seq))
    goto, there = go_to(rev)
    if there is not None:
        return there
    return editor_page(n, rev, goto=goto), (400 if goto.go.errors else 200)


def _paragraph_form(
    slug: str,
    seq: int,
    paragraph_id: int,
    form_cls: type[ParagraphForm],
    act: Callable[[Revision, ParagraphVersion, Any], Any],
    field: str | None = None,
):
    """Run one form about a paragraph of the working revision: check it, call the service, answer.

    A refused form comes back on the editor (or the paragraph's own page) with the message and
    what was sent, or in place with the row and its message; a paragraph changed or deleted
    meanwhile gives the conflict.
    """
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    form = form_cls()
    mine = (form.text.data or "") if isinstance(form, EditParagraphForm) else None
    try:
        v = _version_in(rev, paragraph_id, from_page=bool(form.version.raw_data))
        status = 400
        if form.validate():
            remember_rows(rev)
            try:
                return act(rev, v, form)
            except FORM_REFUSALS as e:
                status = refuse(form, e, form[field] if field else None)
    except EditConflict as conflict:
        refused(conflict)  # nothing of the refused request is kept
        return _conflict_answer(n, rev, paragraph_id, conflict, mine)
    if isinstance(form, EditParagraphForm):
        if in_place():
            return rows_answer(
                Editor.of(n, rev),
                [],
                error=form_messages(form),
                slot=(paragraph_id, _edit_form(rev, v, form)),
                status=status,
            )
        return _edit_page(n, rev, v, form), status
    if not rev.state.is_working:  # circulated meanwhile: the editor is gone
        abort(status, next((m for ms in form.errors.values() for m in ms), None))
    if in_place():
        editor = Editor.of(n, rev, (paragraph_id, form))
        return rows_answer(editor, [paragraph_id], error=form_messages(form), focus=paragraph_id, status=status)
    return editor_page(n, rev, (paragraph_id, form)), status


def _edit_form(rev: Revision, v: ParagraphVersion, form: EditParagraphForm) -> str:
    return render_template(
        "drafting/_edit_form.html",
        negotiation=rev.negotiation,
        revision=rev,
        version=v,
        base_text=editable_version(v),
        ref=revision_refs(rev.versions).get(v.id, ""),
        form=form,
        hint=HINT,
        inline=True,
    )


def _edit_page(n: Negotiation, rev: Revision, v: ParagraphVersion, form: EditParagraphForm):
    ref = revision_refs(rev.versions).get(v.id, "")
    return render_template(
        "drafting/edit_paragraph.html",
        negotiation=n,
        revision=rev,
        version=v,
        base_text=editable_version(v),
        ref=ref,
        form=form,
        hint=HINT,
        may=abilities(user(), n),
    )


@bp.route("/n/<slug>/r/<int:seq>/p/<int:paragraph_id>/edit", methods=["GET", "POST"])
@login_required
def edit_paragraph(slug: str, seq: int, paragraph_id: int):
    if request.method == "POST":

        def save(rev: Revision, v: ParagraphVersion, form: EditParagraphForm):
            typed = read_typed(form.text.data or "", v.notes, note_numbers(v))
            editing.edit_text(db.session, user(), v, typed.text, notes=typed.notes, expected_version=form.version.data)
            return answer(rev, paragraph_id, f"{revision_refs(rev.versions).get(v.id, 'Paragraph')} saved.")

        return _paragraph_form(slug, seq, paragraph_id, EditParagraphForm, save, "text")
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    v = _version_in(rev, paragraph_id)
    form = EditParagraphForm(formdata=None, text=editable_version(v), version=v.version)
    if in_place():
        return rows_answer(Editor.of(n, rev), [], slot=(paragraph_id, _edit_form(rev, v, form)))
    return _edit_page(n, rev, v, form)


@bp.route("/n/<slug>/r/<int:seq>/p/<int:paragraph_id>/status", methods=["POST"])
@login_required
def set_status(slug: str, seq: int, paragraph_id: int):
    def act(rev: Revision, v: ParagraphVersion, form: StatusForm):
        editing.set_status(
            db.session, user(), v, form.status.data, form.note.data or "", expected_version=form.version.data
        )
        ref = revision_refs(rev.versions).get(v.id, "The paragraph")
        return answer(rev, paragraph_id, f"{ref}: {form.status.data.label or 'no status'}.")

    return _paragraph_form(slug, seq, paragraph_id, StatusForm, act, "note")


def _picked(rev: Revision) -> list[ParagraphVersion]:
    """Return the paragraphs ticked on the page ("pick", a lineage id each), those still in the revision."""
    ids = set()
    for value in request.form.getlist("pick")[:MAX_NAMED]:
        try:
            ids.add(db_int(value.strip()))
        except ValueError:
            continue
    return [v for v in rev.versions if v.paragraph_id in ids]


@bp.route("/n/<slug>/r/<int:seq>/statuses", methods=["POST"])
@login_required
def bulk_status(slug: str, seq: int):
    """Set one status on several paragraphs: a list of references and ranges, the ticked rows, or both."""
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    form = BulkStatusForm()
    status = 400
    if form.validate():
        remember_rows(rev)
        try:
            named = find_paragraphs(rev, form.paragraphs.data or "") if form.paragraphs.data else []
            chosen = sorted({v.id: v for v in [*named, *_picked(rev)]}.values(), key=lambda v: v.position)
            refs = revision_refs(rev.versions)
            names = ranges(
                [refs[v.id] for v in chosen], [refs[v.id] for v in sorted(rev.versions, key=lambda v: v.position)]
            )
            count = editing.set_statuses(
                db.session, user(), [(v, v.version) for v in chosen], form.status.data, form.note.data or ""
            )
        except EditConflict as e:
            status = 409
            form.form_errors.append(refused(e))
        except FORM_REFUSALS as e:
            status = refuse(form, e, form.paragraphs)
        else:
            label = form.status.data.label or "without a status"
            already = len(chosen) - count
            done = f"{names}: now {label}" + (
                f" ({already} already {'was' if already == 1 else 'were'})." if already else "."
            )
            return answer(rev, None, done)
    if in_place():
        editor = Editor.of(n, rev)
        return rows_answer(
            editor,
            [r.version.paragraph_id for r in editor.rows] if status == 409 else [],
            error=form_messages(form),
            status=status,
        )
    return editor_page(n, rev, bulk=form), status


@bp.route("/n/<slug>/r/<int:seq>/p/<int:paragraph_id>/kind", methods=["POST"])
@login_required
def change_kind(slug: str, seq: int, paragraph_id: int):
    def act(rev: Revision, v: ParagraphVersion, form: KindForm):
        kind, level = form.kind.data
        editing.change_kind(db.session, user(), v, kind, level, expected_version=form.version.data)
        return answer(rev, paragraph_id, f"{revision_refs(rev.versions).get(v.id, 'The paragraph')}: kind changed.")

    return _paragraph_form(slug, seq, paragraph_id, KindForm, act, "kind")


@bp.route("/n/<slug>/r/<int:seq>/p/<int:paragraph_id>/move", methods=["POST"])
@login_required
def move(slug: str, seq: int, paragraph_id: int):
    def act(rev: Revision, v: ParagraphVersion, form: MoveForm):
        editing.move_paragraph(
            db.session, user(), v, up=form.direction.data == "up", expected_version=form.version.data
        )
        return answer(
            rev, paragraph_id, f"Moved {form.direction.data}: now {revision_refs(rev.versions).get(v.id, '')}."
        )

    return _paragraph_form(slug, seq, paragraph_id, MoveForm, act)


@bp.route("/n/<slug>/r/<int:seq>/p/<int:paragraph_id>/delete", methods=["POST"])
@login_required
def delete(slug: str, seq: int, paragraph_id: int):
    def act(rev: Revision, v: ParagraphVersion, form: DeleteForm):
        ref = revision_refs(rev.versions).get(v.id, "The paragraph")
        editing.delete_paragraph(db.session, user(), v, expected_version=form.version.data)
        return answer(rev, None, f"{ref} deleted from {rev.label}.")

    return _paragraph_form(slug, seq, paragraph_id, DeleteForm, act)


@bp.route("/n/<slug>/r/<int:seq>/insert", methods=["GET", "POST"])
@login_required
def insert(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    form = InsertForm(formdata=request.form if request.method == "POST" else request.args)
    anchor = _version_in(rev, form.anchor.data) if form.anchor.data else None
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            kind, level = form.kind.data
            remember_rows(rev)
            try:
                typed = read_typed(form.text.data or "", {}, {})
                new = editing.insert_paragraph(
                    db.session,
                    user(),
                    rev,
                    anchor=anchor,
                    after=form.after,
                    kind=kind,
                    level=level,
                    text=typed.text,
                    notes=typed.notes,
                )
            except FORM_REFUSALS as e:
                status = refuse(form, e, form.text)
            else:
                return answer(
                    rev, new.paragraph_id, f"{revision_refs(rev.versions).get(new.id, 'Paragraph')} inserted."
                )
    else:
        form.kind.data = (anchor.kind, anchor.level) if anchor else (Kind.OPERATIVE, 0)
    ref = revision_refs(rev.versions).get(anchor.id, "") if anchor else ""
    parts = {"negotiation": n, "revision": rev, "anchor": anchor, "ref": ref, "form": form, "hint": HINT}
    if in_place():
        slot = (
            anchor.paragraph_id if anchor else None,
            render_template("drafting/_insert_form.html", **parts, inline=True),
        )
        return rows_answer(
            Editor.of(n, rev), [], error=form_messages(form) if status >= 400 else None, slot=slot, status=status
        )
    return render_template("drafting/insert.html", **parts, may=abilities(user(), n)), status


# -- Starting, discarding and circulating revisions -------------------------------------------------


@bp.route("/n/<slug>/revisions/start", methods=["POST"])
@login_required
def start_revision(slug: str):
    n = negotiation_or_404(slug, Action.DRAFT)
    form = NewRevisionForm()
    status = 400
    if form.validate():
        try:
            rev = services.start_revision(db.session, user(), n, label=form.label.data or "")
        except FORM_REFUSALS as e:
            status = refuse(form, e, form.label)
        else:
            flash(f"{rev.label} started from {rev.base_revision.label if rev.base_revision else 'scratch'}.", "success")
            return redirect(url_for("drafting.editor", slug=slug, seq=rev.seq))
    return negotiation_page(n, start_form=form), status


@bp.route("/n/<slug>/r/<int:seq>/discard", methods=["POST"])
@login_required
def discard(slug: str, seq: int):
    n = negotiation_or_404(slug, Action.DRAFT)
    rev = revision_or_404(n, seq)
    label = rev.label
    services.discard_revision(db.session, user(), rev)
    flash(f"Working revision {label} discarded.", "success")
    return redirect(url_for("drafting.negotiation", slug=slug))


@bp.route("/n/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    n = negotiation_or_404(slug)
    require(n, Action.CIRCULATE, Action.MANAGE_MEMBERS)
    status = 200
    if request.method == "POST":
        form = SettingsForm()
        status = 400
        if form.validate():
            try:
                services.update_settings(
                    db.session,
                    user(),
                    n,
                    title=form.title.data or "",
                    symbol=form.symbol.data or "",
                    visibility=form.visibility.data,
                )
            except FORM_REFUSALS as e:
                status = refuse(form, e, form.title)
            else:
                flash("Settings saved.", "success")
                return redirect(url_for("drafting.negotiation", slug=slug))
    else:
        form = SettingsForm(formdata=None, title=n.title, symbol=n.symbol, visibility=n.proposal_visibility)
    return render_template("drafting/settings.html", negotiation=n, form=form, may=abilities(user(), n)), status


@bp.route("/n/<slug>/r/<int:seq>/masthead", methods=["GET", "POST"])
@login_required
def masthead(slug: str, seq: int):
    """The revision's document identity: symbol, date, masthead, sponsor line, title, chapeau."""
    n = negotiation_or_404(slug)
    rev = revision_or_404(n, seq)  # one the user may not read is a 404 before any 403
    require(n, Action.EDIT_MASTHEAD)
    status = 200
    if request.method == "POST":
        form = MastheadForm()
        status = 400
        if form.validate():
            try:
                services.set_masthead(db.session, user(), rev, form.masthead())
            except FORM_REFUSALS as e:
                status = show_refusal(form, e)
            else:
                flash(f"The document details of {rev.label} are saved.", "success")
                return redirect(url_for("drafting.revision", slug=slug, seq=seq))
    else:
        form = MastheadForm.of(rev.masthead)
    return render_template(
        "drafting/masthead.html",
        negotiation=n,
        revision=rev,
        form=form,
        frame_fixed=not rev.state.is_working,
        may=abilities(user(), n),
    ), status
