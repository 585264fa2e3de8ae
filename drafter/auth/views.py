"""Signing in and out, and administering accounts, delegations, negotiations and members."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from drafter.auth import services, sessions, tokens
from drafter.auth.demo import demo_logins
from drafter.auth.forms import (
    ActiveForm,
    ChangePasswordForm,
    DelegationFilterForm,
    DelegationForm,
    LoginForm,
    NextForm,
    TokenForm,
    UserFilterForm,
    UserForm,
)
from drafter.auth.models import Delegation, User
from drafter.auth.permissions import administers
from drafter.auth.sessions import user
from drafter.errors import DrafterError
from drafter.extensions import db
from drafter.forms import show_refusal
from drafter.web import refused, require_that

bp = Blueprint("auth", __name__)


def _limits() -> services.SignInLimits:
    c = current_app.config
    return services.SignInLimits(
        per_account=c["LOGIN_FAILURES_PER_ACCOUNT"],
        per_address=c["LOGIN_FAILURES_PER_ADDRESS"],
        window=dt.timedelta(minutes=c["LOGIN_WINDOW_MINUTES"]),
    )


def _open_session(account: User) -> None:
    """Sign this browser in as ``account`` with a new session row, a new cookie and a new CSRF token."""
    session.clear()  # nothing from before sign-in (a planted session id, the old CSRF token) carries over
    g.pop("csrf_token", None)
    session[sessions.COOKIE_KEY] = sessions.start(
        db.session, account, address=request.remote_addr or "", user_agent=request.user_agent.string
    )
    session.permanent = True  # the cookie expires with the idle lifetime, not when the browser closes
    login_user(account)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            account = services.sign_in(
                db.session,
                form.email.data or "",
                form.password.data or "",
                address=request.remote_addr or "",
                limits=_limits(),
            )
        except services.SignInRefused as e:
            # not undone: the failure counts towards the throttle once the request commits
            flash(e.message, "error")
            status = 429 if e.wait else 200
            return render_template("auth/login.html", form=form, demo=demo_logins(db.session)), status
        _open_session(account)
        if account.must_change_password:
            return redirect(url_for("auth.account"))
        return redirect(NextForm(formdata=request.args).next.data or url_for("drafting.dashboard"))
    return render_template("auth/login.html", form=form, demo=demo_logins(db.session))


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out: every session of the account ends, on this browser and wherever else it is open."""
    if current_user.is_authenticated:
        sessions.end_all(db.session, user())
    logout_user()
    session.clear()
    flash("You have signed out. Your account is signed out on every other browser too.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The signed-in user's account: change the password, see where the account is signed in."""
    form = ChangePasswordForm()
    me = user()
    status = 200
    if form.is_submitted():
        status = 400
    if form.validate_on_submit():
        try:
            services.change_password(db.session, me, current=form.current.data or "", new=form.new.data or "")
        except DrafterError as e:
            status = show_refusal(form, e, "new")
        else:
            _open_session(me)  # every session ended with the old password; this browser stays signed in
            flash(
                "Your password has been changed. Every other browser signed in to your account has been signed out.",
                "success",
            )
            return redirect(url_for("drafting.dashboard"))
    return _account_page(form, TokenForm(formdata=None)), status


def _account_page(form: ChangePasswordForm, token_form: TokenForm) -> str:
    me = user()
    return render_template(
        "auth/account.html",
        form=form,
        token_form=token_form,
        me=me,
        open_sessions=sessions.of_user(db.session, me),
        this_hash=sessions.token_hash(session.get(sessions.COOKIE_KEY) or ""),
        api_tokens=tokens.of_user(db.session, me),
    )


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create_token():
    """Make a personal API token and show it, the only time it is shown."""
    form = TokenForm()
    status = 400
    if form.validate():
        try:
            secret = tokens.create(db.session, user(), user(), form.name.data or "")
        except DrafterError as e:
            status = show_refusal(form, e, "name")
        else:
            return render_template(
                "auth/token_created.html", name=" ".join((form.name.data or "").split()), token=secret
            )
    return _account_page(ChangePasswordForm(formdata=None), form), status


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    """Revoke one of the user's own tokens: programs using it are refused from now on."""
    row = db.session.get(tokens.ApiToken, token_id)
    if row is None or row.user_id != user().id:
        abort(404)
    tokens.revoke(db.session, user(), row)
    flash(f"The token “{row.name}” is revoked: programs using it are refused from now on.", "success")
    return redirect(url_for("auth.account") + "#tokens")


def _require_admin() -> None:
    require_that(administers(user()))


@bp.route("/admin/users", methods=["GET", "POST"])
@login_required
def admin_users():
    _require_admin()
    form = UserForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                created = services.create_user(
                    db.session,
                    user(),
                    email=form.email.data or "",
                    name=form.name.data or "",
                    password=form.password.data or "",
                    is_admin=form.is_admin.data,
                )
            except DrafterError as e:
                status = show_refusal(form, e)
            else:
                flash(f"Account created for {created.email}.", "success")
                return redirect(url_for("auth.admin_users"))
    q = UserFilterForm(formdata=request.args).q.data
    query = sa.select(User).order_by(User.name)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.name).like(like), sa.func.lower(User.email).like(like)))
    users = db.session.scalars(query.limit(500)).all()
    return render_template("auth/users.html", form=form, users=users, q=q), status


def _account_or_404(user_id: int) -> User:
    account = db.session.get(User, user_id)
    if account is None:
        abort(404)
    return account


@bp.route("/admin/users/<int:user_id>/reset-password", methods=["POST"])
@login_required
def reset_password(user_id: int):
    """Give an account a temporary password, shown once on the answer page, to be changed at sign-in."""
    _require_admin()
    account = _account_or_404(user_id)
    try:
        temporary = services.reset_password(db.session, user(), account)
    except DrafterError as e:
        flash(refused(e), "error")
        return redirect(url_for("auth.admin_users"))
    return render_template("auth/password_reset.html", account=account, temporary=temporary)


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@login_required
def set_active(user_id: int):
    """Deactivate an account (it can no longer sign in; its sessions end) or activate it again."""
    _require_admin()
    account = _account_or_404(user_id)
    form = ActiveForm()
    if not form.validate():
        flash(" ".join(form.active.errors), "error")
    else:
        try:
            services.set_active(db.session, user(), account, form.activate)
            flash(
                f"{account.email} is {'active again' if form.activate else 'deactivated: it can no longer sign in'}.",
                "success",
            )
        except DrafterError as e:
            flash(refused(e), "error")
    return redirect(url_for("auth.admin_users", q=UserFilterForm(formdata=request.args).q.data))


@bp.route("/admin/delegations", methods=["GET", "POST"])
@login_required
def admin_delegations():
    _require_admin()
    form = DelegationForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                d = services.create_delegation(db.session, user(), name=form.name.data or "", kind=form.kind.data)
            except DrafterError as e:
                status = show_refusal(form, e)
            else:
                flash(f"Delegation {d.name} created.", "success")
                return redirect(url_for("auth.admin_delegations"))
    filters = DelegationFilterForm(formdata=request.args)
    query = sa.select(Delegation).order_by(Delegation.name)
    if filters.q.data:
        query = query.where(sa.func.lower(Delegation.name).like(f"%{filters.q.data.lower()}%"))
    if filters.kind.data is not None:
        query = query.where(Delegation.kind == filters.kind.data)
    delegations = db.session.scalars(query).all()
    return render_template("auth/delegations.html", form=form, delegations=delegations, filters=filters), status
