"""Who may do what: one table of roles and actions, and the few rules that depend on objects.

Every view asks this module; nothing else decides permissions. The table reads as the
negotiation practice: co-facilitators own the text, the secretariat produces the files and
keeps the record, delegates speak for their own delegation, observers read what is public.
Instance administrators manage accounts, delegations and members, and read what is public
and the record; they do not draft or propose, nor read working revisions (which only the
co-facilitators and the secretariat see), unless they also hold that role in the negotiation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from drafter.auth.models import Role

if TYPE_CHECKING:
    from drafter.auth.models import Delegation, User
    from drafter.drafting.models import Negotiation, Revision
    from drafter.proposals.queries import Shown


class Action(StrEnum):
    READ = "read"  #: read the negotiation's public revisions
    READ_WORKING = "read_working"  #: read working (unpublished) revisions
    DRAFT = "draft"  #: import revisions, edit the working revision, set statuses
    CIRCULATE = "circulate"  #: circulate, put under silence, adopt, release compilations
    EDIT_MASTHEAD = "edit_masthead"  #: set a revision's document identity: symbol, date, masthead, title
    RECORD_SILENCE_BREAK = "record_silence_break"  #: record any delegation's silence break
    PROPOSE = "propose"  #: propose, co-sponsor, support or oppose for one's own delegation
    PROPOSE_ON_BEHALF = "propose_on_behalf"  #: enter proposals for any delegation (imports)
    READ_ALL_PROPOSALS = "read_all_proposals"  #: see every proposal as it arrives
    DECIDE = "decide"  #: decide proposals and fold them into the working revision
    EXPORT_ANY = "export_any"  #: export any revision and compilation
    EXPORT_PUBLIC = "export_public"  #: export public revisions (clean and tracked)
    MANAGE_MEMBERS = "manage_members"  #: add people to the negotiation, change its settings
    READ_AUDIT = "read_audit"  #: read the audit log and the export archive
    RUN_READING = "run_reading"  #: open, drive and close readings in the room
    TYPE_IN_ROOM = "type_in_room"  #: edit the paragraph under negotiation in a reading of the working revision
    REQUEST_FLOOR = "request_floor"  #: ask for the floor in a reading, for one's own delegation


_READER = {Action.READ}
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.COFACILITATOR: frozenset(
        _READER
        | {
            Action.READ_WORKING,
            Action.DRAFT,
            Action.CIRCULATE,
            Action.EDIT_MASTHEAD,
            Action.RECORD_SILENCE_BREAK,
            Action.READ_ALL_PROPOSALS,
            Action.DECIDE,
            Action.EXPORT_ANY,
            Action.EXPORT_PUBLIC,
            Action.READ_AUDIT,
            Action.RUN_READING,
            Action.TYPE_IN_ROOM,
        }
    ),
    Role.SECRETARIAT: frozenset(
        _READER
        | {
            Action.READ_WORKING,
            Action.EDIT_MASTHEAD,
            Action.RECORD_SILENCE_BREAK,
            Action.PROPOSE_ON_BEHALF,
            Action.READ_ALL_PROPOSALS,
            Action.EXPORT_ANY,
            Action.EXPORT_PUBLIC,
            Action.MANAGE_MEMBERS,
            Action.READ_AUDIT,
            Action.TYPE_IN_ROOM,
        }
    ),
    Role.DELEGATE: frozenset(_READER | {Action.PROPOSE, Action.EXPORT_PUBLIC, Action.REQUEST_FLOOR}),
    Role.OBSERVER: frozenset(_READER),
}
#: what an instance administrator may do in a negotiation where they hold no role
ADMIN_ACTIONS = frozenset(
    {
        Action.READ,
        Action.READ_ALL_PROPOSALS,
        Action.EXPORT_ANY,
        Action.EXPORT_PUBLIC,
        Action.MANAGE_MEMBERS,
        Action.READ_AUDIT,
    }
)


def role_of(user: User | None, negotiation: Negotiation) -> Role | None:
    """Return the user's role in the negotiation, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    m = user.membership_in(negotiation.id)
    return m.role if m else None


def actions_of(user: User | None, negotiation: Negotiation) -> frozenset[Action]:
    """Return every action the user may take in the negotiation."""
    role = role_of(user, negotiation)
    actions = ROLE_ACTIONS[role] if role else frozenset()
    if user is not None and getattr(user, "is_authenticated", False) and user.is_admin:
        actions = actions | ADMIN_ACTIONS
    return actions


def administers(user: User | None) -> bool:
    """Return True when the user is an instance administrator: accounts, delegations, new negotiations."""
    return user is not None and getattr(user, "is_authenticated", False) and user.is_admin


def can(user: User | None, action: Action, negotiation: Negotiation) -> bool:
    """Return True when the user may take the action in the negotiation."""
    return action in actions_of(user, negotiation)


def can_read_revision(user: User | None, revision: Revision) -> bool:
    """Return True when the user may read the revision: public ones, or working ones if allowed."""
    negotiation = revision.negotiation
    if revision.state.is_public:
        return can(user, Action.READ, negotiation)
    return can(user, Action.READ_WORKING, negotiation)


def own_delegation(user: User | None, negotiation: Negotiation) -> Delegation | None:
    """Return the delegation the user speaks for in the negotiation, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    m = user.membership_in(negotiation.id)
    if m is None or m.role is not Role.DELEGATE:
        return None
    return m.delegation


def can_act_for(user: User | None, negotiation: Negotiation, delegation: Delegation) -> bool:
    """Return True when the user may propose or take positions for this delegation."""
    if can(user, Action.PROPOSE_ON_BEHALF, negotiation):
        return True
    own = own_delegation(user, negotiation)
    return own is not None and own.id == delegation.id and can(user, Action.PROPOSE, negotiation)


def may_break_silence_for(user: User | None, negotiation: Negotiation, delegation: Delegation) -> bool:
    """Return True when the user may record this delegation's break of a silence procedure."""
    return can(user, Action.RECORD_SILENCE_BREAK, negotiation) or can_act_for(user, negotiation, delegation)


class ProposalScope(StrEnum):
    ALL = "all"  #: every proposal on the revision
    OWN = "own"  #: only those the user's delegation made, co-sponsors or took a position on
    NONE = "none"  #: none

    @property
    def is_own_only(self) -> bool:
        """Return True when the user sees only their own delegation's proposals."""
        return self is ProposalScope.OWN

    @property
    def is_none(self) -> bool:
        """Return True when the user sees no proposal."""
        return self is ProposalScope.NONE


def proposal_scope(user: User | None, revision: Revision) -> ProposalScope:
    """Return which proposals on a revision the user may see, under the negotiation's setting."""
    from drafter.drafting.models import ProposalVisibility

    negotiation = revision.negotiation
    if not can_read_revision(user, revision):
        return ProposalScope.NONE
    if can(user, Action.READ_ALL_PROPOSALS, negotiation):
        return ProposalScope.ALL
    released = revision.compilation_released_at is not None
    if role_of(user, negotiation) is Role.DELEGATE:
        if released or negotiation.proposal_visibility is ProposalVisibility.IMMEDIATE:
            return ProposalScope.ALL
        return ProposalScope.OWN
    return ProposalScope.ALL if released else ProposalScope.NONE


def can_export(user: User | None, kind: str, revision: Revision, from_revision: Revision | None = None) -> bool:
    """Return True when the user may export this kind of Word file of these revisions.

    Co-facilitators and the secretariat export anything; delegates export public revisions,
    clean or tracked against another public revision, and a compilation once the negotiation's
    release setting lets them see every proposal in it (at once, or when it is released).
    """
    negotiation = revision.negotiation
    if can(user, Action.EXPORT_ANY, negotiation):
        return True
    if not can(user, Action.EXPORT_PUBLIC, negotiation) or not revision.state.is_public:
        return False
    if kind == "compilation":
        return from_revision is None and proposal_scope(user, revision) is ProposalScope.ALL
    return from_revision is None or from_revision.state.is_public


#: the roles that those who manage members without being administrators may give and take away
_MANAGED_ROLES = frozenset({Role.DELEGATE, Role.OBSERVER})


def may_assign_role(actor: User | None, negotiation: Negotiation, current: Role | None, new: Role | None) -> bool:
    """Return True when the actor may change a member's role from ``current`` to ``new`` (None: no role).

    Administrators give and remove every role, the co-facilitator's included; the secretariat
    manages delegates and observers only, so no one promotes themselves or removes those who
    own the text. ``actor`` None is the command line, run by whoever runs the server.
    """
    if actor is None:
        return True
    if getattr(actor, "is_authenticated", False) and actor.is_admin:
        return True
    if not can(actor, Action.MANAGE_MEMBERS, negotiation):
        return False
    return all(r is None or r in _MANAGED_ROLES for r in (current, new))


@dataclass(frozen=True)
class Abilities:
    """The answers a negotiation's pages print: what this user may do there.

    Views pass one to their template as ``may``; templates ask ``may.circulate`` or
    ``may.export(revision)`` and decide nothing themselves.
    """

    user: User | None
    negotiation: Negotiation
    actions: frozenset[Action]
    delegation: Delegation | None

    def _has(self, action: Action) -> bool:
        return action in self.actions

    @property
    def read_working(self) -> bool:
        """Return True when the user reads working revisions."""
        return self._has(Action.READ_WORKING)

    @property
    def draft(self) -> bool:
        """Return True when the user imports and edits revisions."""
        return self._has(Action.DRAFT)

    @property
    def circulate(self) -> bool:
        """Return True when the user circulates, puts under silence, adopts and releases compilations."""
        return self._has(Action.CIRCULATE)

    @property
    def edit_masthead(self) -> bool:
        """Return True when the user sets revisions' symbols, dates, mastheads, titles and chapeaux."""
        return self._has(Action.EDIT_MASTHEAD)

    @property
    def decide(self) -> bool:
        """Return True when the user decides proposals."""
        return self._has(Action.DECIDE)

    @property
    def read_audit(self) -> bool:
        """Return True when the user reads the record."""
        return self._has(Action.READ_AUDIT)

    @property
    def manage_members(self) -> bool:
        """Return True when the user adds and removes members."""
        return self._has(Action.MANAGE_MEMBERS)

    @property
    def change_settings(self) -> bool:
        """Return True when the user may change the negotiation's settings."""
        return self._has(Action.CIRCULATE) or self._has(Action.MANAGE_MEMBERS)

    @property
    def run_reading(self) -> bool:
        """Return True when the user opens, drives and closes readings."""
        return self._has(Action.RUN_READING)

    @property
    def type_in_room(self) -> bool:
        """Return True when the user edits the paragraph under negotiation in a reading."""
        return self._has(Action.TYPE_IN_ROOM)

    @property
    def request_floor(self) -> bool:
        """Return True when the user asks for the floor in readings, for their own delegation."""
        return self.delegation is not None and self._has(Action.REQUEST_FLOOR)

    @property
    def export_files(self) -> bool:
        """Return True when the user may export some Word file of the negotiation."""
        return self._has(Action.EXPORT_ANY) or self._has(Action.EXPORT_PUBLIC)

    @property
    def enter_proposals(self) -> bool:
        """Return True when the user may make proposals: for their own delegation or on behalf of any."""
        return self._has(Action.PROPOSE_ON_BEHALF) or (self.delegation is not None and self._has(Action.PROPOSE))

    def export(self, revision: Revision, from_revision: Revision | None = None, kind: str = "clean") -> bool:
        """Return True when the user may export this revision (tracked against ``from_revision``)."""
        if from_revision is not None and kind == "clean":
            kind = "tracked"
        return can_export(self.user, kind, revision, from_revision)

    def take_position(self, proposal: Shown) -> bool:
        """Return True when the user may co-sponsor, support or oppose this proposal for their delegation."""
        from drafter.dbtypes import utcnow

        return (
            self.delegation is not None
            and proposal.delegation_id != self.delegation.id
            and proposal.state.is_submitted
            and proposal.revision.accepts_proposals(utcnow())
        )

    def open_lifecycle(self, revision: Revision) -> bool:
        """Return True when the revision's circulation page has something for the user to do."""
        from drafter.drafting.models import RevisionState

        if self.circulate:
            return True
        return revision.state is RevisionState.UNDER_SILENCE and (
            self.delegation is not None or self._has(Action.RECORD_SILENCE_BREAK)
        )


def abilities(user: User | None, negotiation: Negotiation) -> Abilities:
    """Return what the user may do in the negotiation, as its pages ask it."""
    return Abilities(user, negotiation, actions_of(user, negotiation), own_delegation(user, negotiation))
