"""Delegations' proposals on a circulated revision, and other delegations' positions on them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafter.dbtypes import UTCDateTime, enum_type, utcnow
from drafter.extensions import db
from drafter.text import footnotes
from drafter.text.structure import Kind

if TYPE_CHECKING:
    from drafter.auth.models import Delegation, User
    from drafter.drafting.models import ParagraphVersion, Revision


class ProposalKind(StrEnum):
    AMEND = "amend"  #: new wording for a paragraph
    INSERT = "insert"  #: a new paragraph after a given one (or at the start)
    DELETE = "delete"  #: delete a paragraph
    RETAIN = "retain"  #: keep the paragraph as it is
    TITLE = "title"  #: new wording for the document's title

    @property
    def label(self) -> str:
        return {"amend": "Amend", "insert": "New paragraph", "delete": "Delete", "retain": "Retain", "title": "Title"}[
            self.value
        ]

    def about(self, ref: str, *, capital: bool = False) -> str:
        """Return what a proposal of this kind is, naming its paragraph: "new paragraph after OP17".

        ``ref`` is the reference of the paragraph the proposal concerns (for a new paragraph, the
        one it follows; "" when it opens the text); ``capital`` starts a sentence with it.
        """
        if self is ProposalKind.TITLE:
            words = "a new title"
        elif self is ProposalKind.INSERT:
            words = f"new paragraph after {ref}" if ref else "new paragraph at the start"
        else:
            words = f"{self.label.lower()} {ref}".strip()
        return words[:1].upper() + words[1:] if capital else words

    @property
    def is_amend(self) -> bool:
        """Return True for new wording of an existing paragraph."""
        return self is ProposalKind.AMEND

    @property
    def is_insert(self) -> bool:
        """Return True for a new paragraph."""
        return self is ProposalKind.INSERT

    @property
    def is_delete(self) -> bool:
        """Return True for the deletion of a paragraph."""
        return self is ProposalKind.DELETE

    @property
    def is_retain(self) -> bool:
        """Return True for keeping a paragraph as it stands."""
        return self is ProposalKind.RETAIN

    @property
    def is_title(self) -> bool:
        """Return True for new wording of the document's title (no paragraph is concerned)."""
        return self is ProposalKind.TITLE

    @property
    def has_text(self) -> bool:
        """Return True when the proposal carries wording of its own (amend, insert, title)."""
        return self in (ProposalKind.AMEND, ProposalKind.INSERT, ProposalKind.TITLE)


class ProposalState(StrEnum):
    SUBMITTED = "submitted"  #: open: awaiting the co-facilitators' decision
    WITHDRAWN = "withdrawn"  #: withdrawn by its delegation
    INCORPORATED = "incorporated"  #: taken into the working revision as proposed
    INCORPORATED_WITH_CHANGES = "incorporated_with_changes"  #: taken in, with the co-facilitators' changes
    NOT_RETAINED = "not_retained"  #: not taken into the next revision
    MERGED = "merged"  #: merged with another proposal
    SUPERSEDED = "superseded"  #: its revision was superseded before a decision

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_decided(self) -> bool:
        """Return True for the outcomes the co-facilitators decide."""
        return self.is_incorporated or self in (ProposalState.NOT_RETAINED, ProposalState.MERGED)

    @property
    def is_incorporated(self) -> bool:
        """Return True when the proposal was taken into the working revision (as proposed or changed)."""
        return self in (ProposalState.INCORPORATED, ProposalState.INCORPORATED_WITH_CHANGES)

    @property
    def is_open_to_decision(self) -> bool:
        """Return True when a decision may still be taken or changed (nothing was applied yet)."""
        return self is ProposalState.SUBMITTED or self in (ProposalState.NOT_RETAINED, ProposalState.MERGED)

    @property
    def is_incorporated_with_changes(self) -> bool:
        """Return True for the decision that takes the proposal in with the co-facilitators' wording."""
        return self is ProposalState.INCORPORATED_WITH_CHANGES

    @property
    def is_submitted(self) -> bool:
        """Return True while the proposal awaits a decision and its delegation may still change it."""
        return self is ProposalState.SUBMITTED

    @property
    def is_settled(self) -> bool:
        """Return True once the proposal was decided or its revision superseded (not withdrawn, not open)."""
        return self.is_decided or self is ProposalState.SUPERSEDED


class ProposalSource(StrEnum):
    WEB = "web"  #: typed in the browser
    WORD = "word"  #: read from a delegation's tracked .docx
    AMENDMENT_DOCUMENT = "amendment_document"  #: read from a formal amendment document

    @property
    def origin(self) -> str:
        """Return where the proposal came from, as a sentence names it ("" when typed in the browser)."""
        return {"web": "", "word": "a Word file", "amendment_document": "an amendment document"}[self.value]


class Stance(StrEnum):
    COSPONSOR = "cosponsor"  #: joins the proposal as a co-sponsor
    SUPPORT = "support"  #: supports the proposal
    OPPOSE = "oppose"  #: opposes the proposal

    @property
    def label(self) -> str:
        return {"cosponsor": "co-sponsored by", "support": "supported by", "oppose": "opposed by"}[self.value]

    @property
    def verb(self) -> str:
        """Return the button's word for taking this position ("Co-sponsor")."""
        return {"cosponsor": "Co-sponsor", "support": "Support", "oppose": "Oppose"}[self.value]

    @property
    def past(self) -> str:
        """Return the position as taken ("co-sponsored")."""
        return {"cosponsor": "co-sponsored", "support": "supported", "oppose": "opposed"}[self.value]


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (sa.Index("ix_proposals_revision_target", "revision_id", "target_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the circulated revision the proposal is made on
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(sa.ForeignKey("delegations.id"), index=True)
    kind: Mapped[ProposalKind] = mapped_column(enum_type(ProposalKind))
    #: the paragraph amended, deleted or retained; for a new paragraph, the one it follows
    #: (None: at the start of the text)
    target_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paragraph_versions.id", ondelete="CASCADE"))
    #: kind and depth of a proposed new paragraph
    new_kind: Mapped[Kind | None] = mapped_column(enum_type(Kind))
    new_level: Mapped[int] = mapped_column(default=0)
    #: the wording proposed (amend, insert); "" for delete and retain
    proposed_text: Mapped[str] = mapped_column(sa.Text, default="")
    #: the footnotes the proposed text's markers name, by marker id (``text.footnotes``)
    footnotes: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict, server_default="{}")
    justification: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[ProposalState] = mapped_column(enum_type(ProposalState), default=ProposalState.SUBMITTED)
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id", ondelete="SET NULL"))
    #: the paragraph an incorporated new-paragraph proposal created in the working revision
    result_paragraph_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paragraphs.id", ondelete="SET NULL"))
    source: Mapped[ProposalSource] = mapped_column(enum_type(ProposalSource), default=ProposalSource.WEB)
    #: where it came from: Word author and date of a tracked change, the amendment sentence
    source_meta: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: optimistic lock between a delegate's edit and a co-facilitator's decision
    version: Mapped[int] = mapped_column(default=1)
    #: a copy of the word diff the proposal makes, with the hash of the two texts it was made from
    #: (``proposals.diffs``); None until made. The texts stay the source: a stale copy is made again
    stored_diff: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True))

    revision: Mapped[Revision] = relationship()
    delegation: Mapped[Delegation] = relationship()
    target_version: Mapped[ParagraphVersion | None] = relationship()
    positions: Mapped[list[ProposalPosition]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalPosition.created_at"
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    merged_into: Mapped[Proposal | None] = relationship(remote_side=[id])

    @property
    def notes(self) -> footnotes.Notes:
        """Return the footnotes of the proposed text by marker id."""
        return footnotes.loads(self.footnotes)

    __mapper_args__: dict[str, Any] = {"version_id_col": version}


class ProposalPosition(db.Model):
    """A delegation's co-sponsorship, support or opposition of a proposal."""

    __tablename__ = "proposal_positions"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "delegation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    delegation_id: Mapped[int] = mapped_column(sa.ForeignKey("delegations.id"), index=True)
    stance: Mapped[Stance] = mapped_column(enum_type(Stance))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="positions")
    delegation: Mapped[Delegation] = relationship()
