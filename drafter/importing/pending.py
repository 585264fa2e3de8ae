"""Keeping what an upload contained between its preview and the user's confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter.dbtypes import utcnow
from drafter.importing.models import ImportKind, PendingImport
from drafter.text import footnotes
from drafter.text.structure import Kind, ParsedParagraph

#: previews older than this are forgotten
LIFETIME = dt.timedelta(days=1)


def paragraphs_to_json(paragraphs: list[ParsedParagraph]) -> list[dict[str, Any]]:
    """Return parsed paragraphs as JSON-ready dicts."""
    return [
        {
            "kind": p.kind.value,
            "text": p.text,
            "number": p.number,
            "level": p.level,
            "italic_chars": p.italic_chars,
            "footnotes": footnotes.dumps(p.footnotes),
        }
        for p in paragraphs
    ]


def paragraphs_from_json(items: list[dict[str, Any]]) -> list[ParsedParagraph]:
    """Return parsed paragraphs from their JSON form."""
    out = []
    for d in items:
        kwargs: dict[str, Any] = dict(
            kind=Kind(d["kind"]),
            text=d["text"],
            number=d.get("number", ""),
            level=d.get("level", 0),
            italic_chars=d.get("italic_chars", 0),
        )
        kwargs["footnotes"] = footnotes.used(d["text"], footnotes.loads(d.get("footnotes")))
        out.append(ParsedParagraph(**kwargs))
    return out


def keep(
    session: Session, *, negotiation_id: int, user_id: int, kind: ImportKind, filename: str, payload: dict[str, Any]
) -> PendingImport:
    """Store a preview's content and return it; forget previews past their lifetime."""
    session.execute(sa.delete(PendingImport).where(PendingImport.created_at < utcnow() - LIFETIME))
    pending = PendingImport(
        negotiation_id=negotiation_id, user_id=user_id, kind=kind, filename=filename[:255], payload=payload
    )
    session.add(pending)
    session.flush()
    return pending


def find(
    session: Session, pending_id: int, *, negotiation_id: int, user_id: int, kind: ImportKind, lock: bool = False
) -> PendingImport | None:
    """Return the user's own pending import (with ``lock``: locked until the transaction ends), or None."""
    if lock:
        p = session.scalar(
            sa.select(PendingImport)
            .where(PendingImport.id == pending_id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
    else:
        p = session.get(PendingImport, pending_id)
    if p is None or p.negotiation_id != negotiation_id or p.user_id != user_id or p.kind is not kind:
        return None
    return p
