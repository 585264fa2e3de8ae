"""The secretariat reads the record: filters it, keeps the filtered view as a link, downloads it."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

SLUG = "coastal-resilience"


def test_the_secretariat_filters_the_record_and_downloads_it(visitor):
    v = visitor("secretariat@demo.drafter.example", "secretariat")
    v.go(f"/n/{SLUG}/")
    v.page.get_by_role("link", name="Record").click()
    expect(v.page.locator("h1")).to_have_text("Record of actions")
    v.shot("record")
    v.page.select_option("select#kind", label="Proposals")
    v.page.get_by_role("button", name="Filter").click()
    expect(v.page).to_have_url(re.compile(r"kind=proposal"))
    expect(v.page.locator("select#kind")).to_have_value("proposal")
    rows = v.page.locator("table.table tbody tr")
    expect(rows.first).to_contain_text("proposal.")
    assert all("(proposal." in t for t in rows.all_inner_texts())
    v.shot("record-proposals")
    with v.page.expect_download() as download:
        v.page.get_by_role("link", name="Download as CSV").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:4] == ["Time (UTC)", "Who", "Email", "Action"]
    assert len(table) - 1 == rows.count() and all(r[3].startswith("proposal.") for r in table[1:])
    v.page.fill("input#since", "2026-12-31")
    v.page.fill("input#until", "2026-01-01")
    v.page.get_by_role("button", name="Filter").click()
    expect(v.page.get_by_role("alert")).to_contain_text("The “From” date is after the “To” date.")
    expect(v.page.locator("input#since")).to_have_value("2026-12-31")
    v.shot("record-bad-dates")
