"""Exports: build plain data from the database, write it with ``drafter.word`` (Word) or
``drafter.akn`` (Akoma Ntoso XML), archive it.

Every export is saved in the export folder under a name that carries its hash, with a record
saying what it is, who made it and when. The bytes depend only on the inputs (timestamps in
the package come from the revision), so the same export made twice has the same sha256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from drafter import audit
from drafter.akn.writer import AknParagraph, AknRevision, write_akn
from drafter.auth.models import User
from drafter.auth.permissions import ProposalScope
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision
from drafter.drafting.queries import compare_revisions, load_versions
from drafter.errors import InvalidInput
from drafter.exporting.models import ExportKind, ExportRecord
from drafter.proposals.queries import compile_revision, dates_and_notes
from drafter.text.cycles import without_cycle_collection
from drafter.text.structure import Kind
from drafter.word.clean import write_clean
from drafter.word.compilation import proposal_note, write_compilation
from drafter.word.model import (
    DEFAULT_TRACKED_AUTHOR,
    CompilationEntry,
    CompiledProposal,
    DocHeader,
    DocParagraph,
    PageSetup,
    TrackedRow,
)
from drafter.word.package import save_docx
from drafter.word.page import EMBLEM_MAX_BYTES
from drafter.word.tracked import write_tracked

Style = Literal["formatted", "tracked"]
DEFAULT_AUTHOR = DEFAULT_TRACKED_AUTHOR


@dataclass(frozen=True)
class Export:
    """A generated Word file, before or after archiving."""

    kind: ExportKind
    filename: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _header(revision: Revision, subtitle: str = "") -> DocHeader:
    """Return the title block a revision prints: its own identity, the negotiation's title and
    symbol where it has none."""
    n = revision.negotiation
    return DocHeader.of(
        revision.masthead,
        label=revision.label,
        date=revision.date_of_issue,
        subtitle=subtitle,
        title=n.title,
        symbol=n.symbol,
    )


def _page() -> PageSetup:
    """Return the page setup the deployment configures (DRAFTER_PAPER, DRAFTER_EMBLEM); Letter, no emblem, outside an app."""
    if not has_app_context():
        return PageSetup()
    return PageSetup(paper=current_app.config.get("PAPER", "letter"), emblem=_emblem(current_app.config.get("EMBLEM")))


def _emblem(path: object) -> bytes | None:
    """Return the emblem file's bytes, or None when unset or unreadable: an export never fails for it."""
    if not path:
        return None
    try:
        with open(str(path), "rb") as f:
            return f.read(EMBLEM_MAX_BYTES + 1)
    except (OSError, ValueError):
        return None


def doc_paragraph(v: ParagraphVersion, *, show_status: bool = False, label: str | None = None) -> DocParagraph:
    """Return a paragraph version as the Word writers take it."""
    return DocParagraph(
        kind=v.kind,
        text=v.text,
        number_label=v.number_label if label is None else label,
        level=v.level,
        italic_chars=v.italic_chars,
        status=v.status.label if show_status else "",
        footnotes=v.notes,
    )


def _filename(negotiation: Negotiation, *parts: str, suffix: str = ".docx") -> str:
    raw = "_".join([negotiation.slug, *parts])
    return re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("-") + suffix


def clean_export(session: Session, revision: Revision, *, show_status: bool = False) -> Export:
    """Return the clean .docx of a revision."""
    versions = load_versions(session, revision)
    doc = write_clean(
        _header(revision),
        [doc_paragraph(v, show_status=show_status) for v in versions],
        show_status=show_status,
        page=_page(),
    )
    data = save_docx(doc, timestamp=revision.date)
    parts = [revision.label, "clean"] + (["with-statuses"] if show_status else [])  # two files, two names
    return Export(ExportKind.CLEAN, _filename(revision.negotiation, *parts), data)


def tracked_export(session: Session, old: Revision, new: Revision, *, author: str = DEFAULT_AUTHOR) -> Export:
    """Return the .docx of ``new`` with Word track changes against ``old``."""
    if old.negotiation_id != new.negotiation_id:
        raise InvalidInput("Both revisions must belong to the same negotiation.")
    if old.id == new.id:
        raise InvalidInput("Choose two different revisions.")
    author = " ".join(author.split())[:100] or DEFAULT_AUTHOR
    comparison = compare_revisions(session, old, new)
    rows = [
        TrackedRow(
            doc_paragraph(r.old) if r.old else None,
            doc_paragraph(r.new) if r.new else None,
            r.diff.ops,
            old_position=r.old.position if r.old else None,
        )
        for r in comparison.rows
    ]
    header = _header(new, subtitle=f"Changes against {old.label}")
    date = new.date
    doc = write_tracked(header, rows, author=author, date=date, before=_header(old), page=_page())
    data = save_docx(doc, timestamp=date)
    return Export(ExportKind.TRACKED, _filename(new.negotiation, new.label, "tracked-against", old.label), data)


@without_cycle_collection
def compilation_export(
    session: Session, revision: Revision, *, style: Style = "formatted", only_with_proposals: bool = False
) -> Export:
    """Return the compilation .docx of the proposals on a revision: withdrawn ones left out, and with
    ``only_with_proposals`` only the paragraphs that have a proposal."""
    if style not in ("formatted", "tracked"):
        raise InvalidInput("The compilation style is formatted or tracked.")
    if not revision.state.is_public:
        raise InvalidInput(f"Compilations are made of circulated revisions. {revision.label} has not been circulated.")
    comp = compile_revision(session, revision, scope=ProposalScope.ALL, own=None)
    facts = dates_and_notes(session, revision)
    entries: list[CompilationEntry] = []
    latest = revision.date
    for block in comp.blocks:
        proposals = []
        for pv in block.current:
            p, f = pv.proposal, facts[pv.proposal.id]
            latest = max(latest, f.updated_at, f.decided_at or f.updated_at)
            outcome = "" if p.state.is_submitted else p.state.label
            proposals.append(
                CompiledProposal(
                    attribution=pv.attribution,
                    author=p.delegation.name,
                    kind=p.kind.value,
                    ops=pv.diff.ops,
                    footnotes={**(p.target_version.notes if p.target_version else {}), **f.notes},
                    note=proposal_note(p.justification, outcome, p.decision_note),
                    date=f.created_at,
                )
            )
        for pv in block.withdrawn:  # left out, but a withdrawal still dates the file
            latest = max(latest, facts[pv.proposal.id].updated_at)
        if not proposals and (block.is_new or block.is_title or only_with_proposals):
            continue
        if block.is_title:  # the proposals on the title, above the text
            paragraph = DocParagraph(kind=Kind.HEADING, text=block.title, number_label=block.ref)
        elif block.row is not None:
            paragraph = doc_paragraph(block.row.version, label=block.row.number or block.ref)
        else:
            paragraph = DocParagraph(
                kind=block.new_kind or block.proposals[0].proposal.new_kind, text="", number_label=block.ref
            )
        entries.append(CompilationEntry(paragraph=paragraph, proposals=proposals, is_new=block.is_new))
    header = _header(revision, subtitle="Compilation of proposals")
    doc = write_compilation(header, entries, style=style, page=_page())
    data = save_docx(doc, timestamp=latest)
    parts = [revision.label, "compilation", style] + (["with-proposals"] if only_with_proposals else [])
    return Export(ExportKind.COMPILATION, _filename(revision.negotiation, *parts), data)


def akn_paragraph(v: ParagraphVersion) -> AknParagraph:
    """Return a paragraph version as the Akoma Ntoso writer takes it."""
    return AknParagraph(
        lineage=v.paragraph_id,
        kind=v.kind,
        text=v.text,
        number_label=v.number_label,
        level=v.level,
        italic_chars=v.italic_chars,
        footnotes=v.notes,
    )


def _previous(session: Session, revision: Revision) -> Revision | None:
    """Return the revision this one was made from, else the one before it in the negotiation."""
    if revision.base_revision is not None:
        return revision.base_revision
    return session.scalar(
        sa.select(Revision)
        .where(Revision.negotiation_id == revision.negotiation_id, Revision.seq < revision.seq)
        .order_by(Revision.seq.desc())
        .limit(1)
    )


def akn_export(session: Session, revision: Revision) -> Export:
    """Return a revision as Akoma Ntoso 3.0 XML (AKN4UN), its eIds mapped to those of the revision before."""
    n = revision.negotiation
    masthead = revision.masthead
    masthead = masthead.merged(title=masthead.title or n.title, symbol=masthead.symbol or n.symbol)
    previous = _previous(session, revision)
    doc = AknRevision(
        masthead=masthead,
        label=revision.label,
        issued_on=revision.date_of_issue,
        generated_at=revision.date,
        number=f"{n.slug}-{revision.label}",
        paragraphs=[akn_paragraph(v) for v in load_versions(session, revision)],
        previous=[akn_paragraph(v) for v in load_versions(session, previous)] if previous is not None else None,
        previous_label=previous.label if previous is not None else "",
    )
    return Export(ExportKind.AKN, _filename(n, revision.label, "akn", suffix=".xml"), write_akn(doc))


#: how an archive file is named while it is being written; nothing else in the folder ends so
TEMP_SUFFIX = ".part"
#: a temporary file older than this was left by a crash (a write takes well under a second)
STALE_AFTER = dt.timedelta(minutes=10)
_swept: set[Path] = set()


def archive(
    session: Session,
    actor: User | None,
    export: Export,
    *,
    export_dir: Path,
    revision: Revision,
    from_revision: Revision | None = None,
    options: dict | None = None,
    now: dt.datetime | None = None,
) -> ExportRecord:
    """Write an export into the archive folder, record it, and return the record.

    The file is complete on disk before it is recorded, and removed again if the record is
    not saved, so the archive holds no half-written file and no file without its record.
    """
    if export_dir.resolve() not in _swept:
        sweep_temporary(export_dir)
        _swept.add(export_dir.resolve())
    sha = export.sha256
    negotiation = revision.negotiation
    folder = export_dir / negotiation.slug
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{sha[:12]}_{export.filename}"
    path = folder / stored
    created = not path.exists()
    if created:
        write_atomically(path, export.data)
    try:
        record = ExportRecord(
            negotiation_id=negotiation.id,
            kind=export.kind,
            revision_id=revision.id,
            from_revision_id=from_revision.id if from_revision else None,
            options=options or {},
            created_by_id=getattr(actor, "id", None),
            filename=export.filename,
            path=f"{negotiation.slug}/{stored}",
            sha256=sha,
            size=len(export.data),
        )
        if now is not None:
            record.created_at = now
        session.add(record)
        audit.record(
            session,
            actor,
            "export.created",
            record,
            negotiation_id=negotiation.id,
            summary=f"Exported {export.kind.label.lower()}: {export.filename}",
            sha256=sha,
        )
        session.flush()
    except BaseException:
        if created:
            path.unlink(missing_ok=True)
        raise
    if created:  # until the transaction commits, a rollback takes the file away again
        session.info.setdefault(_UNCOMMITTED, []).append((path, record.path, export.data))
    return record


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), 0o644)  # as a plain write would leave it, not mkstemp's owner-only 0600
            f.write(data)
            f.flush()
            os.fsync(f.fileno())  # the bytes are on disk before the name points at them
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)  # and the new name survives a power cut


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a platform that cannot open folders (Windows): the rename is all there is
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sweep_temporary(export_dir: Path, *, older_than: dt.timedelta = STALE_AFTER) -> list[Path]:
    """Remove temporary files a crashed write left in the archive, and return them.

    Only names ending in ``TEMP_SUFFIX`` that have not changed for ``older_than`` are removed:
    another app process may be writing a younger one right now.
    """
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    for tmp in export_dir.glob(f"*/*{TEMP_SUFFIX}"):
        try:
            if tmp.is_file() and tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed.append(tmp)
        except FileNotFoundError:  # another process swept it first
            continue
    return removed


_UNCOMMITTED = "drafter.exports.uncommitted"


@event.listens_for(Session, "before_commit")
def _ensure_files(session: Session) -> None:
    # Another process exporting the same bytes may have rolled back and removed the shared
    # file meanwhile: put it back before its record is committed.
    for path, _, data in session.info.get(_UNCOMMITTED, []):
        if not path.exists():
            write_atomically(path, data)


@event.listens_for(Session, "after_commit")
def _keep_files(session: Session) -> None:
    session.info.pop(_UNCOMMITTED, None)


@event.listens_for(Session, "after_rollback")
def _remove_files(session: Session) -> None:
    pending = session.info.pop(_UNCOMMITTED, [])
    if not pending:
        return
    with session.get_bind().connect() as conn:  # the session's own transaction has just ended
        for path, relative, _ in pending:
            # Identical exports share one file: keep it when another export's record holds it.
            if conn.scalar(sa.select(ExportRecord.id).where(ExportRecord.path == relative).limit(1)) is None:
                path.unlink(missing_ok=True)


def read_archived(record: ExportRecord, export_dir: Path) -> bytes:
    """Return an archived file's bytes, after checking they still match the recorded hash."""
    path = (export_dir / record.path).resolve()
    if export_dir.resolve() not in path.parents:
        raise InvalidInput("The archived file is outside the export folder.")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput("The archived file is missing from the export folder.") from None
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise InvalidInput("The archived file no longer matches its recorded hash; it has been altered.")
    return data
