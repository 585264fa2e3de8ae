"""The export archive: a file is complete before it is recorded, and there is no file without its record."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from drafter.errors import InvalidInput
from drafter.exporting import services as exports
from drafter.exporting.models import ExportRecord
from tests import factories as f


@pytest.fixture
def setup(session, tmp_path: Path):
    n = f.negotiation(session, slug="coasts")
    rev = f.revision(session, n)
    session.commit()
    return rev, exports.clean_export(session, rev), tmp_path / "archive"


def _files(export_dir: Path) -> list[str]:
    return sorted(p.name for p in export_dir.rglob("*") if p.is_file())


def _records(session) -> int:
    return session.scalar(sa.select(sa.func.count(ExportRecord.id)))


def test_an_archived_file_is_complete_and_recorded(session, setup):
    rev, export, export_dir = setup
    record = exports.archive(session, None, export, export_dir=export_dir, revision=rev)
    session.commit()
    assert _files(export_dir) == [record.path.split("/")[1]]
    assert exports.read_archived(record, export_dir) == export.data


def test_a_crash_while_writing_leaves_no_file_and_no_record(session, setup, monkeypatch: pytest.MonkeyPatch):
    rev, export, export_dir = setup

    def disk_fails(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports.os, "fsync", disk_fails)
    with pytest.raises(OSError):
        exports.archive(session, None, export, export_dir=export_dir, revision=rev)
    session.rollback()
    assert _files(export_dir) == []  # neither the temporary file nor the final one
    assert _records(session) == 0


def test_a_crash_while_recording_takes_the_file_away_again(session, setup, monkeypatch: pytest.MonkeyPatch):
    rev, export, export_dir = setup

    def audit_fails(*args, **kwargs) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(exports.audit, "record", audit_fails)
    with pytest.raises(RuntimeError):
        exports.archive(session, None, export, export_dir=export_dir, revision=rev)
    session.rollback()
    assert _files(export_dir) == [] and _records(session) == 0


def test_a_request_that_rolls_back_after_archiving_leaves_no_file(session, setup):
    rev, export, export_dir = setup
    exports.archive(session, None, export, export_dir=export_dir, revision=rev)
    session.rollback()  # the request failed after the export was written (or its commit did)
    assert _files(export_dir) == [] and _records(session) == 0
    exports.archive(session, None, export, export_dir=export_dir, revision=rev)
    session.commit()
    session.rollback()  # a later rollback does not touch what was committed
    assert len(_files(export_dir)) == 1 and _records(session) == 1


def test_a_second_identical_export_that_rolls_back_keeps_the_first_file(session, setup):
    rev, export, export_dir = setup
    first = exports.archive(session, None, export, export_dir=export_dir, revision=rev)
    session.commit()
    exports.archive(session, None, export, export_dir=export_dir, revision=rev)
    session.rollback()
    assert exports.read_archived(session.get(ExportRecord, first.id), export_dir) == export.data


def test_stale_temporary_files_are_swept_and_nothing_else(tmp_path: Path):
    folder = tmp_path / "archive" / "coasts"
    folder.mkdir(parents=True)
    stale = folder / ".0123456789ab_coasts_Zero-draft_clean.docx.x1y2z3.part"
    legacy = folder / "0123456789ab_coasts_Zero-draft_clean.part"
    fresh = folder / ".fedcba987654_coasts_Rev.1_clean.docx.a1b2c3.part"
    archived = folder / "0123456789ab_coasts_Zero-draft_clean.docx"
    for path in (stale, legacy, fresh, archived):
        path.write_bytes(b"PK")
    hour_ago = time.time() - 3600
    for path in (stale, legacy, archived):
        os.utime(path, (hour_ago, hour_ago))
    removed = exports.sweep_temporary(tmp_path / "archive")
    assert sorted(p.name for p in removed) == sorted([stale.name, legacy.name])
    # a younger temporary file may be another process's write in progress
    assert sorted(p.name for p in folder.iterdir()) == sorted([fresh.name, archived.name])


def test_the_archive_sweeps_its_folder_on_first_use(session, setup, monkeypatch: pytest.MonkeyPatch):
    rev, export, export_dir = setup
    monkeypatch.setattr(exports, "_swept", set())
    crashed = export_dir / "other" / ".abc_other.docx.q1w2e3.part"
    crashed.parent.mkdir(parents=True)
    crashed.write_bytes(b"half a file")
    hour_ago = time.time() - 3600
    os.utime(crashed, (hour_ago, hour_ago))
    exports.archive(session, None, export, export_dir=export_dir, revision=rev)
    session.commit()
    assert not crashed.exists()


def test_the_command_line_output_file_is_written_whole(
    session, runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    n = f.negotiation(session, slug="coasts")
    f.revision(session, n)
    session.commit()
    output = tmp_path / "out" / "zero.docx"
    output.parent.mkdir()
    output.write_bytes(b"the previous export")

    def disk_fails(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports.os, "fsync", disk_fails)
    result = runner.invoke(args=["export", "clean", "coasts", "--revision", "Zero draft", "-o", str(output)])
    assert result.exit_code != 0 and "Could not write the file (No space left on device)" in result.output
    assert output.read_bytes() == b"the previous export"  # not half of the new one
    assert [p.name for p in output.parent.iterdir()] == ["zero.docx"]
    monkeypatch.undo()
    result = runner.invoke(args=["export", "clean", "coasts", "--revision", "Zero draft", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes()[:2] == b"PK" and output.stat().st_mode & 0o777 == 0o644


def test_a_rollback_keeps_the_file_another_record_holds(session, setup):
    """Two identical exports at once share one file: the one that fails must not take the other's away."""
    from drafter.extensions import db

    rev, export, export_dir = setup
    record = exports.archive(session, None, export, export_dir=export_dir, revision=rev)
    path = export_dir / record.path
    # The other export recorded the same file and committed first.
    with db.engine.begin() as conn:
        conn.execute(
            sa.insert(ExportRecord).values(
                negotiation_id=rev.negotiation_id,
                kind=export.kind,
                revision_id=rev.id,
                options={},
                filename=export.filename,
                path=record.path,
                sha256=export.sha256,
                size=len(export.data),
            )
        )
    session.rollback()
    assert path.exists()


def test_a_file_removed_by_another_rollback_is_written_again_before_the_commit(session, setup):
    rev, export, export_dir = setup
    record = exports.archive(session, None, export, export_dir=export_dir, revision=rev)
    (export_dir / record.path).unlink()  # another request with the same bytes rolled back meanwhile
    session.commit()
    assert exports.read_archived(record, export_dir) == export.data


def test_a_compilation_of_a_working_revision_is_refused_by_the_service(session):
    n = f.negotiation(session, slug="reefs")
    working = f.revision(session, n, circulate=False)
    with pytest.raises(InvalidInput, match="Compilations are made of circulated revisions"):
        exports.compilation_export(session, working)
