"""Tracked files written by LibreOffice itself (edited over UNO with change recording on) read as proposals."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from drafter.drafting.queries import load_versions
from drafter.importing.docx import read_docx_draft
from drafter.importing.proposals import plan_upload, submit_plan
from drafter.proposals.models import ProposalKind
from drafter.text.structure import Kind
from drafter.word.clean import write_clean
from drafter.word.model import DocHeader, DocParagraph
from drafter.word.reader import read_docx
from tests import factories as f
from tests.support.libreoffice import libreoffice_fixture

pytestmark = pytest.mark.libreoffice
office = libreoffice_fixture()
HEADER = DocHeader(title="Test negotiation", label="Zero draft", date=dt.date(2025, 11, 1), symbol="A/80/L.99")


def clean_file(session, revision, path: Path) -> Path:
    """Write the revision as our clean export: what a delegation downloads and edits."""
    versions = load_versions(session, revision)
    paragraphs = [DocParagraph(v.kind, v.text, v.number_label, v.level, v.italic_chars) for v in versions]
    buffer = io.BytesIO()
    write_clean(HEADER, paragraphs).save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_libreoffice_tracked_edits_become_proposals(office, session, tmp_path: Path):
    n = f.negotiation(session)
    rev = f.revision(session, n)
    mexico = f.delegation(session, "Mexico")
    source = clean_file(session, rev, tmp_path / "zero.docx")
    edited = tmp_path / "mexico.docx"
    office.call(
        "edit_tracked",
        path=str(source),
        out=str(edited),
        author="Mexico Delegation",
        edits=[
            {"op": "replace", "find": "international cooperation", "with": "international solidarity"},
            {"op": "insert_after", "find": "Decides to convene", "text": "Welcomes the offer of a host country;"},
            {"op": "delete_paragraph", "find": "Protecting coastal ecosystems;"},
            {"op": "replace", "find": "in 2028", "with": "in 2029"},
        ],
    )
    content = read_docx(edited.read_bytes())
    assert content.has_tracked_changes and content.authors == ["Mexico Delegation"]
    plan = plan_upload(session, rev, mexico, "mexico.docx", edited.read_bytes())
    assert plan.complete, (plan.mismatches, plan.problems)
    got = sorted((q.kind.value, q.where, q.text) for q in plan.proposals)
    assert got == sorted(
        [
            ("amend", "PP2", "Recognizing the importance of international solidarity,"),
            ("amend", "OP1", "Decides to convene a high-level meeting in 2029;"),
            ("insert", "after OP1", "Welcomes the offer of a host country;"),
            ("delete", "OP2 (b)", ""),
        ]
    )
    inserted = next(q for q in plan.proposals if q.kind is ProposalKind.INSERT)
    assert inserted.new_kind is Kind.OPERATIVE  # the new paragraph took the list of the one before
    assert all(q.meta["authors"] == ["Mexico Delegation"] and q.meta["last_date"] for q in plan.proposals)
    submitted = submit_plan(session, None, rev, mexico, plan)
    assert len(submitted) == 4


def test_libreoffice_accepts_to_what_the_reader_reads_as_new(office, session, tmp_path: Path):
    n = f.negotiation(session)
    rev = f.revision(session, n)
    source = clean_file(session, rev, tmp_path / "zero.docx")
    edited = tmp_path / "edited.docx"
    office.call(
        "edit_tracked",
        path=str(source),
        out=str(edited),
        author="Norway",
        edits=[
            {"op": "replace", "find": "Strengthening early", "with": "Building"},
            {"op": "delete_paragraph", "find": "Commitments"},
            {
                "op": "insert_after",
                "find": "Requests the Secretary-General",
                "text": "Decides to remain seized of the matter.",
            },
        ],
    )
    content = read_docx(edited.read_bytes())
    assert [p.text for p in content.new if p.text] == [t for t in office.accept_all(edited) if t]
    assert [p.text for p in content.old if p.text] == [t for t in office.reject_all(edited) if t]
    draft = read_docx_draft(edited.read_bytes())
    assert (
        draft.paragraphs[-1].kind is Kind.OPERATIVE
        and draft.paragraphs[-1].text == "Decides to remain seized of the matter."
    )


def test_libreoffice_two_authors_one_deleting_the_others_insertion(office, session, tmp_path: Path):
    n = f.negotiation(session)
    rev = f.revision(session, n)
    mexico = f.delegation(session, "Mexico")
    source = clean_file(session, rev, tmp_path / "zero.docx")
    first, second = tmp_path / "first.docx", tmp_path / "second.docx"
    office.call(
        "edit_tracked",
        path=str(source),
        out=str(first),
        author="Ana",
        edits=[{"op": "replace", "find": "report on progress", "with": "report annually and in detail on progress"}],
    )
    office.call(
        "edit_tracked",
        path=str(first),
        out=str(second),
        author="Ben",
        edits=[{"op": "replace", "find": "and in detail ", "with": ""}],
    )
    content = read_docx(second.read_bytes())
    assert set(content.authors) == {"Ana", "Ben"}
    row = next(r for r in content.paragraphs if r.old_text and r.old_text.startswith("Requests"))
    assert row.old_text == "Requests the Secretary-General to report on progress;"
    assert row.new_text == "Requests the Secretary-General to report annually on progress;"
    assert [t for t in office.accept_all(second) if t][-1] == row.new_text
    plan = plan_upload(session, rev, mexico, "mexico.docx", second.read_bytes())
    assert [(q.kind.value, q.where, q.text) for q in plan.proposals] == [
        ("amend", "OP3", "Requests the Secretary-General to report annually on progress;")
    ]
    assert set(plan.proposals[0].meta["authors"]) == {"Ana", "Ben"}
