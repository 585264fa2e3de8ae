"""Word files through the web: make, archive, list and download clean, tracked and compilation exports."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.drafting.models import ProposalVisibility
from drafter.exporting.models import ExportKind, ExportRecord
from drafter.extensions import db
from tests.web.test_permissions import World, build_world, client_as

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def base(w: World) -> str:
    return f"/n/{w.negotiation.slug}"


def document_xml(data: bytes) -> str:
    """Return word/document.xml of a .docx, checking it is a valid Word package."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        assert {"[Content_Types].xml", "word/document.xml", "_rels/.rels"} <= names
        return z.read("word/document.xml").decode("utf-8")


def download(client, response) -> bytes:
    """Follow a create-export redirect and return the file, checking the download headers."""
    assert response.status_code == 302 and "/download" in response.location, response.get_data(as_text=True)[:500]
    got = client.get(response.location)
    try:
        assert got.status_code == 200
        assert got.mimetype == DOCX
        assert got.headers["Content-Disposition"].startswith("attachment;")
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        return got.get_data()
    finally:
        got.close()


def record_of(response) -> ExportRecord:
    record_id = int(response.location.rstrip("/").split("/")[-2])
    return db.session.get(ExportRecord, record_id)


@pytest.mark.parametrize(
    "form, kind, expect_in_xml",
    [
        ({"kind": "clean"}, ExportKind.CLEAN, ["Decides to convene a high-level meeting in 2029;"]),
        ({"kind": "clean", "show_status": "1"}, ExportKind.CLEAN, ["Recalling"]),
        ({"kind": "tracked", "from": "1"}, ExportKind.TRACKED, ["<w:ins ", "<w:del ", "<w:delText", "2028", "2029"]),
        ({"kind": "compilation", "style": "formatted"}, ExportKind.COMPILATION, ["G77 and China", "Mexico", "2030"]),
        (
            {"kind": "compilation", "style": "tracked"},
            ExportKind.COMPILATION,
            ['w:author="G77 and China"', 'w:author="Mexico"'],
        ),
    ],
)
def test_secretariat_makes_and_downloads_each_kind(app, w, form, kind, expect_in_xml):
    client = client_as(app, w, "secretariat")
    response = client.post(f"{base(w)}/exports/new", data={"revision": w.rev1.seq, **form})
    record = record_of(response)
    data = download(client, response)
    assert record.kind is kind and record.created_by_id == w.users["secretariat"].id
    assert record.sha256 == hashlib.sha256(data).hexdigest() and record.size == len(data)
    xml = document_xml(data)
    for needle in expect_in_xml:
        assert needle in xml, needle
    # The archive lists it; downloading it again by its record gives the same bytes.
    page = client.get(f"{base(w)}/exports").get_data(as_text=True)
    assert record.filename in page and record.sha256[:16] in page
    again = client.get(f"{base(w)}/exports/{record.id}/download")
    assert again.get_data() == data
    again.close()


def test_the_same_export_made_twice_has_the_same_bytes(app, w):
    client = client_as(app, w, "cofacilitator")
    first = client.post(f"{base(w)}/exports/new", data={"revision": w.rev1.seq, "kind": "tracked", "from": w.zero.seq})
    second = client.post(f"{base(w)}/exports/new", data={"revision": w.rev1.seq, "kind": "tracked", "from": w.zero.seq})
    assert record_of(first).id != record_of(second).id
    assert download(client, first) == download(client, second)
    assert record_of(first).filename == "world_Rev.1_tracked-against_Zero-draft.docx"


def test_the_working_revision_exports_for_the_co_facilitators(app, w):
    client = client_as(app, w, "cofacilitator")
    data = download(client, client.post(f"{base(w)}/exports/new", data={"revision": w.rev2.seq, "kind": "tracked"}))
    assert "relocate the meeting to the Moon" in document_xml(data)  # tracked against its base, Rev.1
    refused = client.post(f"{base(w)}/exports/new", data={"revision": w.rev2.seq, "kind": "compilation"})
    assert refused.status_code == 400 and "Compilations are made of circulated revisions." in refused.get_data(
        as_text=True
    )


def test_exports_page_filters_by_kind(app, w):
    client = client_as(app, w, "secretariat")
    page = client.get(f"{base(w)}/exports", query_string={"kind": "compilation"}).get_data(as_text=True)
    assert w.records["compilation"].filename in page
    assert w.records["clean_public"].filename not in page and w.records["tracked_public"].filename not in page
    everything = client.get(f"{base(w)}/exports").get_data(as_text=True)
    assert all(r.filename in everything for r in w.records.values())
    assert "Compilation of proposals" in everything


def test_a_delegate_downloads_circulated_revisions_and_tracked_versions(app, w):
    client = client_as(app, w, "delegate")
    page = client.get(f"{base(w)}/exports").get_data(as_text=True)
    for name in ("clean_public", "tracked_public", "compilation"):
        assert w.records[name].filename in page
    for name in ("clean_working", "tracked_working", "tracked_against_working"):
        assert w.records[name].filename not in page  # working revisions: not listed, not downloadable
    assert "Rev.2" not in page
    clean = download(client, client.post(f"{base(w)}/exports/new", data={"revision": w.rev1.seq, "kind": "clean"}))
    tracked = download(
        client,
        client.post(f"{base(w)}/exports/new", data={"revision": w.rev1.seq, "kind": "tracked", "from": w.zero.seq}),
    )
    assert "Moon" not in document_xml(clean) and "<w:ins " in document_xml(tracked)
    revision_page = client.get(f"{base(w)}/r/{w.rev1.seq}/").get_data(as_text=True)
    assert "Word (clean)" in revision_page and "Word (tracked against Zero draft)" in revision_page


def test_compilations_follow_the_release_setting_for_delegations(app, w, session):
    w.negotiation.proposal_visibility = ProposalVisibility.ON_RELEASE
    session.commit()
    client = client_as(app, w, "delegate")
    compilation_url = f"{base(w)}/r/{w.rev1.seq}/compilation"
    make = {"revision": w.rev1.seq, "kind": "compilation"}

    assert client.post(f"{base(w)}/exports/new", data=make).status_code == 403
    assert client.get(f"{base(w)}/exports/{w.records['compilation'].id}/download").status_code == 403
    assert w.records["compilation"].filename not in client.get(f"{base(w)}/exports").get_data(as_text=True)
    assert "Compilation (Word" not in client.get(compilation_url).get_data(as_text=True)

    assert client_as(app, w, "cofacilitator").post(f"{base(w)}/r/{w.rev1.seq}/release").status_code == 302
    assert "Compilation (Word" in client.get(compilation_url).get_data(as_text=True)
    data = download(client, client.post(f"{base(w)}/exports/new", data=make))
    assert "G77 and China" in document_xml(data)
    got = client.get(f"{base(w)}/exports/{w.records['compilation'].id}/download")
    assert got.status_code == 200
    got.close()
    # Observers read released compilations on the web, but take no Word files.
    observer = client_as(app, w, "observer")
    assert observer.get(compilation_url).status_code == 200
    assert observer.post(f"{base(w)}/exports/new", data=make).status_code == 403


def test_the_compilation_page_offers_the_word_files_to_whoever_may_have_them(app, w):
    url = f"{base(w)}/r/{w.rev1.seq}/compilation"
    assert "Compilation (Word, formatted)" in client_as(app, w, "secretariat").get(url).get_data(as_text=True)
    assert "Compilation (Word, formatted)" not in client_as(app, w, "observer").get(url).get_data(as_text=True)


@pytest.mark.parametrize(
    "form, message",
    [
        ({"kind": "pdf"}, "Choose clean, tracked, compilation or Akoma Ntoso."),
        ({"kind": "tracked", "from": "2"}, "Choose two different revisions."),
    ],
)
def test_bad_export_requests_are_refused_with_a_message(app, w, form, message):
    client = client_as(app, w, "secretariat")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(ExportRecord))
    response = client.post(f"{base(w)}/exports/new", data={"revision": w.rev1.seq, **form})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExportRecord)) == before


def test_unknown_revision_and_record_are_404(app, w):
    client = client_as(app, w, "secretariat")
    assert client.post(f"{base(w)}/exports/new", data={"revision": 99, "kind": "clean"}).status_code == 404
    assert client.get(f"{base(w)}/exports/999999/download").status_code == 404


def test_a_record_of_another_negotiation_is_not_downloaded_here(app, w, session):
    from drafter.exporting import services as exports
    from tests import factories as f

    other_rev = f.revision(
        session, w.other_negotiation, [(f.Kind.OPERATIVE, "Decides to meet again in 2031;")], label="Rev.9"
    )
    record = exports.archive(
        session,
        None,
        exports.clean_export(session, other_rev),
        export_dir=Path(app.config["EXPORT_DIR"]),
        revision=other_rev,
    )
    session.commit()
    assert client_as(app, w, "secretariat").get(f"{base(w)}/exports/{record.id}/download").status_code == 404


def test_an_altered_or_missing_archive_file_is_reported_not_served(app, w):
    client = client_as(app, w, "secretariat")
    record = w.records["clean_public"]
    path = Path(app.config["EXPORT_DIR"]) / record.path
    path.write_bytes(path.read_bytes() + b"tampered")
    altered = client.get(f"{base(w)}/exports/{record.id}/download")
    assert altered.status_code == 400 and "no longer matches its recorded hash" in altered.get_data(as_text=True)
    path.unlink()
    missing = client.get(f"{base(w)}/exports/{record.id}/download")
    assert missing.status_code == 400 and "missing from the export folder" in missing.get_data(as_text=True)


def test_comparison_page_offers_the_tracked_word_file_of_what_it_shows(app, session):
    from tests.web.test_permissions import build_world, client_as

    world = build_world(session, Path(app.config["EXPORT_DIR"]))
    session.commit()
    client = client_as(app, world, "secretariat")
    page = client.get(f"/n/{world.negotiation.slug}/compare?from=1&to=2").get_data(as_text=True)
    assert 'value="tracked"' in page and 'name="from" value="1"' in page and 'name="revision" value="2"' in page
