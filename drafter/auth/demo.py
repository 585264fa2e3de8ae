"""The demo's accounts, which the login page lists while the demo negotiation is loaded.

They live with the accounts so that the login page needs nothing from the demo loader
(drafter/demo.py), which sits above every domain.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from drafter.auth.models import Role, User

PASSWORD = "drafter-demo"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role | None  #: None: instance administrator without a role in the negotiation
    delegation: str = ""

    @property
    def description(self) -> str:
        if self.role is None:
            return "Administrator"
        return self.role.label + (f" ({self.delegation})" if self.delegation else "")


ACCOUNTS = [
    DemoAccount("amina@demo.drafter.example", "Amina Diallo", Role.COFACILITATOR),
    DemoAccount("lars@demo.drafter.example", "Lars Eriksen", Role.COFACILITATOR),
    DemoAccount("secretariat@demo.drafter.example", "Sofia Ramos", Role.SECRETARIAT),
    DemoAccount("g77@demo.drafter.example", "Tariq Hassan", Role.DELEGATE, "G77 and China"),
    DemoAccount("eu@demo.drafter.example", "Claire Martin", Role.DELEGATE, "European Union"),
    DemoAccount("mexico@demo.drafter.example", "Lucía Ortega", Role.DELEGATE, "Mexico"),
    DemoAccount("japan@demo.drafter.example", "Kenji Sato", Role.DELEGATE, "Japan"),
    DemoAccount("fiji@demo.drafter.example", "Mere Tuilagi", Role.DELEGATE, "Fiji"),
    DemoAccount("observer@demo.drafter.example", "Ana Costa", Role.OBSERVER),
    DemoAccount("admin@demo.drafter.example", "Drafter Admin", None),
]


def demo_loaded(session: Session) -> bool:
    """Return True when ``drafter demo`` has made its accounts (the ones the login page may list)."""
    return session.scalar(sa.select(User.id).where(User.email == ACCOUNTS[0].email).limit(1)) is not None


def demo_logins(session: Session) -> list[tuple[DemoAccount, str]]:
    """Return the demo accounts and their password, when the demo is loaded and may be shown."""
    if has_app_context() and not current_app.config.get("SHOW_DEMO_LOGINS", True):
        return []
    if not demo_loaded(session):
        return []
    return [(a, PASSWORD) for a in ACCOUNTS]
