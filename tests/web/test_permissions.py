"""The permission matrix: every route of the app, by every role, through the test client.

The table below names, for each endpoint (and method), the outcome each kind of user gets.
A route added to the app without a row here fails ``test_every_route_is_in_the_matrix``:
decide who may use it before shipping it.

Outcomes:

- ``LOGIN``: redirected to the sign-in page (anonymous users);
- ``OK``: allowed, and the action succeeded: a 2xx answer, or a redirect to where the case says
  (``goes``); a refusal by a rule of the negotiation (409 "already circulated", 400) counts only
  where the case names that status (``refused``), since a rule is not a permission;
- ``DENY``: 403, the user knows the object exists but may not do this;
- ``HIDE``: 404, the user may not know the object exists (another negotiation, a working revision).

Working (unpublished) revisions are for the co-facilitators and the secretariat only: everyone
else, instance administrators included, gets 404 for them and never sees their text in any
answer. A delegate acts for their own delegation only. Refused requests change nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, url_for
from flask.testing import FlaskClient

from drafter.auth import services as accounts
from drafter.auth.models import Role, User
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision, RevisionState
from drafter.drafting.queries import load_versions
from drafter.exporting import services as exports
from drafter.exporting.models import ExportRecord
from drafter.extensions import db
from drafter.proposals import services as proposals
from drafter.proposals.models import Proposal, ProposalKind, ProposalState
from drafter.text.structure import Kind
from tests import factories as f
from tests.conftest import login

#: text that exists only in the working revision; no one without READ_WORKING may ever see it
SECRET = "Secretly decides to relocate the meeting to the Moon"
SECRET_NEW = "Confidentially welcomes a working-draft-only paragraph"

ROLES = ("anonymous", "outsider", "observer", "delegate", "secretariat", "cofacilitator", "admin")


@dataclass
class World:
    """A negotiation in mid-course, with one user of each kind and one object of each sort."""

    negotiation: Negotiation
    users: dict[str, User]
    zero: Revision  #: seq 1, superseded
    rev1: Revision  #: seq 2, circulated, open for proposals
    rev2: Revision  #: seq 3, working, with SECRET text
    own_proposal: Proposal  #: by the delegate's delegation (Mexico)
    other_proposal: Proposal  #: by another delegation (G77 and China)
    paragraph_id: int  #: a paragraph in every revision
    secret_paragraph_id: int  #: a paragraph that exists only in the working revision
    records: dict[str, ExportRecord] = field(default_factory=dict)
    other_negotiation: Negotiation | None = None
    observer_membership_id: int = 0

    @property
    def mexico(self):
        return self.own_proposal.delegation

    @property
    def g77(self):
        return self.other_proposal.delegation


def build_world(session, export_dir: Path) -> World:
    """Build the negotiation every permission test runs against, and commit it."""
    n = f.negotiation(session, slug="world", title="World negotiation")
    users = f.team(session, n)
    now = dt.datetime.now(dt.UTC)
    zero = f.revision(session, n, label="Zero draft", now=now - dt.timedelta(days=10))
    rev1 = drafting.start_revision(session, None, n, label="Rev.1", now=now - dt.timedelta(days=5))
    v1 = load_versions(session, rev1)
    editing.edit_text(session, None, v1[3], "Decides to convene a high-level meeting in 2029;", expected_version=v1[3].version)
    drafting.circulate(session, None, rev1, deadline=now + dt.timedelta(days=7), now=now - dt.timedelta(days=4))
    session.flush()
    versions = load_versions(session, rev1)
    mexico = users["delegate"].memberships[0].delegation
    g77 = users["delegate2"].memberships[0].delegation
    own = proposals.submit(session, None, rev1, mexico, kind=ProposalKind.AMEND, target=versions[3],
                           text="Decides to convene a high-level meeting in 2030;", justification="Timing.")
    other = proposals.submit(session, None, rev1, g77, kind=ProposalKind.AMEND, target=versions[0],
                             text="Recalling all its earlier resolutions on the subject,")
    rev2 = drafting.start_revision(session, None, n, label="Rev.2", now=now)
    v2 = load_versions(session, rev2)
    editing.edit_text(session, None, v2[4], SECRET, expected_version=v2[4].version)
    secret_new = editing.insert_paragraph(session, None, rev2, anchor=v2[-1], kind=Kind.OPERATIVE, text=SECRET_NEW)
    session.flush()
    world = World(n, users, zero, rev1, rev2, own, other, versions[3].paragraph_id, secret_new.paragraph_id)
    admin = users["admin"]
    world.records = {
        "clean_public": _archive(session, exports.clean_export(session, rev1), export_dir, rev1, admin),
        "tracked_public": _archive(session, exports.tracked_export(session, zero, rev1), export_dir, rev1, admin, zero),
        "compilation": _archive(session, exports.compilation_export(session, rev1), export_dir, rev1, admin),
        "clean_working": _archive(session, exports.clean_export(session, rev2), export_dir, rev2, admin),
        "tracked_working": _archive(session, exports.tracked_export(session, rev1, rev2), export_dir, rev2, admin, rev1),
        "tracked_against_working": _archive(session, exports.tracked_export(session, rev2, rev1), export_dir, rev1, admin, rev2),
    }
    world.other_negotiation = f.negotiation(session, slug="elsewhere", title="Another negotiation")
    f.revision(session, world.other_negotiation, label="Zero draft")
    session.commit()
    world.observer_membership_id = users["observer"].memberships[0].id
    return world


def _archive(session, export, export_dir, revision, actor, from_revision=None) -> ExportRecord:
    return exports.archive(session, actor, export, export_dir=export_dir, revision=revision, from_revision=from_revision)


@pytest.fixture
def world(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def client_as(app: Flask, world: World, role: str) -> FlaskClient:
    """Return a test client signed in as the world's user of ``role`` (anonymous: not signed in)."""
    client = app.test_client()
    if role != "anonymous":
        login(client, world.users[role])
    return client


# -- The matrix --------------------------------------------------------------------------------

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
    before: Any = None  #: world -> None, run before each role's request (to undo the previous role's change)
    goes: str = ""  #: where an allowed request redirects to: a regular expression its location must match
    refused: int = 0  #: the status an allowed role gets when a rule of the negotiation refuses the request


P = "POST"
G = "GET"
PUBLIC = lambda w: {"seq": w.rev1.seq}  # noqa: E731
WORKING = lambda w: {"seq": w.rev2.seq}  # noqa: E731
W_PARA = lambda w: {"seq": w.rev2.seq, "paragraph_id": w.paragraph_id}  # noqa: E731
OWN = lambda w: {"proposal_id": w.own_proposal.id}  # noqa: E731
OTHER = lambda w: {"proposal_id": w.other_proposal.id}  # noqa: E731


def _working_version(w: World) -> int:
    return db.session.scalar(sa.select(ParagraphVersion.version).where(
        ParagraphVersion.revision_id == w.rev2.id, ParagraphVersion.paragraph_id == w.paragraph_id))


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
        drafting.put_under_silence(db.session, None, w.rev1, until=dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
        db.session.commit()


def _submitted(proposal: Proposal) -> None:
    """Give a proposal its submitted state back if a previous role withdrew it."""
    db.session.expire_all()
    if proposal.state is not ProposalState.SUBMITTED:
        proposal.state = ProposalState.SUBMITTED
        db.session.commit()


def _record(name: str):
    return lambda w: {"record_id": w.records[name].id}


# Each expect string has one letter per role, in this order:
#   anonymous · outsider (no role) · observer · delegate (of Mexico) · secretariat · co-facilitator · admin (no role)
# L: sent to sign in · O: allowed · D: 403 · H: 404
CASES = [
    # Signing in and out
    Case("login form", "auth.login", G, "OOOOOOO"),
    Case("login attempt", "auth.login", P, "OOOOOOO", data=lambda w: {"email": "x@example.org", "password": "wrong"}),
    Case("logout", "auth.logout", P, "LLLLLLL"),
    Case("account page", "auth.account", G, "LOOOOOO"),
    Case("change password", "auth.account", P, "LOOOOOO",
         data=lambda w: {"current": "not the password", "new": "a brand new passphrase", "confirm": "a brand new passphrase"}),
    # Instance administration: admins only
    Case("users page", "auth.admin_users", G, "LDDDDDO"),
    Case("create user", "auth.admin_users", P, "LDDDDDO",
         data=lambda w: {"email": "new@example.org", "name": "New", "password": "long enough pw"}, goes=r"/admin/users$"),
    Case("reset a password", "auth.reset_password", P, "LDDDDDO", args=lambda w: {"user_id": w.users["outsider"].id}),
    Case("deactivate an account", "auth.set_active", P, "LDDDDDO", args=lambda w: {"user_id": w.users["outsider"].id},
         data=lambda w: {"active": "0"}, goes=r"/admin/users"),
    Case("delegations page", "auth.admin_delegations", G, "LDDDDDO"),
    Case("create delegation", "auth.admin_delegations", P, "LDDDDDO", data=lambda w: {"name": "Chile", "kind": "member_state"}, goes=r"/admin/delegations$"),
    Case("new negotiation form", "auth.new_negotiation", G, "LDDDDDO"),
    Case("create negotiation", "auth.new_negotiation", P, "LDDDDDO",
         data=lambda w: {"slug": "brand-new", "title": "Brand new"}, goes=r"/n/brand-new/members$"),
    # Members: the secretariat and admins
    Case("members page", "auth.members", G, "LHDDODO"),
    Case("add member", "auth.members", P, "LHDDODO",
         data=lambda w: {"email": w.users["outsider"].email, "role": "observer", "delegation": "0"}, goes=r"/n/world/members$"),
    Case("remove member", "auth.remove_member", P, "LHDDODO",
         args=lambda w: {"membership_id": w.observer_membership_id}, before=lambda w: _ensure_observer(w), goes=r"/n/world/members$"),
    # Reading
    Case("dashboard", "drafting.dashboard", G, "LOOOOOO"),
    Case("negotiation", "drafting.negotiation", G, "LHOOOOO"),
    Case("another negotiation", "drafting.negotiation", G, "LHHHHHO", args=lambda w: {"slug": "elsewhere"}),
    Case("circulated revision", "drafting.revision", G, "LHOOOOO", args=PUBLIC),
    Case("working revision", "drafting.revision", G, "LHHHOOH", args=WORKING),
    Case("revision of another negotiation", "drafting.revision", G, "LHHHHHO", args=lambda w: {"slug": "elsewhere", "seq": 1}),
    Case("compare public", "drafting.compare", G, "LHOOOOO"),
    Case("compare with working", "drafting.compare", G, "LHHHOOH", args=lambda w: {"from": w.rev1.seq, "to": w.rev2.seq}),
    Case("compare from working", "drafting.compare", G, "LHHHOOH", args=lambda w: {"from": w.rev2.seq, "to": w.rev1.seq}),
    Case("paragraph history", "drafting.history", G, "LHOOOOO", args=lambda w: {"paragraph_id": w.paragraph_id}),
    Case("history of a working-only paragraph", "drafting.history", G, "LHHHOOH",
         args=lambda w: {"paragraph_id": w.secret_paragraph_id}),
    Case("audit log", "drafting.audit_log", G, "LHDDOOO"),
    Case("audit log as CSV", "drafting.audit_csv", G, "LHDDOOO"),
    # Drafting the working revision: co-facilitators only
    Case("editor", "drafting.editor", G, "LHDDDOD", args=WORKING),
    Case("edit paragraph form", "drafting.edit_paragraph", G, "LHDDDOD", args=W_PARA),
    Case("edit paragraph", "drafting.edit_paragraph", P, "LHDDDOD", args=W_PARA,
         data=lambda w: {"text": "Decides something else;", "version": _working_version(w)}, goes=r"/r/3/edit#p\d+$"),
    Case("set status", "drafting.set_status", P, "LHDDDOD", args=W_PARA,
         data=lambda w: {"status": "agreed", "version": _working_version(w)}, goes=r"/r/3/edit#p\d+$"),
    Case("change kind", "drafting.change_kind", P, "LHDDDOD", args=W_PARA,
         data=lambda w: {"kind": "preambular:0", "version": _working_version(w)}, goes=r"/r/3/edit#p\d+$"),
    Case("move", "drafting.move", P, "LHDDDOD", args=W_PARA, data=lambda w: {"direction": "up", "version": _working_version(w)}, goes=r"/r/3/edit#p\d+$"),
    Case("delete paragraph", "drafting.delete", P, "LHDDDOD", args=W_PARA, data=lambda w: {"version": _working_version(w)}, goes=r"/r/3/edit$"),
    Case("insert form", "drafting.insert", G, "LHDDDOD", args=WORKING),
    Case("insert", "drafting.insert", P, "LHDDDOD", args=WORKING, data=lambda w: {"kind": "operative:0", "text": "Notes;"}, goes=r"/r/3/edit#p\d+$"),
    Case("start revision", "drafting.start_revision", P, "LHDDDOD", before=lambda w: _no_working_revision(w), goes=r"/r/\d+/edit$"),
    Case("discard", "drafting.discard", P, "LHDDDOD", args=WORKING, goes=r"/n/world/$"),
    Case("import revision form", "importing.revision", G, "LHDDDOD"),
    Case("import revision", "importing.revision", P, "LHDDDOD", data=lambda w: {"text": "Decides to meet;"}, goes=r"/n/world/import/\d+$"),
    # (an unknown or expired preview sends the co-facilitator back to start the import again)
    Case("import preview", "importing.revision_preview", G, "LHDDDOD", args=lambda w: {"pending_id": 999}, goes=r"/n/world/import$"),
    Case("import confirm", "importing.revision_preview", P, "LHDDDOD", args=lambda w: {"pending_id": 999}, goes=r"/n/world/(import)?$"),
    # The lifecycle: co-facilitators circulate; silence breaks by the secretariat or for one's delegation
    Case("lifecycle of circulated", "drafting.lifecycle", G, "LHDOOOD", args=PUBLIC),
    Case("lifecycle of working", "drafting.lifecycle", G, "LHHHOOH", args=WORKING),
    Case("circulate", "drafting.circulate", P, "LHDDDOD", args=WORKING, data=lambda w: {"deadline": ""}, goes=r"/r/3/$"),
    Case("set deadline", "drafting.set_deadline", P, "LHDDDOD", args=PUBLIC, data=lambda w: {"deadline": ""}, goes=r"/r/2/$"),
    Case("silence", "drafting.silence", P, "LHDDDOD", args=PUBLIC,
         data=lambda w: {"until": (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")}, goes=r"/r/2/$"),
    Case("adopt", "drafting.adopt", P, "LHDDDOD", args=PUBLIC, goes=r"/r/2/$"),
    Case("release compilation", "drafting.release", P, "LHDDDOD", args=PUBLIC, goes=r"/r/2/compilation$"),
    Case("silence break for own delegation", "drafting.silence_break", P, "LHDOOOD", args=PUBLIC,
         data=lambda w: {"delegation": w.mexico.id, "statement": "We object."}, before=lambda w: _under_silence(w), goes=r"/r/2/"),
    Case("silence break for another delegation", "drafting.silence_break", P, "LHDDOOD", args=PUBLIC,
         data=lambda w: {"delegation": w.g77.id, "statement": "They object."}, before=lambda w: _under_silence(w), goes=r"/r/2/"),
    Case("settings form", "drafting.settings", G, "LHDDOOO"),
    Case("settings", "drafting.settings", P, "LHDDOOO", data=lambda w: {"title": "Renamed", "visibility": "immediate"}, goes=r"/n/world/$"),
    # Proposals
    Case("proposals index", "proposals.index", G, "LHOOOOO", goes=r"/r/2/compilation$"),
    Case("compilation", "proposals.compilation", G, "LHOOOOO", args=PUBLIC),
    Case("compilation of working", "proposals.compilation", G, "LHHHHHH", args=WORKING),
    Case("propose form", "proposals.propose", G, "LHDOODD",
         args=lambda w: {"seq": w.rev1.seq, "paragraph": w.paragraph_id, "kind": "amend"}),
    Case("propose for own delegation", "proposals.propose", P, "LHDOODD", args=PUBLIC,
         data=lambda w: {"paragraph": w.paragraph_id, "kind": "amend", "delegation": w.mexico.id, "text": "Decides to meet in 2031;"}, goes=r"/n/world/proposals/\d+$"),
    Case("propose for another delegation", "proposals.propose", P, "LHDDODD", args=PUBLIC,
         data=lambda w: {"paragraph": w.paragraph_id, "kind": "amend", "delegation": w.g77.id, "text": "Decides to meet in 2031;"}, goes=r"/n/world/proposals/\d+$"),
    # (a rule, not a permission: proposals are made on circulated revisions only)
    Case("propose on working", "proposals.propose", P, "LHDHODD", args=WORKING,
         data=lambda w: {"paragraph": w.paragraph_id, "kind": "retain", "delegation": w.mexico.id}, refused=409),
    Case("own proposal", "proposals.detail", G, "LHHOOOO", args=OWN),
    Case("another's proposal", "proposals.detail", G, "LHHOOOO", args=OTHER),
    Case("edit own proposal form", "proposals.edit", G, "LHHOODD", args=OWN),
    Case("edit own proposal", "proposals.edit", P, "LHHOODD", args=OWN, data=lambda w: {"text": "Decides to meet in 2032;"}, goes=r"/n/world/proposals/\d+$"),
    Case("edit another's proposal form", "proposals.edit", G, "LHHDODD", args=OTHER),
    Case("edit another's proposal", "proposals.edit", P, "LHHDODD", args=OTHER, data=lambda w: {"text": "Recalling nothing,"}, goes=r"/n/world/proposals/\d+$"),
    Case("withdraw own proposal", "proposals.withdraw", P, "LHHOODD", args=OWN, before=lambda w: _submitted(w.own_proposal), goes=r"/n/world/proposals/\d+$"),
    Case("withdraw another's proposal", "proposals.withdraw", P, "LHHDODD", args=OTHER, goes=r"/n/world/proposals/\d+$"),
    Case("position on another's proposal", "proposals.position", P, "LHHODDD", args=OTHER, data=lambda w: {"stance": "cosponsor"}, goes=r"/n/world/proposals/\d+$"),
    # (a rule, not a permission: a delegation does not support or oppose its own proposal)
    Case("position on own proposal", "proposals.position", P, "LHHODDD", args=OWN, data=lambda w: {"stance": "support"}, refused=400),
    Case("decide form", "proposals.decide", G, "LHDDDOD", args=OTHER),
    Case("decide", "proposals.decide", P, "LHDDDOD", args=OTHER, data=lambda w: {"outcome": "not_retained"}, goes=r"/r/2/compilation#proposal-\d+$"),
    Case("delegation's proposals", "proposals.delegation", G, "LHOOOOO", args=lambda w: {"delegation_id": w.g77.id}),
    Case("live diff", "proposals.live_diff", P, "LOOOOOO", json=lambda w: {"base": "a b", "text": "a c"}),
    Case("import proposals form", "importing.proposals", G, "LHDOODD", args=PUBLIC),
    Case("import proposals", "importing.proposals", P, "LHDOODD", args=PUBLIC, data=lambda w: {"delegation": w.mexico.id, "text": "In operative paragraph 1, replace \"2029\" with \"2030\"."}, goes=r"/r/2/import-proposals/\d+$"),
    Case("import proposals for another delegation", "importing.proposals", P, "LHDDODD", args=PUBLIC,
         data=lambda w: {"delegation": w.g77.id, "text": "In operative paragraph 1, replace \"2029\" with \"2030\"."}, goes=r"/r/2/import-proposals/\d+$"),
    Case("import proposals on working", "importing.proposals", G, "LHDHHDD", args=WORKING),
    # (an unknown or expired preview sends the delegation back to the upload form)
    Case("import proposals preview", "importing.proposals_preview", G, "LHDOODD", args=lambda w: {"seq": w.rev1.seq, "pending_id": 999}, goes=r"/r/2/import-proposals$"),
    Case("import proposals submit", "importing.proposals_preview", P, "LHDOODD",
         args=lambda w: {"seq": w.rev1.seq, "pending_id": 999}, data=lambda w: {"action": "submit"}, goes=r"/r/2/import-proposals$"),
    # Word files: delegations export what is circulated; compilations are the co-facilitators' and secretariat's
    Case("exports page", "exporting.index", G, "LHDOOOO"),
    Case("export clean circulated", "exporting.create", P, "LHDOOOO", data=lambda w: {"kind": "clean", "revision": w.rev1.seq}, goes=r"/exports/\d+/download$"),
    Case("export tracked circulated", "exporting.create", P, "LHDOOOO",
         data=lambda w: {"kind": "tracked", "revision": w.rev1.seq, "from": w.zero.seq}, goes=r"/exports/\d+/download$"),
    # (the world shows proposals to delegations as they arrive, so its compilations are theirs too)
    Case("export compilation", "exporting.create", P, "LHDOOOO", data=lambda w: {"kind": "compilation", "revision": w.rev1.seq}, goes=r"/exports/\d+/download$"),
    # (a rule, not a permission: no one proposes on a working revision, so it has no compilation)
    Case("export compilation of working", "exporting.create", P, "LHHHOOH",
         data=lambda w: {"kind": "compilation", "revision": w.rev2.seq}, refused=400),
    Case("export clean working", "exporting.create", P, "LHHHOOH", data=lambda w: {"kind": "clean", "revision": w.rev2.seq}, goes=r"/exports/\d+/download$"),
    Case("export tracked working", "exporting.create", P, "LHHHOOH",
         data=lambda w: {"kind": "tracked", "revision": w.rev2.seq, "from": w.rev1.seq}, goes=r"/exports/\d+/download$"),
    Case("export tracked against working", "exporting.create", P, "LHHHOOH",
         data=lambda w: {"kind": "tracked", "revision": w.rev1.seq, "from": w.rev2.seq}, goes=r"/exports/\d+/download$"),
    Case("download clean circulated", "exporting.download", G, "LHDOOOO", args=_record("clean_public")),
    Case("download tracked circulated", "exporting.download", G, "LHDOOOO", args=_record("tracked_public")),
    Case("download compilation", "exporting.download", G, "LHDOOOO", args=_record("compilation")),
    Case("download clean working", "exporting.download", G, "LHHHOOH", args=_record("clean_working")),
    Case("download tracked working", "exporting.download", G, "LHHHOOH", args=_record("tracked_working")),
    Case("download tracked against working", "exporting.download", G, "LHHHOOH", args=_record("tracked_against_working")),
    # Static files are public
    Case("stylesheet", "static", G, "OOOOOOO", args=lambda w: {"filename": "drafter.css"}),
]


def build_url(endpoint: str, **values: Any) -> str:
    """Return the path of an endpoint, outside any request."""
    from flask import current_app

    with current_app.test_request_context():
        return url_for(endpoint, **values)


def case_url(case: Case, w: World) -> str:
    """Return the path a case requests (the world's negotiation unless the case names another)."""
    from flask import current_app

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
    if status == 302 and response.location.split("?")[0].rstrip("/").endswith("/login"):
        return "L"
    if status in (403, 404):
        return {403: "D", 404: "H"}[status]
    if 200 <= status < 300:
        return "O"
    if 300 <= status < 400:
        return "O" if case is not None and case.goes and re.search(case.goes, response.location) else "R"
    return "O" if case is not None and status == case.refused else "R"


#: bookkeeping of who is signed in and of rate limits, which signing in and out rightly change
_SIGN_IN_TABLES = {"user_sessions", "throttle_hits"}


def snapshot() -> dict[str, list[str]]:
    """Return every row of every table but the sign-in bookkeeping, to compare before and after a request."""
    db.session.expire_all()
    return {t.name: sorted(repr(tuple(row)) for row in db.session.execute(sa.select(t)))
            for t in db.metadata.sorted_tables if t.name not in _SIGN_IN_TABLES}


def test_every_route_is_in_the_matrix(app: Flask):
    routes = {(rule.endpoint, m) for rule in app.url_map.iter_rules() for m in rule.methods - {"HEAD", "OPTIONS"}}
    covered = {(c.endpoint, c.method) for c in CASES}
    assert routes - covered == set(), "routes without a row in the permission matrix"
    assert covered - routes == set(), "rows of the matrix for routes that no longer exist"


def test_the_table_is_well_formed():
    assert all(len(c.expect) == len(ROLES) and set(c.expect) <= set("LODH") for c in CASES)
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_matrix(app: Flask, world: World, case: Case):
    """Every role gets the expected outcome; refusals change nothing and show nothing of the working text."""
    # Refused roles go first, so that an allowed request (which may change things) cannot hide a refusal.
    order = sorted(range(len(ROLES)), key=lambda i: case.expect[i] == "O")
    problems = []
    for i in order:
        role, expected = ROLES[i], case.expect[i]
        client = client_as(app, world, role)
        if case.before is not None:
            case.before(world)
        before = snapshot() if expected != "O" else None
        response = send(client, case, world)
        body = response.get_data()
        response.close()  # file downloads keep the file open until closed
        got = classify(response, case)
        if got != expected:
            problems.append(f"{role}: expected {expected}, got {got} ({response.status_code} {response.location or ''})")
        if before is not None and snapshot() != before:
            problems.append(f"{role}: a refused request changed something")
        readers = ("secretariat", "cofacilitator")
        if role not in readers and (SECRET.encode() in body or SECRET_NEW.encode() in body):
            problems.append(f"{role}: the response shows working-revision text")
        if got == "5":
            problems.append(f"{role}: server error")
        db.session.expire_all()
    assert not problems, f"{case.name} ({case.method} {case.endpoint}):\n" + "\n".join(problems)
