"""Every model, imported in one place so the metadata (and Alembic) sees all tables."""

from drafter.audit import AuditEvent
from drafter.auth.models import Delegation, DelegationKind, Membership, Role, User, UserSession
from drafter.auth.tokens import ApiToken
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
from drafter.notifications.models import (
    Delivery,
    DigestEntry,
    MailState,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from drafter.proposals.models import (
    Proposal,
    ProposalKind,
    ProposalPosition,
    ProposalSource,
    ProposalState,
    Stance,
)
from drafter.room.models import FloorRequest, FloorState, Mark, Reading, ReadingEvent, ReadingMark
from drafter.search.index import SearchEntry  # the index module keeps the table current on every flush
from drafter.throttle import ThrottleHit

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Delegation",
    "DelegationKind",
    "Delivery",
    "DigestEntry",
    "ExportKind",
    "ExportRecord",
    "FloorRequest",
    "FloorState",
    "ImportKind",
    "MailState",
    "Mark",
    "Membership",
    "Negotiation",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
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
    "SearchEntry",
    "SilenceBreak",
    "Stance",
    "Status",
    "ThrottleHit",
    "User",
    "UserSession",
]
