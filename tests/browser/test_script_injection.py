"""Script injected into any field a user can write never runs in anyone's browser.

Every user-writable field of a negotiation (title, symbol, revision labels, paragraph texts,
status notes, proposal texts and justifications, decision notes, delegation and user names,
silence statements, import file names) is filled with payloads that would run if the page
put them into the HTML unescaped: a ``<script>``, an ``<img onerror>``, an attribute break
into ``<svg onload>``, and a ``javascript:`` URL. Then every page that shows them is opened by
the people who see them. A payload that ran sets ``window.__xss``; one that reached the DOM
leaves an element marked ``data-xss`` (or a violation of the Content-Security-Policy, which
would otherwise hide the hole); a dialog or an error would be caught too.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import url_for

from drafter.auth.models import Role
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import ProposalVisibility, Status
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.importing import pending as pending_store
from drafter.importing.models import ImportKind
from drafter.importing.proposals import plan_upload, submit_plan
from drafter.lifecycle import services as lifecycle
from drafter.proposals import decisions
from drafter.proposals import services as proposals
from drafter.proposals.models import ProposalKind, ProposalState, Stance
from drafter.text.structure import Kind
from tests import factories as f
from tests.conftest import TEST_PASSWORD

SCRIPT = '<script data-xss>window.__xss="script"</script>'
IMG = "<img src=x data-xss onerror=\"window.__xss='img'\">"
SVG = '"><svg data-xss onload="window.__xss=\'svg\'">'
QUOTE = "'><img src=x data-xss onerror=window.__xss='quote'>"
JS_URL = "javascript:window.__xss='url'"
ALL = " ".join((SCRIPT, IMG, SVG, QUOTE, JS_URL))

#: evaluated on each page: what a payload that got through would have left behind
PROBE = """() => ({
  ran: window.__xss === undefined ? null : String(window.__xss),
  injected: document.querySelectorAll('[data-xss]').length,
  scriptUrls: document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i], [action^="javascript:" i]').length,
})"""


def build(session) -> dict:
    """Build a negotiation whose every user-written field carries a payload; return what the pages need."""
    now = dt.datetime.now(dt.UTC)
    n = f.negotiation(session, slug="xss", title=f"Declaration {ALL}")
    drafting.update_settings(
        session, None, n, title=f"Declaration {ALL}", symbol=f"A/81/{SVG}"[:60], visibility=ProposalVisibility.IMMEDIATE
    )
    d1 = f.delegation(session, f"Mexico {IMG}")
    d2 = f.delegation(session, f"G77 {SCRIPT}")
    cofac = f.user(session, role=Role.COFACILITATOR, negotiation=n, name=f"Cofac {SVG}")
    secretariat = f.user(session, role=Role.SECRETARIAT, negotiation=n, name=f"Secretariat {QUOTE}")
    delegate = f.user(session, role=Role.DELEGATE, negotiation=n, delegation=d1, name=f"Delegate {SCRIPT}")
    delegate2 = f.user(session, role=Role.DELEGATE, negotiation=n, delegation=d2, name=f"Other {IMG}")
    admin = f.user(session, is_admin=True, name=f"Admin {IMG}")
    zero = f.revision(
        session,
        n,
        [
            (Kind.HEADING, f"I. Heading {SCRIPT}"),
            (Kind.PREAMBULAR, f"Recalling {IMG} its resolutions,"),
            (Kind.OPERATIVE, f"Decides {SVG} to meet;"),
            (Kind.SUBPARAGRAPH, f"to act {QUOTE};"),
            (Kind.OPERATIVE, f"Requests {JS_URL} a report;"),
        ],
        label=f"Zero {SCRIPT}"[:60],
        deadline=now + dt.timedelta(days=3),
    )
    versions = load_versions(session, zero)
    amend = proposals.submit(
        session,
        delegate,
        zero,
        d1,
        kind=ProposalKind.AMEND,
        target=versions[2],
        text=f"Decides {IMG} to meet soon;",
        justification=f"Because {ALL}",
    )
    insert = proposals.submit(
        session,
        delegate2,
        zero,
        d2,
        kind=ProposalKind.INSERT,
        target=versions[2],
        text=f"Welcomes {SCRIPT} the offer;",
        justification=f"Why {SVG}",
    )
    proposals.set_position(session, delegate2, amend, d2, Stance.COSPONSOR)
    plan = plan_upload(
        session, zero, d1, f"amend {IMG}.txt", b'In operative paragraph 2, replace "a report" with "two reports".\n'
    )
    submit_plan(session, delegate, zero, d1, plan)
    pending = pending_store.keep(
        session,
        negotiation_id=n.id,
        user_id=delegate.id,
        kind=ImportKind.PROPOSALS,
        filename=f"tracked {SVG}.docx",
        payload=plan_upload(
            session, zero, d1, f"again {QUOTE}.txt", b'In operative paragraph 1, delete "to meet".\n'
        ).to_json(),
    )
    rev1 = drafting.start_revision(session, cofac, n, label=f"Rev.1 {IMG}"[:60])
    decisions.decide(session, cofac, insert, ProposalState.NOT_RETAINED, note=f"Not now {ALL}")
    working = load_versions(session, rev1)
    editing.edit_text(session, cofac, working[1], f"Recalling {SVG} again,", expected_version=working[1].version)
    working = load_versions(session, rev1)
    editing.set_status(
        session, cofac, working[2], Status.PENDING, note=f"Ask {SCRIPT}", expected_version=working[2].version
    )
    other = f.negotiation(session, slug="xss-silence", title=f"Silence {IMG}")
    for user in (cofac, delegate):
        f.accounts.grant_role(
            session,
            None,
            user=user,
            negotiation=other,
            role=Role.COFACILITATOR if user is cofac else Role.DELEGATE,
            delegation=None if user is cofac else d1,
        )
    final = f.revision(session, other, [(Kind.OPERATIVE, "Decides to adopt;")], label="Final")
    lifecycle.put_under_silence(session, cofac, final, until=now + dt.timedelta(days=3))
    lifecycle.record_silence_break(session, delegate, final, delegation=d1, statement=f"We object {ALL}")
    session.commit()
    return {
        "n": n,
        "other": other,
        "zero": zero,
        "rev1": rev1,
        "final": final,
        "amend": amend,
        "insert": insert,
        "d1": d1,
        "d2": d2,
        "pending": pending,
        "paragraphs": [v.paragraph_id for v in versions],
        "users": {"cofac": cofac, "secretariat": secretariat, "delegate": delegate, "admin": admin},
    }


def pages(app, w: dict) -> dict[str, list[str]]:
    """Return, for each person, the paths of every page that shows what was written above."""
    with app.test_request_context():
        s, seq0, seq1 = w["n"].slug, w["zero"].seq, w["rev1"].seq

        def u(endpoint: str, **values) -> str:
            return url_for(endpoint, **values)

        shared = [
            u("drafting.dashboard"),
            u("drafting.negotiation", slug=s),
            u("drafting.revision", slug=s, seq=seq0),
            u("drafting.compare", slug=s),
            u("proposals.index", slug=s),
            u("proposals.compilation", slug=s, seq=seq0),
            u("proposals.detail", slug=s, proposal_id=w["amend"].id),
            u("proposals.detail", slug=s, proposal_id=w["insert"].id),
            u("proposals.delegation", slug=s, delegation_id=w["d1"].id),
            u("proposals.delegation", slug=s, delegation_id=w["d2"].id),
            u("drafting.revision", slug=w["other"].slug, seq=w["final"].seq),
            u("drafting.lifecycle", slug=w["other"].slug, seq=w["final"].seq),
        ]
        shared += [u("drafting.history", slug=s, paragraph_id=p) for p in w["paragraphs"]]
        readers = [
            u("drafting.revision", slug=s, seq=seq1),
            u("drafting.compare", slug=s, **{"from": seq0, "to": seq1}),
            u("drafting.audit_log", slug=s),
            u("drafting.audit_log", slug=s, kind="proposal"),
            u("drafting.lifecycle", slug=s, seq=seq1),
            u("exporting.index", slug=s),
        ]
        return {
            "cofac": shared
            + readers
            + [
                u("drafting.audit_log", slug=w["other"].slug),
                u("drafting.editor", slug=s, seq=seq1),
                u("drafting.edit_paragraph", slug=s, seq=seq1, paragraph_id=w["paragraphs"][2]),
                u("drafting.insert", slug=s, seq=seq1),
                u("drafting.settings", slug=s),
                u("proposals.decide", slug=s, proposal_id=w["amend"].id),
                u("importing.revision", slug=s),
            ],
            "secretariat": readers
            + [
                u("drafting.members", slug=s),
                u("drafting.settings", slug=s),
                u("proposals.compilation", slug=s, seq=seq0),
            ],
            "delegate": shared
            + [
                u("drafting.lifecycle", slug=s, seq=seq0),
                u("exporting.index", slug=s),
                u("proposals.propose", slug=s, seq=seq0, paragraph=w["paragraphs"][2], kind="amend"),
                u("proposals.edit", slug=s, proposal_id=w["amend"].id),
                u("importing.proposals", slug=s, seq=seq0),
                u("importing.proposals_preview", slug=s, seq=seq0, pending_id=w["pending"].id),
                u("auth.account"),
            ],
            "admin": [
                u("auth.admin_users"),
                u("auth.admin_delegations"),
                u("drafting.members", slug=s),
                u("drafting.dashboard"),
                u("drafting.audit_log", slug=s),
                u("drafting.negotiation", slug=s),
                u("auth.account"),
            ],
        }


class Watch:
    """What a browser page showed that it should not have: dialogs, CSP violations, errors."""

    def __init__(self, page) -> None:
        self.events: list[str] = []
        page.on("dialog", lambda d: (self.events.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("console", lambda m: self._console(m))
        page.on("pageerror", lambda e: self.events.append(f"error: {e}"))

    def _console(self, message) -> None:
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # the browser asks for an icon the app does not have
        if message.type == "error" or "Content Security Policy" in message.text:
            self.events.append(f"console {message.type}: {message.text}")


def visit_all(v, paths: list[str], problems: list[str]) -> int:
    """Open each path; record what a payload left behind; return how many pages showed a payload as text."""
    shown = 0
    watch = Watch(v.page)
    for path in paths:
        watch.events.clear()
        response = v.page.goto(v.server.url + path)
        v.page.wait_for_load_state("load")
        found = v.page.evaluate(PROBE)
        status = response.status if response else 0
        if status >= 400:
            problems.append(f"{v.name} {path}: answered {status}")
        if found["ran"] or found["injected"] or found["scriptUrls"] or watch.events:
            problems.append(f"{v.name} {path}: {found} {watch.events}")
        shown += "data-xss" in v.page.locator("body").inner_text()
    return shown


def test_injected_script_never_runs_on_any_page(visitor, live_app):
    with live_app.app_context():
        w = build(db.session)
        paths = pages(live_app, w)
        emails = {who: user.email for who, user in w["users"].items()}
        db.session.remove()
    problems: list[str] = []
    shown = 0
    for who, email in emails.items():
        v = visitor(name=who)
        v.login(email, TEST_PASSWORD)
        shown += visit_all(v, paths[who], problems)
        if who == "cofac":
            v.go(paths[who][2])
            v.shot("revision-with-payloads")
    assert not problems, "\n".join(problems)
    assert shown >= sum(len(p) for p in paths.values()) // 2, "the payloads should be on the pages, as text"


def test_script_typed_into_the_live_diff_never_runs(visitor, live_app):
    with live_app.app_context():
        w = build(db.session)
        paths = pages(live_app, w)
        email = w["users"]["delegate"].email
        db.session.remove()
    v = visitor(name="typist")
    v.login(email, TEST_PASSWORD)
    watch = Watch(v.page)
    propose = next(p for p in paths["delegate"] if "/propose" in p)
    v.go(propose)
    box = v.page.locator("textarea#text")
    box.fill(box.input_value() + " " + ALL)
    v.page.wait_for_function(
        "() => document.querySelector('#live-diff') && "
        "document.querySelector('#live-diff').textContent.includes('data-xss')"
    )
    found = v.page.evaluate(PROBE)
    assert not found["ran"] and not found["injected"] and not found["scriptUrls"], found
    assert not watch.events, watch.events
    v.shot("live-diff-with-payloads")


def test_a_javascript_next_address_after_sign_in_goes_nowhere(visitor, live_app):
    with live_app.app_context():
        w = build(db.session)
        email = w["users"]["delegate"].email
        db.session.remove()
    v = visitor(name="next")
    watch = Watch(v.page)
    v.go("/login?next=" + JS_URL)
    v.page.fill("input[name=email]", email)
    v.page.fill("input[name=password]", TEST_PASSWORD)
    with v.page.expect_navigation():
        v.page.click("form button[type=submit], form button.primary")
    assert re.match(r"https?://", v.page.url), v.page.url
    found = v.page.evaluate(PROBE)
    assert not found["ran"], found
    assert not watch.events, watch.events
