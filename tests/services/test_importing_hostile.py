"""Hostile and wrong files: a clear message, fast, and nothing half-imported, in the services and the CLI."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from drafter.drafting.models import Revision
from drafter.errors import InvalidInput
from drafter.importing.proposals import plan_upload
from drafter.importing.services import read_draft
from drafter.proposals.models import Proposal
from tests import factories as f
from tests.support.timing import bound
from tests.unit.word.docx_factory import hostile_files

SECONDS = 1.5
NAMES = list(hostile_files())


@pytest.fixture(params=NAMES)
def hostile(request) -> tuple[str, bytes, str]:
    data, fragment = hostile_files()[request.param]
    return request.param, data, fragment


def test_read_draft_refuses(hostile) -> None:
    name, data, fragment = hostile
    start = time.perf_counter()
    with pytest.raises(InvalidInput) as info:
        read_draft(f"{name}.docx", data)
    assert time.perf_counter() - start < bound(SECONDS)
    assert fragment.lower() in info.value.message.lower()


def test_proposal_import_refuses(session, hostile) -> None:
    name, data, fragment = hostile
    n = f.negotiation(session)
    rev = f.revision(session, n)
    d = f.delegation(session)
    start = time.perf_counter()
    with pytest.raises(InvalidInput) as info:
        plan_upload(session, rev, d, f"{name}.docx", data)
    assert time.perf_counter() - start < bound(SECONDS)
    assert fragment.lower() in info.value.message.lower()


@pytest.mark.parametrize("command", ["revisions", "proposals"])
def test_cli_exits_with_the_message_and_imports_nothing(session, runner, tmp_path: Path, hostile, command: str) -> None:
    name, data, fragment = hostile
    n = f.negotiation(session, slug="hostile")
    f.revision(session, n)
    f.delegation(session, "Mexico")
    session.commit()
    path = tmp_path / f"{name}.docx"
    path.write_bytes(data)
    args = (
        ["revisions", "import", "hostile", str(path), "--label", "Rev.1"]
        if command == "revisions"
        else ["proposals", "import", "hostile", str(path), "--delegation", "Mexico"]
    )
    start = time.perf_counter()
    result = runner.invoke(args=args)
    assert time.perf_counter() - start < bound(SECONDS + 1)
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output and fragment.lower() in result.output.lower()
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count(Revision.id))) == 1
    assert session.scalar(sa.select(sa.func.count(Proposal.id))) == 0


def test_cli_refuses_a_file_over_the_size_limit_before_reading_it(app, session, runner, tmp_path: Path) -> None:
    n = f.negotiation(session, slug="big")
    f.revision(session, n)
    f.delegation(session, "Mexico")
    session.commit()
    app.config["UPLOAD_MAX_BYTES"] = 1000
    path = tmp_path / "big.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(5000))
    result = runner.invoke(args=["proposals", "import", "big", str(path), "--delegation", "Mexico"])
    assert result.exit_code == 1 and "larger than" in result.output
