"""What every ``drafter`` command shares: one transaction per command, and finding what it names.

Domain CLIs import these helpers from here; ``drafter/cli.py`` only registers the commands.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click
import sqlalchemy as sa

from drafter.errors import DrafterError, InvalidInput
from drafter.extensions import db

if TYPE_CHECKING:
    from drafter.auth.models import Delegation
    from drafter.drafting.models import Negotiation

F = TypeVar("F", bound=Callable[..., Any])


def transactional(fn: F) -> F:
    """Run a command in one transaction: commit at the end, or roll back and exit with the message."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
            db.session.commit()
            return result
        except DrafterError as e:
            db.session.rollback()
            raise click.ClickException(e.message) from None
        except BaseException:
            db.session.rollback()
            raise

    return wrapper  # type: ignore[return-value]


def find_negotiation(slug: str) -> Negotiation:
    """Return the negotiation with this short name, or stop with a message."""
    # Imported when called: every domain's CLI imports this module, so it loads no domain itself.
    from drafter.drafting.models import Negotiation

    n = db.session.scalar(sa.select(Negotiation).where(Negotiation.slug == slug.strip().lower()))
    if n is None:
        raise InvalidInput(f"No negotiation is called {slug!r}.")
    return n


def find_delegation(name: str) -> Delegation:
    """Return the delegation with this name (case-insensitive), or stop with a message."""
    from drafter.auth.models import Delegation

    d = db.session.scalar(sa.select(Delegation).where(sa.func.lower(Delegation.name) == name.strip().lower()))
    if d is None:
        raise InvalidInput(
            f"No delegation is called {name!r}. Create it with: drafter delegations create {name!r} --kind KIND"
        )
    return d
