"""The backup file: a zip of a manifest, one JSON file per table, and the archived export files.

Reading checks everything (the manifest, each member's sha256, the row counts) before a
single value is handed to the restore, so a damaged file is refused as a whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from drafter.errors import InvalidInput

FORMAT = "drafter-backup"
#: bumped when the layout changes in a way older code cannot read
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_FILE_NAME = re.compile(r"^files/[A-Za-z0-9][A-Za-z0-9._-]{0,250}$")


@dataclass(frozen=True)
class Table:
    """The rows of one table, each a list of values in the order of ``columns``."""

    name: str
    columns: list[str]
    rows: list[list[Any]]

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r)) for r in self.rows]


@dataclass(frozen=True)
class Backup:
    """The verified content of a backup file."""

    manifest: dict[str, Any]
    tables: dict[str, Table]
    #: member name ("files/ab12cd_x.docx") -> bytes
    files: dict[str, bytes]


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write(manifest: dict[str, Any], tables: list[Table], files: dict[str, bytes]) -> bytes:
    """Return the bytes of a backup file; the manifest gains the checksums and row counts."""
    members: dict[str, bytes] = {f"tables/{t.name}.json": _json({"columns": t.columns, "rows": t.rows}) for t in tables}
    members.update(files)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        **manifest,
        "tables": {t.name: len(t.rows) for t in tables},
        "members": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def read(data: bytes) -> Backup:
    """Return the verified content of a backup file, or raise InvalidInput saying what is wrong with it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidInput("This is not a Drafter backup: the file is not a zip archive, or it is truncated.") from None
    with zf:
        try:
            return _read(zf)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, TypeError, NotImplementedError):
            raise InvalidInput(
                "The backup file is damaged (a part of it cannot be read); nothing was restored."
            ) from None


def _read(zf: zipfile.ZipFile) -> Backup:
    names = set(zf.namelist())
    if MANIFEST not in names:
        raise InvalidInput("This is not a Drafter backup: it has no manifest.")
    manifest = _manifest(zf.read(MANIFEST))
    members = manifest["members"]
    extra = names - set(members) - {MANIFEST}
    if extra:
        raise InvalidInput(
            f"The backup holds files its manifest does not list ({sorted(extra)[0]}); it has been altered."
        )
    content: dict[str, bytes] = {}
    for name, sha in members.items():
        if name not in names:
            raise InvalidInput(f"The backup is incomplete: {name} is missing.")
        data = zf.read(name)
        if hashlib.sha256(data).hexdigest() != sha:
            raise InvalidInput(f"The backup is damaged: {name} does not match its checksum.")
        content[name] = data
    tables: dict[str, Table] = {}
    for name, count in manifest["tables"].items():
        raw = json.loads(content.get(f"tables/{name}.json", b"null"))
        if not (isinstance(raw, dict) and isinstance(raw.get("columns"), list) and isinstance(raw.get("rows"), list)):
            raise InvalidInput(f"The backup is damaged: the table {name} cannot be read.")
        if len(raw["rows"]) != count or any(
            not isinstance(r, list) or len(r) != len(raw["columns"]) for r in raw["rows"]
        ):
            raise InvalidInput(f"The backup is damaged: the table {name} does not have the rows its manifest lists.")
        tables[name] = Table(name, raw["columns"], raw["rows"])
    files = {name: data for name, data in content.items() if name.startswith("files/")}
    bad = [name for name in files if not _FILE_NAME.match(name)]
    if bad:
        raise InvalidInput(f"The backup names an export file in a way Drafter never writes ({bad[0]}).")
    return Backup(manifest, tables, files)


def _manifest(raw: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except ValueError:
        raise InvalidInput("The backup's manifest cannot be read; the file is damaged.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput("This is not a Drafter backup: its manifest is of another kind.")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise InvalidInput("The backup's manifest has no valid format version; the file is damaged.")
    if version > FORMAT_VERSION:
        raise InvalidInput(
            f"This backup was made by a newer version of Drafter (backup format {version}; this version "
            f"reads up to {FORMAT_VERSION}). Upgrade Drafter before restoring it."
        )
    for key, kind in (("tables", dict), ("members", dict), ("slug", str), ("created_at", str)):
        if not isinstance(manifest.get(key), kind):
            raise InvalidInput(f"The backup's manifest lacks {key}; the file is damaged.")
    return manifest
