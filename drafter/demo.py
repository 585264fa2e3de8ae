"""A fictional negotiation to explore Drafter with: text, delegations and accounts for each role.

The text is written for Drafter; it is not taken from any real document.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter.auth import services as accounts
from drafter.auth.demo import ACCOUNTS, PASSWORD, DemoAccount, demo_loaded, demo_logins
from drafter.auth.models import Delegation, DelegationKind, User
from drafter.dbtypes import utcnow
from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation
from drafter.importing.services import masthead_for, read_text_draft
from drafter.lifecycle import services as lifecycle
from drafter.proposals.models import ProposalKind, Stance
from drafter.text.structure import Kind

SLUG = "coastal-resilience"
__all__ = ["ACCOUNTS", "PASSWORD", "SLUG", "DemoAccount", "demo_loaded", "demo_logins", "load_demo"]

TITLE = "Political declaration of the high-level meeting on resilient coastal communities"

#: the masthead the zero draft is imported with; its date of issue is the day it is circulated
MASTHEAD = """\
United Nations A/81/L.99
General Assembly Distr.: Limited
1 December 2026
Original: English
Eighty-first session
Agenda item 19
Sustainable development

Draft resolution submitted by the co-facilitators

Political declaration of the high-level meeting on resilient coastal communities

The General Assembly,

"""

ZERO_DRAFT = """\
Recalling its resolutions on the protection of the marine environment and the outcomes of the previous conferences on oceans and coasts,1

Reaffirming the commitment to leave no one behind, including people living in low-lying coastal areas and small island developing States,

Recognizing that coastal areas are home to a growing share of the world's population and that millions of livelihoods depend on healthy oceans,

Deeply concerned that rising sea levels, storm surges and coastal erosion threaten lives, homes, infrastructure and cultural heritage,

Noting with appreciation the work of regional organizations, local authorities and communities on early warning and coastal planning,

Bearing in mind the particular vulnerabilities of small island developing States2 and least developed countries,

Stressing the importance of international cooperation, the transfer of technology on mutually agreed terms and adequate means of implementation,

Commitments

1. Decides to convene a high-level meeting on resilient coastal communities in 2028, within existing resources;

2. Calls upon Member States to integrate coastal resilience into national development plans, including by:

(a) Strengthening early warning systems so that they reach every person at risk;

(b) Protecting and restoring mangroves, coral reefs, seagrass meadows and other coastal ecosystems;

(c) Involving local communities, women and youth in coastal planning and decision-making;

3. Encourages the sharing of data and good practices on coastal adaptation among States and regional organizations;

4. Urges developed countries to scale up the provision of financial resources for adaptation in the coastal areas of developing countries;

5. Underlines the role of fisheries, tourism and ports in the economies of coastal States and the need to make them more resilient;

Means of implementation

6. Invites international financial institutions to take into account the vulnerability of coastal States in their lending and grant policies;

7. Requests the Secretary-General to prepare, in consultation with Member States, a report on progress in coastal resilience, with recommendations on:

(a) Financing for adaptation and for loss and damage in coastal areas;

(b) Data and monitoring, including:

(i) The coverage of sea-level observation networks;

(ii) Gaps in the capacity of national statistical offices;

8. Also requests the Secretary-General to submit the report to the General Assembly at its eighty-third session;3

Follow-up

9. Decides that the high-level meeting shall adopt a concise and action-oriented political declaration;

10. Encourages the participation of civil society, the private sector and academia in the preparations for the high-level meeting;

11. Decides to include in the provisional agenda of its eighty-third session the item entitled "Resilient coastal communities".

__________
1 Demonstration references, not real documents: resolutions 79/900 and 80/901.
2 As listed by the demonstration secretariat for this exercise.
3 The report would be issued in all six official languages.
"""

DELEGATIONS: list[tuple[str, DelegationKind]] = [
    ("G77 and China", DelegationKind.GROUP),
    ("European Union", DelegationKind.GROUP),
    ("African Group", DelegationKind.GROUP),
    ("Alliance of Small Island States", DelegationKind.GROUP),
    ("Least Developed Countries", DelegationKind.GROUP),
    ("Mexico", DelegationKind.MEMBER_STATE),
    ("Japan", DelegationKind.MEMBER_STATE),
    ("Kenya", DelegationKind.MEMBER_STATE),
    ("Fiji", DelegationKind.MEMBER_STATE),
    ("Norway", DelegationKind.MEMBER_STATE),
    ("Brazil", DelegationKind.MEMBER_STATE),
    ("Switzerland", DelegationKind.MEMBER_STATE),
    ("Holy See", DelegationKind.OBSERVER),
]


def load_demo(session: Session, *, now: dt.datetime | None = None) -> bool:
    """Load the demo negotiation; return False (changing nothing) if it is there already."""
    if demo_loaded(session) or session.scalar(sa.select(Negotiation.id).where(Negotiation.slug == SLUG)):
        return False
    now = now or utcnow()
    delegations = {}
    for name, kind in DELEGATIONS:
        existing = session.scalar(sa.select(Delegation).where(Delegation.name == name))
        delegations[name] = existing or accounts.create_delegation(session, None, name=name, kind=kind)
    negotiation = drafting.create_negotiation(session, None, slug=SLUG, title=TITLE, symbol="A/81/L.99", is_demo=True)
    users: dict[str, User] = {}
    for a in ACCOUNTS:
        account = session.scalar(sa.select(User).where(User.email == a.email))
        if account is None:
            account = accounts.create_user(
                session, None, email=a.email, name=a.name, password=PASSWORD, is_admin=a.role is None
            )
        users[a.email] = account
        if a.role is not None:
            accounts.grant_role(
                session,
                None,
                user=account,
                negotiation=negotiation,
                role=a.role,
                delegation=delegations.get(a.delegation),
            )
    cofacilitator = users[ACCOUNTS[0].email]
    draft = read_text_draft(MASTHEAD + ZERO_DRAFT)
    circulated = now - dt.timedelta(days=2)
    masthead, _ = masthead_for(session, negotiation, draft)
    zero = drafting.import_revision(
        session,
        cofacilitator,
        negotiation,
        label="Zero draft",
        paragraphs=draft.paragraphs,
        masthead=masthead.merged(issued_on=circulated.date()),
        now=circulated,
    )
    lifecycle.circulate(session, cofacilitator, zero, deadline=now + dt.timedelta(days=12), now=circulated)
    session.flush()
    _first_proposals(session, zero, delegations, users, now=now - dt.timedelta(days=1))
    return True


#: The first proposals on the zero draft: (delegation, kind, paragraph opening, text, justification,
#: positions as (delegation, stance)).
PROPOSALS: list[tuple[str, ProposalKind, str, str, str, list[tuple[str, Stance]]]] = [
    (
        "G77 and China",
        ProposalKind.AMEND,
        "Urges developed countries",
        "Urges developed countries to scale up significantly the provision of new, additional and predictable financial "
        "resources for adaptation in the coastal areas of developing countries, in particular grant-based finance;",
        "Adaptation finance must be new, additional and predictable.",
        [
            ("African Group", Stance.COSPONSOR),
            ("Least Developed Countries", Stance.COSPONSOR),
            ("Brazil", Stance.SUPPORT),
            ("European Union", Stance.OPPOSE),
        ],
    ),
    (
        "European Union",
        ProposalKind.AMEND,
        "Recognizing that coastal areas",
        "Recognizing that coastal areas are home to a growing share of the world's population, that millions of livelihoods "
        "depend on healthy oceans and that women and girls are disproportionately affected by coastal hazards,",
        "",
        [("Norway", Stance.COSPONSOR), ("Mexico", Stance.SUPPORT)],
    ),
    (
        "Mexico",
        ProposalKind.INSERT,
        "Invites international financial institutions",
        "Encourages the use of debt-for-climate-resilience swaps and other innovative instruments for coastal adaptation;",
        "A concrete instrument that several coastal States already use.",
        [("Japan", Stance.OPPOSE)],
    ),
    (
        "Alliance of Small Island States",
        ProposalKind.RETAIN,
        "Bearing in mind the particular vulnerabilities",
        "",
        "This language is agreed in earlier outcome documents.",
        [("Fiji", Stance.COSPONSOR), ("G77 and China", Stance.SUPPORT)],
    ),
    (
        "Switzerland",
        ProposalKind.DELETE,
        "Decides that the high-level meeting shall adopt",
        "",
        "The modalities resolution already covers the outcome of the meeting.",
        [],
    ),
    # Delegations write in the language they negotiate in: a Chinese and an Arabic justification
    (
        "G77 and China",
        ProposalKind.RETAIN,
        "Recognizing that coastal areas",
        "",
        "该段落的措辞已在此前的成果文件中商定，应保持不变，以体现可持续发展的共同承诺。",
        [],
    ),
    (
        "African Group",
        ProposalKind.RETAIN,
        "Decides that the high-level meeting shall adopt",
        "",
        "نؤيّد الإبقاء على هذه الفقرة، فالإعلان السياسي يعكس أولويات البلدان الأفريقية في التكيّف الساحلي.",
        [("Kenya", Stance.SUPPORT)],
    ),
]


def _first_proposals(
    session: Session, revision, delegations: dict[str, Delegation], users: dict[str, User], *, now: dt.datetime
) -> None:
    """Give the demo's zero draft a few proposals, with co-sponsors, support and opposition."""
    from drafter.proposals import services as proposals

    for i, (name, kind, opening, text, why, positions) in enumerate(PROPOSALS):
        target = next(v for v in revision.versions if v.text.startswith(opening))
        when = now + dt.timedelta(minutes=37 * i)
        p = proposals.submit(
            session,
            None,
            revision,
            delegations[name],
            kind=kind,
            target=target,
            text=text,
            justification=why,
            new_kind=Kind.OPERATIVE if kind is ProposalKind.INSERT else None,
            now=when,
        )
        for other, stance in positions:
            proposals.set_position(session, None, p, delegations[other], stance, now=when + dt.timedelta(minutes=5))
