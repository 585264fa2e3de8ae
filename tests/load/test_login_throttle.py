"""Guessing a password against gunicorn's 4 workers on PostgreSQL: the limit holds across processes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.loadtest import Client, Server
from drafter.throttle import ThrottleHit
from tests import factories as f
from tests.conftest import PG_URL, TEST_PASSWORD

pytestmark = pytest.mark.skipif(not PG_URL, reason="several app processes share a PostgreSQL database")

GUESSES = 40
LIMIT = 10  # DRAFTER_LOGIN_FAILURES_PER_ACCOUNT's default
WORKERS = 4


def test_password_guessing_is_cut_off_whichever_worker_answers(app, session, tmp_path: Path):
    email = f.user(session).email
    session.commit()
    with Server(PG_URL, tmp_path, workers=WORKERS) as server:
        browsers = [Client(server.port) for _ in range(GUESSES)]  # each with its own cookie and form token
        answers: list[tuple[int, str]] = []

        def guess(browser: Client, n: int) -> None:
            status, _, body = browser.send(
                "POST", "/login", {"email": email, "password": f"guess number {n}", "csrf_token": browser.token}
            )
            answers.append((status, body.decode(errors="replace")))

        threads = [threading.Thread(target=guess, args=(b, i)) for i, b in enumerate(browsers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        owner = Client(server.port)
        status, _, body = owner.send(
            "POST", "/login", {"email": email, "password": TEST_PASSWORD, "csrf_token": owner.token}
        )

    tried = [a for a in answers if a[0] == 200 and "The e-mail address or password is not right." in a[1]]
    throttled = [a for a in answers if a[0] == 429 and "Too many failed sign-ins. Try again in 15 minutes." in a[1]]
    assert len(tried) + len(throttled) == GUESSES, sorted({a[0] for a in answers})
    # Each worker checks before it counts: at most one guess per other worker slips past the limit.
    assert LIMIT <= len(tried) <= LIMIT + WORKERS - 1
    counted = session.scalar(
        sa.select(sa.func.count()).select_from(ThrottleHit).where(ThrottleHit.key == f"login-account:{email}")
    )
    assert counted == len(tried)
    # The right password is refused as well until the window passes: a guesser learns nothing.
    assert status == 429 and "Try again in" in body.decode()
    print(
        f"\nsign-in throttle: {GUESSES} guesses at once on {WORKERS} workers; {len(tried)} tried, "
        f"{len(throttled)} refused; the right password then refused too"
    )
