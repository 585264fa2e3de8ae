"""Accounts, delegations and roles: the verbs. They flush and audit; the caller commits."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from drafter import audit
from drafter.auth.models import Delegation, DelegationKind, Membership, Role, User
from drafter.drafting.models import Negotiation
from drafter.errors import InvalidInput

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
# Checked against when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_HASH: dict[str, str] = {}


def _hash_method() -> str:
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return "scrypt"


def hash_password(password: str) -> str:
    """Return a salted hash of the password."""
    return generate_password_hash(password, method=_hash_method())


def normalise_email(email: str) -> str:
    """Return the e-mail address as stored: trimmed and lower-case."""
    return email.strip().lower()


def create_user(
    session: Session, actor: User | None, *, email: str, name: str, password: str, is_admin: bool = False
) -> User:
    """Create a user account and return it."""
    email = normalise_email(email)
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidInput(f"{email!r} is not a valid e-mail address.")
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput("A name of 1 to 120 characters is required.")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"Passwords need at least {MIN_PASSWORD} characters.")
    if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise InvalidInput(f"There is already an account for {email}.")
    user = User(email=email, name=name, password_hash=hash_password(password), is_admin=is_admin)
    session.add(user)
    audit.record(session, actor, "user.created", user, negotiation_id=None, summary=f"Created account {email}")
    return user


def set_password(session: Session, actor: User | None, user: User, password: str) -> None:
    """Replace a user's password."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"Passwords need at least {MIN_PASSWORD} characters.")
    user.password_hash = hash_password(password)
    audit.record(session, actor, "user.password_set", user, negotiation_id=None, summary=f"Set password of {user.email}")


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None (without saying which was wrong)."""
    user = session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        method = _hash_method()
        if method not in _DUMMY_HASH:
            _DUMMY_HASH[method] = generate_password_hash("not a password", method=method)
        check_password_hash(_DUMMY_HASH[method], password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def create_delegation(session: Session, actor: User | None, *, name: str, kind: DelegationKind) -> Delegation:
    """Create a delegation (member state, observer or group) and return it."""
    name = " ".join(name.split())
    if not name or len(name) > 120:
        raise InvalidInput("A delegation name of 1 to 120 characters is required.")
    if session.scalar(sa.select(Delegation.id).where(sa.func.lower(Delegation.name) == name.lower())):
        raise InvalidInput(f"The delegation {name!r} already exists.")
    delegation = Delegation(name=name, kind=kind)
    session.add(delegation)
    audit.record(session, actor, "delegation.created", delegation, negotiation_id=None, summary=f"Created delegation {name}")
    return delegation


def grant_role(
    session: Session,
    actor: User | None,
    *,
    user: User,
    negotiation: Negotiation,
    role: Role,
    delegation: Delegation | None = None,
) -> Membership:
    """Give the user a role in the negotiation (replacing any role they had) and return it."""
    if role is Role.DELEGATE and delegation is None:
        raise InvalidInput("A delegate must be given the delegation they speak for.")
    if role is not Role.DELEGATE:
        delegation = None
    membership = user.membership_in(negotiation.id)
    before = None
    if membership is None:
        membership = Membership(user=user, negotiation=negotiation, role=role, delegation=delegation)
        session.add(membership)
    else:
        before = {"role": membership.role.value, "delegation": membership.delegation.name if membership.delegation else None}
        membership.role, membership.delegation = role, delegation
    who = f"{role.label}" + (f" of {delegation.name}" if delegation else "")
    audit.record(
        session, actor, "membership.granted", membership, negotiation_id=negotiation.id,
        summary=f"{user.email} is now {who}", before=before,
        after={"role": role.value, "delegation": delegation.name if delegation else None},
    )
    return membership


def revoke_role(session: Session, actor: User | None, membership: Membership) -> None:
    """Remove a user's role in a negotiation."""
    audit.record(
        session, actor, "membership.revoked", membership, negotiation_id=membership.negotiation_id,
        summary=f"{membership.user.email} no longer has a role",
        before={"role": membership.role.value},
    )
    session.delete(membership)
