"""Two app servers on one PostgreSQL database: what the chair does through one reaches a screen on the other.

Each server is gunicorn with one threaded worker (``-k gthread``), the serving model the README
documents for the room. The delegate's screen holds a stream open on server B; the chair moves
to the next paragraph and the typist edits it through server A. The events travel through the
database (NOTIFY at commit, LISTEN in B's listener thread) and must reach the stream within 1 s.
"""

from __future__ import annotations

import http.client
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.loadtest import ROOT, Client, free_port, request
from drafter.drafting import services as drafting
from drafter.room import services as room
from tests import factories as f
from tests.conftest import PG_URL, TEST_PASSWORD

pytestmark = pytest.mark.skipif(not PG_URL, reason="several app processes share a PostgreSQL database")


class Gunicorn:
    """One app server: gunicorn, one worker with threads; stopped (its process group) on exit."""

    def __init__(self, workdir: Path, name: str) -> None:
        self.port = free_port()
        env = dict(os.environ)
        env.update(
            {
                "DRAFTER_DATABASE_URL": PG_URL,
                "DRAFTER_SECRET_KEY": "room-two-processes",
                "DRAFTER_SECURE_COOKIES": "false",
                "DRAFTER_EXPORT_DIR": str(workdir / "exports"),
                "DRAFTER_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            }
        )
        self.log = open(workdir / f"gunicorn-{name}.log", "wb")  # noqa: SIM115  (closed on exit)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-k", "gthread", "--threads", "8"]
            + ["-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "1", "--log-level", "warning"]
            + ["drafter:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def __enter__(self) -> Gunicorn:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            try:
                if request(self.port, "GET", "/login")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def __exit__(self, *exc: object) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


def _follow(port: int, cookies: dict[str, str], path: str, lines: queue.Queue) -> None:
    """Read a stream line by line into ``lines`` (with the time each arrived) until it ends."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    response = conn.getresponse()
    lines.put((time.monotonic(), f"status: {response.status}"))
    while True:
        line = response.fp.readline()
        if not line:
            break
        lines.put((time.monotonic(), line.decode().rstrip("\n")))
    conn.close()


def _until(lines: queue.Queue, needle: str, timeout: float = 5) -> tuple[float, str]:
    """Return when the line holding ``needle`` arrived, and the line."""
    deadline = time.monotonic() + timeout
    while True:
        at, line = lines.get(timeout=max(0.01, deadline - time.monotonic()))
        if needle in line:
            return at, line


def test_an_event_written_through_one_server_reaches_a_stream_on_the_other(app, session, tmp_path: Path):
    n = f.negotiation(session, slug="two-rooms")
    team = f.team(session, n)
    f.revision(session, n, label="Zero draft")
    working = drafting.start_revision(session, None, n, label="Rev.1")
    reading = room.open_reading(session, team["cofacilitator"], working, "Informal consultations")
    session.commit()
    path = f"/n/two-rooms/readings/{reading.id}"
    with Gunicorn(tmp_path, "a") as a, Gunicorn(tmp_path, "b") as b:
        chair = Client(a.port, team["cofacilitator"].email, TEST_PASSWORD)
        typist = Client(a.port, team["secretariat"].email, TEST_PASSWORD)
        screen = Client(b.port, team["secretariat"].email, TEST_PASSWORD)
        lines: queue.Queue = queue.Queue()
        follower = threading.Thread(target=_follow, args=(b.port, screen.cookies, f"{path}/stream", lines), daemon=True)
        follower.start()
        _until(lines, '"kind":"state"')  # the stream is open on B

        sent = time.monotonic()
        status, _, _ = chair.send("POST", f"{path}/move", {"direction": "next", "csrf_token": chair.token})
        assert status == 302
        moved = _until(lines, "PP2 taken up")[0] - sent

        page = typist.send("GET", path)[2].decode()
        version = page.split('id="type-version" value="', 1)[1].split('"', 1)[0]
        sent = time.monotonic()
        status, _, _ = typist.send(
            "POST",
            f"{path}/type",
            {"text": "Recognizing [fully] the importance,", "version": version, "csrf_token": typist.token},
        )
        assert status == 302
        at, line = _until(lines, "PP2 text changed")
        typed = at - sent
    print(
        f"\nroom across two servers: move reached the other server's stream in {moved * 1000:.0f} ms, edit in {typed * 1000:.0f} ms"
    )
    assert moved < 1.0 and typed < 1.0
    assert "Recognizing [fully] the importance," in line  # the screen's new state came with the event
