"""Server-side defences: CSRF on every POST, escaping everywhere, error pages, input limits, Unicode."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from drafter.auth.models import Delegation, User
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision, RevisionState, SilenceBreak
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.proposals.models import Proposal
from drafter.text import footnotes
from tests.conftest import TEST_PASSWORD, make_app, serve_app
from tests.web.test_permissions import CASES, ROLES, World, build_world, case_url, client_as, send, snapshot

# -- CSRF ---------------------------------------------------------------------------------------

CSRF_MESSAGE = "The form had expired or was not sent from this site."


@pytest.fixture
def csrf_app(tmp_path: Path) -> Iterator[Flask]:
    """An app that checks CSRF tokens, as in production."""
    yield from serve_app(tmp_path, WTF_CSRF_ENABLED=True)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Return the CSRF token of the form on a page, for this client's session."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login_with_token(client: FlaskClient, user: User) -> None:
    response = client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302, "login failed"


def _first_allowed_role(case) -> str:
    if case.endpoint == "auth.login":
        return "anonymous"  # login CSRF: someone else's page signing the visitor in
    for role in ("cofacilitator", "secretariat", "delegate", "admin", "observer", "outsider", "anonymous"):
        if case.expect[ROLES.index(role)] == "O":
            return role
    return "cofacilitator"  # logout: everyone is sent to the sign-in page


POST_CASES = [c for c in CASES if c.method == "POST"]


def test_every_post_route_is_checked_for_csrf(csrf_app: Flask):
    posts = {rule.endpoint for rule in csrf_app.url_map.iter_rules() if "POST" in rule.methods}
    assert posts <= {c.endpoint for c in POST_CASES}


def test_every_post_without_a_token_is_refused_and_changes_nothing(csrf_app: Flask):
    w = build_world(db.session, Path(csrf_app.config["EXPORT_DIR"]))
    clients: dict[str, FlaskClient] = {}
    for role in ROLES:
        clients[role] = csrf_app.test_client()
        if role != "anonymous":
            login_with_token(clients[role], w.users[role])
    export_files = sorted(p.name for p in Path(csrf_app.config["EXPORT_DIR"]).rglob("*"))
    problems = []
    for case in POST_CASES:
        role = _first_allowed_role(case)
        case_url(case, w)  # a case's address may first make what it names (a reading, a request for the floor)
        before = snapshot()
        response = send(clients[role], case, w)
        if response.status_code != 400:
            problems.append(f"{case.name} as {role}: {response.status_code}")
        elif CSRF_MESSAGE not in response.get_data(as_text=True):
            problems.append(f"{case.name} as {role}: 400 without the CSRF message")
        if snapshot() != before:
            problems.append(f"{case.name} as {role}: the database changed")
    assert not problems, "\n".join(problems)
    assert sorted(p.name for p in Path(csrf_app.config["EXPORT_DIR"]).rglob("*")) == export_files
    # Signing out without a token was refused too: everyone is still signed in.
    assert clients["cofacilitator"].get("/").status_code == 200


def test_a_post_with_the_sessions_token_works_and_another_sessions_token_does_not(csrf_app: Flask):
    w = build_world(db.session, Path(csrf_app.config["EXPORT_DIR"]))
    mine, theirs = csrf_app.test_client(), csrf_app.test_client()
    login_with_token(mine, w.users["cofacilitator"])
    login_with_token(theirs, w.users["secretariat"])
    url = f"/n/{w.negotiation.slug}/settings"
    stolen = csrf_token(theirs, url)
    refused = mine.post(url, data={"title": "Hijacked", "visibility": "immediate", "csrf_token": stolen})
    assert refused.status_code == 400
    assert db.session.get(Negotiation, w.negotiation.id).title == "World negotiation"
    token = csrf_token(mine, url)
    ok = mine.post(url, data={"title": "Renamed", "visibility": "immediate", "csrf_token": token})
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(Negotiation, w.negotiation.id).title == "Renamed"


def test_the_live_diff_takes_the_token_from_a_header(csrf_app: Flask):
    w = build_world(db.session, Path(csrf_app.config["EXPORT_DIR"]))
    client = csrf_app.test_client()
    login_with_token(client, w.users["delegate"])
    token = csrf_token(client, "/")
    assert client.post("/api/diff", json={"base": "a", "text": "b"}).status_code == 400
    response = client.post("/api/diff", json={"base": "a", "text": "b"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.json["changed"] is True


# -- Escaping -----------------------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'
#: breaks out of a double- or single-quoted attribute, and of the element
PAYLOAD = SCRIPT + "\"><img src=x onerror=alert(1)>' onmouseover='alert(2)"
RAW_MARKERS = (b"<script>alert", b"<img src=x", b"onmouseover='alert", b'"><img')


def _poison(w: World) -> None:
    """Put HTML in every user-supplied text the pages print."""
    for rev in (w.zero, w.rev1, w.rev2):
        for v in load_versions(db.session, rev):
            v.text = f"{v.text} {PAYLOAD}{footnotes.marker(1)}"
            v.status_note = PAYLOAD[:500]
            v.footnotes = {"1": PAYLOAD}
    for p in (w.own_proposal, w.other_proposal):
        p.proposed_text = f"Decides {PAYLOAD}{footnotes.marker(9)}"
        p.footnotes = {"9": PAYLOAD}
        p.justification = PAYLOAD
        p.decision_note = PAYLOAD
    w.mexico.name = "Mexico " + PAYLOAD[:100]
    w.users["cofacilitator"].name = "Co " + PAYLOAD[:100]
    w.negotiation.title = "World " + PAYLOAD
    w.negotiation.symbol = PAYLOAD[:60]
    w.rev1.symbol = PAYLOAD[:60]
    db.session.add(SilenceBreak(revision=w.rev1, delegation=w.mexico, statement=f"We object\n{PAYLOAD}"))
    db.session.commit()


def test_html_in_texts_is_escaped_on_every_page(app: Flask, session):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    _poison(w)
    problems = []
    shown: set[str] = set()  # pages where the HTML is printed, escaped
    gets = [c for c in CASES if c.method == "GET" and c.endpoint != "static"]
    for role in ("cofacilitator", "secretariat", "delegate", "observer", "admin"):
        client = client_as(app, w, role)
        for case in gets:
            if case.expect[ROLES.index(role)] != "O":
                continue
            response = client.get(case_url(case, w), follow_redirects=True)
            body = response.get_data()
            response.close()
            if response.mimetype != "text/html":
                continue
            for marker in RAW_MARKERS:
                if marker in body:
                    problems.append(f"{case.name} as {role}: {marker!r} printed raw")
            if str(escape(SCRIPT)).encode() in body:
                shown.add(case.name)
    assert not problems, "\n".join(problems)
    assert {
        "negotiation",
        "circulated revision",
        "working revision",
        "compare public",
        "paragraph history",
        "compilation",
        "own proposal",
        "another's proposal",
        "edit own proposal form",
        "decide form",
        "delegation's proposals",
        "editor",
        "edit paragraph form",
        "lifecycle of circulated",
        "members page",
        "users page",
        "settings form",
        "exports page",
        "propose form",
        "dashboard",
    } <= shown


@pytest.mark.parametrize(
    "path",
    [
        "/n/{slug}/r/2/?q={p}",
        "/n/{slug}/r/2/?status={p}",
        "/n/{slug}/audit?action={p}",
        "/n/{slug}/r/2/compilation?kind={p}&state={p}&delegation={p}",
        "/n/{slug}/exports?kind={p}",
        "/n/{slug}/members?role={p}",
        "/admin/users?q={p}",
        "/admin/delegations?q={p}&kind={p}",
        "/n/{slug}/compare?from={p}&to={p}",
    ],
)
def test_query_parameters_are_escaped_when_echoed(app: Flask, session, path):
    from urllib.parse import quote

    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "admin")
    w.negotiation.proposal_visibility  # noqa: B018  (loaded before the requests expire it)
    response = client.get(path.format(slug=w.negotiation.slug, p=quote(PAYLOAD)))
    assert response.status_code == 200
    for marker in RAW_MARKERS:
        assert marker not in response.get_data()


def test_error_messages_that_quote_the_input_escape_it(app: Flask, session):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "cofacilitator")
    response = client.post(f"/n/{w.negotiation.slug}/r/{w.rev1.seq}/deadline", data={"deadline": PAYLOAD})
    assert response.status_code == 400
    body = response.get_data()
    assert b"is not a date and time" in body
    for marker in RAW_MARKERS:
        assert marker not in body


def test_the_live_diff_escapes_the_texts(app: Flask, session):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "delegate")
    response = client.post("/api/diff", json={"base": "Decides to act;", "text": f"Decides to act {PAYLOAD};"})
    assert response.status_code == 200
    html = response.json["html"]
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_security_headers_are_sent(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp


# -- Error pages ----------------------------------------------------------------------------------


def _assert_error_page(response, code: int, title: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert f"Error {code}" in html and title in html
    assert "Traceback" not in html and 'File "' not in html


def test_404_page(app: Flask, session):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "delegate")
    _assert_error_page(client.get("/no/such/page"), 404, "Page not found")
    _assert_error_page(client.get(f"/n/{w.negotiation.slug}/r/99/"), 404, "Page not found")
    _assert_error_page(client.get("/n/elsewhere/"), 404, "Page not found")
    _assert_error_page(app.test_client().get("/no/such/page"), 404, "Page not found")  # signed out too


def test_403_page(app: Flask, session):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    _assert_error_page(
        client_as(app, w, "observer").get(f"/n/{w.negotiation.slug}/audit"), 403, "You do not have access to this"
    )


def test_405_page(client):
    _assert_error_page(client.get("/logout"), 405, "This action is not available here")


def test_500_page_shows_no_traceback_and_rolls_back(app: Flask, session, monkeypatch, caplog):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "cofacilitator")

    def boom(*args, **kwargs):
        raise RuntimeError("internal detail: password=hunter2")

    monkeypatch.setattr("drafter.drafting.views.load_versions", boom)
    response = client.get(f"/n/{w.negotiation.slug}/r/{w.rev1.seq}/")
    _assert_error_page(response, 500, "Something went wrong on our side")
    assert "hunter2" not in response.get_data(as_text=True)
    assert "unhandled error on GET" in caplog.text


def test_500_during_a_change_saves_nothing(app: Flask, session, monkeypatch):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "cofacilitator")
    from drafter.drafting import services

    real = services.update_settings

    def half_done(session, actor, negotiation, **kwargs):
        real(session, actor, negotiation, **kwargs)
        session.flush()
        raise RuntimeError("after the change")

    monkeypatch.setattr(services, "update_settings", half_done)
    response = client.post(
        f"/n/{w.negotiation.slug}/settings", data={"title": "Half renamed", "visibility": "immediate"}
    )
    _assert_error_page(response, 500, "Something went wrong on our side")
    db.session.expire_all()
    assert db.session.get(Negotiation, w.negotiation.id).title == "World negotiation"


def test_413_page_for_a_too_large_request(tmp_path):
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=64 * 1024)
    with app.app_context():
        w = build_world(db.session, Path(app.config["EXPORT_DIR"]))
        client = client_as(app, w, "cofacilitator")
        response = client.post(f"/n/{w.negotiation.slug}/import", data={"text": "x" * 100_000})
        _assert_error_page(response, 413, "The file is too large")
        assert "64 KB" in response.get_data(as_text=True)
        db.session.remove()


# -- Input limits -----------------------------------------------------------------------------------


def _paragraph(w: World, rev: Revision) -> ParagraphVersion:
    return db.session.scalar(
        sa.select(ParagraphVersion).where(
            ParagraphVersion.revision_id == rev.id, ParagraphVersion.paragraph_id == w.paragraph_id
        )
    )


@pytest.mark.parametrize(
    "role, path, data, message",
    [
        (
            "cofacilitator",
            "/n/{slug}/r/3/p/{pid}/edit",
            {"text": "x" * 20_001, "version": "{version}"},
            "at most 20000 characters",
        ),
        (
            "cofacilitator",
            "/n/{slug}/r/3/insert",
            {"kind": "operative:0", "text": "x" * 20_001},
            "at most 20000 characters",
        ),
        (
            "cofacilitator",
            "/n/{slug}/r/3/p/{pid}/status",
            {"status": "agreed", "note": "x" * 501, "version": "{version}"},
            "at most 500 characters",
        ),
        ("cofacilitator", "/n/{slug}/settings", {"title": "x" * 301, "visibility": "immediate"}, "1 to 300 characters"),
        (
            "cofacilitator",
            "/n/{slug}/settings",
            {"title": "Fine", "symbol": "A/" + "9" * 70, "visibility": "immediate"},
            "at most 60 characters",
        ),
        (
            "cofacilitator",
            "/n/{slug}/proposals/{other}/decide",
            {"outcome": "not_retained", "note": "x" * 5001},
            "at most 5,000 characters",
        ),
        (
            "delegate",
            "/n/{slug}/r/2/propose",
            {"kind": "amend", "paragraph": "{pid}", "text": "x" * 20_001},
            "at most 20,000 characters",
        ),
        (
            "delegate",
            "/n/{slug}/r/2/propose",
            {"kind": "retain", "paragraph": "{pid}", "justification": "x" * 5001},
            "at most 5,000 characters",
        ),
        ("delegate", "/n/{slug}/proposals/{own}/edit", {"text": "x" * 20_001}, "at most 20,000 characters"),
        (
            "delegate",
            "/n/{slug}/proposals/{own}/edit",
            {"text": "Decides to meet;", "justification": "x" * 5001},
            "at most 5,000 characters",
        ),
    ],
)
def test_over_long_fields_are_refused_with_a_message(app: Flask, session, role, path, data, message):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    values = {
        "slug": w.negotiation.slug,
        "pid": w.paragraph_id,
        "own": w.own_proposal.id,
        "other": w.other_proposal.id,
        "version": _paragraph(w, w.rev2).version,
    }
    client = client_as(app, w, role)
    before = snapshot()
    response = client.post(path.format(**values), data={k: str(v).format(**values) for k, v in data.items()})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert snapshot() == before


def test_over_long_silence_statement_is_refused(app: Flask, session):
    import datetime as dt

    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    w.rev1.state, w.rev1.silence_until = RevisionState.UNDER_SILENCE, dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    db.session.commit()
    client = client_as(app, w, "delegate")
    url = f"/n/{w.negotiation.slug}/r/{w.rev1.seq}/silence-break"
    response = client.post(url, data={"delegation": w.mexico.id, "statement": "x" * 20_001})
    assert response.status_code == 400 and "at most 20,000 characters" in response.get_data(as_text=True)
    db.session.expire_all()
    assert w.rev1.silence_breaks == [] and w.rev1.state is RevisionState.UNDER_SILENCE, "the refused break was recorded"
    assert client.post(url, data={"delegation": w.mexico.id, "statement": "We object."}).status_code == 302


@pytest.mark.parametrize(
    "path, data",
    [
        ("/admin/users", {"email": "long@example.org", "name": "x" * 121, "password": "long enough pw"}),
        ("/admin/delegations", {"name": "x" * 121, "kind": "member_state"}),
        ("/admin/negotiations/new", {"slug": "fine-slug", "title": "x" * 301}),
        ("/n/{slug}/members", {"email": "x" * 250 + "@example.org", "role": "observer", "delegation": "0"}),
    ],
)
def test_over_long_admin_fields_are_refused_on_the_form(app: Flask, session, path, data):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "admin")
    before = snapshot()
    response = client.post(path.format(slug=w.negotiation.slug), data=data)
    assert response.status_code == 400
    assert "Field cannot be longer than" in response.get_data(as_text=True)
    assert snapshot() == before


def test_the_live_diff_refuses_over_long_texts(client, session):
    from tests import factories as f
    from tests.conftest import login

    login(client, f.user(session))
    response = client.post("/api/diff", json={"base": "a", "text": "x " * 25_000})
    assert response.status_code == 400 and "too long" in response.json["error"]


# -- Unicode ------------------------------------------------------------------------------------------

SIX_LANGUAGES = {
    "ar": "تقرر الجمعية العامة عقد اجتماع رفيع المستوى بشأن المجتمعات الساحلية القادرة على الصمود؛",
    "zh": "决定召开关于有复原力的沿海社区的高级别会议；",
    "en": "Decides to convene a high-level meeting on resilient coastal communities;",
    "fr": "Décide de convoquer une réunion de haut niveau sur les communautés côtières résilientes, « sans délai »;",
    "ru": "постановляет созвать совещание высокого уровня по устойчивым прибрежным сообществам;",
    "es": "Decide convocar una reunión de alto nivel sobre comunidades costeras resilientes, incluida la niñez;",
}


def test_paragraphs_in_six_languages_round_trip_through_the_editor(app: Flask, session):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "cofacilitator")
    slug = w.negotiation.slug
    versions = load_versions(db.session, w.rev2)
    targets = dict(zip(SIX_LANGUAGES, versions))
    for lang, v in targets.items():
        response = client.post(
            f"/n/{slug}/r/{w.rev2.seq}/p/{v.paragraph_id}/edit",
            data={"text": SIX_LANGUAGES[lang], "version": v.version},
        )
        assert response.status_code == 302, lang
    db.session.expire_all()
    stored = {lang: db.session.get(ParagraphVersion, v.id).text for lang, v in targets.items()}
    assert stored == SIX_LANGUAGES
    for path in (f"/n/{slug}/r/{w.rev2.seq}/", f"/n/{slug}/r/{w.rev2.seq}/edit"):
        html = re.sub(r"</?em>", "", client.get(path).get_data(as_text=True))  # the italic opening words
        for lang, text in SIX_LANGUAGES.items():
            assert str(escape(text)) in html, (path, lang)
    revision_page = client.get(f"/n/{slug}/r/{w.rev2.seq}/").get_data(as_text=True)
    assert 'dir="rtl"' in revision_page  # the Arabic paragraph reads right to left
    edit_form = client.get(f"/n/{slug}/r/{w.rev2.seq}/p/{targets['zh'].paragraph_id}/edit").get_data(as_text=True)
    assert SIX_LANGUAGES["zh"] in edit_form
    # And the filter finds a paragraph by a word in Russian.
    found = re.sub(
        r"</?em>", "", client.get(f"/n/{slug}/r/{w.rev2.seq}/", query_string={"q": "прибрежным"}).get_data(as_text=True)
    )
    assert "1 of" in found and str(escape(SIX_LANGUAGES["ru"])) in found


def test_proposals_in_six_languages_round_trip(app: Flask, session):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "delegate")
    slug = w.negotiation.slug
    ids = {}
    for lang, text in SIX_LANGUAGES.items():
        response = client.post(
            f"/n/{slug}/r/{w.rev1.seq}/propose",
            data={"kind": "insert", "paragraph": w.paragraph_id, "text": text, "justification": text},
        )
        assert response.status_code == 302, lang
        ids[lang] = int(response.location.rsplit("/", 1)[1])
    for lang, pid in ids.items():
        assert db.session.get(Proposal, pid).proposed_text == SIX_LANGUAGES[lang]
        html = client.get(f"/n/{slug}/proposals/{pid}").get_data(as_text=True)
        assert str(escape(SIX_LANGUAGES[lang])) in html
    compilation = client.get(f"/n/{slug}/r/{w.rev1.seq}/compilation").get_data(as_text=True)
    for text in SIX_LANGUAGES.values():
        assert str(escape(text)) in compilation


def test_unicode_names_round_trip_through_the_admin_forms(app: Flask, session):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "admin")
    for name in ("Côte d’Ivoire", "Türkiye", "中国", "Российская Федерация", "المملكة العربية السعودية", "España"):
        assert client.post("/admin/delegations", data={"name": name, "kind": "member_state"}).status_code == 302
        assert db.session.scalar(sa.select(Delegation).where(Delegation.name == name)) is not None
        assert str(escape(name)) in client.get("/admin/delegations").get_data(as_text=True)
    assert (
        client.post(
            "/admin/users", data={"email": "li@example.org", "name": "李明 Ĳsbrand Ñúñez", "password": "long enough pw"}
        ).status_code
        == 302
    )
    assert "李明 Ĳsbrand Ñúñez" in client.get("/admin/users").get_data(as_text=True)


# -- Garbage in, no server error out ---------------------------------------------------------------------

#: every name a form or query string of the app reads
PARAMS = (
    "from to page actor status q kind state delegation paragraph only verdict anchor where version text note "
    "deadline until label title symbol visibility outcome merged_into stance next revision style author "
    "show_status email name password role use_text new_kind new_level justification paragraphs direction"
).split()


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1", "²", ""])
def test_garbage_in_any_field_never_gives_a_server_error(app: Flask, session, value):
    from urllib.parse import urlencode

    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    clients = {role: client_as(app, w, role) for role in ("cofacilitator", "secretariat", "delegate", "admin")}
    params = dict.fromkeys(PARAMS, value)
    # Addresses first: a request may delete what a later address names.
    requests = []
    for case in CASES:
        role = next((r for r in clients if case.expect[ROLES.index(r)] == "O"), None)
        if role is not None and case.endpoint != "auth.logout":
            requests.append((case, role, case_url(case, w)))
    errors = []
    for case, role, url in requests:
        if case.method == "GET":
            response = clients[role].get(url + ("&" if "?" in url else "?") + urlencode(params))
        elif case.json is not None:
            response = clients[role].post(url, json=params)
        else:
            response = clients[role].post(url, data=params)
        response.close()
        if response.status_code >= 500:
            errors.append(f"{case.name} as {role}")
        db.session.expire_all()
    assert not errors, "server errors:\n" + "\n".join(errors)


@pytest.mark.parametrize(
    "path",
    [
        "/n/{slug}/r/{big}/",
        "/n/{slug}/proposals/{big}",
        "/n/{slug}/p/{big}/",
        "/n/{slug}/exports/{big}/download",
        "/n/{slug}/delegations/{big}",
        "/n/{slug}/r/{big}/compilation",
        "/n/{slug}/members/{big}/remove",
    ],
)
def test_numbers_too_large_for_the_database_are_not_found(app: Flask, session, path):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "secretariat")
    url = path.format(slug=w.negotiation.slug, big="9" * 25)
    response = client.post(url) if url.endswith("/remove") else client.get(url)
    assert response.status_code == 404


def test_the_conflict_page_escapes_both_texts(app: Flask, session):
    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "cofacilitator")
    url = f"/n/{w.negotiation.slug}/r/{w.rev2.seq}/p/{w.paragraph_id}/edit"
    stale = _paragraph(w, w.rev2).version
    assert client.post(url, data={"text": f"Decides {PAYLOAD}", "version": stale}).status_code == 302
    clash = client.post(url, data={"text": f"Decides otherwise {PAYLOAD}", "version": stale})
    assert clash.status_code == 409
    body = clash.get_data()
    for marker in RAW_MARKERS:
        assert marker not in body
    assert str(escape(SCRIPT)).encode() in body
