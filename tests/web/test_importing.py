"""Upload → preview → confirm in the browser (Flask test client): drafts and proposals, permissions, bad files."""

from __future__ import annotations

import io
import time

import pytest
import sqlalchemy as sa

from drafter.drafting.models import Revision
from drafter.drafting.queries import load_versions
from drafter.importing.models import PendingImport
from drafter.proposals.models import Proposal, ProposalKind, ProposalSource
from drafter.text.structure import Kind
from drafter.word.model import DocParagraph
from tests import factories as f
from tests.conftest import login
from tests.services.test_importing_docx import draft_docx
from tests.services.test_importing_proposals import doc_paragraph, tracked_file
from tests.support.timing import bound
from tests.unit.word.docx_factory import hostile_files


@pytest.fixture
def world(session):
    n = f.negotiation(session, slug="coasts")
    rev = f.revision(session, n)
    people = f.team(session, n)
    session.commit()
    return n, rev, people


def upload(data: bytes, name: str = "mexico.docx", **form):
    return {"file": (io.BytesIO(data), name), **form}


def proposal_count(session) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count(Proposal.id)))


# -- Proposals from a tracked file ---------------------------------------------------------------


def test_delegate_uploads_a_tracked_file_previews_and_submits(client, session, world):
    n, rev, people = world
    login(client, people["delegate"])
    page = client.get(f"/n/coasts/r/{rev.seq}/import-proposals")
    assert page.status_code == 200 and b"For <strong>Mexico</strong>" in page.data
    data = tracked_file(
        rev,
        edits={0: "Recalling its earlier resolutions and decisions on the subject,", 7: None},
        inserts={3: [DocParagraph(Kind.OPERATIVE, "Welcomes the offer of a host country;")]},
    )
    response = client.post(
        f"/n/coasts/r/{rev.seq}/import-proposals", data=upload(data), content_type="multipart/form-data"
    )
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "3 proposals on Zero draft" in html and "Submit 3 proposals" in html
    assert '[inserted: </span>and decisions <span class="sr-only">]</span></ins>' in html
    assert "New paragraph after OP1" in html and "Delete OP3" in html and "Mexico" in html
    assert proposal_count(session) == 0  # nothing before the confirmation
    done = client.post(response.headers["Location"], data={"action": "submit"})
    assert done.status_code == 302 and done.headers["Location"].endswith(
        f"/n/coasts/r/{rev.seq}/compilation?delegation={people['delegate'].memberships[0].delegation_id}"
    )
    proposals = session.scalars(sa.select(Proposal).order_by(Proposal.id)).all()
    assert [(p.kind, p.source, p.delegation.name, p.created_by_id) for p in proposals] == [
        (ProposalKind.AMEND, ProposalSource.WORD, "Mexico", people["delegate"].id),
        (ProposalKind.INSERT, ProposalSource.WORD, "Mexico", people["delegate"].id),
        (ProposalKind.DELETE, ProposalSource.WORD, "Mexico", people["delegate"].id),
    ]
    assert session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0
    compilation = client.get(done.headers["Location"])
    assert compilation.status_code == 200 and "3 proposals submitted for Mexico" in compilation.get_data(as_text=True)
    # the same preview cannot be submitted twice
    again = client.post(response.headers["Location"], data={"action": "submit"})
    assert again.status_code == 302 and proposal_count(session) == 3


def test_mismatches_are_shown_and_the_matching_part_can_be_submitted(client, session, world):
    n, rev, people = world
    base = [doc_paragraph(v) for v in load_versions(session, rev)]
    base[3] = DocParagraph(Kind.OPERATIVE, "Decides to convene a meeting in 2027;", "1")
    data = tracked_file(
        rev, edits={3: "Decides to convene a summit in 2027;", 0: "Recalling all its resolutions,"}, base=base
    )
    login(client, people["delegate"])
    response = client.post(
        f"/n/coasts/r/{rev.seq}/import-proposals", data=upload(data), content_type="multipart/form-data"
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Paragraphs that do not match Zero draft" in html and "OP1" in html
    assert "Decides to convene a summit in 2027;" in html  # what the file's change would have made
    assert "Submit the 1 proposals that could be read" in html
    cancel = client.post(response.headers["Location"], data={"action": "cancel"})
    assert cancel.status_code == 302 and proposal_count(session) == 0
    response = client.post(
        f"/n/coasts/r/{rev.seq}/import-proposals", data=upload(data), content_type="multipart/form-data"
    )
    client.post(response.headers["Location"], data={"action": "submit"})
    assert proposal_count(session) == 1


def test_pasted_amendments(client, session, world):
    n, rev, people = world
    login(client, people["delegate2"])
    text = "Delete operative paragraph 3.\n\nIn operative paragraph 1, replace “2027” with “2029”.\n\nIn operative paragraph 2, strengthen it."
    response = client.post(f"/n/coasts/r/{rev.seq}/import-proposals", data={"text": text})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Delete OP3" in html and "Not imported" in html and "were not found" in html and "Not understood" in html
    client.post(response.headers["Location"], data={"action": "submit"})
    proposals = session.scalars(sa.select(Proposal)).all()
    assert [(p.kind, p.source, p.delegation.name) for p in proposals] == [
        (ProposalKind.DELETE, ProposalSource.AMENDMENT_DOCUMENT, "G77 and China")
    ]


def test_secretariat_chooses_the_delegation(client, session, world):
    n, rev, people = world
    login(client, people["secretariat"])
    page = client.get(f"/n/coasts/r/{rev.seq}/import-proposals").get_data(as_text=True)
    assert "G77 and China" in page and "Mexico" in page and 'name="delegation"' in page
    g77 = people["delegate2"].memberships[0].delegation
    missing = client.post(f"/n/coasts/r/{rev.seq}/import-proposals", data={"text": "Delete operative paragraph 3."})
    assert missing.status_code == 400 and "Choose the delegation" in missing.get_data(as_text=True)
    response = client.post(
        f"/n/coasts/r/{rev.seq}/import-proposals", data={"text": "Delete operative paragraph 3.", "delegation": g77.id}
    )
    client.post(response.headers["Location"], data={"action": "submit"})
    proposal = session.scalars(sa.select(Proposal)).one()
    assert proposal.delegation_id == g77.id and proposal.created_by_id == people["secretariat"].id


@pytest.mark.parametrize("who", ["observer", "cofacilitator", "outsider", "admin"])
def test_roles_without_proposing_rights_are_refused(client, session, world, who):
    n, rev, people = world
    login(client, people[who])
    expected = 404 if who == "outsider" else 403
    assert client.get(f"/n/coasts/r/{rev.seq}/import-proposals").status_code == expected
    response = client.post(f"/n/coasts/r/{rev.seq}/import-proposals", data={"text": "Delete operative paragraph 3."})
    assert response.status_code == expected and proposal_count(session) == 0


def test_a_delegate_cannot_import_for_another_delegation(client, session, world):
    n, rev, people = world
    g77 = people["delegate2"].memberships[0].delegation
    login(client, people["delegate"])
    response = client.post(
        f"/n/coasts/r/{rev.seq}/import-proposals", data={"text": "Delete operative paragraph 3.", "delegation": g77.id}
    )
    assert response.status_code == 403 and proposal_count(session) == 0


def test_a_preview_belongs_to_the_user_who_uploaded_it(client, session, world):
    n, rev, people = world
    login(client, people["delegate"])
    response = client.post(f"/n/coasts/r/{rev.seq}/import-proposals", data={"text": "Delete operative paragraph 3."})
    location = response.headers["Location"]
    client.post("/logout")
    login(client, people["delegate2"])
    other = client.post(location, data={"action": "submit"})
    assert other.status_code == 302 and "import-proposals" in other.headers["Location"] and proposal_count(session) == 0
    client.post("/logout")
    login(client, people["secretariat"])
    assert client.post(location, data={"action": "submit"}).status_code == 302 and proposal_count(session) == 0


def test_a_delegate_who_lost_the_role_cannot_confirm(client, session, world):
    n, rev, people = world
    login(client, people["delegate"])
    response = client.post(f"/n/coasts/r/{rev.seq}/import-proposals", data={"text": "Delete operative paragraph 3."})
    from drafter.auth import services as accounts

    accounts.revoke_role(session, None, people["delegate"].memberships[0])
    accounts.grant_role(session, None, user=people["delegate"], negotiation=n, role=f.Role.OBSERVER)
    session.commit()
    assert client.post(response.headers["Location"], data={"action": "submit"}).status_code in (403, 404)
    assert proposal_count(session) == 0


def test_revision_past_its_deadline_is_refused(client, session, world):
    n, rev, people = world
    import datetime as dt

    rev.proposal_deadline = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    session.commit()
    login(client, people["delegate"])
    page = client.get(f"/n/coasts/r/{rev.seq}/import-proposals")
    assert page.status_code == 200 and f"The deadline for proposals on {rev.label} has passed." in page.get_data(
        as_text=True
    )
    response = client.post(f"/n/coasts/r/{rev.seq}/import-proposals", data={"text": "Delete operative paragraph 3."})
    assert (
        response.status_code == 409
        and f"The deadline for proposals on {rev.label} has passed." in response.get_data(as_text=True)
    )
    assert session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0


def test_working_revision_is_not_found(client, session, world):
    n, rev, people = world
    from drafter.drafting import services as drafting

    working = drafting.start_revision(session, None, n)
    session.commit()
    login(client, people["secretariat"])
    assert client.get(f"/n/coasts/r/{working.seq}/import-proposals").status_code == 404


@pytest.mark.parametrize("name", list(hostile_files()))
def test_hostile_proposal_files_get_a_400_page(client, session, world, name):
    n, rev, people = world
    data, fragment = hostile_files()[name]
    login(client, people["delegate"])
    start = time.perf_counter()
    response = client.post(
        f"/n/coasts/r/{rev.seq}/import-proposals", data=upload(data, f"{name}.docx"), content_type="multipart/form-data"
    )
    assert time.perf_counter() - start < bound(1.5)
    html = response.get_data(as_text=True)
    if name == "empty-file":
        assert response.status_code == 400 and "The file is empty." in html
    else:
        assert response.status_code == 400 and fragment.lower() in html.lower(), html
    assert "Traceback" not in html and "<h1>Import proposals on" in html  # the form again, not an error page
    assert proposal_count(session) == 0 and session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0


# -- A draft .docx as a revision ------------------------------------------------------------------


def test_cofacilitator_imports_a_word_draft(client, session):
    n = f.negotiation(session, slug="fresh")
    people = f.team(session, n)
    session.commit()
    login(client, people["cofacilitator"])
    response = client.post(
        "/n/fresh/import", data=upload(draft_docx(), "zero.docx"), content_type="multipart/form-data"
    )
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "8 paragraphs detected" in preview and "Skipped: A table with 1 row" in preview
    assert "Resolution 70/1, annex." in preview and "<em>Recalling</em>" in preview
    saved = client.post(response.headers["Location"], data={"action": "save", "label": "Zero draft"})
    assert saved.status_code == 302
    rev = session.scalars(sa.select(Revision)).one()
    assert [v.kind for v in load_versions(session, rev)].count(Kind.OPERATIVE) == 3


@pytest.mark.parametrize("name", list(hostile_files()))
def test_hostile_draft_files_get_a_400_page(client, session, name):
    n = f.negotiation(session, slug="fresh")
    people = f.team(session, n)
    session.commit()
    data, fragment = hostile_files()[name]
    login(client, people["cofacilitator"])
    start = time.perf_counter()
    response = client.post("/n/fresh/import", data=upload(data, f"{name}.docx"), content_type="multipart/form-data")
    assert time.perf_counter() - start < bound(1.5)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Traceback" not in html
    assert fragment.lower() in html.lower() or name == "empty-file"
    assert session.scalar(sa.select(sa.func.count(Revision.id))) == 0
    assert session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0


def test_request_over_max_content_length_gets_413(app, client, session, world):
    n, rev, people = world
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    login(client, people["delegate"])
    response = client.post(
        f"/n/coasts/r/{rev.seq}/import-proposals",
        data=upload(b"PK\x03\x04" + bytes(50_000)),
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "not accepted" in response.get_data(as_text=True)


def test_uploaded_originals_are_never_kept(client, session, world, app, tmp_path):
    n, rev, people = world
    data = tracked_file(rev, edits={0: "Recalling all its resolutions,"})
    login(client, people["delegate"])
    client.post(f"/n/coasts/r/{rev.seq}/import-proposals", data=upload(data), content_type="multipart/form-data")
    pending = session.scalars(sa.select(PendingImport)).one()
    assert set(pending.payload) >= {"proposals", "mismatches", "problems"}
    assert "PK" not in str(pending.payload)  # the parsed result only, never the file
    import pathlib

    exports = pathlib.Path(app.config["EXPORT_DIR"])
    assert not exports.exists() or not any(p.suffix == ".docx" for p in exports.rglob("*"))


def test_the_compilation_links_to_the_import_for_delegates_and_the_secretariat(client, session, world):
    n, rev, people = world
    for who, shown in (("delegate", True), ("secretariat", True), ("observer", False), ("cofacilitator", False)):
        login(client, people[who])
        html = client.get(f"/n/coasts/r/{rev.seq}/compilation").get_data(as_text=True)
        assert (f"/n/coasts/r/{rev.seq}/import-proposals" in html) is shown, who
        client.post("/logout")
