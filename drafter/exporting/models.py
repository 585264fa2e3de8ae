"""Records of generated files (Word, Akoma Ntoso XML) kept in the export archive."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafter.dbtypes import UTCDateTime, enum_type, utcnow
from drafter.extensions import db


class ExportKind(StrEnum):
    CLEAN = "clean"  #: a revision as circulated
    TRACKED = "tracked"  #: a revision with Word track changes against an earlier one
    COMPILATION = "compilation"  #: a revision's paragraphs with the proposals on each
    AKN = "akn"  #: a revision as Akoma Ntoso 3.0 XML (AKN4UN)

    @property
    def label(self) -> str:
        return {
            "clean": "Clean text",
            "tracked": "Tracked changes",
            "compilation": "Compilation",
            "akn": "Akoma Ntoso XML",
        }[self.value]

    @property
    def mimetype(self) -> str:
        """Return the media type a download of this kind is sent with."""
        if self is ExportKind.AKN:
            return "application/akn+xml"
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ExportRecord(db.Model):
    __tablename__ = "export_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(sa.ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ExportKind] = mapped_column(enum_type(ExportKind))
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id", ondelete="CASCADE"))
    #: for a tracked export: the older revision compared against
    from_revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revisions.id", ondelete="CASCADE"))
    options: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the name offered on download
    filename: Mapped[str] = mapped_column(sa.String(200))
    #: where the file lies, relative to the export folder
    path: Mapped[str] = mapped_column(sa.String(300))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]

    revision = relationship("Revision", foreign_keys=[revision_id])
    from_revision = relationship("Revision", foreign_keys=[from_revision_id])
    created_by = relationship("User")
