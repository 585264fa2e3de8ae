"""``drafter proposals import``: a summary, a non-zero exit with a message on bad input, all or nothing."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from drafter.drafting.queries import load_versions
from drafter.proposals.models import Proposal, ProposalKind, ProposalSource
from drafter.text.structure import Kind
from drafter.word.model import DocParagraph
from tests import factories as f
from tests.services.test_importing_proposals import doc_paragraph, tracked_file


def setup_negotiation(session, slug: str = "coasts"):
    n = f.negotiation(session, slug=slug)
    rev = f.revision(session, n)
    f.delegation(session, "Mexico")
    session.commit()
    return n, rev


def count(session) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count(Proposal.id)))


def test_tracked_file(session, runner, tmp_path: Path):
    n, rev = setup_negotiation(session)
    path = tmp_path / "mexico.docx"
    path.write_bytes(
        tracked_file(
            rev,
            edits={0: "Recalling its earlier resolutions and decisions on the subject,"},
            inserts={3: [DocParagraph(Kind.OPERATIVE, "Welcomes the offer of a host country;")]},
        )
    )
    result = runner.invoke(args=["proposals", "import", "coasts", str(path), "--delegation", "mexico"])
    assert result.exit_code == 0, result.output
    assert "mexico.docx: 2 proposals for Mexico on Zero draft." in result.output
    assert (
        "Amend PP1: Recalling its earlier resolutions and decisions on the subject,  [Mexico, 2025-11-07]"
        in result.output
    )
    assert "New paragraph after OP1: Welcomes the offer of a host country;" in result.output
    assert "Submitted 2 proposals for Mexico on Zero draft." in result.output
    proposals = session.scalars(sa.select(Proposal).order_by(Proposal.id)).all()
    assert [(p.kind, p.source) for p in proposals] == [
        (ProposalKind.AMEND, ProposalSource.WORD),
        (ProposalKind.INSERT, ProposalSource.WORD),
    ]


def test_amendment_text_file_on_a_named_revision(session, runner, tmp_path: Path):
    n, rev = setup_negotiation(session)
    path = tmp_path / "amendment.txt"
    path.write_text(
        "Delete operative paragraph 3.\n\nIn operative paragraph 1, replace “2028” with “2029”.\n", encoding="utf-8"
    )
    result = runner.invoke(
        args=["proposals", "import", "coasts", str(path), "--delegation", "Mexico", "--revision", "zero draft"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "Delete OP3" in result.output and "Amend OP1: Decides to convene a high-level meeting in 2029;" in result.output
    )
    assert count(session) == 2


def test_mismatches_stop_the_import_unless_partial(session, runner, tmp_path: Path):
    n, rev = setup_negotiation(session)
    base = [doc_paragraph(v) for v in load_versions(session, rev)]
    base[3] = DocParagraph(Kind.OPERATIVE, "Decides to convene a meeting in 2027;", "1")
    path = tmp_path / "old.docx"
    path.write_bytes(
        tracked_file(
            rev, edits={3: "Decides to convene a summit in 2027;", 0: "Recalling all its resolutions,"}, base=base
        )
    )
    result = runner.invoke(args=["proposals", "import", "coasts", str(path), "--delegation", "Mexico"])
    assert result.exit_code == 1
    assert "does not match: OP1" in result.output and "Run again with --partial" in result.output
    assert count(session) == 0
    dry = runner.invoke(
        args=["proposals", "import", "coasts", str(path), "--delegation", "Mexico", "--partial", "--dry-run"]
    )
    assert dry.exit_code == 0 and "Dry run: nothing was submitted." in dry.output
    assert count(session) == 0
    partial = runner.invoke(args=["proposals", "import", "coasts", str(path), "--delegation", "Mexico", "--partial"])
    assert partial.exit_code == 0, partial.output
    assert "Submitted 1 proposals" in partial.output and count(session) == 1


def test_bad_arguments(session, runner, tmp_path: Path):
    setup_negotiation(session)
    path = tmp_path / "a.txt"
    path.write_text("Delete operative paragraph 3.", encoding="utf-8")
    cases = [
        (["nowhere", str(path), "--delegation", "Mexico"], "No negotiation is called 'nowhere'"),
        (["coasts", str(path), "--delegation", "Atlantis"], "No delegation is called 'Atlantis'"),
        (["coasts", str(path), "--delegation", "Mexico", "--revision", "Rev.9"], "no revision labelled 'Rev.9'"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["proposals", "import", *args])
        assert result.exit_code == 1 and message in result.output, result.output
    empty = tmp_path / "b.txt"
    empty.write_text("Recalling its resolution,", encoding="utf-8")
    result = runner.invoke(args=["proposals", "import", "coasts", str(empty), "--delegation", "Mexico"])
    assert result.exit_code == 1 and "No amendment instructions were found" in result.output
    nothing = tmp_path / "c.txt"
    nothing.write_text("In operative paragraph 1, replace “2027” with “2029”.", encoding="utf-8")
    result = runner.invoke(args=["proposals", "import", "coasts", str(nothing), "--delegation", "Mexico"])
    assert result.exit_code == 1 and "Nothing was imported" in result.output and "problem:" in result.output
    assert count(session) == 0


def test_closed_revision(session, runner, tmp_path: Path):
    n = f.negotiation(session, slug="closed")
    f.revision(session, n, circulate=False)
    f.delegation(session, "Mexico")
    session.commit()
    path = tmp_path / "a.txt"
    path.write_text("Delete operative paragraph 3.", encoding="utf-8")
    result = runner.invoke(args=["proposals", "import", "closed", str(path), "--delegation", "Mexico"])
    assert result.exit_code == 1 and "no circulated revision" in result.output
    result = runner.invoke(
        args=["proposals", "import", "closed", str(path), "--delegation", "Mexico", "--revision", "Zero draft"]
    )
    assert (
        result.exit_code == 1 and "Proposals are made on circulated revisions, not on a working draft." in result.output
    )
