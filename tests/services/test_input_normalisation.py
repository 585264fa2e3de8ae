"""Every way text comes in stores the same characters: forms' services, .txt and .docx uploads, the CLI."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation, ParagraphVersion
from drafter.drafting.queries import load_versions
from drafter.importing.services import decode_text, read_draft
from drafter.proposals import services as proposals
from drafter.proposals.models import Proposal, ProposalKind
from tests import factories as f
from tests.unit.word.docx_factory import make_docx, p

#: what a careless paste carries: Windows line endings, a NUL, a bidi override and its end
DIRTY = "Decides\x00 to act \u202ein 2030\u202c;\r\nand to meet\r"
CLEAN = "Decides to act in 2030;\nand to meet"


def test_a_proposal_and_its_justification_are_stored_normalised(session):
    n = f.negotiation(session)
    rev = f.revision(session, n)
    target = load_versions(session, rev)[0]
    p = proposals.submit(
        session,
        None,
        rev,
        f.delegation(session, "Mexico"),
        kind=ProposalKind.AMEND,
        target=target,
        text=DIRTY,
        justification="Because\r\nof \u2066timing\u2069.",
    )
    assert p.proposed_text == CLEAN and p.justification == "Because\nof timing."


def test_an_edited_paragraph_is_stored_normalised(session):
    n = f.negotiation(session)
    f.revision(session, n)
    working = drafting.start_revision(session, None, n, label="Rev.1")
    v = load_versions(session, working)[1]
    editing.edit_text(session, None, v, DIRTY, expected_version=v.version)
    assert v.text == CLEAN


def test_a_txt_upload_loses_its_nul_bytes_and_carriage_returns():
    assert (
        decode_text(b"Decides\x00 to act;\r\n\r\nRequests a report.\r\n") == "Decides to act;\n\nRequests a report.\n"
    )
    draft = read_draft("draft.txt", DIRTY.encode("utf-8") + b"\r\n\r\nRequests a report.")
    assert [x.text for x in draft.paragraphs] == ["Decides to act in 2030;", "and to meet", "Requests a report."]


def test_a_utf16_file_without_a_byte_order_mark_is_read_as_utf16():
    text = "Décide de convoquer une réunion ;\r\n\r\nPrie le Secrétaire général.\r\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        assert decode_text(text.encode(encoding)) == text.replace("\r\n", "\n")


def test_a_docx_is_read_with_the_same_normalisation():
    # A carriage return written as a character reference survives XML parsing; Word files carry them.
    run = '<w:r><w:t xml:space="preserve">Decides to act \u202ein 2030\u202c;&#13;and to meet</w:t></w:r>'
    draft = read_draft("draft.docx", make_docx(p(run) + p("<w:r><w:t>Requests a report.</w:t></w:r>")))
    assert [x.text for x in draft.paragraphs] == ["Decides to act in 2030; and to meet", "Requests a report."]


def test_the_command_line_import_stores_normalised_text(session, runner, tmp_path: Path):
    f.negotiation(session, slug="ocean-summit")
    session.commit()
    path = tmp_path / "zero.txt"
    path.write_bytes(b"Decides\x00 to act \xe2\x80\xaein 2030\xe2\x80\xac;\r\n\r\nRequests a report.\r\n")
    result = runner.invoke(args=["revisions", "import", "ocean-summit", str(path), "--label", "Zero draft"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    n = session.scalar(sa.select(Negotiation).where(Negotiation.slug == "ocean-summit"))
    texts = session.scalars(
        sa.select(ParagraphVersion.text)
        .where(ParagraphVersion.revision_id == n.revisions[0].id)
        .order_by(ParagraphVersion.position)
    ).all()
    assert texts == ["Decides to act in 2030;", "Requests a report."]


def test_the_command_line_proposal_import_of_an_amendment_text(session, runner, tmp_path: Path):
    n = f.negotiation(session, slug="coasts")
    f.revision(session, n)
    f.delegation(session, "Mexico")
    session.commit()
    path = tmp_path / "amendments.txt"
    path.write_bytes(
        "In operative paragraph 1, replace \u201cconvene\u201d with \u201cconvene\x00 \u202eurgently\u202c\u201d.\r\n".encode(
            "utf-8"
        )
    )
    result = runner.invoke(args=["proposals", "import", "coasts", str(path), "--delegation", "mexico", "--partial"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    texts = session.scalars(sa.select(Proposal.proposed_text)).all()
    assert texts == ["Decides to convene urgently a high-level meeting in 2028;"]
