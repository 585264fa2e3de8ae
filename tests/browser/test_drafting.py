"""The co-facilitators' drafting in a real browser: edit a working revision, compare, circulate, export."""

from __future__ import annotations

import re
import zipfile

from playwright.sync_api import expect

SLUG = "coastal-resilience"


def _start_rev1(v) -> None:
    v.go(f"/n/{SLUG}/")
    v.page.get_by_role("button", name=re.compile("Start the next revision")).click()
    expect(v.page.locator("h1")).to_contain_text("Rev.1")


def test_cofacilitator_edits_a_working_revision_and_circulates_it(visitor):
    amina = visitor("amina@demo.drafter.example", "amina")
    _start_rev1(amina)
    page = amina.page

    # Every change below is made in place: the editor page is never loaded again.
    page.evaluate("window.sameEditorPage = true")

    # Edit OP3's text under its row, watching the changes as they are typed.
    row = page.locator("section.edit-row", has_text="Encourages the sharing of data")
    row.get_by_role("link", name=re.compile("^Edit text")).click()
    box = row.locator("textarea")
    box.fill(box.input_value().replace("good practices", "lessons learned"))
    expect(row.locator(".live-diff ins")).to_contain_text("lessons learned", timeout=15_000)
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".para")).to_contain_text("lessons learned")
    expect(row.locator("textarea")).to_have_count(0)

    # Mark OP1 agreed ad ref.
    op1 = page.locator("section.edit-row", has_text="Decides to convene a high-level meeting")
    op1.locator("select[name=status]").select_option(value="agreed_ad_ref")
    op1.get_by_role("button", name="Set status").click()
    expect(op1).to_contain_text("ad ref")

    # Insert a new operative paragraph after OP1: everything after it renumbers.
    op1.get_by_role("link", name="Insert after").click()
    form = op1.locator("form.insert-form")
    form.locator("textarea[name=text]").fill("Welcomes the offer of a host country for the meeting;")
    form.locator("select[name=kind]").select_option(value="operative:0")
    form.get_by_role("button", name="Insert").click()
    new = page.locator("section.edit-row", has_text="Welcomes the offer of a host country")
    expect(new.locator(".margin .ref")).to_have_text("OP2")
    expect(
        page.locator("section.edit-row", has_text="Encourages the sharing of data").locator(".margin .ref")
    ).to_have_text("OP4")
    expect(page.locator("section.edit-row", has_text="Encourages the sharing of data")).to_contain_text(
        "OP3 in Zero draft"
    )
    assert page.evaluate("window.sameEditorPage") is True
    amina.shot("editor")

    # The comparison with the zero draft shows the edit and the new paragraph.
    page.get_by_role("link", name=re.compile("Changes since")).click()
    expect(page.locator("body ins").filter(has_text="lessons learned").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("Welcomes the offer of a host country")
    amina.shot("compare")

    # Circulate Rev.1; delegations then see it, numbered anew.
    amina.go(f"/n/{SLUG}/")
    page.get_by_role("link", name="Circulate…").click()
    page.get_by_role("button", name="Circulate Rev.1").click()
    g77 = visitor("g77@demo.drafter.example", "g77")
    g77.go(f"/n/{SLUG}/r/2/")
    doc = g77.page.locator("article.document")
    expect(doc.locator("section.para-row", has_text="Welcomes the offer")).to_contain_text("OP2")
    expect(doc.locator("section.para-row", has_text="Encourages the sharing")).to_contain_text("OP4")
    g77.shot("rev1")


def test_a_working_revision_stays_with_cofacilitators_and_secretariat(visitor):
    amina = visitor("amina@demo.drafter.example", "amina")
    _start_rev1(amina)
    secretariat = visitor("secretariat@demo.drafter.example", "secretariat")
    secretariat.go(f"/n/{SLUG}/r/2/")
    expect(secretariat.page.locator("article.document")).to_contain_text("Decides to convene")
    for email in ("g77@demo.drafter.example", "observer@demo.drafter.example"):
        v = visitor(email)
        response = v.page.goto(v.server.url + f"/n/{SLUG}/r/2/")
        assert response is not None and response.status in (403, 404)
        expect(v.page.locator("body")).not_to_contain_text("Decides to convene")


def test_secretariat_downloads_the_three_word_files(visitor, tmp_path):
    _start_rev1(visitor("amina@demo.drafter.example", "amina"))
    sec = visitor("secretariat@demo.drafter.example", "secretariat")
    sec.go(f"/n/{SLUG}/exports")
    sec.shot("exports")
    files = []
    for label in ("Make the clean file", "Make the tracked file", "Make the compilation"):
        with sec.page.expect_download() as info:
            sec.page.get_by_role("button", name=label).click()
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        files.append(path)
        sec.go(f"/n/{SLUG}/exports")
    assert len({p.name for p in files}) == 3
    for path in files:
        assert path.suffix == ".docx"
        with zipfile.ZipFile(path) as z:
            assert "word/document.xml" in z.namelist()
    sec.go(f"/n/{SLUG}/exports")
    expect(sec.page.locator("table")).to_contain_text(re.compile("clean", re.I))
    sec.shot("exports-listed")
