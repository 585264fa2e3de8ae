"""Imports waiting for the user's confirmation after a preview."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from drafter.dbtypes import UTCDateTime, enum_type, utcnow
from drafter.extensions import db


class ImportKind(StrEnum):
    REVISION = "revision"  #: a draft (text or .docx) to become a revision
    PROPOSALS = "proposals"  #: a delegation's tracked .docx or amendment document to become proposals


class PendingImport(db.Model):
    """What was read from an upload, kept until the user confirms or cancels the preview.

    Only the parsed result is kept, never the uploaded file itself.
    """

    __tablename__ = "pending_imports"
    #: a preview is not part of the record: backups leave it out
    __table_args__ = {"info": {"backup": "skip"}}

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(sa.ForeignKey("negotiations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ImportKind] = mapped_column(enum_type(ImportKind))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
