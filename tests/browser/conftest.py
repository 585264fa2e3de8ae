"""Browser journeys: the app served on a free port, driven by Playwright in Debian's Chromium.

Each test gets its own server and database (a SQLite file, or the PostgreSQL test database
emptied afterwards) with the demo negotiation loaded. The tests skip when Chromium or
Playwright is missing, unless DRAFTER_REQUIRE_BROWSER=1 (CI): then they fail.
Screenshots of every journey land in test-output/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from drafter import demo
from drafter.extensions import db
from tests.conftest import PG_URL, REPO, empty_database, make_app

CHROMIUM = os.environ.get("DRAFTER_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SHOTS = REPO / "test-output" / "screenshots"

pytestmark = pytest.mark.browser


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return ""


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("DRAFTER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DRAFTER_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        yield b
        b.close()


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[Flask]:
    extra = {} if PG_URL else {"DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite'}", "SQLALCHEMY_ENGINE_OPTIONS": {}}
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, **extra)
    with app.app_context():
        demo.load_demo(db.session)
        db.session.commit()
        db.session.remove()
    yield app
    empty_database(app)


@pytest.fixture
def server(live_app: Flask) -> Iterator[LiveServer]:
    with LiveServer(live_app) as s:
        yield s


class Visitor:
    """One person in their own browser context (their own cookies)."""

    def __init__(self, browser, server: LiveServer, name: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.server = server
        self.name = name
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self._shot = 0

    def go(self, path: str) -> None:
        self.page.goto(self.server.url + path)

    def login(self, email: str, password: str = demo.PASSWORD) -> None:
        self.go("/login")
        self.page.fill("input[name=email]", email)
        self.page.fill("input[name=password]", password)
        with self.page.expect_navigation():
            self.page.click("form button[type=submit], form button.primary")
        if "/login" in self.page.url:
            shown = self.page.locator("main").inner_text()[:300]
            raise AssertionError(f"{email} could not sign in: at {self.page.url}, the page says {shown!r}")

    def shot(self, label: str) -> Path:
        self._shot += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{self.name}-{self._shot:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitor(browser, server, request):
    made: list[Visitor] = []

    def make(email: str | None = None, name: str = "") -> Visitor:
        v = Visitor(browser, server, f"{request.node.name}-{name or (email or 'anon').split('@')[0]}")
        made.append(v)
        if email:
            v.login(email)
        return v

    yield make
    for v in made:
        assert not v.errors, f"JavaScript errors in {v.name}: {v.errors}"
        v.close()
