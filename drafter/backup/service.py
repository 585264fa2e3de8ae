"""Back up one negotiation into a self-contained file, and restore it into any Drafter database.

Rows are read and written through the column types, so a backup made on SQLite restores on
PostgreSQL and back with the same values. Restoring gives every row a new primary key and
points every reference at the new rows; users and delegations already in the target are
matched by e-mail and name. The audit log comes back as it was written: its summaries and
data still speak of the ids of the database the backup was made from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter import ROOT as APP_ROOT
from drafter import audit
from drafter.auth.models import User
from drafter.backup import archive
from drafter.backup.schema import (
    POLYMORPHIC,
    REFERENCES,
    ROOT,
    Plan,
    carried_columns,
    decode,
    encode,
    id_column,
    plan,
    selection,
)
from drafter.dbtypes import utcnow
from drafter.drafting.models import Negotiation
from drafter.errors import InvalidInput, StateError
from drafter.exporting.models import ExportRecord
from drafter.exporting.services import read_archived, write_atomically
from drafter.extensions import db
from drafter.search import index as search_index

#: a password hash no password matches (werkzeug refuses a hash without a method)
UNUSABLE_PASSWORD = "!restored-without-password"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")
EXPORTS = ExportRecord.__tablename__


def _migrations() -> Any:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(APP_ROOT / "migrations"))
    return ScriptDirectory.from_config(config)


def schema_revisions() -> list[str]:
    """Return the Alembic head revisions of this code's migrations."""
    return sorted(_migrations().get_heads())


def _known_revisions() -> set[str]:
    """Return every Alembic revision this code's migrations know."""
    return {s.revision for s in _migrations().walk_revisions()}


@dataclass
class BackupFile:
    """A backup's bytes and what it holds."""

    data: bytes
    rows: dict[str, int]
    files: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def create_backup(
    session: Session,
    negotiation: Negotiation,
    *,
    export_dir: Path,
    with_accounts: bool = False,
    now: dt.datetime | None = None,
) -> BackupFile:
    """Return a backup of a negotiation: its rows, the users and delegations they name, its archived exports."""
    p = plan(db.metadata)
    ids = selection(p, negotiation.id)
    tables = []
    for t in p.shared + p.owned:
        cols = carried_columns(t, p, with_accounts=with_accounts)
        pk = id_column(t)
        rows = session.execute(sa.select(*cols).where(pk.in_(ids[t.name])).order_by(pk)).all()
        tables.append(archive.Table(t.name, [c.name for c in cols], [[encode(v) for v in r] for r in rows]))
    files = {}
    for record in session.scalars(sa.select(ExportRecord).where(ExportRecord.negotiation_id == negotiation.id)):
        try:
            files[_member(record.path)] = read_archived(record, export_dir)
        except InvalidInput as e:
            raise InvalidInput(
                f"{record.filename} (export #{record.id}): {e.message} The backup was not written."
            ) from None
    manifest = {
        "slug": negotiation.slug,
        "title": negotiation.title,
        "created_at": (now or utcnow()).isoformat(),
        "schema_revisions": schema_revisions(),
        "with_accounts": with_accounts,
    }
    return BackupFile(archive.write(manifest, tables, files), {t.name: len(t.rows) for t in tables}, len(files))


def _member(path: str) -> str:
    return "files/" + PurePosixPath(path).name


@dataclass
class Restored:
    """What a restore created."""

    negotiation: Negotiation
    rows: dict[str, int]
    #: shared table -> (rows matched in the target, rows created)
    shared: dict[str, tuple[int, int]]
    #: accounts created without a password (inactive until an administrator resets them)
    locked_accounts: list[str] = field(default_factory=list)
    files_written: list[Path] = field(default_factory=list)


def restore_backup(
    session: Session,
    actor: User | None,
    data: bytes,
    *,
    export_dir: Path,
    slug: str | None = None,
    now: dt.datetime | None = None,
) -> Restored:
    """Load a backup into this database as a new negotiation (``slug``, else the original short name)."""
    backup = archive.read(data)
    p = plan(db.metadata)
    _check_schema(backup, p)
    slug = (slug or backup.manifest["slug"]).strip().lower()
    if not _SLUG.match(slug):
        raise InvalidInput(
            "A short name of 3 to 64 lower-case letters, digits and hyphens is required (e.g. wsis-review)."
        )
    if session.scalar(sa.select(Negotiation.id).where(Negotiation.slug == slug)) is not None:
        raise StateError(
            f"There is already a negotiation called {slug!r} here. Restore it beside the existing one "
            "with --as NEW_SLUG."
        )
    _check_files(backup)
    run = _Restore(session, backup, p, slug)
    try:
        run.shared_rows()
        run.owned_rows()
    except (ValueError, TypeError, KeyError, AttributeError):
        raise InvalidInput(
            "The backup holds a value this version of Drafter cannot read; nothing was restored."
        ) from None
    except sa.exc.StatementError as e:
        raise InvalidInput(
            f"The backup's rows do not fit together in this database ({type(e.orig).__name__}); nothing was restored."
        ) from None
    negotiation = session.get(Negotiation, run.maps[ROOT][next(iter(run.maps[ROOT]))])
    assert negotiation is not None
    # the search index is derived from the texts, never carried: build it from what was restored
    search_index.rebuild(session, negotiation.id)
    restored = Restored(
        negotiation, {t: len(m) for t, m in run.maps.items() if t not in run.shared}, run.shared, run.locked
    )
    restored.files_written = _write_files(backup, export_dir, slug)
    audit.record(
        session,
        actor,
        "negotiation.restored",
        negotiation,
        negotiation_id=negotiation.id,
        summary=f"Restored from a backup of {backup.manifest['slug']} made {backup.manifest['created_at'][:16]}",
        source=backup.manifest["slug"],
        backup_created_at=backup.manifest["created_at"],
        schema_revisions=backup.manifest.get("schema_revisions", []),
        rows=restored.rows,
    )
    return restored


def _check_schema(backup: archive.Backup, p: Plan) -> None:
    """Refuse a backup holding tables or columns this code does not know (made by a newer version)."""
    newer = "This backup was made by a newer version of Drafter ({}). Upgrade Drafter before restoring it."
    unknown = set(backup.manifest.get("schema_revisions", [])) - _known_revisions()
    if unknown:
        raise InvalidInput(newer.format(f"database schema {', '.join(sorted(unknown))}"))
    tables = {t.name: t for t in p.owned + p.shared}
    if ROOT not in backup.tables or len(backup.tables[ROOT].rows) != 1:
        raise InvalidInput("The backup does not hold exactly one negotiation; it cannot be restored.")
    for name, table in backup.tables.items():
        if name not in tables:
            raise InvalidInput(newer.format(f"it holds a table {name!r} this version does not know"))
        missing = set(table.columns) - set(tables[name].columns.keys())
        if missing:
            raise InvalidInput(
                newer.format(f"the table {name!r} has a column {sorted(missing)[0]!r} this version does not know")
            )


def _check_files(backup: archive.Backup) -> None:
    """Refuse a backup whose export records and export files do not match one another."""
    table = backup.tables.get(EXPORTS)
    for row in table.dicts() if table else []:
        data = backup.files.get(_member(str(row.get("path"))))
        if data is None or hashlib.sha256(data).hexdigest() != row.get("sha256"):
            raise InvalidInput(
                f"The backup lacks the file of export #{row.get('id')} ({row.get('filename')}), "
                "or holds a different one; nothing was restored."
            )


def _write_files(backup: archive.Backup, export_dir: Path, slug: str) -> list[Path]:
    """Write the archived export files into this instance's export folder; return those it created."""
    written = []
    folder = export_dir / slug
    for member, data in backup.files.items():
        path = folder / PurePosixPath(member).name
        if path.exists() and path.read_bytes() == data:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)  # a download never reads half a file
        written.append(path)
    return written


class _Restore:
    """One restore: the rows inserted so far and the new id of each old one, per table."""

    def __init__(self, session: Session, backup: archive.Backup, p: Plan, slug: str) -> None:
        self.session, self.backup, self.plan, self.slug = session, backup, p, slug
        self.maps: dict[str, dict[int, int]] = {}
        self.shared: dict[str, tuple[int, int]] = {}
        self.locked: list[str] = []
        self.models = {m.class_.__name__: m.local_table.name for m in db.Model.registry.mappers}

    def shared_rows(self) -> None:
        """Match users, delegations ... by their natural key, and create those the target lacks."""
        with_accounts = bool(self.backup.manifest.get("with_accounts"))
        for t in self.plan.shared:
            data = self.backup.tables.get(t.name)
            rows = data.dicts() if data else []
            key, pk = t.c[self.plan.natural_keys[t.name]], id_column(t)
            wanted = [decode(key, r[key.name]) for r in rows]
            existing = dict(self.session.execute(sa.select(key, pk).where(key.in_(wanted))).all()) if wanted else {}
            self.maps[t.name] = {}
            new_rows, olds = [], []
            for r, k in zip(rows, wanted):
                if k in existing:
                    self.maps[t.name][r[pk.name]] = existing[k]
                    continue
                values = {c: decode(t.c[c], v) for c, v in r.items() if c != pk.name}
                for fk in t.foreign_keys:  # a shared row's own references are not carried
                    values[fk.parent.name] = None
                if t is User.__table__ and not with_accounts:
                    values.update(password_hash=UNUSABLE_PASSWORD, active=False, is_admin=False)
                    self.locked.append(str(k))
                new_rows.append(values)
                olds.append(r[pk.name])
            self.maps[t.name].update(zip(olds, self._insert(t, new_rows)))
            self.shared[t.name] = (len(rows) - len(new_rows), len(new_rows))

    def owned_rows(self) -> None:
        """Insert the negotiation's rows table by table, references pointed at the new rows."""
        later: list[tuple[sa.Table, int, str, int]] = []
        for t in self.plan.owned:
            data = self.backup.tables.get(t.name)
            pk = id_column(t)
            rows, olds = [], []
            for r in data.dicts() if data else []:
                values = {}
                for name, raw in r.items():
                    if name == pk.name:
                        continue
                    values[name] = self._value(t, t.c[name], decode(t.c[name], raw), r, later)
                if t.name == ROOT:
                    values["slug"] = self.slug
                if t.name == EXPORTS:
                    values["path"] = f"{self.slug}/{PurePosixPath(values['path']).name}"
                rows.append(values)
                olds.append(r[pk.name])
            self.maps[t.name] = dict(zip(olds, self._insert(t, rows)))
        for t, old_id, column, old_ref in later:
            self.session.execute(
                sa.update(t)
                .where(id_column(t) == self.maps[t.name][old_id])
                .values({column: self._new_id(t, t.c[column], t.name, old_ref)})
            )

    def _value(self, t: sa.Table, col: sa.Column, value: Any, row: dict[str, Any], later: list) -> Any:
        if value is None:
            return None
        for fk in col.foreign_keys:
            if not fk.column.primary_key:
                return value
            if fk.column.table is t:  # a row may refer to one inserted after it: set once all exist
                later.append((t, row[id_column(t).name], col.name, value))
                return None
            return self._new_id(t, col, fk.column.table.name, value)
        if (t.name, col.name) in POLYMORPHIC:
            model = row.get(POLYMORPHIC[(t.name, col.name)])
            # an object deleted before the backup (a discarded revision) has no row to point at
            return self.maps.get(self.models.get(model, ""), {}).get(value)
        if refers := col.info.get("refers_to") or REFERENCES.get((t.name, col.name)):
            ids = self.maps.get(refers, {})
            if isinstance(value, list):
                return [ids[v] for v in value if v in ids]
            return ids.get(value)  # a revision discarded before the backup has no row to point at
        return value

    def _new_id(self, t: sa.Table, col: sa.Column, target: str, old: int) -> int | None:
        new = self.maps.get(target, {}).get(old)
        if new is None and not col.nullable:
            raise InvalidInput(
                f"The backup is inconsistent: a row of {t.name} refers to {target} #{old}, which it "
                "does not hold. Nothing was restored."
            )
        return new

    def _insert(self, t: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows in order and return their new ids in the same order."""
        if not rows:
            return []
        pk = id_column(t)
        result = self.session.execute(sa.insert(t).returning(pk, sort_by_parameter_order=True), rows)
        return [r[0] for r in result]
