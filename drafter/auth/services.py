"""Accounts, delegations and roles: the verbs. They flush and audit; the caller commits."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from drafter import audit, throttle
from drafter.auth import passwords, sessions
from drafter.auth.models import Delegation, DelegationKind, Membership, Role, User
from drafter.auth.permissions import may_assign_role
from drafter.errors import InvalidInput, NotAllowed, StateError

if TYPE_CHECKING:
    from drafter.drafting.models import Negotiation

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
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
    passwords.check(password, email=email, name=name)
    if session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise InvalidInput(f"There is already an account for {email}.")
    user = User(email=email, name=name, password_hash=hash_password(password), is_admin=is_admin)
    session.add(user)
    audit.record(session, actor, "user.created", user, negotiation_id=None, summary=f"Created account {email}")
    return user


def set_password(session: Session, actor: User | None, user: User, password: str) -> None:
    """Replace a user's password and end every session of theirs."""
    ended = _replace_password(session, user, password)
    audit.record(
        session,
        actor,
        "user.password_set",
        user,
        negotiation_id=None,
        summary=f"Set password of {user.email}",
        sessions_ended=ended,
    )


def _replace_password(session: Session, user: User, password: str) -> int:
    """Give the user a password of their own (checked against the rules); end their sessions; return how many."""
    passwords.check(password, email=user.email, name=user.name)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    return sessions.end_all(session, user)


def change_password(session: Session, user: User, *, current: str, new: str) -> None:
    """Replace the user's own password, given the current one; every session of theirs ends."""
    if not check_password_hash(user.password_hash, current):
        raise InvalidInput("The current password is not right.")
    if new == current:
        raise InvalidInput("The new password must differ from the current one.")
    ended = _replace_password(session, user, new)
    audit.record(
        session,
        user,
        "user.password_changed",
        user,
        negotiation_id=None,
        summary=f"{user.email} changed their password",
        sessions_ended=ended,
    )


def reset_password(session: Session, actor: User | None, user: User) -> str:
    """Give the user a temporary password that they must change at sign-in, end their sessions; return it."""
    if actor is not None and actor.id == user.id:
        raise NotAllowed("To change your own password, use your account page.")
    temporary = passwords.temporary()
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    ended = sessions.end_all(session, user)
    audit.record(
        session,
        actor,
        "user.password_reset",
        user,
        negotiation_id=None,
        summary=f"Reset the password of {user.email}",
        sessions_ended=ended,
    )
    return temporary


def set_active(session: Session, actor: User | None, user: User, active: bool) -> None:
    """Deactivate an account (it can no longer sign in, its sessions end) or activate it again."""
    if user.active == active:
        return
    if not active:
        if actor is not None and actor.id == user.id:
            raise NotAllowed("You cannot deactivate your own account.")
        for m in user.memberships:
            if m.role is Role.COFACILITATOR and _cofacilitators(session, m.negotiation_id, exclude=user.id) == 0:
                raise StateError(
                    f"{user.email} is the only co-facilitator of {m.negotiation.title}: "
                    "name another co-facilitator first."
                )
        sessions.end_all(session, user)
    user.active = active
    audit.record(
        session,
        actor,
        "user.activated" if active else "user.deactivated",
        user,
        negotiation_id=None,
        summary=f"{'Activated' if active else 'Deactivated'} the account of {user.email}",
    )


def _cofacilitators(session: Session, negotiation_id: int, *, exclude: int) -> int:
    """Return how many active co-facilitators the negotiation has besides the user ``exclude``."""
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .join(User)
            .where(
                Membership.negotiation_id == negotiation_id,
                Membership.role == Role.COFACILITATOR,
                User.active.is_(True),
                User.id != exclude,
            )
        )
        or 0
    )


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


class SignInRefused(InvalidInput):
    """The sign-in failed: wrong credentials, or too many failures (``wait`` seconds until the next try)."""

    def __init__(self, message: str, wait: int = 0) -> None:
        super().__init__(message)
        self.wait = wait


WRONG_CREDENTIALS = "The e-mail address or password is not right."


def sign_in(session: Session, email: str, password: str, *, address: str, limits: SignInLimits) -> User:
    """Return the user with these credentials, or raise SignInRefused; failures are throttled.

    Failures are counted per account and per client address, in the database so that every app
    process counts them; while either is over its limit no password is tried at all, so a
    guesser learns nothing. The message is the same whether or not the account exists. The
    caller commits in either case: the failures must be kept.
    """
    keys = (
        (f"login-account:{normalise_email(email)}", limits.per_account),
        (f"login-address:{address}", limits.per_address),
    )
    wait = max(throttle.wait(session, key, limit=limit, per=limits.window) for key, limit in keys)
    if wait:
        minutes = max(1, -(-wait // 60))
        raise SignInRefused(
            f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes > 1 else ''}.", wait
        )
    user = authenticate(session, email, password)
    if user is None:
        for key, _ in keys:
            throttle.hit(session, key, per=limits.window)
        raise SignInRefused(WRONG_CREDENTIALS)
    throttle.clear(session, keys[0][0])
    return user


@dataclass(frozen=True)
class SignInLimits:
    """How many failed sign-ins are allowed per account and per client address within ``window``."""

    per_account: int = 10
    per_address: int = 100
    window: dt.timedelta = dt.timedelta(minutes=15)


def create_delegation(session: Session, actor: User | None, *, name: str, kind: DelegationKind) -> Delegation:
    """Create a delegation (member state, observer or group) and return it."""
    name = " ".join(name.split())
    if not name or len(name) > 120:
        raise InvalidInput("A delegation name of 1 to 120 characters is required.")
    if session.scalar(sa.select(Delegation.id).where(sa.func.lower(Delegation.name) == name.lower())):
        raise InvalidInput(f"The delegation {name!r} already exists.")
    delegation = Delegation(name=name, kind=kind)
    session.add(delegation)
    audit.record(
        session, actor, "delegation.created", delegation, negotiation_id=None, summary=f"Created delegation {name}"
    )
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
    current = membership.role if membership else None
    if not may_assign_role(actor, negotiation, current, role):
        raise NotAllowed(_refusal(current, role))
    if current is Role.COFACILITATOR and role is not Role.COFACILITATOR:
        _keep_a_cofacilitator(session, negotiation, user)
    before = None
    if membership is None:
        membership = Membership(user=user, negotiation=negotiation, role=role, delegation=delegation)
        session.add(membership)
    else:
        before = {
            "role": membership.role.value,
            "delegation": membership.delegation.name if membership.delegation else None,
        }
        membership.role, membership.delegation = role, delegation
    who = f"{role.label}" + (f" of {delegation.name}" if delegation else "")
    was = f" (was {current.label})" if current else ""
    audit.record(
        session,
        actor,
        "membership.granted",
        membership,
        negotiation_id=negotiation.id,
        summary=f"{_name(actor)} made {user.email} {who}{was}",
        before=before,
        after={"role": role.value, "delegation": delegation.name if delegation else None},
        member=user.email,
    )
    return membership


def revoke_role(session: Session, actor: User | None, membership: Membership) -> None:
    """Remove a user's role in a negotiation."""
    negotiation = membership.negotiation
    if not may_assign_role(actor, negotiation, membership.role, None):
        raise NotAllowed(_refusal(membership.role, None))
    if membership.role is Role.COFACILITATOR:
        _keep_a_cofacilitator(session, negotiation, membership.user)
    audit.record(
        session,
        actor,
        "membership.revoked",
        membership,
        negotiation_id=membership.negotiation_id,
        summary=f"{_name(actor)} removed {membership.user.email} as {membership.role.label}",
        before={"role": membership.role.value},
        member=membership.user.email,
    )
    session.delete(membership)


def _name(actor: User | None) -> str:
    return actor.email if actor is not None else "The command line"


def _refusal(current: Role | None, role: Role | None) -> str:
    if Role.COFACILITATOR in (current, role):
        return "Only an administrator gives or removes the co-facilitator role."
    return "You may give and remove the roles of delegates and observers only."


def _keep_a_cofacilitator(session: Session, negotiation: Negotiation, leaving: User) -> None:
    if _cofacilitators(session, negotiation.id, exclude=leaving.id) == 0:
        raise StateError(
            f"{leaving.email} is the only co-facilitator of this negotiation: name another co-facilitator first."
        )
