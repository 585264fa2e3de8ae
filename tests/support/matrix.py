"""The permission matrix's table: every route of the app, a sample request, and what each role gets.

Outcomes (one letter per role, in ``ROLES`` order):

- ``L``: redirected to the sign-in page (anonymous users);
- ``O``: allowed, and the action succeeded: a 2xx answer, or a redirect to where the case says
  (``goes``), and what the case's ``effect`` checks is so; a refusal by a rule of the negotiation
  (409 "already circulated", 400) counts only where the case names that status (``refused``),
  since a rule is not a permission;
- ``D``: 403, the user knows the object exists but may not do this;
- ``H``: 404, the user may not know the object exists (another negotiation, a working revision).

Each allowed request starts from the world as ``build_world`` made it (the test puts the database
back), so a sample request is valid for that world, after the case's ``before`` and ``setup``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask.testing import FlaskClient
from werkzeug.security import check_password_hash

from drafter.auth import services as accounts
from drafter.auth.models import Delegation, Membership, Role, User, UserSession
from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision, RevisionState, SilenceBreak, Status
from drafter.drafting.queries import load_versions
from drafter.exporting.models import ExportKind, ExportRecord
from drafter.extensions import db
from drafter.importing.models import ImportKind, PendingImport
from drafter.lifecycle import services as lifecycle
from drafter.notifications.models import Delivery, Notification, NotificationKind, NotificationPreference
from drafter.proposals.models import Proposal, ProposalPosition, ProposalState, Stance
from drafter.text.structure import Kind
from tests.conftest import TEST_PASSWORD
from tests.support.world import ROLES, World

__all__ = ["CASES", "ROLES", "Case", "case_url", "classify", "send", "snapshot"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Case:
    """One request, and the outcome for each role in ROLES order (L, O, D, H: see the module doc)."""

    name: str
    endpoint: str
    method: str
    expect: str  #: seven letters, one per role in ROLES order
    args: Any = None  #: world -> URL values (slug: the world's negotiation unless given)
    data: Any = None  #: world -> form data (POST)
    json: Any = None  #: world -> JSON body (POST)
    before: Any = None  #: world -> None, run before each role's request: the state the request needs
    setup: Any = None  #: (world, client) -> None, run before an allowed role's request, as that role
    goes: str = ""  #: where an allowed request redirects to: a regular expression its location must match
    refused: int = 0  #: the status an allowed role gets when a rule of the negotiation refuses the request
    effect: Any = None  #: (world, role, response) -> None: asserts that an allowed request did what it says


P = "POST"
G = "GET"
PUBLIC = lambda w: {"seq": w.rev1.seq}  # noqa: E731
WORKING = lambda w: {"seq": w.rev2.seq}  # noqa: E731
W_PARA = lambda w: {"seq": w.rev2.seq, "paragraph_id": w.paragraph_id}  # noqa: E731
OWN = lambda w: {"proposal_id": w.own_proposal.id}  # noqa: E731
OTHER = lambda w: {"proposal_id": w.other_proposal.id}  # noqa: E731
NEW_PASSWORD = "a brand new passphrase"
IMPORTED_AMENDMENT = 'In operative paragraph 1, replace "2029" with "2031".'  # Mexico already proposed 2030


# -- What the world needs before a request ----------------------------------------------------


def _working_version(w: World) -> int:
    return db.session.scalar(
        sa.select(ParagraphVersion.version).where(
            ParagraphVersion.revision_id == w.rev2.id, ParagraphVersion.paragraph_id == w.paragraph_id
        )
    )


def _ensure_observer(w: World) -> None:
    """Give the observer their role back if a previous request removed it."""
    observer = w.users["observer"]
    db.session.expire_all()
    if observer.membership_in(w.negotiation.id) is None:
        membership = accounts.grant_role(db.session, None, user=observer, negotiation=w.negotiation, role=Role.OBSERVER)
        db.session.commit()
        w.observer_membership_id = membership.id


def _no_working_revision(w: World) -> None:
    """Discard the working revision, if there is one, so that a new one can be started."""
    db.session.expire_all()
    working = [r for r in w.negotiation.revisions if r.state is RevisionState.WORKING]
    for revision in working:
        drafting.discard_revision(db.session, None, revision)
    db.session.commit()


def _under_silence(w: World) -> None:
    """Put the circulated revision under silence, if it is not already."""
    db.session.expire_all()
    if w.rev1.state is not RevisionState.UNDER_SILENCE:
        lifecycle.put_under_silence(db.session, None, w.rev1, until=dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
        db.session.commit()


def _submitted(proposal: Proposal) -> None:
    """Give a proposal its submitted state back if a previous role withdrew it."""
    db.session.expire_all()
    if proposal.state is not ProposalState.SUBMITTED:
        proposal.state = ProposalState.SUBMITTED
        db.session.commit()


def _pending_id(location: str) -> int:
    return int(re.search(r"/(\d+)$", location).group(1))


def _upload_revision(w: World, client: FlaskClient) -> None:
    """Upload a draft as the signed-in user, keeping the id of its preview for the request."""
    response = client.post(f"/n/{w.negotiation.slug}/import", data={"text": "Decides to meet;"})
    assert response.status_code == 302, f"the upload of a draft failed ({response.status_code})"
    w.scratch["pending"] = _pending_id(response.location)


def _upload_proposals(w: World, client: FlaskClient) -> None:
    """Upload Mexico's amendments as the signed-in user, keeping the id of their preview."""
    response = client.post(
        f"/n/{w.negotiation.slug}/r/{w.rev1.seq}/import-proposals",
        data={"delegation": w.mexico.id, "text": IMPORTED_AMENDMENT},
    )
    assert response.status_code == 302, f"the upload of amendments failed ({response.status_code})"
    w.scratch["pending"] = _pending_id(response.location)


def _record(name: str):
    return lambda w: {"record_id": w.records[name].id}


# -- What an allowed request did ---------------------------------------------------------------


def _me(w: World, role: str) -> User:
    return db.session.get(User, w.users[role].id)


def _outsider(w: World) -> User:
    return db.session.get(User, w.users["outsider"].id)


def _exists(stmt) -> bool:
    return db.session.scalar(sa.select(stmt.exists())) is True


def _working_paragraph(w: World) -> ParagraphVersion | None:
    return db.session.scalar(
        sa.select(ParagraphVersion).where(
            ParagraphVersion.revision_id == w.rev2.id, ParagraphVersion.paragraph_id == w.paragraph_id
        )
    )


def _revision_state(revision: Any, state: RevisionState):
    def check(w, role, response):
        assert db.session.get(Revision, revision(w).id).state is state

    return check


def _signed_in_as_outsider(w, role, response):
    newest = db.session.scalar(sa.select(UserSession).order_by(UserSession.id.desc()).limit(1))
    assert newest is not None and newest.user_id == w.users["outsider"].id, "no session opened for the account"


def _password_changed(w, role, response):
    assert check_password_hash(_me(w, role).password_hash, NEW_PASSWORD), "the password is unchanged"


def _moved_up(w, role, response):
    ids = [v.paragraph_id for v in load_versions(db.session, db.session.get(Revision, w.rev2.id))]
    assert ids.index(w.paragraph_id) == 2, "the paragraph did not move up one place"


def _deleted(w, role, response):
    assert _working_paragraph(w) is None, "the paragraph is still in the working revision"


def _inserted(w, role, response):
    assert _exists(
        sa.select(ParagraphVersion).where(ParagraphVersion.revision_id == w.rev2.id, ParagraphVersion.text == "Notes;")
    ), "no paragraph inserted"


def _started(w, role, response):
    working = db.session.scalars(
        sa.select(Revision).where(Revision.negotiation_id == w.negotiation.id, Revision.state == RevisionState.WORKING)
    ).all()
    assert len(working) == 1 and working[0].base_revision_id == w.rev1.id, "no working revision started from Rev.1"


def _discarded(w, role, response):
    assert db.session.get(Revision, w.rev2.id) is None, "the working revision is still there"


def _pending(kind: ImportKind):
    def check(w, role, response):
        assert _exists(
            sa.select(PendingImport).where(
                PendingImport.user_id == w.users[role].id,
                PendingImport.kind == kind,
                PendingImport.id == _pending_id(response.location),
            )
        ), "no preview kept"

    return check


def _imported(w, role, response):
    assert _exists(
        sa.select(Revision).where(Revision.negotiation_id == w.negotiation.id, Revision.label == "Imported draft")
    )
    assert db.session.get(PendingImport, w.scratch["pending"]) is None, "the preview was kept after saving"


def _deadline_cleared(w, role, response):
    assert db.session.get(Revision, w.rev1.id).proposal_deadline is None


def _released(w, role, response):
    assert db.session.get(Revision, w.rev1.id).compilation_released_at is not None


def _silence_broken(delegation: str, statement: str):
    def check(w, role, response):
        d = getattr(w, delegation)
        assert _exists(
            sa.select(SilenceBreak).where(
                SilenceBreak.revision_id == w.rev1.id,
                SilenceBreak.delegation_id == d.id,
                SilenceBreak.statement == statement,
            )
        ), "no silence break recorded"

    return check


def _renamed(w, role, response):
    assert db.session.get(Negotiation, w.negotiation.id).title == "Renamed"


def _symbol_set(w, role, response):
    db.session.expire_all()
    assert db.session.get(Revision, w.rev1.id).symbol == "A/81/L.7/Rev.1"


def _proposed(delegation: str):
    def check(w, role, response):
        p = db.session.get(Proposal, _pending_id(response.location))
        d = getattr(w, delegation)
        assert p is not None and p.delegation_id == d.id and p.revision_id == w.rev1.id
        assert p.proposed_text == "Decides to meet in 2031;" and p.created_by_id == w.users[role].id

    return check


def _proposal_text(which: str, text: str):
    def check(w, role, response):
        assert db.session.get(Proposal, getattr(w, which).id).proposed_text == text, "the proposal is unchanged"

    return check


def _proposal_state(which: str, state: ProposalState):
    def check(w, role, response):
        assert db.session.get(Proposal, getattr(w, which).id).state is state

    return check


def _cosponsored(w, role, response):
    assert _exists(
        sa.select(ProposalPosition).where(
            ProposalPosition.proposal_id == w.other_proposal.id,
            ProposalPosition.delegation_id == w.mexico.id,
            ProposalPosition.stance == Stance.COSPONSOR,
        )
    ), "no position recorded"


def _decided(w, role, response):
    p = db.session.get(Proposal, w.other_proposal.id)
    assert p.state is ProposalState.NOT_RETAINED and p.decided_by_id == w.users[role].id and p.decided_at is not None


def _diffed(w, role, response):
    assert response.is_json and response.json["changed"] and "html" in response.json


def _proposals_imported(w, role, response):
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Proposal).where(Proposal.delegation_id == w.mexico.id)
    )
    assert count == 2, f"Mexico has {count} proposals, not 2"
    assert db.session.get(PendingImport, w.scratch["pending"]) is None, "the preview was kept after submitting"


def _exported(kind: ExportKind, revision: str, from_revision: str = ""):
    def check(w, role, response):
        record = db.session.get(ExportRecord, int(re.search(r"/exports/(\d+)/", response.location).group(1)))
        assert record is not None and record.kind is kind and record.created_by_id == w.users[role].id
        assert record.revision_id == getattr(w, revision).id
        assert record.from_revision_id == (getattr(w, from_revision).id if from_revision else None)

    return check


def _docx(w, role, response):
    assert response.mimetype == DOCX, response.mimetype


def _user_exists(w, role, response):
    assert _exists(sa.select(User).where(User.email == "new@example.org")), "no account created"


def _reset(w, role, response):
    assert _outsider(w).must_change_password, "the account's password was not reset"


def _deactivated(w, role, response):
    assert not _outsider(w).active, "the account is still active"


def _delegation_created(w, role, response):
    assert _exists(sa.select(Delegation).where(Delegation.name == "Chile")), "no delegation created"


def _negotiation_created(w, role, response):
    assert _exists(sa.select(Negotiation).where(Negotiation.slug == "brand-new")), "no negotiation created"


def _member_added(w, role, response):
    m = _outsider(w).membership_in(w.negotiation.id)
    assert m is not None and m.role is Role.OBSERVER, "the outsider is not an observer"


def _member_removed(w, role, response):
    assert db.session.get(Membership, w.observer_membership_id) is None, "the membership is still there"


def _notified(w: World) -> None:
    """Give every user of the world an unread notification; the delegate's id is kept in ``scratch``."""
    for key, u in w.users.items():
        note = Notification(user_id=u.id, kind=NotificationKind.CIRCULATED, subject="Rev.1 circulated", body="Read it.")
        db.session.add(note)
        db.session.flush()
        w.scratch[f"note-{key}"] = note.id
    db.session.commit()


def _note_read(w, role, response):
    assert db.session.get(Notification, w.scratch["note-delegate"]).read_at is not None, "still unread"


def _all_read(w, role, response):
    assert db.session.get(Notification, w.scratch[f"note-{role}"]).read_at is not None, "still unread"


def _chose_in_app(w, role, response):
    row = db.session.get(NotificationPreference, (w.users[role].id, NotificationKind.DECIDED))
    assert row is not None and row.delivery is Delivery.IN_APP, "the choice was not saved"


# -- The JSON API and its tokens ----------------------------------------------------------------


def _api(endpoint: str) -> str:
    return f"api.{endpoint}"


def _token_made(w, role, response):
    from drafter.auth.tokens import ApiToken

    assert _exists(
        sa.select(ApiToken).where(ApiToken.user_id == w.users[role].id, ApiToken.name == "Briefing notes")
    ), "no token made"


def _own_token(w: World, client: FlaskClient) -> None:
    """Make a token for the signed-in user (whose id the client's session names), keeping its id."""
    from drafter.auth import tokens

    with client.session_transaction() as s:
        owner = db.session.get(User, int(s["_user_id"]))
    tokens.create(db.session, None, owner, "Script")
    db.session.commit()
    w.scratch["token"] = tokens.of_user(db.session, owner)[0].id


def _others_token(w: World) -> None:
    """Make a token for the second delegate, who is none of the roles, keeping its id."""
    from drafter.auth import tokens

    db.session.expire_all()
    owner = db.session.get(User, w.users["delegate2"].id)
    tokens.create(db.session, None, owner, "Not yours")
    db.session.commit()
    w.scratch["others-token"] = tokens.of_user(db.session, owner)[0].id


def _token_revoked(w, role, response):
    from drafter.auth.tokens import ApiToken

    assert db.session.get(ApiToken, w.scratch["token"]).revoked_at is not None, "the token is still live"


def _api_proposed(delegation: str):
    def check(w, role, response):
        p = db.session.get(Proposal, response.json["id"])
        assert p is not None and p.delegation_id == getattr(w, delegation).id and p.revision_id == w.rev1.id
        assert p.proposed_text == "Decides to meet in 2031;" and p.created_by_id == w.users[role].id

    return check


def _proposal_version(proposal: Proposal) -> int:
    """Return the version of the proposal as the database holds it now (a write sends it back)."""
    db.session.expire_all()
    return db.session.get(Proposal, proposal.id).version


def _api_json(w, role, response):
    assert response.is_json, response.mimetype


def _akn(w, role, response):
    assert response.mimetype == ExportKind.AKN.mimetype, response.mimetype


def _paragraph(attribute: str, value: Any):
    def check(w, role, response):
        v = _working_paragraph(w)
        assert getattr(v, attribute) == value, f"{attribute} is {getattr(v, attribute)!r}"
        assert v.updated_by_id == w.users[role].id

    return check


# Each expect string has one letter per role, in this order:
#   anonymous · outsider (no role) · observer · delegate (of Mexico) · secretariat · co-facilitator · admin (no role)
# L: sent to sign in · O: allowed · D: 403 · H: 404
CASES = [
    # Signing in and out
    Case("login form", "auth.login", G, "OOOOOOO"),
    Case(
        "login attempt",
        "auth.login",
        P,
        "OOOOOOO",
        data=lambda w: {"email": w.users["outsider"].email, "password": TEST_PASSWORD},
        goes=r"^/$",
        effect=_signed_in_as_outsider,
    ),
    Case("logout", "auth.logout", P, "LLLLLLL"),
    Case("account page", "auth.account", G, "LOOOOOO"),
    Case(
        "make an API token",
        "auth.create_token",
        P,
        "LOOOOOO",
        data=lambda w: {"name": "Briefing notes"},
        effect=_token_made,
    ),
    Case(
        "revoke own API token",
        "auth.revoke_token",
        P,
        "LOOOOOO",
        args=lambda w: {"token_id": w.scratch.get("token", 999)},
        setup=_own_token,
        goes=r"/account#tokens$",
        effect=_token_revoked,
    ),
    Case(
        "revoke another's API token",
        "auth.revoke_token",
        P,
        "LHHHHHH",
        args=lambda w: {"token_id": w.scratch.get("others-token", 999)},
        before=_others_token,
    ),
    # Notifications: each user's own
    Case("notifications", "notifications.index", G, "LOOOOOO"),
    Case(
        "notification choices",
        "notifications.preferences",
        P,
        "LOOOOOO",
        data=lambda w: {k.value: "in_app" if k is NotificationKind.DECIDED else "email" for k in NotificationKind},
        goes=r"/notifications/$",
        effect=_chose_in_app,
    ),
    Case(
        "mark a notification read",
        "notifications.read",
        P,
        "LHHOHHH",
        args=lambda w: {"notification_id": w.scratch.get("note-delegate", 999)},
        before=_notified,
        goes=r"/notifications/$",
        effect=_note_read,
    ),
    Case(
        "mark every notification read",
        "notifications.read_all",
        P,
        "LOOOOOO",
        before=_notified,
        goes=r"/notifications/$",
        effect=_all_read,
    ),
    Case(
        "change password",
        "auth.account",
        P,
        "LOOOOOO",
        data=lambda w: {"current": TEST_PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        goes=r"^/$",
        effect=_password_changed,
    ),
    # Instance administration: admins only
    Case("users page", "auth.admin_users", G, "LDDDDDO"),
    Case(
        "create user",
        "auth.admin_users",
        P,
        "LDDDDDO",
        data=lambda w: {"email": "new@example.org", "name": "New", "password": "long enough pw"},
        goes=r"/admin/users$",
        effect=_user_exists,
    ),
    Case(
        "reset a password",
        "auth.reset_password",
        P,
        "LDDDDDO",
        args=lambda w: {"user_id": w.users["outsider"].id},
        effect=_reset,
    ),
    Case(
        "deactivate an account",
        "auth.set_active",
        P,
        "LDDDDDO",
        args=lambda w: {"user_id": w.users["outsider"].id},
        data=lambda w: {"active": "0"},
        goes=r"/admin/users",
        effect=_deactivated,
    ),
    Case("delegations page", "auth.admin_delegations", G, "LDDDDDO"),
    Case(
        "create delegation",
        "auth.admin_delegations",
        P,
        "LDDDDDO",
        data=lambda w: {"name": "Chile", "kind": "member_state"},
        goes=r"/admin/delegations$",
        effect=_delegation_created,
    ),
    Case("new negotiation form", "drafting.new_negotiation", G, "LDDDDDO"),
    Case(
        "create negotiation",
        "drafting.new_negotiation",
        P,
        "LDDDDDO",
        data=lambda w: {"slug": "brand-new", "title": "Brand new"},
        goes=r"/n/brand-new/members$",
        effect=_negotiation_created,
    ),
    # Members: the secretariat and admins
    Case("members page", "drafting.members", G, "LHDDODO"),
    Case(
        "add member",
        "drafting.members",
        P,
        "LHDDODO",
        data=lambda w: {"email": w.users["outsider"].email, "role": "observer", "delegation": "0"},
        goes=r"/n/world/members$",
        effect=_member_added,
    ),
    Case(
        "remove member",
        "drafting.remove_member",
        P,
        "LHDDODO",
        args=lambda w: {"membership_id": w.observer_membership_id},
        before=lambda w: _ensure_observer(w),
        goes=r"/n/world/members$",
        effect=_member_removed,
    ),
    # Reading
    Case("dashboard", "drafting.dashboard", G, "LOOOOOO"),
    Case("negotiation", "drafting.negotiation", G, "LHOOOOO"),
    Case("another negotiation", "drafting.negotiation", G, "LHHHHHO", args=lambda w: {"slug": "elsewhere"}),
    Case("circulated revision", "drafting.revision", G, "LHOOOOO", args=PUBLIC),
    Case("working revision", "drafting.revision", G, "LHHHOOH", args=WORKING),
    Case(
        "revision of another negotiation",
        "drafting.revision",
        G,
        "LHHHHHO",
        args=lambda w: {"slug": "elsewhere", "seq": 1},
    ),
    Case("compare public", "drafting.compare", G, "LHOOOOO"),
    Case(
        "compare with working", "drafting.compare", G, "LHHHOOH", args=lambda w: {"from": w.rev1.seq, "to": w.rev2.seq}
    ),
    Case(
        "compare from working", "drafting.compare", G, "LHHHOOH", args=lambda w: {"from": w.rev2.seq, "to": w.rev1.seq}
    ),
    Case("search", "search.index", G, "LHOOOOO", args=lambda w: {"q": "decides"}),
    Case("paragraph history", "drafting.history", G, "LHOOOOO", args=lambda w: {"paragraph_id": w.paragraph_id}),
    Case(
        "history of a working-only paragraph",
        "drafting.history",
        G,
        "LHHHOOH",
        args=lambda w: {"paragraph_id": w.secret_paragraph_id},
    ),
    Case("audit log", "drafting.audit_log", G, "LHDDOOO"),
    Case("audit log as CSV", "drafting.audit_csv", G, "LHDDOOO"),
    # Drafting the working revision: co-facilitators only
    Case("editor", "drafting.editor", G, "LHDDDOD", args=WORKING),
    Case("edit paragraph form", "drafting.edit_paragraph", G, "LHDDDOD", args=W_PARA),
    Case(
        "edit paragraph",
        "drafting.edit_paragraph",
        P,
        "LHDDDOD",
        args=W_PARA,
        data=lambda w: {"text": "Decides something else;", "version": _working_version(w)},
        goes=r"/r/3/edit#p\d+$",
        effect=_paragraph("text", "Decides something else;"),
    ),
    Case(
        "set status",
        "drafting.set_status",
        P,
        "LHDDDOD",
        args=W_PARA,
        data=lambda w: {"status": "agreed", "version": _working_version(w)},
        goes=r"/r/3/edit#p\d+$",
        effect=_paragraph("status", Status.AGREED),
    ),
    Case(
        "set the status of several paragraphs",
        "drafting.bulk_status",
        P,
        "LHDDDOD",
        args=WORKING,
        data=lambda w: {"status": "agreed", "pick": str(_working_paragraph(w).paragraph_id)},
        goes=r"/r/3/edit$",
        effect=_paragraph("status", Status.AGREED),
    ),
    Case(
        "change kind",
        "drafting.change_kind",
        P,
        "LHDDDOD",
        args=W_PARA,
        data=lambda w: {"kind": "preambular:0", "version": _working_version(w)},
        goes=r"/r/3/edit#p\d+$",
        effect=_paragraph("kind", Kind.PREAMBULAR),
    ),
    Case(
        "move",
        "drafting.move",
        P,
        "LHDDDOD",
        args=W_PARA,
        data=lambda w: {"direction": "up", "version": _working_version(w)},
        goes=r"/r/3/edit#p\d+$",
        effect=_moved_up,
    ),
    Case(
        "delete paragraph",
        "drafting.delete",
        P,
        "LHDDDOD",
        args=W_PARA,
        data=lambda w: {"version": _working_version(w)},
        goes=r"/r/3/edit$",
        effect=_deleted,
    ),
    Case("insert form", "drafting.insert", G, "LHDDDOD", args=WORKING),
    Case(
        "insert",
        "drafting.insert",
        P,
        "LHDDDOD",
        args=WORKING,
        data=lambda w: {"kind": "operative:0", "text": "Notes;"},
        goes=r"/r/3/edit#p\d+$",
        effect=_inserted,
    ),
    Case(
        "start revision",
        "drafting.start_revision",
        P,
        "LHDDDOD",
        before=lambda w: _no_working_revision(w),
        goes=r"/r/\d+/edit$",
        effect=_started,
    ),
    Case("discard", "drafting.discard", P, "LHDDDOD", args=WORKING, goes=r"/n/world/$", effect=_discarded),
    Case("import revision form", "importing.revision", G, "LHDDDOD"),
    Case(
        "import revision",
        "importing.revision",
        P,
        "LHDDDOD",
        data=lambda w: {"text": "Decides to meet;"},
        goes=r"/n/world/import/\d+$",
        effect=_pending(ImportKind.REVISION),
    ),
    Case(
        "import preview",
        "importing.revision_preview",
        G,
        "LHDDDOD",
        args=lambda w: {"pending_id": w.scratch.get("pending", 999)},
        setup=_upload_revision,
    ),
    Case(
        "import confirm",
        "importing.revision_preview",
        P,
        "LHDDDOD",
        args=lambda w: {"pending_id": w.scratch.get("pending", 999)},
        data=lambda w: {"action": "save", "label": "Imported draft"},
        before=lambda w: _no_working_revision(w),
        setup=_upload_revision,
        goes=r"/n/world/r/\d+/edit$",
        effect=_imported,
    ),
    # The lifecycle: co-facilitators circulate; silence breaks by the secretariat or for one's delegation
    Case("lifecycle of circulated", "drafting.lifecycle", G, "LHDOOOD", args=PUBLIC),
    Case("lifecycle of working", "drafting.lifecycle", G, "LHHHOOH", args=WORKING),
    Case(
        "circulate",
        "drafting.circulate",
        P,
        "LHDDDOD",
        args=WORKING,
        data=lambda w: {"deadline": ""},
        goes=r"/r/3/$",
        effect=_revision_state(lambda w: w.rev2, RevisionState.CIRCULATED),
    ),
    Case(
        "set deadline",
        "drafting.set_deadline",
        P,
        "LHDDDOD",
        args=PUBLIC,
        data=lambda w: {"deadline": ""},
        goes=r"/r/2/$",
        effect=_deadline_cleared,
    ),
    Case(
        "silence",
        "drafting.silence",
        P,
        "LHDDDOD",
        args=PUBLIC,
        data=lambda w: {"until": (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")},
        goes=r"/r/2/$",
        effect=_revision_state(lambda w: w.rev1, RevisionState.UNDER_SILENCE),
    ),
    Case(
        "adopt",
        "drafting.adopt",
        P,
        "LHDDDOD",
        args=PUBLIC,
        goes=r"/r/2/$",
        effect=_revision_state(lambda w: w.rev1, RevisionState.ADOPTED),
    ),
    Case(
        "release compilation",
        "drafting.release",
        P,
        "LHDDDOD",
        args=PUBLIC,
        goes=r"/r/2/compilation$",
        effect=_released,
    ),
    Case(
        "silence break for own delegation",
        "drafting.silence_break",
        P,
        "LHDOOOD",
        args=PUBLIC,
        data=lambda w: {"delegation": w.mexico.id, "statement": "We object."},
        before=lambda w: _under_silence(w),
        goes=r"/r/2/",
        effect=_silence_broken("mexico", "We object."),
    ),
    Case(
        "silence break for another delegation",
        "drafting.silence_break",
        P,
        "LHDDOOD",
        args=PUBLIC,
        data=lambda w: {"delegation": w.g77.id, "statement": "They object."},
        before=lambda w: _under_silence(w),
        goes=r"/r/2/",
        effect=_silence_broken("g77", "They object."),
    ),
    Case("document details form", "drafting.masthead", G, "LHDDOOD", args=PUBLIC),
    Case("document details of working", "drafting.masthead", G, "LHHHOOH", args=WORKING),
    Case(
        "document details",
        "drafting.masthead",
        P,
        "LHDDOOD",
        args=PUBLIC,
        data=lambda w: {"symbol": "A/81/L.7/Rev.1", "title": w.rev1.title, "chapeau": w.rev1.chapeau},
        goes=r"/r/2/$",
        effect=_symbol_set,
    ),
    Case("settings form", "drafting.settings", G, "LHDDOOO"),
    Case(
        "settings",
        "drafting.settings",
        P,
        "LHDDOOO",
        data=lambda w: {"title": "Renamed", "visibility": "immediate"},
        goes=r"/n/world/$",
        effect=_renamed,
    ),
    # Proposals
    Case("proposals index", "proposals.index", G, "LHOOOOO", goes=r"/r/2/compilation$"),
    Case("compilation", "proposals.compilation", G, "LHOOOOO", args=PUBLIC),
    Case("compilation of working", "proposals.compilation", G, "LHHHHHH", args=WORKING),
    Case(
        "propose form",
        "proposals.propose",
        G,
        "LHDOODD",
        args=lambda w: {"seq": w.rev1.seq, "paragraph": w.paragraph_id, "kind": "amend"},
    ),
    Case(
        "propose for own delegation",
        "proposals.propose",
        P,
        "LHDOODD",
        args=PUBLIC,
        data=lambda w: {
            "paragraph": w.paragraph_id,
            "kind": "amend",
            "delegation": w.mexico.id,
            "text": "Decides to meet in 2031;",
        },
        goes=r"/n/world/proposals/\d+$",
        effect=_proposed("mexico"),
    ),
    Case(
        "propose for another delegation",
        "proposals.propose",
        P,
        "LHDDODD",
        args=PUBLIC,
        data=lambda w: {
            "paragraph": w.paragraph_id,
            "kind": "amend",
            "delegation": w.g77.id,
            "text": "Decides to meet in 2031;",
        },
        goes=r"/n/world/proposals/\d+$",
        effect=_proposed("g77"),
    ),
    # (a rule, not a permission: proposals are made on circulated revisions only)
    Case(
        "propose on working",
        "proposals.propose",
        P,
        "LHDHODD",
        args=WORKING,
        data=lambda w: {"paragraph": w.paragraph_id, "kind": "retain", "delegation": w.mexico.id},
        refused=409,
    ),
    Case("own proposal", "proposals.detail", G, "LHHOOOO", args=OWN),
    Case("another's proposal", "proposals.detail", G, "LHHOOOO", args=OTHER),
    Case("edit own proposal form", "proposals.edit", G, "LHHOODD", args=OWN),
    Case(
        "edit own proposal",
        "proposals.edit",
        P,
        "LHHOODD",
        args=OWN,
        data=lambda w: {"text": "Decides to meet in 2032;"},
        goes=r"/n/world/proposals/\d+$",
        effect=_proposal_text("own_proposal", "Decides to meet in 2032;"),
    ),
    Case("edit another's proposal form", "proposals.edit", G, "LHHDODD", args=OTHER),
    Case(
        "edit another's proposal",
        "proposals.edit",
        P,
        "LHHDODD",
        args=OTHER,
        data=lambda w: {"text": "Recalling nothing,"},
        goes=r"/n/world/proposals/\d+$",
        effect=_proposal_text("other_proposal", "Recalling nothing,"),
    ),
    Case(
        "withdraw own proposal",
        "proposals.withdraw",
        P,
        "LHHOODD",
        args=OWN,
        before=lambda w: _submitted(w.own_proposal),
        goes=r"/n/world/proposals/\d+$",
        effect=_proposal_state("own_proposal", ProposalState.WITHDRAWN),
    ),
    Case(
        "withdraw another's proposal",
        "proposals.withdraw",
        P,
        "LHHDODD",
        args=OTHER,
        goes=r"/n/world/proposals/\d+$",
        effect=_proposal_state("other_proposal", ProposalState.WITHDRAWN),
    ),
    Case(
        "position on another's proposal",
        "proposals.position",
        P,
        "LHHODDD",
        args=OTHER,
        data=lambda w: {"stance": "cosponsor"},
        goes=r"/n/world/proposals/\d+$",
        effect=_cosponsored,
    ),
    # (a rule, not a permission: a delegation does not support or oppose its own proposal)
    Case(
        "position on own proposal",
        "proposals.position",
        P,
        "LHHODDD",
        args=OWN,
        data=lambda w: {"stance": "support"},
        refused=400,
    ),
    Case("decide form", "proposals.decide", G, "LHDDDOD", args=OTHER),
    Case(
        "decide",
        "proposals.decide",
        P,
        "LHDDDOD",
        args=OTHER,
        data=lambda w: {"outcome": "not_retained"},
        goes=r"/r/2/compilation#proposal-\d+$",
        effect=_decided,
    ),
    Case("delegation's proposals", "proposals.delegation", G, "LHOOOOO", args=lambda w: {"delegation_id": w.g77.id}),
    Case(
        "live diff", "proposals.live_diff", P, "LOOOOOO", json=lambda w: {"base": "a b", "text": "a c"}, effect=_diffed
    ),
    Case("import proposals form", "importing.proposals", G, "LHDOODD", args=PUBLIC),
    Case(
        "import proposals",
        "importing.proposals",
        P,
        "LHDOODD",
        args=PUBLIC,
        data=lambda w: {"delegation": w.mexico.id, "text": IMPORTED_AMENDMENT},
        goes=r"/r/2/import-proposals/\d+$",
        effect=_pending(ImportKind.PROPOSALS),
    ),
    Case(
        "import proposals for another delegation",
        "importing.proposals",
        P,
        "LHDDODD",
        args=PUBLIC,
        data=lambda w: {"delegation": w.g77.id, "text": IMPORTED_AMENDMENT},
        goes=r"/r/2/import-proposals/\d+$",
        effect=_pending(ImportKind.PROPOSALS),
    ),
    Case("import proposals on working", "importing.proposals", G, "LHDHHDD", args=WORKING),
    Case(
        "import proposals preview",
        "importing.proposals_preview",
        G,
        "LHDOODD",
        args=lambda w: {"seq": w.rev1.seq, "pending_id": w.scratch.get("pending", 999)},
        setup=_upload_proposals,
    ),
    Case(
        "import proposals submit",
        "importing.proposals_preview",
        P,
        "LHDOODD",
        args=lambda w: {"seq": w.rev1.seq, "pending_id": w.scratch.get("pending", 999)},
        data=lambda w: {"action": "submit"},
        setup=_upload_proposals,
        goes=r"/r/2/compilation\?delegation=\d+$",
        effect=_proposals_imported,
    ),
    # Word files: delegations export what is circulated; compilations are the co-facilitators' and secretariat's
    Case("exports page", "exporting.index", G, "LHDOOOO"),
    Case(
        "export clean circulated",
        "exporting.create",
        P,
        "LHDOOOO",
        data=lambda w: {"kind": "clean", "revision": w.rev1.seq},
        goes=r"/exports/\d+/download$",
        effect=_exported(ExportKind.CLEAN, "rev1"),
    ),
    Case(
        "export tracked circulated",
        "exporting.create",
        P,
        "LHDOOOO",
        data=lambda w: {"kind": "tracked", "revision": w.rev1.seq, "from": w.zero.seq},
        goes=r"/exports/\d+/download$",
        effect=_exported(ExportKind.TRACKED, "rev1", "zero"),
    ),
    # (the world shows proposals to delegations as they arrive, so its compilations are theirs too)
    Case(
        "export compilation",
        "exporting.create",
        P,
        "LHDOOOO",
        data=lambda w: {"kind": "compilation", "revision": w.rev1.seq},
        goes=r"/exports/\d+/download$",
        effect=_exported(ExportKind.COMPILATION, "rev1"),
    ),
    # (a rule, not a permission: no one proposes on a working revision, so it has no compilation)
    Case(
        "export compilation of working",
        "exporting.create",
        P,
        "LHHHOOH",
        data=lambda w: {"kind": "compilation", "revision": w.rev2.seq},
        refused=400,
    ),
    Case(
        "export clean working",
        "exporting.create",
        P,
        "LHHHOOH",
        data=lambda w: {"kind": "clean", "revision": w.rev2.seq},
        goes=r"/exports/\d+/download$",
        effect=_exported(ExportKind.CLEAN, "rev2"),
    ),
    Case(
        "export tracked working",
        "exporting.create",
        P,
        "LHHHOOH",
        data=lambda w: {"kind": "tracked", "revision": w.rev2.seq, "from": w.rev1.seq},
        goes=r"/exports/\d+/download$",
        effect=_exported(ExportKind.TRACKED, "rev2", "rev1"),
    ),
    Case(
        "export tracked against working",
        "exporting.create",
        P,
        "LHHHOOH",
        data=lambda w: {"kind": "tracked", "revision": w.rev1.seq, "from": w.rev2.seq},
        goes=r"/exports/\d+/download$",
        effect=_exported(ExportKind.TRACKED, "rev1", "rev2"),
    ),
    Case(
        "export Akoma Ntoso circulated",
        "exporting.create",
        P,
        "LHDOOOO",
        data=lambda w: {"kind": "akn", "revision": w.rev1.seq},
        goes=r"/exports/\d+/download$",
        effect=_exported(ExportKind.AKN, "rev1"),
    ),
    Case(
        "export Akoma Ntoso working",
        "exporting.create",
        P,
        "LHHHOOH",
        data=lambda w: {"kind": "akn", "revision": w.rev2.seq},
        goes=r"/exports/\d+/download$",
        effect=_exported(ExportKind.AKN, "rev2"),
    ),
    Case("download clean circulated", "exporting.download", G, "LHDOOOO", args=_record("clean_public"), effect=_docx),
    Case(
        "download tracked circulated", "exporting.download", G, "LHDOOOO", args=_record("tracked_public"), effect=_docx
    ),
    Case("download compilation", "exporting.download", G, "LHDOOOO", args=_record("compilation"), effect=_docx),
    Case("download clean working", "exporting.download", G, "LHHHOOH", args=_record("clean_working"), effect=_docx),
    Case("download tracked working", "exporting.download", G, "LHHHOOH", args=_record("tracked_working"), effect=_docx),
    Case(
        "download tracked against working",
        "exporting.download",
        G,
        "LHHHOOH",
        args=_record("tracked_against_working"),
        effect=_docx,
    ),
    # The JSON API: the same answers as the pages; anonymous callers get 401 (counted as "sent to sign in")
    Case("API description", _api("openapi_json"), G, "OOOOOOO", effect=_api_json),
    Case("API: who am I", _api("me"), G, "LOOOOOO", effect=_api_json),
    Case("API: negotiations", _api("negotiations"), G, "LOOOOOO", effect=_api_json),
    Case("API: negotiation", _api("negotiation"), G, "LHOOOOO", effect=_api_json),
    Case("API: another negotiation", _api("negotiation"), G, "LHHHHHO", args=lambda w: {"slug": "elsewhere"}),
    Case("API: revisions", _api("revisions"), G, "LHOOOOO", effect=_api_json),
    Case("API: circulated revision", _api("revision"), G, "LHOOOOO", args=PUBLIC, effect=_api_json),
    Case("API: working revision", _api("revision"), G, "LHHHOOH", args=WORKING, effect=_api_json),
    Case("API: Akoma Ntoso of circulated", _api("revision_akn"), G, "LHDOOOO", args=PUBLIC, effect=_akn),
    Case("API: Akoma Ntoso of working", _api("revision_akn"), G, "LHHHOOH", args=WORKING, effect=_akn),
    Case("API: compare public", _api("compare"), G, "LHOOOOO", effect=_api_json),
    Case(
        "API: compare with working",
        _api("compare"),
        G,
        "LHHHOOH",
        args=lambda w: {"old": w.rev1.seq, "new": w.rev2.seq},
        effect=_api_json,
    ),
    Case("API: proposals", _api("proposals"), G, "LHOOOOO", args=PUBLIC, effect=_api_json),
    Case("API: proposals on working", _api("proposals"), G, "LHHHHHH", args=WORKING),
    Case("API: own proposal", _api("proposal"), G, "LHHOOOO", args=OWN, effect=_api_json),
    Case("API: another's proposal", _api("proposal"), G, "LHHOOOO", args=OTHER, effect=_api_json),
    Case("API: compilation", _api("compilation"), G, "LHOOOOO", args=PUBLIC, effect=_api_json),
    Case("API: compilation of working", _api("compilation"), G, "LHHHHHH", args=WORKING),
    Case("API: record", _api("audit"), G, "LHDDOOO", effect=_api_json),
    Case(
        "API: propose for own delegation",
        _api("submit"),
        P,
        "LHDOODD",
        args=PUBLIC,
        json=lambda w: {
            "kind": "amend",
            "paragraph": w.paragraph_id,
            "delegation": w.mexico.id,
            "text": "Decides to meet in 2031;",
        },
        effect=_api_proposed("mexico"),
    ),
    Case(
        "API: propose for another delegation",
        _api("submit"),
        P,
        "LHDDODD",
        args=PUBLIC,
        json=lambda w: {
            "kind": "amend",
            "paragraph": w.paragraph_id,
            "delegation": w.g77.id,
            "text": "Decides to meet in 2031;",
        },
        effect=_api_proposed("g77"),
    ),
    # (a rule, not a permission: proposals are made on circulated revisions only)
    Case(
        "API: propose on working",
        _api("submit"),
        P,
        "LHDHODD",
        args=WORKING,
        json=lambda w: {"kind": "retain", "paragraph": w.paragraph_id, "delegation": w.mexico.id},
        refused=409,
    ),
    Case(
        "API: edit own proposal",
        _api("edit"),
        P,
        "LHHOODD",
        args=OWN,
        json=lambda w: {"text": "Decides to meet in 2032;"},
        effect=_proposal_text("own_proposal", "Decides to meet in 2032;"),
    ),
    Case(
        "API: edit another's proposal",
        _api("edit"),
        P,
        "LHHDODD",
        args=OTHER,
        json=lambda w: {"text": "Recalling nothing,"},
        effect=_proposal_text("other_proposal", "Recalling nothing,"),
    ),
    Case(
        "API: withdraw own proposal",
        _api("withdraw"),
        P,
        "LHHOODD",
        args=OWN,
        json=lambda w: {"version": _proposal_version(w.own_proposal)},
        before=lambda w: _submitted(w.own_proposal),
        effect=_proposal_state("own_proposal", ProposalState.WITHDRAWN),
    ),
    Case(
        "API: withdraw another's proposal",
        _api("withdraw"),
        P,
        "LHHDODD",
        args=OTHER,
        json=lambda w: {"version": _proposal_version(w.other_proposal)},
        effect=_proposal_state("other_proposal", ProposalState.WITHDRAWN),
    ),
    Case(
        "API: position on another's proposal",
        _api("position"),
        P,
        "LHHODDD",
        args=OTHER,
        json=lambda w: {"stance": "cosponsor"},
        effect=_cosponsored,
    ),
    # (a rule, not a permission: a delegation does not support or oppose its own proposal)
    Case(
        "API: position on own proposal",
        _api("position"),
        P,
        "LHHODDD",
        args=OWN,
        json=lambda w: {"stance": "support"},
        refused=400,
    ),
    # Static files are public
    Case("stylesheet", "static", G, "OOOOOOO", args=lambda w: {"filename": "drafter.css"}),
]


def build_url(endpoint: str, **values: Any) -> str:
    """Return the path of an endpoint, outside any request."""
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def case_url(case: Case, w: World) -> str:
    """Return the path a case requests (the world's negotiation unless the case names another)."""
    values = case.args(w) if case.args else {}
    rule = next(r for r in current_app.url_map.iter_rules() if r.endpoint == case.endpoint)
    if "slug" in rule.arguments:
        values = {"slug": w.negotiation.slug, **values}
    return build_url(case.endpoint, **values)


def send(client: FlaskClient, case: Case, w: World):
    """Send a case's request and return the response."""
    url = case_url(case, w)
    if case.method == G:
        return client.get(url)
    if case.json is not None:
        return client.post(url, json=case.json(w))
    return client.post(url, data=case.data(w) if case.data else {})


def classify(response, case: Case | None = None) -> str:
    """Return the outcome letter of a response (see the module doc): "5" for a server error,
    "R" for an answer that is neither a refusal of permission nor the case's success."""
    status = response.status_code
    if status >= 500:
        return "5"
    if status == 401:  # the API's answer to a caller who is not signed in
        return "L"
    if status == 302 and response.location.split("?")[0].rstrip("/").endswith("/login"):
        return "L"
    if status in (403, 404):
        return {403: "D", 404: "H"}[status]
    if 200 <= status < 300:
        # a case that names where it redirects expects that redirect: a page (a form shown again) is not it
        return "R" if case is not None and case.goes else "O"
    if 300 <= status < 400:
        return "O" if case is not None and case.goes and re.search(case.goes, response.location) else "R"
    return "O" if case is not None and status == case.refused else "R"


#: bookkeeping of who is signed in and of rate limits, which signing in and out rightly change
_SIGN_IN_TABLES = {"user_sessions", "throttle_hits"}


def snapshot() -> dict[str, list[str]]:
    """Return every row of every table but the sign-in bookkeeping, to compare before and after a request."""
    db.session.expire_all()
    return {
        t.name: sorted(repr(tuple(row)) for row in db.session.execute(sa.select(t)))
        for t in db.metadata.sorted_tables
        if t.name not in _SIGN_IN_TABLES
    }


# The room's rows live beside their helpers; they build on ``Case`` above.
from tests.support.room_matrix import ROOM_CASES  # noqa: E402

CASES += ROOM_CASES
