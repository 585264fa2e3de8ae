"""The drafting pages through the test client: editing, conflicts, the lifecycle, lists and filters."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from markupsafe import escape

from drafter.audit import AuditEvent
from drafter.auth.models import Membership, Role, User
from drafter.drafting.models import Negotiation, ParagraphVersion, ProposalVisibility, Revision, RevisionState, Status
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.text.structure import Kind
from tests.conftest import login
from tests.web.test_permissions import SECRET, World, build_world, client_as


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def version_of(w: World, revision: Revision, paragraph_id: int | None = None) -> ParagraphVersion:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(ParagraphVersion).where(
            ParagraphVersion.revision_id == revision.id,
            ParagraphVersion.paragraph_id == (paragraph_id or w.paragraph_id),
        )
    )


def texts(revision: Revision) -> list[str]:
    db.session.expire_all()
    return [v.text for v in load_versions(db.session, revision)]


def form_version(html: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def base(w: World) -> str:
    return f"/n/{w.negotiation.slug}"


# -- Editing the working revision ------------------------------------------------------------------


def test_edit_a_paragraph(app, w):
    client = client_as(app, w, "cofacilitator")
    url = f"{base(w)}/r/{w.rev2.seq}/p/{w.paragraph_id}/edit"
    form = client.get(url)
    assert form.status_code == 200 and "Edit OP1" in form.get_data(as_text=True)
    response = client.post(
        url,
        data={"text": "Decides to convene the meeting in 2030;", "version": form_version(form.get_data(as_text=True))},
    )
    assert response.status_code == 302
    assert response.location == f"{base(w)}/r/{w.rev2.seq}/edit#p{w.paragraph_id}"
    assert version_of(w, w.rev2).text == "Decides to convene the meeting in 2030;"
    assert version_of(w, w.rev1).text == "Decides to convene a high-level meeting in 2029;"  # circulated: untouched
    editor = client.get(response.location).get_data(as_text=True)
    assert "OP1 saved." in editor and "the meeting in 2030;" in editor


def test_concurrent_edits_of_the_same_paragraph_give_a_conflict_page_not_an_overwrite(app, w, session):
    from tests import factories as f

    other = f.user(session, role=Role.COFACILITATOR, negotiation=w.negotiation, name="Second Cofacilitator")
    session.commit()
    amina = client_as(app, w, "cofacilitator")
    lars = app.test_client()
    login(lars, other)
    url = f"{base(w)}/r/{w.rev2.seq}/p/{w.paragraph_id}/edit"
    version = form_version(amina.get(url).get_data(as_text=True))
    assert form_version(lars.get(url).get_data(as_text=True)) == version  # both opened the same version

    assert amina.post(url, data={"text": "Decides to meet in Nairobi;", "version": version}).status_code == 302
    clash = lars.post(url, data={"text": "Decides to meet in Geneva;", "version": version})
    assert clash.status_code == 409
    page = clash.get_data(as_text=True)
    assert "This paragraph changed while you were editing it" in page
    assert "Nothing was overwritten" in page and "Co Facilitator changed this paragraph" in page
    assert "Decides to meet in Nairobi;" in page and "Decides to meet in Geneva;" in page
    assert "Traceback" not in page
    assert version_of(w, w.rev2).text == "Decides to meet in Nairobi;"  # the first save stands

    # The conflict form carries the current version: saving from it is a deliberate overwrite.
    retry = lars.post(url, data={"text": "Decides to meet in Geneva;", "version": form_version(page)})
    assert retry.status_code == 302
    assert version_of(w, w.rev2).text == "Decides to meet in Geneva;"


@pytest.mark.parametrize(
    "action, data",
    [
        ("status", {"status": "agreed"}),
        ("kind", {"kind": "preambular:0"}),
        ("delete", {}),
    ],
)
def test_stale_status_kind_and_delete_are_conflicts(app, w, action, data):
    client = client_as(app, w, "cofacilitator")
    stale = version_of(w, w.rev2).version
    edit = f"{base(w)}/r/{w.rev2.seq}/p/{w.paragraph_id}/edit"
    assert client.post(edit, data={"text": "Decides to meet later;", "version": stale}).status_code == 302
    response = client.post(f"{base(w)}/r/{w.rev2.seq}/p/{w.paragraph_id}/{action}", data={**data, "version": stale})
    assert response.status_code == 409
    assert "changed" in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)
    v = version_of(w, w.rev2)
    assert v is not None and v.text == "Decides to meet later;" and v.status is Status.NONE and v.kind is Kind.OPERATIVE


def test_a_form_without_its_version_is_refused(app, w):
    client = client_as(app, w, "cofacilitator")
    response = client.post(f"{base(w)}/r/{w.rev2.seq}/p/{w.paragraph_id}/edit", data={"text": "Decides;"})
    assert response.status_code == 400 and "reload the page" in response.get_data(as_text=True)
    v = version_of(w, w.rev2)
    assert v.text == "Decides to convene a high-level meeting in 2029;" and v.version == 1, "the refused edit was saved"


def test_set_status_kind_move_insert_delete(app, w):
    client = client_as(app, w, "cofacilitator")
    r = f"{base(w)}/r/{w.rev2.seq}"
    pid = w.paragraph_id
    assert (
        client.post(
            f"{r}/p/{pid}/status",
            data={"status": "agreed_ad_ref", "note": "pending capitals", "version": version_of(w, w.rev2).version},
        ).status_code
        == 302
    )
    v = version_of(w, w.rev2)
    assert (v.status, v.status_note) == (Status.AGREED_AD_REF, "pending capitals")

    assert client.post(f"{r}/p/{pid}/kind", data={"kind": "subparagraph:1", "version": v.version}).status_code == 302
    v = version_of(w, w.rev2)
    assert (v.kind, v.level, v.number_label) == (Kind.SUBPARAGRAPH, 1, "(a)")
    assert client.post(f"{r}/p/{pid}/kind", data={"kind": "operative:0", "version": v.version}).status_code == 302

    position = version_of(w, w.rev2).position
    assert (
        client.post(f"{r}/p/{pid}/move", data={"direction": "up", "version": version_of(w, w.rev2).version}).status_code
        == 302
    )
    assert version_of(w, w.rev2).position == position - 1
    assert (
        client.post(
            f"{r}/p/{pid}/move", data={"direction": "down", "version": version_of(w, w.rev2).version}
        ).status_code
        == 302
    )
    first = load_versions(db.session, w.rev2)[0]
    top = client.post(f"{r}/p/{first.paragraph_id}/move", data={"direction": "up", "version": first.version})
    assert top.status_code == 400 and "already at the top" in top.get_data(as_text=True)

    form = client.get(f"{r}/insert", query_string={"anchor": pid, "where": "after"})
    assert form.status_code == 200 and "Insert a paragraph after OP1" in form.get_data(as_text=True)
    response = client.post(
        f"{r}/insert",
        data={"anchor": pid, "where": "after", "kind": "operative:0", "text": "Welcomes the offer of a host country;"},
    )
    assert response.status_code == 302
    after = texts(w.rev2)
    assert after[after.index(version_of(w, w.rev2).text) + 1] == "Welcomes the offer of a host country;"
    new = version_of(w, w.rev2, int(response.location.rsplit("#p", 1)[1]))
    assert new.number_label == "2"

    response = client.post(f"{r}/p/{new.paragraph_id}/delete", data={"version": new.version})
    assert response.status_code == 302
    assert "Welcomes the offer of a host country;" not in texts(w.rev2)
    assert "OP2 deleted from Rev.2." in client.get(response.location).get_data(as_text=True)


def test_bad_form_values_are_refused_with_a_message(app, w):
    client = client_as(app, w, "cofacilitator")
    r = f"{base(w)}/r/{w.rev2.seq}"
    v = version_of(w, w.rev2)
    cases = [
        (f"{r}/p/{w.paragraph_id}/status", {"status": "nonsense", "version": v.version}, "Choose a status."),
        (f"{r}/p/{w.paragraph_id}/kind", {"kind": "nonsense:x", "version": v.version}, "Choose a kind of paragraph."),
        (f"{r}/p/{w.paragraph_id}/edit", {"text": "   ", "version": v.version}, "The paragraph text is empty."),
        (f"{r}/insert", {"kind": "operative:0", "text": ""}, "The paragraph text is empty."),
        (
            f"{r}/p/{w.paragraph_id}/kind",
            {"kind": "subparagraph:9", "version": v.version},
            "Subparagraph levels go from 1 to 3.",
        ),
        (f"{base(w)}/settings", {"title": "T", "visibility": "sometimes"}, "Choose when delegations see"),
    ]
    for url, data, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert message in response.get_data(as_text=True), url
    assert client.get(f"{r}/p/999999/edit").status_code == 404


def test_editing_a_circulated_revision_is_refused(app, w):
    client = client_as(app, w, "cofacilitator")
    editor = client.get(f"{base(w)}/r/{w.rev1.seq}/edit")
    assert editor.status_code == 302 and editor.location == f"{base(w)}/r/{w.rev1.seq}/"
    v = version_of(w, w.rev1)
    response = client.post(
        f"{base(w)}/r/{w.rev1.seq}/p/{w.paragraph_id}/edit", data={"text": "Decides otherwise;", "version": v.version}
    )
    assert response.status_code == 409 and "can no longer be changed" in response.get_data(as_text=True)
    assert version_of(w, w.rev1).text == v.text


# -- The lifecycle --------------------------------------------------------------------------------------


def test_circulate_then_start_and_discard_the_next_revision(app, w):
    client = client_as(app, w, "cofacilitator")
    delegate = client_as(app, w, "delegate")
    assert delegate.get(f"{base(w)}/r/{w.rev2.seq}/").status_code == 404
    lifecycle = client.get(f"{base(w)}/r/{w.rev2.seq}/lifecycle").get_data(as_text=True)
    assert "Circulate Rev.2" in lifecycle
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"{base(w)}/r/{w.rev2.seq}/circulate", data={"deadline": deadline})
    assert response.status_code == 302 and response.location == f"{base(w)}/r/{w.rev2.seq}/"
    db.session.expire_all()
    assert db.session.get(Revision, w.rev2.id).state is RevisionState.CIRCULATED
    assert db.session.get(Revision, w.rev1.id).state is RevisionState.SUPERSEDED
    page = delegate.get(f"{base(w)}/r/{w.rev2.seq}/")
    assert page.status_code == 200 and str(escape(SECRET)) in page.get_data(as_text=True)  # now public

    again = client.post(f"{base(w)}/r/{w.rev2.seq}/circulate", data={"deadline": deadline})
    assert again.status_code == 409 and "already been circulated" in again.get_data(as_text=True)

    response = client.post(f"{base(w)}/revisions/start", data={"label": "Rev.3"})
    assert response.status_code == 302
    rev3 = db.session.scalar(sa.select(Revision).where(Revision.label == "Rev.3"))
    assert rev3.state is RevisionState.WORKING and response.location == f"{base(w)}/r/{rev3.seq}/edit"
    second = client.post(f"{base(w)}/revisions/start", data={})
    assert second.status_code == 409 and "already exists" in second.get_data(as_text=True)
    response = client.post(f"{base(w)}/r/{rev3.seq}/discard")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(Revision).where(Revision.label == "Rev.3")) is None


def test_deadline_silence_break_and_adoption(app, w):
    cofac = client_as(app, w, "cofacilitator")
    delegate = client_as(app, w, "delegate")
    r = f"{base(w)}/r/{w.rev1.seq}"
    garbled = cofac.post(f"{r}/deadline", data={"deadline": "next Tuesday"})
    assert garbled.status_code == 400 and "is not a date and time" in garbled.get_data(as_text=True)
    assert cofac.post(f"{r}/deadline", data={"deadline": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Revision, w.rev1.id).proposal_deadline is None

    missing = cofac.post(f"{r}/silence", data={"until": ""})
    assert missing.status_code == 400 and "Give the date and time" in missing.get_data(as_text=True)
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=72)).strftime("%Y-%m-%dT%H:%M")
    assert cofac.post(f"{r}/silence", data={"until": until}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Revision, w.rev1.id).state is RevisionState.UNDER_SILENCE

    # A delegate sees the silence page and may break the silence for their own delegation only.
    page = delegate.get(f"{r}/lifecycle").get_data(as_text=True)
    assert "Record a break of silence" in page
    assert f'<option value="{w.mexico.id}">' in page and f'<option value="{w.g77.id}">' not in page
    assert delegate.post(f"{r}/silence-break", data={"delegation": w.g77.id, "statement": "No."}).status_code == 403
    response = delegate.post(
        f"{r}/silence-break",
        data={"delegation": w.mexico.id, "statement": "We cannot join.\nSee OP1.", "paragraphs": [w.paragraph_id]},
    )
    assert response.status_code == 302
    page = cofac.get(f"{r}/lifecycle").get_data(as_text=True)
    assert "We cannot join.<br>See OP1." in page and "on OP1" in page
    adopt = cofac.post(f"{r}/adopt")
    assert adopt.status_code == 409 and "The silence was broken by Mexico" in adopt.get_data(as_text=True)


def test_release_the_compilation(app, w):
    client = client_as(app, w, "cofacilitator")
    response = client.post(f"{base(w)}/r/{w.rev1.seq}/release")
    assert response.status_code == 302 and response.location == f"{base(w)}/r/{w.rev1.seq}/compilation"
    assert "Compilation released" in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Revision, w.rev1.id).compilation_released_at is not None


def test_settings(app, w):
    client = client_as(app, w, "secretariat")
    form = client.get(f"{base(w)}/settings").get_data(as_text=True)
    assert 'value="World negotiation"' in form
    response = client.post(
        f"{base(w)}/settings",
        data={"title": "  Political   declaration ", "symbol": "A/81/L.1", "visibility": "on_release"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    n = db.session.get(Negotiation, w.negotiation.id)
    assert (n.title, n.symbol, n.proposal_visibility) == (
        "Political declaration",
        "A/81/L.1",
        ProposalVisibility.ON_RELEASE,
    )


# -- Reading, lists and filters -----------------------------------------------------------------------


def test_revision_page_filters_by_status_and_words(app, w, session):
    v = version_of(w, w.rev2)
    v.status = Status.AGREED
    session.commit()
    client = client_as(app, w, "cofacilitator")
    url = f"{base(w)}/r/{w.rev2.seq}/"
    total = len(load_versions(db.session, w.rev2))
    agreed = client.get(url, query_string={"status": "agreed"}).get_data(as_text=True)
    assert f"1 of {total} paragraphs" in agreed and 'id="p%d"' % w.paragraph_id in agreed
    words = client.get(url, query_string={"q": "EARLY WARNING"}).get_data(as_text=True)
    assert f"1 of {total} paragraphs" in words and "early warning" in words
    none = client.get(url, query_string={"q": "no such words"}).get_data(as_text=True)
    assert "No paragraph matches." in none
    unknown = client.get(url, query_string={"status": "bogus"}).get_data(as_text=True)
    assert unknown.count('class="para-row"') == total  # an unknown status filters nothing


def test_compare_shows_changes_and_can_hide_the_unchanged(app, w):
    client = client_as(app, w, "delegate")
    page = client.get(f"{base(w)}/compare").get_data(as_text=True)
    assert "Zero draft → Rev.1" in page and "1 changed" in page
    assert "<del>" in page and "2028" in page and "2029" in page
    changes = client.get(f"{base(w)}/compare", query_string={"changes": "1"}).get_data(as_text=True)
    assert changes.count('class="para-row') == 1
    cofac = (
        client_as(app, w, "cofacilitator")
        .get(f"{base(w)}/compare", query_string={"from": w.rev1.seq, "to": w.rev2.seq})
        .get_data(as_text=True)
    )
    assert "Rev.1 → Rev.2" in cofac and "1 new" in cofac


def test_history_shows_each_version_and_the_proposals(app, w):
    client = client_as(app, w, "delegate")
    page = client.get(f"{base(w)}/p/{w.paragraph_id}/").get_data(as_text=True)
    assert "History of OP1" in page
    assert "Zero draft" in page and "Rev.1" in page and "Rev.2" not in page  # no working revision for a delegate
    assert "Mexico" in page and "2030" in page  # Mexico's proposal on the paragraph
    cofac = client_as(app, w, "cofacilitator").get(f"{base(w)}/p/{w.paragraph_id}/").get_data(as_text=True)
    assert "Rev.2" in cofac


def test_audit_log_filters_by_kind_of_action_and_actor(app, w):
    client = client_as(app, w, "cofacilitator")
    client.post(
        f"{base(w)}/r/{w.rev2.seq}/p/{w.paragraph_id}/status",
        data={"status": "pending", "version": version_of(w, w.rev2).version},
    )
    everything = client.get(f"{base(w)}/audit").get_data(as_text=True)
    assert "proposal.submitted" in everything and "paragraph.status_set" in everything
    paragraphs = client.get(f"{base(w)}/audit", query_string={"action": "paragraph."}).get_data(as_text=True)
    assert "paragraph.status_set" in paragraphs and "proposal.submitted" not in paragraphs
    me = w.users["cofacilitator"].id
    mine = client.get(f"{base(w)}/audit", query_string={"actor": me}).get_data(as_text=True)
    assert "paragraph.status_set" in mine and "proposal.submitted" not in mine  # the fixtures acted as scripts


def test_dashboard_lists_the_users_negotiations_and_visible_revisions(app, w):
    delegate = client_as(app, w, "delegate").get("/").get_data(as_text=True)
    assert "World negotiation" in delegate and "Another negotiation" not in delegate
    assert "You are delegate of Mexico" in delegate and "Latest: <a" in delegate and "Rev.1" in delegate
    assert "Rev.2" not in delegate
    assert "Rev.2" in client_as(app, w, "cofacilitator").get("/").get_data(as_text=True)
    admin = client_as(app, w, "admin").get("/").get_data(as_text=True)
    assert "World negotiation" in admin and "Another negotiation" in admin and "New negotiation" in admin
    outsider = client_as(app, w, "outsider").get("/").get_data(as_text=True)
    assert "You have no role in any negotiation yet." in outsider


def test_negotiation_overview_offers_each_role_its_actions(app, w):
    url = f"{base(w)}/"
    cofac = client_as(app, w, "cofacilitator").get(url).get_data(as_text=True)
    assert "Continue editing Rev.2" in cofac and "Record" in cofac
    delegate = client_as(app, w, "delegate").get(url).get_data(as_text=True)
    assert "Propose on Rev.1" in delegate and "Upload a tracked Word file" in delegate and "Rev.2" not in delegate
    observer = client_as(app, w, "observer").get(url).get_data(as_text=True)
    assert "Propose on" not in observer and "Word files" not in observer and "Continue editing" not in observer


# -- Members and administration ------------------------------------------------------------------------


def test_members_add_filter_and_remove(app, w):
    client = client_as(app, w, "secretariat")
    url = f"{base(w)}/members"
    response = client.post(
        url,
        data={
            "email": "New.Delegate@Example.org",
            "name": "New Delegate",
            "password": "long enough pw",
            "role": "delegate",
            "delegation": w.g77.id,
        },
    )
    assert response.status_code == 302
    added = db.session.scalar(sa.select(User).where(User.email == "new.delegate@example.org"))
    assert added is not None and added.membership_in(w.negotiation.id).delegation_id == w.g77.id
    missing = client.post(url, data={"email": "nobody@example.org", "role": "observer", "delegation": "0"})
    assert missing.status_code == 400 and "There is no account for nobody@example.org" in missing.get_data(as_text=True)
    no_delegation = client.post(url, data={"email": w.users["outsider"].email, "role": "delegate", "delegation": "0"})
    assert "A delegate must be given the delegation" in no_delegation.get_data(as_text=True)

    delegates = client.get(url, query_string={"role": "delegate"}).get_data(as_text=True)
    assert "New Delegate" in delegates and w.users["observer"].name not in delegates
    membership = added.membership_in(w.negotiation.id)
    assert client.post(f"{url}/{membership.id}/remove").status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, membership.id) is None
    assert client.post(f"{url}/999999/remove").status_code == 404


def test_a_membership_of_another_negotiation_cannot_be_removed_from_this_one(app, w, session):
    from tests import factories as f

    elsewhere = f.user(session, role=Role.OBSERVER, negotiation=w.other_negotiation)
    session.commit()
    membership_id = elsewhere.memberships[0].id
    response = client_as(app, w, "secretariat").post(f"{base(w)}/members/{membership_id}/remove")
    assert response.status_code == 404
    assert db.session.get(Membership, membership_id) is not None


def test_admin_creates_users_delegations_and_negotiations_and_filters_them(app, w):
    client = client_as(app, w, "admin")
    assert (
        client.post(
            "/admin/users",
            data={"email": "zoe@example.org", "name": "Zoë Admin", "password": "long enough pw", "is_admin": "y"},
        ).status_code
        == 302
    )
    assert db.session.scalar(sa.select(User).where(User.email == "zoe@example.org")).is_admin
    duplicate = client.post(
        "/admin/users", data={"email": "ZOE@example.org", "name": "Again", "password": "long enough pw"}
    )
    assert duplicate.status_code == 400 and "There is already an account for zoe@example.org" in duplicate.get_data(
        as_text=True
    )
    found = client.get("/admin/users", query_string={"q": "zoë"}).get_data(as_text=True)
    assert "zoe@example.org" in found and w.users["observer"].email not in found

    for name, kind in (("African Group", "group"), ("Holy See", "observer")):
        created = client.post("/admin/delegations", data={"name": name, "kind": kind}, follow_redirects=True)
        assert f"Delegation {name} created." in created.get_data(as_text=True)
    groups = client.get("/admin/delegations", query_string={"kind": "group"}).get_data(as_text=True)
    assert (
        "African Group" in groups and "G77 and China" in groups and "Holy See" not in groups and "Mexico" not in groups
    )
    named = client.get("/admin/delegations", query_string={"q": "holy"}).get_data(as_text=True)
    assert "Holy See" in named and "African Group" not in named

    response = client.post(
        "/admin/negotiations/new", data={"slug": "ocean-summit", "title": "Ocean summit", "symbol": "A/81/2"}
    )
    assert response.status_code == 302 and response.location == "/n/ocean-summit/members"
    bad = client.post("/admin/negotiations/new", data={"slug": "Bad Slug!", "title": "Bad"})
    assert bad.status_code == 400 and "lower-case letters" in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Negotiation)) == 3


def test_denied_requests_leave_no_audit_trail_and_allowed_ones_do(app, w):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    client_as(app, w, "delegate").post(f"{base(w)}/r/{w.rev2.seq}/circulate")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before
    client_as(app, w, "cofacilitator").post(f"{base(w)}/r/{w.rev2.seq}/circulate", data={"deadline": ""})
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "revision.circulated" and event.actor_id == w.users["cofacilitator"].id
