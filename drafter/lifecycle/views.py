"""The circulation page of a revision and its forms: circulate, deadline, silence, silence breaks, adopt, release.

The routes are on the drafting blueprint, so their addresses and names stay those of a revision's pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm

from drafter.auth.models import Delegation
from drafter.auth.permissions import Action, abilities, may_break_silence_for
from drafter.auth.sessions import user
from drafter.dbtypes import utcnow
from drafter.drafting.blueprint import bp
from drafter.drafting.guards import negotiation_or_404, require, revision_or_404
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, Revision
from drafter.drafting.queries import load_versions
from drafter.errors import InvalidInput, StateError
from drafter.extensions import db
from drafter.forms import choices, show_refusal
from drafter.lifecycle import services
from drafter.lifecycle.forms import CirculateForm, DeadlineForm, SilenceBreakForm, SilenceForm
from drafter.web import refused

FORM_REFUSALS = (InvalidInput, StateError)
#: refusals that concern the form's main field (the deadline, the end of the silence), not the form as a whole
_BESIDE_FIELD = (InvalidInput, services.ShortSilence, services.DeadlineInPast)


def minimum_silence() -> dt.timedelta:
    """Return the shortest silence offered without an override (``DRAFTER_MIN_SILENCE_HOURS``)."""
    return dt.timedelta(hours=float(current_app.config.get("MIN_SILENCE_HOURS", 72)))


def _paragraph_choices(versions, refs) -> list:
    """Return the paragraphs a silence break may name: reference and opening words, as delegations find them."""

    def opening(text: str) -> str:
        words = text.split()
        return " ".join(words[:12]) + (" …" if len(words) > 12 else "")

    def label(v) -> str:
        words = opening(v.text)
        return words if words.startswith(refs[v.id]) else f"{refs[v.id]} — {words}"  # a heading is its own reference

    return choices((v.paragraph_id, label(v)) for v in versions)


def _lifecycle_of(slug: str, seq: int, action: Action | None = None) -> tuple[Negotiation, Revision]:
    """Return the negotiation and revision of a circulation page: 403 unless ``action`` is the user's,
    or (without one) unless the page has something for them."""
    n = negotiation_or_404(slug, action or Action.READ)
    rev = revision_or_404(n, seq)
    if action is None:  # who circulates, who records any delegation's silence break, and delegates (their own)
        require(n, Action.CIRCULATE, Action.RECORD_SILENCE_BREAK, Action.PROPOSE)
    return n, rev


def _lifecycle_page(n: Negotiation, rev: Revision, refusal: FlaskForm | None = None, adopt_error: str = ""):
    """Render the circulation page; a refused form comes back in it with its messages and what was sent."""
    me, now = user(), utcnow()
    versions = load_versions(db.session, rev)
    refs = revision_refs(versions)
    forms: dict[str, FlaskForm] = {
        "circulate": CirculateForm(formdata=None, deadline=services.default_deadline(now)),
        "deadline": DeadlineForm(formdata=None, deadline=rev.proposal_deadline or services.default_deadline(now)),
        "silence": SilenceForm(formdata=None, until=services.default_silence_until(now, minimum_silence())),
        "brk": SilenceBreakForm(formdata=None),
    }
    if refusal is not None:
        forms[next(k for k, f in forms.items() if type(f) is type(refusal))] = refusal
    delegations = db.session.scalars(sa.select(Delegation).order_by(Delegation.name)).all()
    forms["brk"].delegation.choices = choices((d.id, d.name) for d in delegations if may_break_silence_for(me, n, d))
    forms["brk"].paragraphs.choices = _paragraph_choices(versions, refs)
    errors = [m for f in forms.values() for m in f.form_errors] + ([adopt_error] if adopt_error else [])
    asked = getattr(refusal, "refused_by", None)
    return render_template(
        "lifecycle/lifecycle.html",
        negotiation=n,
        revision=rev,
        refs=refs,
        versions=versions,
        errors=errors,
        keep_break=refusal is forms["brk"],
        ask_override=isinstance(asked, services.ShortSilence) or bool(forms["silence"].override_reason.data),
        ask_confirm_past=isinstance(asked, services.DeadlineInPast),
        minimum_hours=f"{minimum_silence().total_seconds() / 3600:g}",
        adoption_refusal=services.adoption_refusal(rev, now) if rev.state.is_under_silence else "",
        may=abilities(me, n),
        **forms,
    )


def _lifecycle_form(
    slug: str,
    seq: int,
    form_cls: type[FlaskForm],
    act: Callable[[Negotiation, Revision, Any], Any],
    field: str | None = None,
    action: Action | None = Action.CIRCULATE,
):
    """Run one form of the circulation page: check it, call the service, or show the page with the refusal."""
    n, rev = _lifecycle_of(slug, seq, action)
    form = form_cls()
    if isinstance(form, SilenceBreakForm):  # the paragraphs named must be the revision's
        form.paragraphs.choices = choices((v.paragraph_id, "") for v in rev.versions)
    status = 400
    if form.validate():
        try:
            return act(n, rev, form)
        except FORM_REFUSALS as e:
            form.refused_by = e  # type: ignore[attr-defined]  (the page asks what to offer next)
            status = show_refusal(form, e, field if isinstance(e, _BESIDE_FIELD) else None)
    return _lifecycle_page(n, rev, form), status


@bp.route("/n/<slug>/r/<int:seq>/lifecycle", methods=["GET"])
@login_required
def lifecycle(slug: str, seq: int):
    return _lifecycle_page(*_lifecycle_of(slug, seq))


@bp.route("/n/<slug>/r/<int:seq>/circulate", methods=["POST"])
@login_required
def circulate(slug: str, seq: int):
    def act(n: Negotiation, rev: Revision, form: CirculateForm):
        try:
            services.circulate(
                db.session,
                user(),
                rev,
                deadline=form.deadline.data,
                confirm_identical=form.confirm_identical.data == "1",
            )
        except services.IdenticalRevision as warning:
            return confirm_identical_page(n, warning, back=url_for("drafting.lifecycle", slug=slug, seq=seq))
        flash(f"{rev.label} circulated. Delegations can now read it and make proposals.", "success")
        return redirect(url_for("drafting.revision", slug=slug, seq=seq))

    return _lifecycle_form(slug, seq, CirculateForm, act, "deadline")


def confirm_identical_page(n: Negotiation, warning: services.IdenticalRevision, *, back: str):
    """Render the warning (409) that a revision is identical to the one it follows, with the form sent again."""
    db.session.rollback()
    fields = [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirm_identical")]
    return render_template(
        "lifecycle/confirm_identical.html",
        negotiation=n,
        warning=warning,
        action=request.path,
        fields=fields,
        back=back,
        may=abilities(user(), n),
    ), 409


@bp.route("/n/<slug>/r/<int:seq>/deadline", methods=["POST"])
@login_required
def set_deadline(slug: str, seq: int):
    def act(n: Negotiation, rev: Revision, form: DeadlineForm):
        services.set_deadline(db.session, user(), rev, form.deadline.data, confirm_past=form.confirm_past.data)
        flash("Proposal deadline updated.", "success")
        return redirect(url_for("drafting.revision", slug=slug, seq=seq))

    return _lifecycle_form(slug, seq, DeadlineForm, act, "deadline")


@bp.route("/n/<slug>/r/<int:seq>/silence", methods=["POST"])
@login_required
def silence(slug: str, seq: int):
    def act(n: Negotiation, rev: Revision, form: SilenceForm):
        services.put_under_silence(
            db.session,
            user(),
            rev,
            until=form.until.data,
            minimum=minimum_silence(),
            override_reason=form.override_reason.data or "",
        )
        flash(f"{rev.label} is under silence until {form.until.data:%d %B %Y %H:%M} UTC.", "success")
        return redirect(url_for("drafting.revision", slug=slug, seq=seq))

    return _lifecycle_form(slug, seq, SilenceForm, act, "until")


@bp.route("/n/<slug>/r/<int:seq>/silence-break", methods=["POST"])
@login_required
def silence_break(slug: str, seq: int):
    def act(n: Negotiation, rev: Revision, form: SilenceBreakForm):
        delegation = db.session.get(Delegation, form.delegation.data)
        services.record_silence_break(
            db.session,
            user(),
            rev,
            delegation=delegation,
            statement=form.statement.data,
            paragraph_ids=form.paragraphs.data,
        )
        flash(f"Silence break by {delegation.name} recorded.", "success")
        return redirect(url_for("drafting.revision", slug=slug, seq=seq))

    return _lifecycle_form(slug, seq, SilenceBreakForm, act, "statement", action=None)


@bp.route("/n/<slug>/r/<int:seq>/adopt", methods=["POST"])
@login_required
def adopt(slug: str, seq: int):
    n, rev = _lifecycle_of(slug, seq, Action.CIRCULATE)
    try:
        services.adopt(db.session, user(), rev)
    except FORM_REFUSALS as e:
        return _lifecycle_page(n, rev, adopt_error=refused(e)), e.status_code
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
