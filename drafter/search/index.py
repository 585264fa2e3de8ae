"""What the search engine indexes: words normalised alike in every language, kept current on each flush.

Words are normalised in Python before either engine sees them, so that SQLite and PostgreSQL
find the same things: footnote markers dropped (they would split "development\\ue001s"), NFKC,
case folded, Latin and Cyrillic diacritics removed, Arabic diacritics and tatweel removed and
its letter variants unified (alef with hamza or madda → alef, alef maqsura → ya, ta marbuta → ha,
as Lucene's Arabic normaliser does), and every Chinese or Japanese character made a word of its
own, since those scripts put no space between words: a phrase of characters then matches as a
phrase of one-character words.

Stemming is what each engine offers. SQLite's FTS5 ships one stemmer, Porter's for English
(``porter unicode61 remove_diacritics 2``). On PostgreSQL each text is indexed under 'simple'
(every word as written: phrases, Chinese, Arabic, any language) and under the 'english',
'french' and 'russian' configurations; a single word is looked for under all four, so
"décidé" finds "décide" and "решения" finds "решение", while a phrase is matched under
'simple' only, word for word. A negotiation has no language of its own (texts mix English,
French and Russian), so no one configuration is chosen per negotiation.

The index follows the writes through SQLAlchemy's ``after_flush`` event (and ``do_orm_execute``
for the bulk UPDATEs of the editor's compare-and-set and of circulation) rather than calls from
each service: paragraph versions and proposals are written by many verbs (drafting, decisions,
imports, the room, restore, the demo), and the search package sits above drafting and proposals,
which must not import it. The event runs inside the flush, so the index changes in the same
transaction as the text, and a rolled-back request leaves no trace in it either.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import NO_VALUE, ORMExecuteState, Session

from drafter.drafting.models import ParagraphVersion, Revision
from drafter.proposals.models import Proposal, ProposalKind, ProposalState
from drafter.search.models import SearchEntry
from drafter.text import footnotes

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")

#: the PostgreSQL text search configurations a word is indexed under: 'simple' keeps every word
#: as written (phrases, Chinese, Arabic), the others add the stems of English, French and Russian
PG_CONFIGS = ("simple", "english", "french", "russian")


def normalise(text: str) -> str:
    """Return ``text`` as the index compares it: no footnote markers, folded, diacritics and Arabic variants unified."""
    text = unicodedata.normalize("NFKC", footnotes.strip(text)).casefold()
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def words(text: str) -> list[str]:
    """Return the normalised words of ``text`` in order, each Chinese or Japanese character a word."""
    return _WORD.findall(normalise(text))


def body_of(text: str) -> str:
    """Return the words of ``text`` as the index stores them: normalised, separated by spaces."""
    return " ".join(words(text))


def pg_tsvector(body: Any) -> sa.ColumnElement[Any]:
    """Return the SQL that makes the tsvector of a body under every configuration of ``PG_CONFIGS``."""
    parts = [sa.func.to_tsvector(sa.literal_column(f"'{c}'::regconfig"), body) for c in PG_CONFIGS]
    out = parts[0]
    for p in parts[1:]:
        out = out.op("||")(p)
    return out


# -- the rows of one paragraph version or one proposal


def _notes_text(stored: object) -> str:
    notes = footnotes.loads(stored)
    return " ".join(notes[k] for k in sorted(notes))


def version_rows(v: Any, negotiation_id: int) -> list[dict[str, Any]]:
    """Return the index rows of a paragraph version (the object or its row): its words, and its footnotes."""
    base = {"negotiation_id": negotiation_id, "revision_id": v.revision_id, "paragraph_id": v.paragraph_id}
    base |= {"version_id": v.id, "proposal_id": None, "delegation_id": None}
    base |= {"proposal_kind": None, "proposal_state": None}
    rows = [{**base, "field": "text", "body": body_of(v.text)}]
    notes = _notes_text(v.footnotes)
    if notes:
        rows.append({**base, "field": "footnotes", "body": body_of(notes)})
    return [r for r in rows if r["body"]]


def proposal_rows(p: Any, negotiation_id: int, target_paragraph: int | None) -> list[dict[str, Any]]:
    """Return the index rows of a proposal: its wording and footnotes, justification and decision note."""
    kind, state = ProposalKind(p.kind), ProposalState(p.state)
    if kind is ProposalKind.INSERT:
        paragraph_id = p.result_paragraph_id
    elif kind is ProposalKind.TITLE:
        paragraph_id = None
    else:
        paragraph_id = target_paragraph
    base = {"negotiation_id": negotiation_id, "revision_id": p.revision_id, "paragraph_id": paragraph_id}
    base |= {"version_id": None, "proposal_id": p.id, "delegation_id": p.delegation_id}
    base |= {"proposal_kind": kind.value, "proposal_state": state.value}
    texts = {
        "proposal": p.proposed_text,
        "proposal_footnotes": _notes_text(p.footnotes),
        "justification": p.justification,
        "decision": p.decision_note,
    }
    rows = [{**base, "field": field, "body": body_of(text or "")} for field, text in texts.items()]
    return [r for r in rows if r["body"]]


# -- writing rows


def _insert(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = SearchEntry.__table__
    if conn.dialect.name == "postgresql":
        stmt = sa.insert(table).values(
            {**{k: sa.bindparam(f"v_{k}") for k in rows[0]}, "tsv": pg_tsvector(sa.bindparam("v_body"))}
        )
        conn.execute(stmt, [{f"v_{k}": v for k, v in r.items()} for r in rows])
    else:
        conn.execute(sa.insert(table), rows)


def _loaded(obj: Any, name: str) -> Any:
    """Return the object an ORM object's relationship ``name`` holds when it is loaded, else None
    (a plain row, or a relationship not loaded: nothing is read for it)."""
    if not hasattr(obj, "_sa_instance_state"):
        return None
    value = sa.inspect(obj).attrs[name].loaded_value
    return None if value is NO_VALUE else value


def _negotiation_of(conn: sa.Connection, holders: Iterable[Any]) -> dict[int, int]:
    """Return the negotiation of each revision the versions or proposals are in (those loaded need no query)."""
    out: dict[int, int] = {}
    for o in holders:
        if (rev := _loaded(o, "revision")) is not None and rev.id == o.revision_id:
            out[rev.id] = rev.negotiation_id
    ids = {o.revision_id for o in holders} - out.keys()
    if ids:
        out.update(conn.execute(sa.select(Revision.id, Revision.negotiation_id).where(Revision.id.in_(ids))).all())
    return out


def _paragraph_of(conn: sa.Connection, proposals: Iterable[Any]) -> dict[int, int]:
    """Return the paragraph (lineage) of each version the proposals are on (those loaded need no query)."""
    out: dict[int, int] = {}
    for p in proposals:
        if (v := _loaded(p, "target_version")) is not None and v.id == p.target_version_id:
            out[v.id] = v.paragraph_id
    ids = {p.target_version_id for p in proposals if p.target_version_id is not None} - out.keys()
    if ids:
        q = sa.select(ParagraphVersion.id, ParagraphVersion.paragraph_id).where(ParagraphVersion.id.in_(ids))
        out.update(conn.execute(q).all())
    return out


def write(conn: sa.Connection, versions: Sequence[Any], proposals: Sequence[Any], *, new: Iterable[Any] = ()) -> None:
    """Replace the index rows of these versions and proposals (objects or rows) with rows of what they hold
    (those in ``new``, just inserted, have none to replace)."""
    table = SearchEntry.__table__
    fresh = {id(o) for o in new}
    if old := [v.id for v in versions if id(v) not in fresh]:
        conn.execute(sa.delete(table).where(table.c.version_id.in_(old)))
    if old := [p.id for p in proposals if id(p) not in fresh]:
        conn.execute(sa.delete(table).where(table.c.proposal_id.in_(old)))
    negotiations = _negotiation_of(conn, [*versions, *proposals])
    targets = _paragraph_of(conn, proposals)
    rows: list[dict[str, Any]] = []
    for v in versions:
        rows += version_rows(v, negotiations[v.revision_id])
    for p in proposals:
        target = targets.get(p.target_version_id) if p.target_version_id is not None else None
        rows += proposal_rows(p, negotiations[p.revision_id], target)
    _insert(conn, rows)


_VERSION_FIELDS = ("text", "footnotes", "paragraph_id", "revision_id")
_PROPOSAL_FIELDS = (
    "proposed_text",
    "footnotes",
    "justification",
    "decision_note",
    "state",
    "kind",
    "delegation_id",
    "target_version_id",
    "result_paragraph_id",
)


def _changed(obj: object, names: tuple[str, ...]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _after_flush(session: Session, _context: object) -> None:
    versions = [o for o in session.new if isinstance(o, ParagraphVersion)]
    versions += [o for o in session.dirty if isinstance(o, ParagraphVersion) and _changed(o, _VERSION_FIELDS)]
    proposals = [o for o in session.new if isinstance(o, Proposal)]
    proposals += [o for o in session.dirty if isinstance(o, Proposal) and _changed(o, _PROPOSAL_FIELDS)]
    if versions or proposals:
        write(session.connection(), versions, proposals, new=session.new)
    # the foreign keys cascade on PostgreSQL; SQLite cascades only when told to, so say it here
    table = SearchEntry.__table__
    gone_versions = [o.id for o in session.deleted if isinstance(o, ParagraphVersion)]
    gone_proposals = [o.id for o in session.deleted if isinstance(o, Proposal)]
    if gone_versions:
        session.connection().execute(sa.delete(table).where(table.c.version_id.in_(gone_versions)))
    if gone_proposals:
        session.connection().execute(sa.delete(table).where(table.c.proposal_id.in_(gone_proposals)))


def _reindex(conn: sa.Connection, model: type, ids: list[int]) -> None:
    """Index again the rows of ``model`` with these ids, as stored now."""
    table = model.__table__  # type: ignore[attr-defined]
    rows = list(conn.execute(sa.select(table).where(table.c.id.in_(ids))))
    if model is ParagraphVersion:
        write(conn, rows, [])
    else:
        write(conn, [], rows)


def _on_execute(state: ORMExecuteState) -> Any:
    """Index again what a bulk UPDATE of versions or proposals changed (the editor's compare-and-set)."""
    if not state.is_update or state.bind_mapper is None:
        return None
    model = state.bind_mapper.class_
    if model not in (ParagraphVersion, Proposal):
        return None
    where = state.statement.whereclause  # type: ignore[attr-defined]
    ids = list(state.session.scalars(sa.select(model.id).where(where))) if where is not None else None
    result = state.invoke_statement()
    conn = state.session.connection()
    if ids is None:
        ids = list(conn.scalars(sa.select(model.id)))
    if ids:
        _reindex(conn, model, ids)
    return result


def rebuild(session: Session, negotiation_id: int | None = None) -> int:
    """Build the index again from the stored texts (of one negotiation, or all); return the rows written."""
    conn = session.connection()
    table = SearchEntry.__table__
    rev_q = sa.select(Revision.id)
    if negotiation_id is not None:
        rev_q = rev_q.where(Revision.negotiation_id == negotiation_id)
        conn.execute(sa.delete(table).where(table.c.negotiation_id == negotiation_id))
    else:
        conn.execute(sa.delete(table))
    revision_ids = list(session.scalars(rev_q))
    versions = list(session.scalars(sa.select(ParagraphVersion).where(ParagraphVersion.revision_id.in_(revision_ids))))
    proposals = list(session.scalars(sa.select(Proposal).where(Proposal.revision_id.in_(revision_ids))))
    write(conn, versions, proposals)
    return int(
        session.scalar(sa.select(sa.func.count()).select_from(table).where(table.c.revision_id.in_(revision_ids))) or 0
    )


def install() -> None:
    """Keep the index current on every flush of every session (once per process)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "after_flush", _after_flush)
        sa.event.listen(Session, "do_orm_execute", _on_execute)


install()
