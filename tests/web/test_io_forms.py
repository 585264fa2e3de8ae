"""Refused import, export and administration forms come back on their page: the status, the message
beside its field (or at the top of the form), and what the user typed still in the fields."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import sqlalchemy as sa

from drafter.auth.models import User
from drafter.drafting import services as drafting
from drafter.drafting.models import Revision
from drafter.exporting.models import ExportRecord
from drafter.importing.models import PendingImport
from drafter.proposals.models import Proposal
from tests import factories as f
from tests.conftest import login

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
RTF = b"{\\rtf1\\ansi Decides to act;}"
RANDOM = bytes(range(256)) * 4
TYPED = "Typed words the user expects to find again"


@pytest.fixture
def world(session):
    n = f.negotiation(session, slug="imports")
    rev = f.revision(session, n)
    people = f.team(session, n)
    session.commit()
    return n, rev, people


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def select_of(html: str, select_id: str) -> str:
    """Return the options of the <select> with this id."""
    match = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select {select_id}"
    return match.group(1)


def upload(data: bytes, name: str, **form):
    return {"file": (io.BytesIO(data), name), **form}


# -- Importing a draft ---------------------------------------------------------------------------

DRAFT_REFUSALS = [
    ("empty paste", {"text": "   \n  "}, "Paste the text of the draft, or choose a .txt or .docx file."),
    ("no file and no text", {}, "Paste the text of the draft, or choose a .txt or .docx file."),
    ("PDF as .docx", upload(PDF, "draft.docx", text=TYPED), "This is a PDF, not a Word file."),
    ("PDF as .txt", upload(PDF, "draft.txt", text=TYPED), "This is a PDF, not a Word file."),
    (".doc as .docx", upload(DOC, "draft.docx", text=TYPED), "This is an old-format Word file (.doc)"),
    (".doc as .txt", upload(DOC, "draft.txt", text=TYPED), "This is an old-format Word file (.doc)"),
    ("RTF as .docx", upload(RTF, "draft.docx", text=TYPED), "This is an RTF file."),
    ("RTF as .txt", upload(RTF, "draft.txt", text=TYPED), "This is an RTF file."),
    ("random bytes", upload(RANDOM, "draft.docx", text=TYPED), "This is not a Word document (.docx)."),
    ("an empty file", upload(b"", "draft.docx", text=TYPED), "The file is empty."),
    (
        "a spreadsheet name",
        upload(b"a,b\n", "draft.csv", text=TYPED),
        "Drafts can be imported from .txt or .docx files.",
    ),
]


@pytest.mark.parametrize("data, message", [c[1:] for c in DRAFT_REFUSALS], ids=[c[0] for c in DRAFT_REFUSALS])
def test_a_refused_draft_comes_back_on_the_import_page(client, session, world, data, message):
    n, rev, people = world
    login(client, people["cofacilitator"])
    response = client.post("/n/imports/import", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<h1>Import Rev.1</h1>" in html and message in html
    if "file" in data:  # beside the file field, with the text typed still there
        assert re.search(r'id="file-error">' + re.escape(message[:20]), html)
        assert TYPED in html
    assert count(session, PendingImport) == 0


def test_an_over_long_paste_is_refused_beside_the_text(app, client, session, world):
    from drafter.importing.services import MAX_TEXT_CHARS

    n, rev, people = world
    login(client, people["cofacilitator"])
    response = client.post("/n/imports/import", data={"text": "Decides to act; " * (MAX_TEXT_CHARS // 16 + 1)})
    assert response.status_code == 400
    assert f"The text is longer than {MAX_TEXT_CHARS:,} characters." in response.get_data(as_text=True)


# -- Confirming a draft's preview -----------------------------------------------------------------

PASTED = "1. Decides to meet;\n\n2. Decides to meet again;"

CONFIRM_REFUSALS = [
    (
        "label already used",
        {"label": "Zero draft", "symbol": "A/81/L.99", "pair-1": "3"},
        400,
        "label",
        "There is already a revision labelled",
        ['value="Zero draft"', 'value="A/81/L.99"'],
    ),
    (
        "label too long",
        {"label": "R" * 61, "pair-1": "3"},
        400,
        "label",
        "Field cannot be longer than 60 characters.",
        ['value="' + "R" * 61],
    ),
    (
        "a choice out of range",
        {"label": "Rev.1", "pair-0": "99", "pair-1": "3"},
        400,
        None,
        "Paragraph 1: choose “New paragraph” or one of the earlier paragraphs listed.",
        ['value="Rev.1"'],
    ),
    (
        "a choice that is no number",
        {"label": "Rev.1", "pair-0": "first", "pair-1": "3"},
        400,
        None,
        "Paragraph 1: choose",
        [],
    ),
    (
        "one earlier paragraph twice",
        {"label": "Rev.1", "pair-0": "3", "pair-1": "3"},
        400,
        None,
        "Previous paragraph 4 is paired with both new paragraphs 1 and 2",
        [],
    ),
    (
        "a deadline that is no date",
        {"label": "Rev.1", "pair-1": "3", "circulate": "1", "deadline": "next Friday"},
        400,
        "deadline",
        "The proposal deadline “next Friday” is not a date and time.",
        ['value="next Friday"'],
    ),
    (
        "a deadline in the past",
        {"label": "Rev.1", "pair-1": "3", "circulate": "1", "deadline": "2001-01-01T10:00"},
        400,
        "deadline",
        "The proposal deadline must be in the future.",
        ['value="2001-01-01T10:00"'],
    ),
]


@pytest.mark.parametrize(
    "data, status, where, message, kept", [c[1:] for c in CONFIRM_REFUSALS], ids=[c[0] for c in CONFIRM_REFUSALS]
)
def test_a_refused_confirmation_comes_back_to_the_preview_with_the_choices_kept(
    client, session, world, data, status, where, message, kept
):
    n, rev, people = world
    login(client, people["cofacilitator"])
    started = client.post("/n/imports/import", data={"text": PASTED})
    assert started.status_code == 302
    response = client.post(started.headers["Location"], data={"action": "save", **data})
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert "Check the import of pasted text" in html
    # beside its field, or at the top of the form when it concerns the pairing as a whole
    beside = f'id="{where}-error">' if where else 'role="alert">'
    assert beside + message in html
    for value in kept:
        assert value in html
    # each list shows what the user chose, where the choice names an earlier paragraph
    assert '<option value="3" selected>' in select_of(html, "pair-1")
    if data.get("pair-0", "").isdigit() and int(data["pair-0"]) < 8:
        assert f'<option value="{data["pair-0"]}" selected>' in select_of(html, "pair-0")
    if data.get("circulate"):
        assert re.search(r'<input checked id="circulate"', html)
    # nothing saved, and the upload is still there to be confirmed
    assert count(session, PendingImport) == 1
    assert count(session, Revision) == 1
    fixed = {k: v for k, v in data.items() if not k.startswith(("pair-", "circulate", "deadline"))}
    done = client.post(started.headers["Location"], data={"action": "save", **fixed, "label": "Rev.1"})
    assert done.status_code == 302 and count(session, Revision) == 2


# -- Importing a delegation's proposals ---------------------------------------------------------

PROPOSAL_REFUSALS = [
    (
        "empty paste",
        "delegate",
        {"text": " "},
        400,
        "Choose a tracked Word file (.docx) or an amendment document, or paste the amendments.",
    ),
    (
        "no delegation chosen",
        "secretariat",
        {"text": "Delete operative paragraph 3. " + TYPED},
        400,
        "Choose the delegation the proposals are from.",
    ),
    (
        "a delegation that is no number",
        "secretariat",
        {"text": "Delete operative paragraph 3. " + TYPED, "delegation": "Mexico"},
        400,
        "Choose the delegation the proposals are from.",
    ),
    ("no instruction", "delegate", {"text": TYPED}, 400, "No amendment instructions were found."),
    ("PDF", "delegate", upload(PDF, "mexico.docx", text=TYPED), 400, "This is a PDF, not a Word file."),
    ("RTF", "delegate", upload(RTF, "mexico.txt", text=TYPED), 400, "This is an RTF file."),
    (
        "random bytes",
        "delegate",
        upload(RANDOM, "mexico.docx", text=TYPED),
        400,
        "This is not a Word document (.docx).",
    ),
]


@pytest.mark.parametrize(
    "who, data, status, message", [c[1:] for c in PROPOSAL_REFUSALS], ids=[c[0] for c in PROPOSAL_REFUSALS]
)
def test_a_refused_proposals_upload_comes_back_on_its_page(client, session, world, who, data, status, message):
    n, rev, people = world
    login(client, people[who])
    response = client.post(f"/n/imports/r/{rev.seq}/import-proposals", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert "<h1>Import proposals on Zero draft</h1>" in html and message in html
    if TYPED in data.get("text", ""):
        assert TYPED in html
    assert count(session, PendingImport) == 0


def test_a_late_upload_shows_the_typed_amendments_and_when_the_deadline_passed(client, session):
    n = f.negotiation(session, slug="late")
    now = dt.datetime.now(dt.UTC)
    deadline = (now - dt.timedelta(days=1)).replace(hour=18, minute=0, second=0, microsecond=0)
    rev = f.revision(session, n, now=now - dt.timedelta(days=10), deadline=deadline)
    people = f.team(session, n)
    session.commit()
    login(client, people["delegate"])
    typed = "In operative paragraph 1, replace “2028” with “2029”."
    page = client.get(f"/n/late/r/{rev.seq}/import-proposals").get_data(as_text=True)
    passed = f"It passed at 18:00 UTC on {deadline.day} {deadline:%B %Y}."
    assert passed in page
    response = client.post(f"/n/late/r/{rev.seq}/import-proposals", data={"text": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f"The deadline for proposals on {rev.label} has passed." in html and passed in html
    assert typed in html  # to copy elsewhere
    assert count(session, PendingImport) == 0


def test_a_refused_submission_keeps_the_preview(client, session, world):
    n, rev, people = world
    login(client, people["delegate"])
    started = client.post(f"/n/imports/r/{rev.seq}/import-proposals", data={"text": "Delete operative paragraph 3."})
    assert started.status_code == 302
    rev.proposal_deadline = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    session.commit()
    response = client.post(started.headers["Location"], data={"action": "submit"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "has passed" in html and "Submit 1 proposals" in html  # the preview, not an error page
    assert count(session, PendingImport) == 1 and count(session, Proposal) == 0


# -- Exporting -----------------------------------------------------------------------------------


@pytest.fixture
def exports(session):
    n = f.negotiation(session, slug="wordy")
    zero = f.revision(session, n)
    rev1 = f.revision(session, n, [(f.Kind.OPERATIVE, "Decides to meet in 2029;")])
    working = drafting.start_revision(session, None, n)
    people = f.team(session, n)
    session.commit()
    return n, zero, rev1, working, people


EXPORT_REFUSALS = [
    (
        "unknown kind",
        lambda z, r, w: {"kind": "pdf", "revision": r.seq},
        None,
        "Choose clean, tracked, compilation or Akoma Ntoso.",
        [],
    ),
    ("no kind", lambda z, r, w: {"revision": r.seq}, None, "Choose clean, tracked, compilation or Akoma Ntoso.", []),
    (
        "revision that is no number",
        lambda z, r, w: {"kind": "clean", "revision": "latest"},
        "revision",
        "Choose a revision.",
        [],
    ),
    (
        "tracked against itself",
        lambda z, r, w: {"kind": "tracked", "revision": r.seq, "from": r.seq, "author": "Bureau of the Third"},
        "from",
        "Choose two different revisions.",
        ['value="Bureau of the Third"'],
    ),
    (
        "tracked against no number",
        lambda z, r, w: {"kind": "tracked", "revision": r.seq, "from": "previous"},
        "from",
        "Choose the revision to compare against.",
        [],
    ),
    (
        "compilation of a working revision",
        lambda z, r, w: {"kind": "compilation", "revision": w.seq},
        "revision",
        "Compilations are made of circulated revisions.",
        [],
    ),
    (
        "compilation in an unknown style",
        lambda z, r, w: {"kind": "compilation", "revision": r.seq, "style": "fancy"},
        "style",
        "The compilation style is formatted or tracked.",
        [],
    ),
]


@pytest.mark.parametrize(
    "data, where, message, kept", [c[1:] for c in EXPORT_REFUSALS], ids=[c[0] for c in EXPORT_REFUSALS]
)
def test_a_refused_export_comes_back_on_the_word_files_page(app, session, exports, data, where, message, kept):
    n, zero, rev1, working, people = exports
    client = app.test_client()
    login(client, people["secretariat"])
    response = client.post("/n/wordy/exports/new", data=data(zero, rev1, working))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<h1>Word files</h1>" in html
    beside = f'id="{where}-error">' if where else 'role="alert">'  # a request of no kind: above the forms
    assert beside + message in html
    for value in kept:
        assert value in html
    if data(zero, rev1, working).get("from") == rev1.seq:  # the revisions chosen are still chosen
        assert f'<option selected value="{rev1.seq}">' in select_of(html, "tr-from")
    assert count(session, ExportRecord) == 0


def test_an_export_of_a_revision_one_may_not_read_is_not_found_and_one_may_not_export_is_forbidden(
    app, session, exports
):
    n, zero, rev1, working, people = exports
    client = app.test_client()
    login(client, people["delegate"])
    assert client.post("/n/wordy/exports/new", data={"kind": "clean", "revision": working.seq}).status_code == 404
    observer = app.test_client()
    login(observer, people["observer"])
    assert observer.post("/n/wordy/exports/new", data={"kind": "pdf", "revision": rev1.seq}).status_code == 403
    assert count(session, ExportRecord) == 0


# -- Administration ------------------------------------------------------------------------------

ADMIN_REFUSALS = [
    (
        "delegation of an unknown kind",
        "admin",
        "/admin/delegations",
        {"name": "Atlantis", "kind": "planet"},
        "Choose the kind of delegation.",
        ['value="Atlantis"'],
    ),
    (
        "member with an unknown role",
        "secretariat",
        "/n/imports/members",
        {"email": "zed@example.org", "role": "emperor", "delegation": "0"},
        "Choose a role.",
        ['value="zed@example.org"'],
    ),
    (
        "member with a role one may not give",
        "secretariat",
        "/n/imports/members",
        {"email": "zed@example.org", "role": "cofacilitator", "delegation": "0"},
        "Choose a role you may give.",
        ['value="zed@example.org"'],
    ),
    (
        "member with a delegation that is no number",
        "secretariat",
        "/n/imports/members",
        {"email": "zed@example.org", "role": "delegate", "delegation": "Mexico"},
        "Choose the delegation the delegate speaks for.",
        ['value="zed@example.org"'],
    ),
]


@pytest.mark.parametrize(
    "who, url, data, message, kept", [c[1:] for c in ADMIN_REFUSALS], ids=[c[0] for c in ADMIN_REFUSALS]
)
def test_a_refused_administration_form_shows_the_message_and_what_was_typed(
    client, session, world, who, url, data, message, kept
):
    n, rev, people = world
    login(client, people[who])
    before = count(session, User)
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    for value in kept:
        assert value in html
    assert count(session, User) == before


def test_an_unknown_activation_value_changes_nothing_and_says_so(client, session, world):
    n, rev, people = world
    outsider = people["outsider"]
    login(client, people["admin"])
    response = client.post(f"/admin/users/{outsider.id}/active?q=user", data={"active": "maybe"})
    assert response.status_code == 302 and response.location == "/admin/users?q=user"
    page = client.get(response.location).get_data(as_text=True)
    assert "Choose to activate or to deactivate the account." in page and 'value="user"' in page
    session.expire_all()
    assert session.get(User, outsider.id).active


@pytest.mark.parametrize(
    "url, shown, kept",
    [
        ("/admin/delegations?kind=planet&q=+mex+", ["Mexico"], ['value="mex"']),
        ("/admin/delegations?kind=group", ["G77 and China"], ['<option selected value="group">']),
        ("/n/imports/members?role=emperor", ["Co Facilitator"], []),
        ("/n/imports/members?role=delegate", ["Mexico"], ['<option selected value="delegate">']),
    ],
)
def test_filters_with_unknown_values_filter_nothing_and_keep_what_was_typed(client, session, world, url, shown, kept):
    n, rev, people = world
    login(client, people["admin"])
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in shown + kept:
        assert text in html


def test_sign_in_follows_only_a_path_on_this_site(client, session):
    u = f.user(session)
    session.commit()
    from tests.conftest import TEST_PASSWORD

    off_site = client.post("/login?next=//evil.example/", data={"email": u.email, "password": TEST_PASSWORD})
    assert off_site.status_code == 302 and off_site.location == "/"
