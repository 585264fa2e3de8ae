"""Word files in a real browser: a co-facilitator imports Rev.1 from .docx, a delegation uploads its tracked file."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import expect

from drafter.drafting.models import Negotiation
from drafter.drafting.queries import latest_revision, load_versions
from drafter.exporting.services import doc_paragraph
from drafter.extensions import db
from drafter.text.diff import word_diff
from drafter.text.structure import Kind
from drafter.word.clean import write_clean
from drafter.word.model import DocHeader, DocParagraph, TrackedRow
from drafter.word.tracked import write_tracked

SLUG = "coastal-resilience"
HEADER = DocHeader(title="Political declaration", label="Rev.1", date=dt.date(2026, 11, 20))


def _zero_draft(app) -> list[DocParagraph]:
    with app.app_context():
        n = db.session.scalar(sa.select(Negotiation).where(Negotiation.slug == SLUG))
        return [doc_paragraph(v) for v in load_versions(db.session, latest_revision(db.session, n))]


def _save(document, path: Path) -> Path:
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_cofacilitator_imports_rev1_from_a_word_file(visitor, live_app, tmp_path):
    old = _zero_draft(live_app)
    first_op = next(i for i, p in enumerate(old) if p.kind is Kind.OPERATIVE)
    new = list(old)
    new[first_op] = DocParagraph(
        Kind.OPERATIVE, old[first_op].text.replace("in 2028", "in 2027"), italic_chars=old[first_op].italic_chars
    )
    new.insert(
        first_op + 1,
        DocParagraph(Kind.OPERATIVE, "Welcomes the offer of a host country for the meeting;", italic_chars=8),
    )
    docx = _save(write_clean(HEADER, new), tmp_path / "rev1.docx")

    amina = visitor("amina@demo.drafter.example", "amina")
    amina.go(f"/n/{SLUG}/")
    amina.page.get_by_role("link", name=re.compile("Import a revision")).click()
    amina.page.set_input_files("input#file", str(docx))
    amina.page.get_by_role("button", name="Preview").click()
    body = amina.page.locator("body")
    expect(body).to_contain_text("Welcomes the offer of a host country")
    expect(body).to_contain_text("identical")
    expect(body).to_contain_text("% similar")
    amina.shot("preview")
    amina.page.fill("input#label", "Rev.1")
    amina.page.get_by_role("button", name="Save the revision").click()
    expect(amina.page.locator("h1")).to_contain_text("Rev.1")

    amina.go(f"/n/{SLUG}/compare?from=1&to=2")
    expect(amina.page.locator("body")).to_contain_text(re.compile(r"1 changed, 1 new, 0 deleted"))
    expect(amina.page.locator("ins").filter(has_text="2027").first).to_be_visible()
    amina.shot("compare")


def test_a_delegation_uploads_its_tracked_word_file_and_sees_its_proposals(visitor, live_app, tmp_path):
    old = _zero_draft(live_app)
    rows: list[TrackedRow] = []
    edited = next(i for i, p in enumerate(old) if "Encourages the sharing of data" in p.text)
    for i, o in enumerate(old):
        if i == edited:
            text = o.text.replace("good practices", "good practices and traditional knowledge")
            n = DocParagraph(o.kind, text, o.number_label, o.level, o.italic_chars)
            rows.append(TrackedRow(o, n, word_diff(o.text, text).ops))
            rows.append(
                TrackedRow(
                    None,
                    DocParagraph(
                        Kind.OPERATIVE,
                        "Invites small island developing States to share their adaptation plans;",
                        italic_chars=7,
                    ),
                )
            )
        else:
            rows.append(TrackedRow(o, o, word_diff(o.text, o.text).ops))
    docx = _save(
        write_tracked(HEADER, rows, author="Fiji delegation", date=dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)),
        tmp_path / "fiji-amendments.docx",
    )

    fiji = visitor("fiji@demo.drafter.example", "fiji")
    fiji.go(f"/n/{SLUG}/")
    fiji.page.get_by_role("link", name="Upload a tracked Word file").first.click()
    fiji.page.set_input_files("input#file", str(docx))
    fiji.page.get_by_role("button", name="Preview").click()
    planned = fiji.page.locator("#planned")
    expect(planned).to_contain_text("traditional knowledge")
    expect(planned).to_contain_text("Invites small island developing States")
    expect(planned).to_contain_text("Fiji delegation")
    fiji.shot("preview")
    fiji.page.get_by_role("button", name=re.compile("Submit")).click()

    expect(fiji.page.locator(".proposal", has_text="traditional knowledge")).to_contain_text("Fiji")
    expect(fiji.page.locator("body")).to_contain_text("Invites small island developing States")
    fiji.shot("compilation")


def test_a_broken_word_file_gets_a_clear_message(visitor, tmp_path):
    fake = tmp_path / "draft.docx"
    fake.write_bytes(b"%PDF-1.7 this is not a Word file")
    amina = visitor("amina@demo.drafter.example", "amina")
    amina.go(f"/n/{SLUG}/import")
    amina.page.set_input_files("input#file", str(fake))
    amina.page.get_by_role("button", name="Preview").click()
    body = amina.page.locator("body")
    expect(body).to_contain_text(re.compile("not a Word|cannot be read|not a .docx", re.I))
    expect(body).not_to_contain_text("Traceback")
    amina.shot("broken-file")
