"""Negotiations, their revisions, and paragraphs with an identity across revisions."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafter.dbtypes import UTCDateTime, enum_type, utcnow
from drafter.extensions import db
from drafter.text import footnotes
from drafter.text.masthead import Masthead
from drafter.text.structure import Kind

if TYPE_CHECKING:
    from drafter.auth.models import Delegation, User


class ProposalVisibility(StrEnum):
    IMMEDIATE = "immediate"  #: delegations see each other's proposals as they arrive
    ON_RELEASE = "on_release"  #: delegations see others' proposals once the compilation is released

    @property
    def label(self) -> str:
        return {
            "immediate": "Immediately, as they arrive",
            "on_release": "When the co-facilitators release the compilation",
        }[self.value]


class RevisionState(StrEnum):
    WORKING = "working"  #: being drafted; seen only by co-facilitators and the secretariat
    CIRCULATED = "circulated"  #: sent to delegations; immutable; open for proposals until the deadline
    UNDER_SILENCE = "under_silence"  #: circulated under a silence procedure until a date
    ADOPTED = "adopted"  #: the final text
    SUPERSEDED = "superseded"  #: a later revision has been circulated

    @property
    def label(self) -> str:
        return {
            "working": "Working draft",
            "circulated": "Circulated",
            "under_silence": "Under silence",
            "adopted": "Adopted",
            "superseded": "Superseded",
        }[self.value]

    @property
    def is_public(self) -> bool:
        """Return True when delegations and observers may read a revision in this state."""
        return self is not RevisionState.WORKING

    @property
    def is_working(self) -> bool:
        """Return True for the working revision, the only one that still takes edits."""
        return self is RevisionState.WORKING

    @property
    def is_circulated(self) -> bool:
        """Return True while a revision is circulated and not (yet) under silence."""
        return self is RevisionState.CIRCULATED

    @property
    def is_under_silence(self) -> bool:
        """Return True while a silence procedure runs on the revision."""
        return self is RevisionState.UNDER_SILENCE

    @property
    def is_adopted(self) -> bool:
        """Return True for the adopted, final text."""
        return self is RevisionState.ADOPTED


class Status(StrEnum):
    NONE = "none"  #: not yet discussed
    PENDING = "pending"  #: discussed, not agreed
    BRACKETED = "bracketed"  #: contains bracketed text or alternatives
    AGREED_AD_REF = "agreed_ad_ref"  #: agreed ad referendum, pending confirmation by capitals
    AGREED = "agreed"  #: agreed

    @property
    def label(self) -> str:
        return {
            "none": "",
            "pending": "pending",
            "bracketed": "bracketed",
            "agreed_ad_ref": "agreed ad ref",
            "agreed": "agreed",
        }[self.value]

    @property
    def is_set(self) -> bool:
        """Return True once the paragraph's status was set (it is not "not yet discussed")."""
        return self is not Status.NONE


class Negotiation(db.Model):
    __tablename__ = "negotiations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    #: document symbol, e.g. "A/80/L.41"; revisions may carry their own
    symbol: Mapped[str] = mapped_column(sa.String(60), default="")
    proposal_visibility: Mapped[ProposalVisibility] = mapped_column(
        enum_type(ProposalVisibility), default=ProposalVisibility.IMMEDIATE
    )
    #: loaded by ``drafter demo``; its accounts may be shown on the login page
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    revisions: Mapped[list[Revision]] = relationship(
        back_populates="negotiation", order_by="Revision.seq", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Negotiation {self.slug!r}>"


class Revision(db.Model):
    """An ordered state of the whole text: "Zero draft", "Rev.1" ..."""

    __tablename__ = "revisions"
    __table_args__ = (
        sa.UniqueConstraint("negotiation_id", "seq"),
        sa.UniqueConstraint("negotiation_id", "label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(sa.ForeignKey("negotiations.id", ondelete="CASCADE"))
    #: 1 for the first revision of a negotiation, then 2, 3 ...
    seq: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(60))
    # -- the document identity the revision prints (text.masthead.Masthead, field for field)
    symbol: Mapped[str] = mapped_column(sa.String(60), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    distribution: Mapped[str] = mapped_column(sa.String(20), default="")
    original_language: Mapped[str] = mapped_column(sa.String(30), default="")
    session_name: Mapped[str] = mapped_column(sa.String(60), default="")
    committee: Mapped[str] = mapped_column(sa.String(80), default="")
    agenda_item: Mapped[str] = mapped_column(sa.String(30), default="")
    agenda_title: Mapped[str] = mapped_column(sa.String(500), default="")
    sponsor_line: Mapped[str] = mapped_column(sa.Text, default="")
    title: Mapped[str] = mapped_column(sa.String(500), default="")
    chapeau: Mapped[str] = mapped_column(sa.String(300), default="")
    #: footnotes of the title block, marker first ("* On behalf of ...")
    title_footnotes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    state: Mapped[RevisionState] = mapped_column(enum_type(RevisionState), default=RevisionState.WORKING)
    #: the revision this one was started from or is compared with by default
    base_revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revisions.id"))
    proposal_deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    circulated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    circulated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    silence_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    adopted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: when set, delegations and observers may see the compilation of proposals on this revision
    compilation_released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    negotiation: Mapped[Negotiation] = relationship(back_populates="revisions")
    base_revision: Mapped[Revision | None] = relationship(remote_side=[id])
    versions: Mapped[list[ParagraphVersion]] = relationship(
        back_populates="revision", order_by="ParagraphVersion.position", cascade="all, delete-orphan"
    )
    circulated_by: Mapped[User | None] = relationship(foreign_keys=[circulated_by_id])
    silence_breaks: Mapped[list[SilenceBreak]] = relationship(
        back_populates="revision", order_by="SilenceBreak.created_at", cascade="all, delete-orphan"
    )

    @property
    def date(self) -> dt.datetime:
        """Return when the revision was circulated, else when it was made."""
        return self.circulated_at or self.created_at

    @property
    def date_of_issue(self) -> dt.date:
        """Return the date the document prints: its own date of issue, else when it was circulated or made."""
        return self.issued_on or self.date.date()

    @property
    def masthead(self) -> Masthead:
        """Return the revision's document identity as plain data."""
        values = {name: getattr(self, name) for name in MASTHEAD_COLUMNS}
        return Masthead(**values, footnotes=tuple(self.title_footnotes or ()))

    def set_masthead(self, masthead: Masthead) -> None:
        """Set every field of the revision's document identity."""
        for name in MASTHEAD_COLUMNS:
            setattr(self, name, getattr(masthead, name))
        self.title_footnotes = list(masthead.footnotes)

    def accepts_proposals(self, now: dt.datetime) -> bool:
        """Return True while delegations may propose on this revision."""
        return self.state is RevisionState.CIRCULATED and (
            self.proposal_deadline is None or now < self.proposal_deadline
        )

    def __repr__(self) -> str:
        return f"<Revision {self.label!r} {self.state.value}>"


#: the columns of Revision that hold a Masthead field of the same name (footnotes: title_footnotes)
MASTHEAD_COLUMNS = tuple(f.name for f in fields(Masthead) if f.name != "footnotes")


class Paragraph(db.Model):
    """The identity of one paragraph across revisions (its lineage)."""

    __tablename__ = "paragraphs"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(sa.ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    #: when a paragraph was split off another one, the one it came from
    origin_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paragraphs.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    negotiation: Mapped[Negotiation] = relationship()
    origin: Mapped[Paragraph | None] = relationship(remote_side=[id])
    versions: Mapped[list[ParagraphVersion]] = relationship(back_populates="paragraph")


class ParagraphVersion(db.Model):
    """The text of one paragraph in one revision."""

    __tablename__ = "paragraph_versions"
    __table_args__ = (
        sa.UniqueConstraint("revision_id", "paragraph_id"),
        sa.Index("ix_paragraph_versions_revision_position", "revision_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id", ondelete="CASCADE"))
    paragraph_id: Mapped[int] = mapped_column(sa.ForeignKey("paragraphs.id", ondelete="CASCADE"), index=True)
    #: order in the revision, 0-based and consecutive
    position: Mapped[int]
    kind: Mapped[Kind] = mapped_column(enum_type(Kind))
    #: subparagraph depth: 1 for (a), 2 for (i); 0 otherwise
    level: Mapped[int] = mapped_column(default=0)
    #: the number as printed: "5", "(a)", "(ii)"; "" for headings and preambular paragraphs
    number_label: Mapped[str] = mapped_column(sa.String(20), default="")
    text: Mapped[str] = mapped_column(sa.Text)
    #: length of the italic opening words ("Recalling", "Also decides")
    italic_chars: Mapped[int] = mapped_column(default=0)
    #: the footnotes its text's markers name, by marker id: {"1": "Resolution 70/1."} (``text.footnotes``)
    footnotes: Mapped[dict[str, str]] = mapped_column(sa.JSON, default=dict)
    #: who asked for each bracketed passage of the text and who opposed it (``text.brackets``)
    attributions: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    status: Mapped[Status] = mapped_column(enum_type(Status), default=Status.NONE)
    status_note: Mapped[str] = mapped_column(sa.String(500), default="")
    #: optimistic lock: bumped when the text, kind or status changes (not when the paragraph is
    #: renumbered by an edit elsewhere), so a stale edit is a conflict, never an overwrite
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    revision: Mapped[Revision] = relationship(back_populates="versions")
    paragraph: Mapped[Paragraph] = relationship(back_populates="versions")
    updated_by: Mapped[User | None] = relationship()

    @property
    def notes(self) -> footnotes.Notes:
        """Return the footnotes by marker id."""
        return footnotes.loads(self.footnotes)

    def __repr__(self) -> str:
        return f"<ParagraphVersion {self.kind.value} {self.number_label!r} P{self.paragraph_id}>"


class SilenceBreak(db.Model):
    """A delegation's objection that breaks the silence on a revision."""

    __tablename__ = "silence_breaks"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int] = mapped_column(sa.ForeignKey("delegations.id"))
    statement: Mapped[str] = mapped_column(sa.Text)
    #: lineage ids of the paragraphs the delegation objects to
    paragraph_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list, info={"refers_to": "paragraphs"})
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    revision: Mapped[Revision] = relationship(back_populates="silence_breaks")
    delegation: Mapped[Delegation] = relationship()


class KnownDiff(db.Model):
    """The word diff of two paragraph texts, kept so that a comparison need not diff them again.

    Named by the hash of the two texts (``text.runs``): the texts stay the source, and a row that
    does not fit them is made again. Any process fills it on a first comparison; it is no part of
    a negotiation's record and a backup leaves it out (a restored negotiation fills it anew).
    """

    __tablename__ = "known_diffs"
    __table_args__ = {"info": {"backup": "skip"}}

    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    #: the runs, similarity and hash of ``text.runs.encode``
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
