"""A delegate is told by mail that the zero draft is circulated, opens the link, later finds on the overview
that the text is under silence, and breaks the silence from there; the co-facilitators are told and are
no longer offered to mark it adopted. Mails go through a real SMTP server on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from drafter import demo
from drafter.extensions import db
from drafter.notifications import sender
from tests.browser.conftest import LiveServer, Visitor
from tests.conftest import PG_URL, empty_database, make_app
from tests.support.smtp import MailServer, smtp  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

MEXICO = "mexico@demo.drafter.example"
AMINA = "amina@demo.drafter.example"


@pytest.fixture
def mail_server(tmp_path: Path, smtp: MailServer) -> Iterator[tuple[LiveServer, MailServer]]:
    extra = {} if PG_URL else {"DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite'}", "SQLALCHEMY_ENGINE_OPTIONS": {}}
    app: Flask = make_app(tmp_path, WTF_CSRF_ENABLED=True, **extra, **smtp.config())
    with LiveServer(app) as live:
        app.config["BASE_URL"] = live.url
        with app.app_context():
            demo.load_demo(db.session)  # circulates the zero draft: the delegates are told
            db.session.commit()
            db.session.remove()
        yield live, smtp
    empty_database(app)


def _send(live: LiveServer) -> None:
    with live.app.app_context():
        sender.run_once(db.session)
        db.session.remove()


def test_a_delegate_told_by_mail_breaks_the_silence_from_the_overview(browser, mail_server, request):
    live, mails = mail_server
    _send(live)
    (circulated,) = mails.to(MEXICO)
    assert "Zero draft circulated" in circulated.subject
    assert re.search(r"Proposals are due by \d{1,2} \w+ \d{4}, \d\d:\d\d UTC\.", circulated.body)
    link = re.search(r"Open it: (\S+)", circulated.body).group(1)
    assert link.startswith(live.url)

    def visitor(email: str, name: str) -> Visitor:
        v = Visitor(browser, live, f"{request.node.name}-{name}")
        v.login(email)
        return v

    cofac = visitor(AMINA, "amina")
    cofac.go(f"/n/{demo.SLUG}/r/1/lifecycle")
    assert "Mark Zero draft adopted" in cofac.page.inner_text("main")  # circulated: a meeting may adopt it
    with cofac.page.expect_navigation():
        cofac.page.click("text=Put under silence >> nth=-1")
    assert "is under silence until" in cofac.page.inner_text(".flashes")
    _send(live)
    (silence,) = [m for m in mails.to(MEXICO) if "under silence" in m.subject]
    assert f"{live.url}/n/{demo.SLUG}/r/1/lifecycle#break" in silence.body

    delegate = visitor(MEXICO, "mexico")
    assert delegate.page.locator(".notices .count").inner_text() == "2"
    delegate.page.goto(link)  # the link of the first mail
    assert delegate.page.url == link and "Zero draft" in delegate.page.title()
    delegate.go(f"/n/{demo.SLUG}/")
    line = delegate.page.locator(".silence-line").inner_text()
    assert re.fullmatch(r"Zero draft is under silence until \d{1,2} \w+ \d{4}, \d\d:00 UTC\.", line), line
    delegate.shot("overview-under-silence")
    delegate.page.click("text=Break the silence for Mexico")
    assert delegate.page.url.endswith("/lifecycle#break")
    items = delegate.page.locator("#break-paragraphs li")
    total = items.count()
    assert total > 10
    delegate.page.fill("#paragraph-filter", "op3")
    visible = [t.strip() for t in delegate.page.locator("#break-paragraphs li:visible").all_inner_texts()]
    assert visible and all(t.startswith("OP3") for t in visible), visible
    assert len(visible) < total
    delegate.page.locator("#break-paragraphs li:visible input").first.check()
    delegate.page.fill("#paragraph-filter", "")  # the ticked one stays ticked when the list comes back
    assert delegate.page.locator("#break-paragraphs li:visible").count() == total
    delegate.page.fill("textarea[name=statement]", "Mexico cannot join consensus on OP3 as it stands.")
    delegate.shot("break-form-filtered")
    with delegate.page.expect_navigation():
        delegate.page.click("text=Record the break")
    assert "Silence break by Mexico recorded." in delegate.page.inner_text(".flashes")

    _send(live)
    for who in (AMINA, MEXICO):
        (broken,) = [m for m in mails.to(who) if "broke the silence" in m.subject]
        assert "Mexico broke the silence on Zero draft, on OP3." in broken.body
    cofac.go(f"/n/{demo.SLUG}/r/1/lifecycle")
    main = cofac.page.inner_text("main")
    assert "Mark Zero draft adopted" not in main and "The silence was broken by Mexico." in main
    cofac.shot("lifecycle-after-break")
    delegate.go("/notifications/")
    delegate.shot("notifications")
    assert delegate.page.locator(".notification").count() == 3
    assert delegate.errors == [] and cofac.errors == []
    delegate.close()
    cofac.close()
