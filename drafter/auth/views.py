"""Signing in and out, and administering accounts, delegations, negotiations and members."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from drafter.auth import services
from drafter.auth.forms import DelegationForm, LoginForm, MemberForm, NegotiationForm, UserForm, choices
from drafter.auth.models import Delegation, DelegationKind, Membership, Role, User
from drafter.auth.permissions import Action
from drafter.demo import demo_logins
from drafter.drafting import services as drafting
from drafter.errors import DrafterError
from drafter.extensions import db
from drafter.guards import negotiation_or_404, safe_next, user

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        account = services.authenticate(db.session, form.email.data or "", form.password.data or "")
        if account is not None:
            login_user(account)
            return redirect(safe_next(request.args.get("next")) or url_for("drafting.dashboard"))
        flash("The e-mail address or password is not right.", "error")
    return render_template("auth/login.html", form=form, demo=demo_logins(db.session))


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


def _require_admin() -> None:
    if not user().is_admin:
        abort(403)


@bp.route("/admin/users", methods=["GET", "POST"])
@login_required
def admin_users():
    _require_admin()
    form = UserForm()
    if form.validate_on_submit():
        try:
            created = services.create_user(db.session, user(), email=form.email.data or "", name=form.name.data or "",
                                           password=form.password.data or "", is_admin=form.is_admin.data)
            db.session.commit()
            flash(f"Account created for {created.email}.", "success")
            return redirect(url_for("auth.admin_users"))
        except DrafterError as e:
            db.session.rollback()
            flash(e.message, "error")
    q = request.args.get("q", "").strip()
    query = sa.select(User).order_by(User.name)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.name).like(like), sa.func.lower(User.email).like(like)))
    users = db.session.scalars(query.limit(500)).all()
    return render_template("auth/users.html", form=form, users=users, q=q)


@bp.route("/admin/delegations", methods=["GET", "POST"])
@login_required
def admin_delegations():
    _require_admin()
    form = DelegationForm()
    if form.validate_on_submit():
        try:
            d = services.create_delegation(db.session, user(), name=form.name.data or "", kind=DelegationKind(form.kind.data))
            db.session.commit()
            flash(f"Delegation {d.name} created.", "success")
            return redirect(url_for("auth.admin_delegations"))
        except DrafterError as e:
            db.session.rollback()
            flash(e.message, "error")
    q = request.args.get("q", "").strip()
    kind = request.args.get("kind", "")
    query = sa.select(Delegation).order_by(Delegation.name)
    if q:
        query = query.where(sa.func.lower(Delegation.name).like(f"%{q.lower()}%"))
    if kind in {k.value for k in DelegationKind}:
        query = query.where(Delegation.kind == DelegationKind(kind))
    delegations = db.session.scalars(query).all()
    return render_template("auth/delegations.html", form=form, delegations=delegations, q=q, kind=kind,
                           kinds=list(DelegationKind))


@bp.route("/admin/negotiations/new", methods=["GET", "POST"])
@login_required
def new_negotiation():
    _require_admin()
    form = NegotiationForm()
    if form.validate_on_submit():
        try:
            n = drafting.create_negotiation(db.session, user(), slug=form.slug.data or "", title=form.title.data or "",
                                            symbol=form.symbol.data or "")
            db.session.commit()
            flash(f"Negotiation created. Add its members, then import the zero draft.", "success")
            return redirect(url_for("auth.members", slug=n.slug))
        except DrafterError as e:
            db.session.rollback()
            flash(e.message, "error")
    return render_template("auth/new_negotiation.html", form=form)


@bp.route("/n/<slug>/members", methods=["GET", "POST"])
@login_required
def members(slug: str):
    negotiation = negotiation_or_404(slug, Action.MANAGE_MEMBERS)
    form = MemberForm()
    delegations = db.session.scalars(sa.select(Delegation).order_by(Delegation.name)).all()
    form.delegation.choices = choices([(0, "—")] + [(d.id, d.name) for d in delegations])
    if form.validate_on_submit():
        try:
            _add_member(negotiation, form)
            db.session.commit()
            flash(f"{form.email.data} added as {Role(form.role.data).label}.", "success")
            return redirect(url_for("auth.members", slug=slug))
        except DrafterError as e:
            db.session.rollback()
            flash(e.message, "error")
    role_filter = request.args.get("role", "")
    query = (sa.select(Membership).join(User).where(Membership.negotiation_id == negotiation.id).order_by(Membership.role, User.name))
    if role_filter in {r.value for r in Role}:
        query = query.where(Membership.role == Role(role_filter))
    memberships = db.session.scalars(query).all()
    return render_template("auth/members.html", negotiation=negotiation, form=form, memberships=memberships,
                           roles=list(Role), role_filter=role_filter)


def _add_member(negotiation, form: MemberForm) -> None:
    email = services.normalise_email(form.email.data or "")
    account = db.session.scalar(sa.select(User).where(User.email == email))
    if account is None:
        if not form.name.data or not form.password.data:
            raise DrafterError(f"There is no account for {email}: give a name and an initial password to create one.")
        account = services.create_user(db.session, user(), email=email, name=form.name.data, password=form.password.data)
    delegation = db.session.get(Delegation, form.delegation.data) if form.delegation.data else None
    services.grant_role(db.session, user(), user=account, negotiation=negotiation, role=Role(form.role.data),
                        delegation=delegation)


@bp.route("/n/<slug>/members/<int:membership_id>/remove", methods=["POST"])
@login_required
def remove_member(slug: str, membership_id: int):
    negotiation = negotiation_or_404(slug, Action.MANAGE_MEMBERS)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.negotiation_id != negotiation.id:
        abort(404)
    services.revoke_role(db.session, user(), membership)
    db.session.commit()
    flash("Member removed.", "success")
    return redirect(url_for("auth.members", slug=slug))
