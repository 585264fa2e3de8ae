"""Build test data in one line, through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from sqlalchemy.orm import Session

from drafter.auth import services as accounts
from drafter.auth.models import Delegation, DelegationKind, Role, User
from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation, ProposalVisibility, Revision
from drafter.lifecycle import services as lifecycle
from drafter.text.structure import Kind, ParsedParagraph
from tests.conftest import TEST_PASSWORD

_n = itertools.count(1)

SAMPLE = [
    (Kind.PREAMBULAR, "Recalling its earlier resolutions on the subject,"),
    (Kind.PREAMBULAR, "Recognizing the importance of international cooperation,"),
    (Kind.HEADING, "Commitments"),
    (Kind.OPERATIVE, "Decides to convene a high-level meeting in 2028;"),
    (Kind.OPERATIVE, "Calls upon Member States to act, including by:"),
    (Kind.SUBPARAGRAPH, "Strengthening early warning systems;"),
    (Kind.SUBPARAGRAPH, "Protecting coastal ecosystems;"),
    (Kind.OPERATIVE, "Requests the Secretary-General to report on progress;"),
]


def negotiation(
    session: Session, *, slug: str = "", title: str = "", visibility: ProposalVisibility = ProposalVisibility.IMMEDIATE
) -> Negotiation:
    n = next(_n)
    return drafting.create_negotiation(
        session,
        None,
        slug=slug or f"test-negotiation-{n}",
        title=title or f"Test negotiation {n}",
        visibility=visibility,
    )


def delegation(session: Session, name: str = "", kind: DelegationKind = DelegationKind.MEMBER_STATE) -> Delegation:
    return accounts.create_delegation(session, None, name=name or f"Delegation {next(_n)}", kind=kind)


def user(
    session: Session,
    *,
    role: Role | None = None,
    negotiation: Negotiation | None = None,
    delegation: Delegation | None = None,
    is_admin: bool = False,
    name: str = "",
) -> User:
    n = next(_n)
    u = accounts.create_user(
        session, None, email=f"user{n}@example.org", name=name or f"User {n}", password=TEST_PASSWORD, is_admin=is_admin
    )
    if role is not None:
        assert negotiation is not None
        accounts.grant_role(session, None, user=u, negotiation=negotiation, role=role, delegation=delegation)
    return u


def paragraphs(items: Sequence[tuple[Kind, str]] = SAMPLE) -> list[ParsedParagraph]:
    return [ParsedParagraph(kind=k, text=t, level=1 if k is Kind.SUBPARAGRAPH else 0) for k, t in items]


def revision(
    session: Session,
    negotiation: Negotiation,
    items: Sequence[tuple[Kind, str]] = SAMPLE,
    *,
    label: str = "",
    circulate: bool = True,
    deadline: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Revision:
    """Import a revision (by default the sample text) and circulate it."""
    now = now or dt.datetime.now(dt.UTC)
    rev = drafting.import_revision(
        session,
        None,
        negotiation,
        label=label or drafting.next_label(session, negotiation),
        paragraphs=paragraphs(items),
        now=now,
    )
    if circulate:
        lifecycle.circulate(session, None, rev, deadline=deadline or now + dt.timedelta(days=7), now=now)
    session.flush()
    return rev


def team(session: Session, negotiation: Negotiation) -> dict[str, User]:
    """Create one user per role (two delegates of different delegations) and an admin."""
    d1 = delegation(session, "Mexico")
    d2 = delegation(session, "G77 and China", DelegationKind.GROUP)
    return {
        "cofacilitator": user(session, role=Role.COFACILITATOR, negotiation=negotiation, name="Co Facilitator"),
        "secretariat": user(session, role=Role.SECRETARIAT, negotiation=negotiation),
        "delegate": user(session, role=Role.DELEGATE, negotiation=negotiation, delegation=d1),
        "delegate2": user(session, role=Role.DELEGATE, negotiation=negotiation, delegation=d2),
        "observer": user(session, role=Role.OBSERVER, negotiation=negotiation),
        "outsider": user(session),
        "admin": user(session, is_admin=True),
    }


def working_revision(session: Session) -> tuple[Negotiation, dict[str, User], Revision]:
    """Create a negotiation with its team, a circulated zero draft and Rev.1 started from it."""
    n = negotiation(session)
    t = team(session, n)
    revision(session, n)
    rev = drafting.start_revision(session, t["cofacilitator"], n)
    session.flush()
    return n, t, rev
