"""Every model, imported in one place so the metadata (and Alembic) sees all tables."""

from drafter.audit import AuditEvent
from drafter.auth.models import Delegation, DelegationKind, Membership, Role, User, UserSession
from drafter.drafting.models import (
    Negotiation,
    Paragraph,
    ParagraphVersion,
    ProposalVisibility,
    Revision,
    RevisionState,
    SilenceBreak,
    Status,
)
from drafter.exporting.models import ExportKind, ExportRecord
from drafter.importing.models import ImportKind, PendingImport
from drafter.proposals.models import (
    Proposal,
    ProposalKind,
    ProposalPosition,
    ProposalSource,
    ProposalState,
    Stance,
)
from drafter.room.models import FloorRequest, FloorState, Mark, Reading, ReadingEvent, ReadingMark
from drafter.throttle import ThrottleHit

__all__ = [
    "AuditEvent",
    "Delegation",
    "DelegationKind",
    "ExportKind",
    "ExportRecord",
    "FloorRequest",
    "FloorState",
    "ImportKind",
    "Mark",
    "Membership",
    "Negotiation",
    "Paragraph",
    "ParagraphVersion",
    "PendingImport",
    "Proposal",
    "ProposalKind",
    "ProposalPosition",
    "ProposalSource",
    "ProposalState",
    "ProposalVisibility",
    "Reading",
    "ReadingEvent",
    "ReadingMark",
    "Revision",
    "RevisionState",
    "Role",
    "SilenceBreak",
    "Stance",
    "Status",
    "ThrottleHit",
    "User",
    "UserSession",
]
