"""The room's pages: the readings of a negotiation, a reading's page (the chair's, the typist's and
the delegates'), the projector, the stream screens follow, and the record of a reading.

Forms sent by room.js ask for JSON (``Accept: application/json``) and the page changes through
the stream; sent without JavaScript, each comes back as a redirect to the page, or the page
itself with the refusal beside its field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask import session as cookie
from flask_login import login_required
from flask_wtf import FlaskForm

from drafter.auth import sessions
from drafter.auth.permissions import Action, abilities, can_read_revision
from drafter.auth.sessions import user
from drafter.drafting.guards import negotiation_or_404, require
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, Revision, RevisionState
from drafter.errors import DrafterError, EditConflict, InvalidInput, StateError
from drafter.extensions import db
from drafter.forms import choices, show_refusal
from drafter.room import brackets, exports, live, queries, services
from drafter.room.events import start_listening
from drafter.room.forms import BracketForm, FloorForm, MarkForm, MoveForm, OpenReadingForm, TypeForm
from drafter.room.models import Mark, Reading
from drafter.web import refused

bp = Blueprint("room", __name__)

FORM_REFUSALS = (InvalidInput, StateError)  # FloorThrottled is an InvalidInput
#: the longest a stream request lives before the browser reconnects (seconds)
STREAM_SECONDS = 25.0


def _reading_of(slug: str, reading_id: int, *actions: Action) -> tuple[Negotiation, Reading]:
    """Return the negotiation and reading: 404 unless the user may read its revision, 403 unless an action is theirs."""
    n = negotiation_or_404(slug)
    reading = db.session.get(Reading, reading_id)
    if reading is None or reading.negotiation_id != n.id or not can_read_revision(user(), reading.revision):
        abort(404)
    if actions:
        require(n, *actions)
    return n, reading


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _readable(n: Negotiation) -> list[Revision]:
    return [r for r in n.revisions if can_read_revision(user(), r)]


# -- The readings of a negotiation -----------------------------------------------------------------


def _openable(n: Negotiation) -> list[Revision]:
    live_states = (RevisionState.WORKING, RevisionState.CIRCULATED, RevisionState.UNDER_SILENCE)
    return [r for r in reversed(_readable(n)) if r.state in live_states]


def _index_page(n: Negotiation, form: OpenReadingForm | None = None):
    form = form or OpenReadingForm(formdata=None, name="First reading")
    form.revision.choices = choices((r.id, f"{r.label} ({r.state.label.lower()})") for r in _openable(n))
    return render_template(
        "room/index.html",
        negotiation=n,
        readings=queries.readings_of(db.session, _readable(n)),
        form=form,
        may=abilities(user(), n),
    )


@bp.route("/n/<slug>/readings", methods=["GET", "POST"])
@login_required
def index(slug: str):
    if request.method == "GET":
        return _index_page(negotiation_or_404(slug))
    n = negotiation_or_404(slug, Action.RUN_READING)
    form = OpenReadingForm()
    form.revision.choices = choices((r.id, "") for r in _openable(n))
    status = 400
    if form.validate():
        revision = db.session.get(Revision, form.revision.data)
        try:
            reading = services.open_reading(db.session, user(), revision, form.name.data)
        except FORM_REFUSALS as e:
            status = show_refusal(form, e, "name" if isinstance(e, InvalidInput) else None)
        else:
            return redirect(url_for("room.reading", slug=slug, reading_id=reading.id))
    return _index_page(n, form), status


# -- A reading's page --------------------------------------------------------------------------------


def _reading_page(n: Negotiation, reading: Reading, refusal: FlaskForm | None = None, conflict: Any = None):
    me = user()
    state = queries.screen(db.session, reading)
    versions = services.versions_of(db.session, reading)
    refs = revision_refs(versions)
    marks = queries.marks_of(db.session, reading)
    at = request.args.get("at", type=int)
    browsing = next((v for v in versions if v.paragraph_id == at), None) if at else None
    if browsing is not None and browsing.paragraph_id == reading.current_paragraph_id:
        browsing = None
    current = state["current"] or {}
    forms: dict[str, FlaskForm] = {
        "move": MoveForm(formdata=None),
        "mark": MarkForm(
            formdata=None,
            paragraph=current.get("paragraph_id"),
            version=current.get("version"),
            mark=Mark.AGREED_AD_REF,
        ),
        "type": TypeForm(
            formdata=None,
            text=current.get("text", ""),
            version=current.get("version"),
            paragraph=current.get("paragraph_id"),
        ),
    }
    if refusal is not None:
        forms[next((k for k, f in forms.items() if type(f) is type(refusal)), "other")] = refusal
    may = abilities(me, n)
    return render_template(
        "room/reading.html",
        negotiation=n,
        delegations=brackets.delegations_of(db.session, n) if may.type_in_room else [],
        reading=reading,
        state=state,
        rows=[(v, refs[v.id], marks.get(v.paragraph_id)) for v in versions],
        browsing=browsing,
        browsing_ref=refs[browsing.id] if browsing is not None else "",
        may=may,
        chair=may.run_reading and reading.is_open,
        typist=may.type_in_room and reading.is_open and reading.revision.state.is_working,
        marks=list(Mark),
        conflict=conflict,
        errors=[m for f in forms.values() for m in f.form_errors],
        move=forms["move"],
        mark=forms["mark"],
        type=forms["type"],
    )


@bp.route("/n/<slug>/readings/<int:reading_id>")
@login_required
def reading(slug: str, reading_id: int):
    return _reading_page(*_reading_of(slug, reading_id))


def _done(n: Negotiation, reading: Reading, **data: Any):
    """Answer a form of the reading that succeeded: JSON for room.js, else back to the page."""
    if _wants_json():
        return jsonify(ok=True, **data)
    return redirect(url_for("room.reading", slug=n.slug, reading_id=reading.id))


def _refusal(n: Negotiation, reading: Reading, form: FlaskForm, e: DrafterError | None, field: str | None):
    """Answer a refused form: JSON with the message for room.js, else the page with it beside its field."""
    status = 400
    if e is not None:
        status = show_refusal(form, e, field if isinstance(e, InvalidInput) else None)
    if _wants_json():
        messages = [*form.form_errors, *(m for ms in form.errors.values() for m in ms if isinstance(m, str))]
        return jsonify(ok=False, error=" ".join(dict.fromkeys(messages)) or "The form could not be used."), status
    return _reading_page(n, reading, form), status


def _reading_form(slug: str, reading_id: int, form_cls: type[FlaskForm], act, field: str | None, *actions: Action):
    n, reading = _reading_of(slug, reading_id, *actions)
    form = form_cls()
    if not form.validate():
        return _refusal(n, reading, form, None, field)
    try:
        return act(n, reading, form)
    except FORM_REFUSALS as e:
        return _refusal(n, reading, form, e, field)


@bp.route("/n/<slug>/readings/<int:reading_id>/move", methods=["POST"])
@login_required
def move(slug: str, reading_id: int):
    def act(n: Negotiation, reading: Reading, form: MoveForm):
        if form.to.data and form.to.data.strip():
            services.jump(db.session, user(), reading, form.to.data)
        elif form.paragraph.data is not None:
            services.take_up(db.session, user(), reading, form.paragraph.data)
        elif form.direction.data in ("next", "previous"):
            services.step(db.session, user(), reading, forward=form.direction.data == "next")
        else:
            raise InvalidInput("Choose next or previous, or give the paragraph to take up: OP12, PP3 or 12 bis.")
        return _done(n, reading)

    return _reading_form(slug, reading_id, MoveForm, act, "to", Action.RUN_READING)


@bp.route("/n/<slug>/readings/<int:reading_id>/mark", methods=["POST"])
@login_required
def mark(slug: str, reading_id: int):
    def act(n: Negotiation, reading: Reading, form: MarkForm):
        try:
            services.mark(
                db.session,
                user(),
                reading,
                form.paragraph.data,
                form.mark.data,
                form.note.data or "",
                expected_version=form.version.data,
            )
        except EditConflict as e:
            raise StateError(f"{e.message} Look at the paragraph again before marking it.") from None
        return _done(n, reading)

    return _reading_form(slug, reading_id, MarkForm, act, "note", Action.RUN_READING)


@bp.route("/n/<slug>/readings/<int:reading_id>/type", methods=["POST"])
@login_required
def type_text(slug: str, reading_id: int):
    n, reading = _reading_of(slug, reading_id, Action.TYPE_IN_ROOM)
    form = TypeForm()
    if not form.validate():
        return _refusal(n, reading, form, None, "text")
    try:
        v = services.type_text(
            db.session,
            user(),
            reading,
            form.text.data,
            expected_version=form.version.data,
            paragraph_id=form.paragraph.data,
        )
    except EditConflict as e:
        message = refused(e)
        current = queries.screen(db.session, reading)["current"] or {}
        if _wants_json():
            return jsonify(
                ok=False,
                error=message,
                conflict=True,
                current_text=current.get("text", ""),
                current_version=current.get("version"),
            ), 409
        form.text.errors = [*form.text.errors, message]
        return _reading_page(n, reading, form, conflict=current), 409
    except FORM_REFUSALS as e:
        return _refusal(n, reading, form, e, "text")
    return _done(n, reading, version=v.version, text=v.text)


@bp.route("/n/<slug>/readings/<int:reading_id>/brackets", methods=["POST"])
@login_required
def bracket(slug: str, reading_id: int):
    n, reading = _reading_of(slug, reading_id, Action.TYPE_IN_ROOM)
    form = BracketForm()
    form.asked.choices = form.opposed.choices = _delegation_choices(n)
    if not form.validate():
        return _refusal(n, reading, form, None, None)
    act = {"attribute": brackets.attribute, "remove": brackets.remove_brackets, "delete": brackets.delete_passage}
    names = {"asked": form.asked.data, "opposed": form.opposed.data} if form.action.data == "attribute" else {}
    try:
        v = act[form.action.data](
            db.session,
            user(),
            reading,
            form.index.data,
            form.inner.data or "",
            expected_version=form.version.data,
            paragraph_id=form.paragraph.data,
            **names,
        )
    except EditConflict as e:
        return _refusal(n, reading, form, StateError(f"{e.message} Look at the paragraph again."), None)
    except FORM_REFUSALS as e:
        return _refusal(n, reading, form, e, None)
    return _done(n, reading, version=v.version)


def _delegation_choices(n: Negotiation) -> list:
    return choices((name, name) for name in brackets.delegations_of(db.session, n))


@bp.route("/n/<slug>/readings/<int:reading_id>/floor", methods=["POST"])
@login_required
def request_floor(slug: str, reading_id: int):
    n, reading = _reading_of(slug, reading_id, Action.REQUEST_FLOOR)
    form = FloorForm()
    if not form.validate():
        return _refusal(n, reading, form, None, None)
    screen = services.screen_key(cookie.get(sessions.COOKIE_KEY), user())
    try:
        services.request_floor(db.session, user(), reading, screen=screen)
    except FORM_REFUSALS as e:
        answer = _refusal(n, reading, form, e, None)
        if not isinstance(e, services.FloorThrottled):  # a flood of refused requests is limited too
            services.count_refused_request(db.session, screen)
        return answer
    if not _wants_json():
        flash("Your delegation is in the queue for the floor.", "success")
    return _done(n, reading)


def _floor_action(slug: str, reading_id: int, request_id: int, act) -> Any:
    def run(n: Negotiation, reading: Reading, form: FloorForm):
        act(db.session, user(), reading, request_id)
        return _done(n, reading)

    return _reading_form(slug, reading_id, FloorForm, run, None, Action.RUN_READING)


@bp.route("/n/<slug>/readings/<int:reading_id>/floor/<int:request_id>/give", methods=["POST"])
@login_required
def give_floor(slug: str, reading_id: int, request_id: int):
    return _floor_action(slug, reading_id, request_id, services.give_floor)


@bp.route("/n/<slug>/readings/<int:reading_id>/floor/<int:request_id>/clear", methods=["POST"])
@login_required
def clear_floor(slug: str, reading_id: int, request_id: int):
    return _floor_action(slug, reading_id, request_id, services.clear_floor)


@bp.route("/n/<slug>/readings/<int:reading_id>/close", methods=["POST"])
@login_required
def close(slug: str, reading_id: int):
    def act(n: Negotiation, reading: Reading, form: FloorForm):
        services.close_reading(db.session, user(), reading)
        if _wants_json():
            return jsonify(ok=True)
        flash(f"{reading.name} is closed.", "success")
        return redirect(url_for("room.record", slug=n.slug, reading_id=reading.id))

    return _reading_form(slug, reading_id, FloorForm, act, None, Action.RUN_READING)


# -- The projector, the stream, the record ----------------------------------------------------------


@bp.route("/n/<slug>/readings/<int:reading_id>/projector")
@login_required
def projector(slug: str, reading_id: int):
    n, reading = _reading_of(slug, reading_id)
    return render_template(
        "room/projector.html", negotiation=n, reading=reading, state=queries.screen(db.session, reading)
    )


def _after() -> int | None:
    """Return the id of the last event the screen saw: the browser's Last-Event-ID, else ``?after=``."""
    for value in (request.headers.get("Last-Event-ID"), request.args.get("after")):
        if value and value.strip().isdigit() and len(value.strip()) < 16:
            return int(value.strip())
    return None


@bp.route("/n/<slug>/readings/<int:reading_id>/stream")
@login_required
def stream(slug: str, reading_id: int):
    _reading_of(slug, reading_id)
    engine = db.engine
    start_listening(engine)
    body = live.stream(
        engine,
        reading_id=reading_id,
        user_id=user().id,
        token=cookie.get(sessions.COOKIE_KEY),
        idle=dt.timedelta(minutes=int(current_app.config["SESSION_IDLE_MINUTES"])),
        after=_after(),
        seconds=float(current_app.config.get("ROOM_STREAM_SECONDS", STREAM_SECONDS)),
    )
    return Response(body, mimetype="text/event-stream", headers={"X-Accel-Buffering": "no"})


@bp.route("/n/<slug>/readings/<int:reading_id>/status.docx")
@login_required
def status_file(slug: str, reading_id: int):
    _, reading = _reading_of(slug, reading_id)
    name, data = exports.status_file(db.session, reading)
    return Response(data, mimetype=exports.DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/n/<slug>/readings/<int:reading_id>/record")
@login_required
def record(slug: str, reading_id: int):
    n, reading = _reading_of(slug, reading_id)
    return render_template(
        "room/record.html",
        negotiation=n,
        reading=reading,
        events=queries.record(db.session, reading),
        summary=queries.summary(db.session, reading),
        may=abilities(user(), n),
    )
