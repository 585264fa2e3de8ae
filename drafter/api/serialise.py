"""How the API writes each object as JSON: one function per object, shared by every endpoint.

Plain dicts of JSON values, in the shapes ``openapi.py`` describes. Only what the caller may
read reaches these functions: the views load through the same guards and queries as the pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from flask import url_for

from drafter.audit import AuditEvent
from drafter.auth.models import Delegation, User
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision
from drafter.drafting.queries import Comparison
from drafter.proposals.models import Proposal, Stance
from drafter.proposals.queries import Compilation, Outcome, diff_of
from drafter.text import footnotes as fn
from drafter.text.diff import WordDiff
from drafter.text.masthead import Masthead
from drafter.text.numbering import printed_number

JSON = dict[str, Any]


def when(value: dt.datetime | dt.date | None) -> str | None:
    """Return a timestamp in ISO 8601 (UTC for date-times), or None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def delegation(d: Delegation) -> JSON:
    return {"id": d.id, "name": d.name, "kind": d.kind.value}


def me(user: User, token: Any = None) -> JSON:
    """Return who the caller is, their roles, and how they authenticated."""
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "is_admin": user.is_admin,
        "memberships": [
            {
                "negotiation": m.negotiation.slug,
                "role": m.role.value,
                "delegation": delegation(m.delegation) if m.delegation else None,
            }
            for m in sorted(user.memberships, key=lambda m: m.negotiation.slug)
        ],
        "authenticated_by": "token" if token is not None else "session",
        "token": {"name": token.name, "prefix": token.prefix} if token is not None else None,
    }


def negotiation(n: Negotiation, *, role: str | None, own: Delegation | None) -> JSON:
    return {
        "slug": n.slug,
        "title": n.title,
        "symbol": n.symbol,
        "proposal_visibility": n.proposal_visibility.value,
        "created_at": when(n.created_at),
        "your_role": role,
        "your_delegation": delegation(own) if own else None,
        "url": url_for("api.negotiation", slug=n.slug),
    }


def revision_summary(rev: Revision, now: dt.datetime) -> JSON:
    """Return a revision without its paragraphs."""
    return {
        "seq": rev.seq,
        "label": rev.label,
        "state": rev.state.value,
        "symbol": rev.symbol,
        "date_of_issue": when(rev.date_of_issue),
        "base_revision": rev.base_revision.seq if rev.base_revision is not None else None,
        "proposal_deadline": when(rev.proposal_deadline),
        "accepts_proposals": rev.accepts_proposals(now),
        "circulated_at": when(rev.circulated_at),
        "silence_until": when(rev.silence_until),
        "adopted_at": when(rev.adopted_at),
        "compilation_released_at": when(rev.compilation_released_at),
        "url": url_for("api.revision", slug=rev.negotiation.slug, seq=rev.seq),
    }


def document(m: Masthead) -> JSON:
    """Return a revision's document fields (its masthead): symbol, date, session block, sponsor line, title, chapeau."""
    return {
        "symbol": m.symbol,
        "issued_on": when(m.issued_on),
        "distribution": m.distribution,
        "original_language": m.original_language,
        "session": m.session_name,
        "committee": m.committee,
        "agenda_item": m.agenda_item,
        "agenda_title": m.agenda_title,
        "sponsor_line": m.sponsor_line,
        "title": m.title,
        "chapeau": m.chapeau,
        "footnotes": list(m.footnotes),
    }


def footnotes(text: str, notes: Mapping[int, str], numbers: Mapping[int, int] | None = None) -> list[JSON]:
    """Return the footnotes a text's markers name, in the order they stand: id, marker, number as printed, text.

    The one place that reads footnotes: a marker (a private-use character, U+E001 for id 1) stands
    in the text where each reference is; numbers are the revision's, derived from the markers'
    order (None where there is no revision to count in, as for a proposal's new text).
    """
    return [
        {
            "id": note_id,
            "marker": fn.marker(note_id),
            "number": (numbers or {}).get(note_id),
            "text": notes.get(note_id, ""),
        }
        for note_id in dict.fromkeys(fn.ids_in(text))
    ]


def paragraph(v: ParagraphVersion, ref: str, numbers: Mapping[int, int] | None = None) -> JSON:
    """Return one paragraph of a revision: its identity across revisions, place, number, text and status."""
    return {
        "id": v.paragraph_id,
        "ref": ref,
        "position": v.position,
        "kind": v.kind.value,
        "level": v.level,
        "number": v.number_label,
        "printed_number": printed_number(v.kind, v.number_label),
        "text": v.text,
        "italic_chars": v.italic_chars,
        "status": v.status.value,
        "status_note": v.status_note,
        "footnotes": footnotes(v.text, v.notes, numbers),
        "version": v.version,
    }


def numbered(versions: Iterable[ParagraphVersion]) -> dict[int, Mapping[int, int]]:
    """Return the printed number of each footnote of one revision's versions, by version id and footnote id."""
    ordered = sorted(versions, key=lambda v: v.position)
    return {v.id: numbers for v, numbers in zip(ordered, fn.numbering(v.text for v in ordered))}


def revision(rev: Revision, versions: Iterable[ParagraphVersion], refs: Mapping[int, str], now: dt.datetime) -> JSON:
    """Return a revision with its document fields and every paragraph in order."""
    versions = list(versions)
    numbers = numbered(versions)
    return {
        **revision_summary(rev, now),
        "document": document(rev.masthead),
        "paragraphs": [paragraph(v, refs.get(v.id, ""), numbers[v.id]) for v in versions],
    }


def diff(d: WordDiff) -> JSON:
    """Return a word diff as operations: runs of text kept, deleted and inserted, in order."""
    return {
        "ops": [{"op": o.op.value, "text": o.text} for o in d.ops],
        "changed": d.changed,
        "similarity": round(d.similarity, 4),
        "exact": d.exact,
    }


def comparison(c: Comparison) -> JSON:
    """Return two revisions compared paragraph by paragraph, in the newer one's order."""

    numbers = {
        **numbered(r.old for r in c.rows if r.old is not None),
        **numbered(r.new for r in c.rows if r.new is not None),
    }

    def side(v: ParagraphVersion | None) -> JSON | None:
        return paragraph(v, c.refs.get(v.id, ""), numbers[v.id]) if v is not None else None

    return {
        "old": c.old.seq,
        "new": c.new.seq,
        "counts": {
            "changed": c.counts.changed,
            "new": c.counts.new,
            "deleted": c.counts.deleted,
            "moved": c.counts.moved,
            "unchanged": c.counts.unchanged,
        },
        "frame": [{"part": f.name.lower(), "diff": diff(f.diff)} for f in c.frame],
        "rows": [
            {"change": r.change.value, "moved": r.moved, "old": side(r.old), "new": side(r.new), "diff": diff(r.diff)}
            for r in c.rows
        ],
        "concordance": [{"old": old, "new": new} for old, new in c.concordance],
    }


def positions(p: Proposal) -> JSON:
    """Return the delegations that co-sponsor, support and oppose a proposal, by stance."""
    by: dict[str, list[JSON]] = {s.value: [] for s in Stance}
    for x in p.positions:
        by[x.stance.value].append(delegation(x.delegation))
    return by


def proposal(p: Proposal, ref: str, *, outcome: Outcome | None = None, made: WordDiff | None = None) -> JSON:
    """Return a proposal: who made it, on what, its text, its diff (``made``, when it is at hand), positions,
    state and decision."""
    target = p.target_version
    out: JSON = {
        "id": p.id,
        "revision": p.revision.seq,
        "kind": p.kind.value,
        "state": p.state.value,
        "delegation": delegation(p.delegation),
        "ref": ref,
        "paragraph": target.paragraph_id if target is not None else None,
        "new_kind": p.new_kind.value if p.new_kind is not None else None,
        "new_level": p.new_level,
        "base_text": target.text if target is not None and not p.kind.is_insert else "",
        "proposed_text": p.proposed_text,
        "footnotes": footnotes(p.proposed_text, {**(target.notes if target is not None else {}), **p.notes}),
        "justification": p.justification,
        "positions": positions(p),
        "decision": {
            "note": p.decision_note,
            "decided_at": when(p.decided_at),
            "merged_into": p.merged_into_id,
            "new_paragraph": p.result_paragraph_id,
        },
        "diff": diff(made if made is not None else diff_of(p)),
        "source": p.source.value,
        "created_at": when(p.created_at),
        "updated_at": when(p.updated_at),
        "version": p.version,
        "url": url_for("api.proposal", slug=p.revision.negotiation.slug, proposal_id=p.id),
    }
    if outcome is not None:
        out["outcome"] = {
            "verdict": outcome.verdict,
            "explanation": outcome.explanation,
            "next_revision": outcome.next_revision.seq if outcome.next_revision is not None else None,
        }
    return out


def compilation(c: Compilation, proposals: Mapping[int, Proposal]) -> JSON:
    """Return the compilation: each paragraph of the revision, then the proposals on it, and proposed new ones
    (``proposals``: the revision's proposals by id, as the session holds them)."""
    return {
        "revision": c.revision.seq,
        "proposals": c.total,
        "blocks": [
            {
                "ref": b.ref,
                "is_new": b.is_new,
                "new_kind": b.new_kind.value if b.new_kind is not None else None,
                "paragraph": paragraph(b.row.version, b.ref, b.row.numbers) if b.row is not None else None,
                "proposals": [
                    {**proposal(proposals[pv.proposal.id], pv.label, made=pv.diff), "attribution": pv.attribution}
                    for pv in b.proposals
                ],
            }
            for b in c.blocks
        ],
    }


def audit_event(e: AuditEvent, labels: Mapping[int, str], *, with_data: bool) -> JSON:
    """Return one event of the record: when, who, what, on which object, and the values that matter.

    Without ``with_data`` (an event of a revision the reader may not read) the values are null:
    they may quote a working draft.
    """
    return {
        "id": e.id,
        "at": when(e.created_at),
        "actor": {"id": e.actor.id, "name": e.actor.name, "email": e.actor.email} if e.actor else None,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "revision": labels.get(e.revision_id, "(discarded)") if e.revision_id else None,
        "summary": e.summary,
        "data": (e.data or {}) if with_data else None,
    }
