"""``drafter users``, ``drafter delegations`` and ``drafter negotiations`` commands."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa

from drafter.auth import services, tokens
from drafter.auth.models import Delegation, DelegationKind, Role, User
from drafter.cliutil import find_delegation, find_negotiation, transactional
from drafter.errors import InvalidInput
from drafter.extensions import db


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@click.group("users")
def users_cli() -> None:
    """Manage user accounts."""


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's name as shown to others.")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role] + ["admin"]),
    help="Their role in the negotiation, or admin for an instance administrator.",
)
@click.option("--delegation", default="", help="For a delegate: the delegation they speak for.")
@click.option("--negotiation", "slug", default="", help="The negotiation the role is in (not for admin).")
@transactional
def create_user(email: str, name: str, role: str, delegation: str, slug: str) -> None:
    """Create an account (password read from a prompt, or from standard input) and give it a role."""
    negotiation = find_negotiation(slug) if role != "admin" or slug else None
    if role != "admin" and negotiation is None:
        raise InvalidInput("--negotiation is required for this role.")
    d = find_delegation(delegation) if delegation else None
    if role == Role.DELEGATE.value and d is None:
        raise InvalidInput("--delegation is required for a delegate.")
    account = db.session.scalar(sa.select(User).where(User.email == services.normalise_email(email)))
    if account is None:
        account = services.create_user(
            db.session, None, email=email, name=name, password=_read_password(), is_admin=role == "admin"
        )
        click.echo(f"Created account {account.email}.")
    elif role == "admin":
        account.is_admin = True
    if negotiation is not None and role != "admin":
        services.grant_role(db.session, None, user=account, negotiation=negotiation, role=Role(role), delegation=d)
        click.echo(
            f"{account.email} is {Role(role).label}" + (f" of {d.name}" if d else "") + f" in {negotiation.slug}."
        )


def find_user(email: str) -> User:
    """Return the account with this e-mail address, or stop with a message."""
    account = db.session.scalar(sa.select(User).where(User.email == services.normalise_email(email)))
    if account is None:
        raise InvalidInput(f"There is no account for {email}.")
    return account


@users_cli.command("set-password")
@click.argument("email")
@transactional
def set_password(email: str) -> None:
    """Give an account a new password (from a prompt, or one line on standard input); its sessions end."""
    account = find_user(email)
    services.set_password(db.session, None, account, _read_password())
    click.echo(f"New password set for {account.email}; every session of the account has ended.")


@users_cli.command("reset-password")
@click.argument("email")
@transactional
def reset_password(email: str) -> None:
    """Give an account a temporary password, printed once, that must be changed at the next sign-in."""
    account = find_user(email)
    temporary = services.reset_password(db.session, None, account)
    click.echo(f"Temporary password for {account.email} (shown only now; it must be changed at sign-in):")
    click.echo(temporary)


@users_cli.command("deactivate")
@click.argument("email")
@transactional
def deactivate(email: str) -> None:
    """Deactivate an account: it can no longer sign in, and its sessions end."""
    account = find_user(email)
    services.set_active(db.session, None, account, False)
    click.echo(f"Deactivated {account.email}.")


@users_cli.command("activate")
@click.argument("email")
@transactional
def activate(email: str) -> None:
    """Let a deactivated account sign in again."""
    account = find_user(email)
    services.set_active(db.session, None, account, True)
    click.echo(f"Activated {account.email}.")


@users_cli.command("list")
@transactional
def list_users() -> None:
    """List accounts and their roles."""
    for u in db.session.scalars(sa.select(User).order_by(User.email)):
        roles = ", ".join(
            f"{m.negotiation.slug}: {m.role.label}" + (f" ({m.delegation.name})" if m.delegation else "")
            for m in u.memberships
        )
        flags = ("admin " if u.is_admin else "") + ("" if u.active else "deactivated ")
        click.echo(f"{u.email:40} {u.name:28} {flags}{roles}")


@click.group("delegations")
def delegations_cli() -> None:
    """Manage delegations (member states, observers, groups)."""


@delegations_cli.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice([k.value for k in DelegationKind]), default=DelegationKind.MEMBER_STATE.value)
@transactional
def create_delegation(name: str, kind: str) -> None:
    """Create a delegation."""
    d = services.create_delegation(db.session, None, name=name, kind=DelegationKind(kind))
    click.echo(f"Created delegation {d.name} ({d.kind.label}).")


@delegations_cli.command("list")
@transactional
def list_delegations() -> None:
    """List delegations."""
    for d in db.session.scalars(sa.select(Delegation).order_by(Delegation.name)):
        click.echo(f"{d.name:40} {d.kind.label}")


@click.group("tokens")
def tokens_cli() -> None:
    """Manage personal API tokens."""


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for, as its owner will see it.")
@transactional
def create_token(email: str, name: str) -> None:
    """Make an API token for an account and print it (it is shown only now)."""
    account = find_user(email)
    token = tokens.create(db.session, None, account, name)
    click.echo(f"API token “{' '.join(name.split())}” for {account.email} (shown only now; keep it secret):")
    click.echo(token)


@tokens_cli.command("revoke")
@click.argument("email")
@click.option("--prefix", default="", help="Revoke only the token starting with these characters (see `tokens list`).")
@click.option("--all", "every", is_flag=True, help="Revoke every live token of the account.")
@transactional
def revoke_token(email: str, prefix: str, every: bool) -> None:
    """Revoke an account's API token (named by --prefix), or all of them (--all)."""
    account = find_user(email)
    if not prefix and not every:
        raise InvalidInput("Name the token with --prefix (see: drafter tokens list EMAIL), or give --all.")
    found = tokens.by_prefix(db.session, account, prefix)
    if not found:
        raise InvalidInput(f"{account.email} has no live token" + (f" starting with {prefix!r}." if prefix else "."))
    if prefix and not every and len(found) > 1:
        raise InvalidInput(f"{len(found)} tokens start with {prefix!r}: give more characters, or --all.")
    for row in found:
        tokens.revoke(db.session, None, row)
        click.echo(f"Revoked {row.prefix}… “{row.name}” of {account.email}.")


@tokens_cli.command("list")
@click.argument("email")
@transactional
def list_tokens(email: str) -> None:
    """List an account's API tokens: name, first characters, made, last used, revoked."""
    account = find_user(email)
    for t in tokens.of_user(db.session, account):
        used = t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "never used"
        state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "live"
        click.echo(f"{t.prefix}…  {t.name:40} made {t.created_at:%Y-%m-%d %H:%M}  {used:16}  {state}")
