"""Pages that set up a negotiation: create it (administrators), and its members."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from drafter.auth import services as accounts
from drafter.auth.forms import MemberFilterForm, MemberForm, NegotiationForm
from drafter.auth.models import Delegation, Membership, Role, User
from drafter.auth.permissions import Action, administers, may_assign_role
from drafter.auth.sessions import user
from drafter.drafting import services
from drafter.drafting.blueprint import bp
from drafter.drafting.guards import negotiation_or_404
from drafter.errors import DrafterError, InvalidInput
from drafter.extensions import db
from drafter.forms import choices, show_refusal
from drafter.web import refused, require_that


@bp.route("/admin/negotiations/new", methods=["GET", "POST"])
@login_required
def new_negotiation():
    require_that(administers(user()))
    form = NegotiationForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                n = services.create_negotiation(
                    db.session,
                    user(),
                    slug=form.slug.data or "",
                    title=form.title.data or "",
                    symbol=form.symbol.data or "",
                )
            except DrafterError as e:
                status = show_refusal(form, e)
            else:
                flash("Negotiation created. Add its members, then import the zero draft.", "success")
                return redirect(url_for("drafting.members", slug=n.slug))
    return render_template("drafting/new_negotiation.html", form=form), status


@bp.route("/n/<slug>/members", methods=["GET", "POST"])
@login_required
def members(slug: str):
    negotiation = negotiation_or_404(slug, Action.MANAGE_MEMBERS)
    form = MemberForm()
    me = user()
    form.role.choices = choices((r.value, r.label) for r in Role if may_assign_role(me, negotiation, None, r))
    delegations = db.session.scalars(sa.select(Delegation).order_by(Delegation.name)).all()
    form.delegation.choices = choices([(0, "—")] + [(d.id, d.name) for d in delegations])
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                _add_member(negotiation, form)
            except DrafterError as e:
                status = show_refusal(form, e)
            else:
                flash(f"{form.email.data} added as {form.role.data.label}.", "success")
                return redirect(url_for("drafting.members", slug=slug))
    filters = MemberFilterForm(formdata=request.args)
    query = (
        sa.select(Membership)
        .join(User)
        .where(Membership.negotiation_id == negotiation.id)
        .order_by(Membership.role, User.name)
    )
    if filters.role.data is not None:
        query = query.where(Membership.role == filters.role.data)
    memberships = db.session.scalars(query).all()
    removable = {m.id for m in memberships if may_assign_role(me, negotiation, m.role, None)}
    return render_template(
        "drafting/members.html",
        negotiation=negotiation,
        form=form,
        memberships=memberships,
        filters=filters,
        removable=removable,
    ), status


def _add_member(negotiation, form: MemberForm) -> None:
    email = accounts.normalise_email(form.email.data or "")
    account = db.session.scalar(sa.select(User).where(User.email == email))
    if account is None:
        if not form.name.data or not form.password.data:
            raise InvalidInput(f"There is no account for {email}: give a name and an initial password to create one.")
        account = accounts.create_user(
            db.session, user(), email=email, name=form.name.data, password=form.password.data
        )
    delegation = db.session.get(Delegation, form.delegation.data) if form.delegation.data else None
    accounts.grant_role(
        db.session, user(), user=account, negotiation=negotiation, role=form.role.data, delegation=delegation
    )


@bp.route("/n/<slug>/members/<int:membership_id>/remove", methods=["POST"])
@login_required
def remove_member(slug: str, membership_id: int):
    negotiation = negotiation_or_404(slug, Action.MANAGE_MEMBERS)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.negotiation_id != negotiation.id:
        abort(404)
    try:
        accounts.revoke_role(db.session, user(), membership)
        flash("Member removed.", "success")
    except DrafterError as e:
        flash(refused(e), "error")
    return redirect(url_for("drafting.members", slug=slug))
