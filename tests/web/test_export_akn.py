"""Akoma Ntoso files through the web and the command line: made, archived, downloaded, refused as the clean export is."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from drafter.exporting.models import ExportKind, ExportRecord
from drafter.extensions import db
from tests.support.akn import NS, assert_valid, text_of
from tests.support.world import SECRET
from tests.web.test_permissions import World, build_world, client_as

AKN = "application/akn+xml"


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def base(w: World) -> str:
    return f"/n/{w.negotiation.slug}"


def make(client, w: World, revision) -> tuple[ExportRecord, bytes]:
    """Ask for the Akoma Ntoso file of a revision, follow the redirect and return its record and bytes."""
    response = client.post(f"{base(w)}/exports/new", data={"revision": revision.seq, "kind": "akn"})
    assert response.status_code == 302 and "/download" in response.location, response.get_data(as_text=True)[:500]
    record = db.session.get(ExportRecord, int(response.location.rstrip("/").split("/")[-2]))
    got = client.get(response.location)
    try:
        assert got.status_code == 200 and got.mimetype == AKN
        assert got.headers["Content-Disposition"] == f"attachment; filename={record.filename}"
        return record, got.get_data()
    finally:
        got.close()


def test_a_delegate_downloads_a_circulated_revision_as_akoma_ntoso_from_its_page(app, w):
    client = client_as(app, w, "delegate")
    page = client.get(f"{base(w)}/r/{w.rev1.seq}/").get_data(as_text=True)
    assert 'name="kind" value="akn"' in page and "Akoma Ntoso XML" in page
    record, data = make(client, w, w.rev1)
    assert record.kind is ExportKind.AKN and record.filename == "world_Rev.1_akn.xml"
    root = assert_valid(data)
    operative = [text_of(p) for p in root.iterfind(".//a:paragraph/a:content/a:p", NS)]
    assert "Decides to convene a high-level meeting in 2029;" in operative
    assert SECRET not in data.decode("utf-8")
    mapping = root.find(".//d:eIds", NS)
    assert (mapping.get("revision"), mapping.get("previousRevision")) == ("Rev.1", "Zero draft")
    # The archive lists it under its kind, and it downloads again with the same bytes.
    listed = client.get(f"{base(w)}/exports", query_string={"kind": "akn"}).get_data(as_text=True)
    assert record.filename in listed and "Akoma Ntoso XML of Rev.1" in listed
    again = client.get(f"{base(w)}/exports/{record.id}/download")
    assert again.get_data() == data
    again.close()


def test_the_working_revision_is_for_the_co_facilitators_and_the_secretariat_only(app, w):
    for role in ("cofacilitator", "secretariat"):
        _, data = make(client_as(app, w, role), w, w.rev2)
        assert SECRET in data.decode("utf-8")
        assert_valid(data)
    delegate = client_as(app, w, "delegate")
    refused = delegate.post(f"{base(w)}/exports/new", data={"revision": w.rev2.seq, "kind": "akn"})
    assert refused.status_code == 404  # a revision the delegate may not read is not found
    assert "Rev.2" not in delegate.get(f"{base(w)}/exports").get_data(as_text=True)
    observer = client_as(app, w, "observer")
    assert observer.post(f"{base(w)}/exports/new", data={"revision": w.rev1.seq, "kind": "akn"}).status_code == 403


def test_the_exports_page_offers_the_xml_file(app, w):
    page = client_as(app, w, "secretariat").get(f"{base(w)}/exports").get_data(as_text=True)
    assert "Make the XML file" in page and 'id="akn-rev"' in page


def test_the_command_line_writes_the_file_and_archives_it(app, w, tmp_path):
    output = tmp_path / "rev1.xml"
    result = app.test_cli_runner().invoke(args=["export", "akn", "world", "--revision", "Rev.1", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {output}" in result.output
    root = assert_valid(output.read_bytes())
    assert root.find("a:statement", NS).get("name") == "resolutionDraft"
    record = db.session.query(ExportRecord).filter_by(kind=ExportKind.AKN).one()
    assert record.created_by_id is None and record.filename == "world_Rev.1_akn.xml"
    unknown = app.test_cli_runner().invoke(args=["export", "akn", "world", "--revision", "Rev.9", "-o", str(output)])
    assert unknown.exit_code != 0 and "world has no revision labelled 'Rev.9'" in unknown.output


def test_the_api_answers_the_same_file_to_whoever_may_take_it(app, w, session):
    from drafter.auth import tokens

    def bearer(role: str) -> dict[str, str]:
        secret = tokens.create(session, None, w.users[role], "Document system")
        session.commit()
        return {"Authorization": f"Bearer {secret}"}

    client = app.test_client()
    url = f"/api/v1/negotiations/{w.negotiation.slug}/revisions"
    delegate = bearer("delegate")
    got = client.get(f"{url}/{w.rev1.seq}/akn", headers=delegate)
    assert got.status_code == 200 and got.mimetype == AKN
    root = assert_valid(got.get_data())
    assert root.find(".//d:eIds", NS).get("revision") == "Rev.1"
    # the same bytes as the download, and a 304 while nothing changed
    assert got.get_data() == make(client_as(app, w, "delegate"), w, w.rev1)[1]
    again = client.get(f"{url}/{w.rev1.seq}/akn", headers={**delegate, "If-None-Match": got.headers["ETag"]})
    assert again.status_code == 304
    # no working revision to a delegate; an observer reads the revision but takes no file
    hidden = client.get(f"{url}/{w.rev2.seq}/akn", headers=delegate)
    assert hidden.status_code == 404 and hidden.json["code"] == "not_found"
    refused = client.get(f"{url}/{w.rev1.seq}/akn", headers=bearer("observer"))
    assert refused.status_code == 403 and refused.json["code"] == "forbidden"
    working = client.get(f"{url}/{w.rev2.seq}/akn", headers=bearer("cofacilitator"))
    assert working.status_code == 200 and SECRET in working.get_data(as_text=True)


def test_every_revision_of_the_demo_validates(app, session):
    from drafter.drafting.models import Negotiation
    from drafter.exporting.services import akn_export

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    revisions = [r for n in session.query(Negotiation) for r in n.revisions]
    assert revisions
    for rev in revisions:
        root = assert_valid(akn_export(session, rev).data)
        assert root.findtext(".//a:docNumber", namespaces=NS) == rev.masthead.symbol
        assert root.findall(".//a:authorialNote", NS)  # the demo's footnotes
