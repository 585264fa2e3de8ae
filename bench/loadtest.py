"""Proposal submission under concurrency: the app under gunicorn, clients on loopback.

gunicorn serves the app with 4 sync workers on the PostgreSQL database the page benchmarks
loaded, with production settings (CSRF on, scrypt password hashes for new ones). Each of 50
client threads signs in as the delegate of a different delegation (the login form, its CSRF
token kept for later posts), then sends requests back to back until the phase's request count
or time limit is reached. Two phases on the same server: the baseline, a trivial signed-in page
(the dashboard), then proposal submissions (the propose form: an amendment of a random
paragraph of the last revision, each with its own text).
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bench.loaddb import PASSWORD, Loaded
from bench.measure import Stat, percentile

ROOT = Path(__file__).resolve().parent.parent
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_COOKIE = re.compile(r"^([^=]+)=([^;]*)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn running the app; stopped (the whole process group) on exit."""

    def __init__(self, database_url: str, workdir: Path, workers: int = 4) -> None:
        self.port = free_port()
        env = dict(os.environ)
        env.update(
            {
                "DRAFTER_DATABASE_URL": database_url,
                "DRAFTER_SECRET_KEY": "bench-gunicorn-secret",
                "DRAFTER_SECURE_COOKIES": "false",
                "DRAFTER_EXPORT_DIR": str(workdir / "exports"),
            }
        )
        self.log = open(workdir / "gunicorn.log", "wb")  # noqa: SIM115  (open while the server runs; closed in stop())
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "--log-level",
                "warning",
                "drafter:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log.name}")
            try:
                status, _, _ = request(self.port, "GET", "/login")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def __enter__(self) -> Server:
        self.wait()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def request(
    port: int, method: str, path: str, *, body: dict[str, str] | None = None, cookies: dict[str, str] | None = None
) -> tuple[int, dict[str, list[str]], bytes]:
    """Send one request on a new connection (gunicorn's sync workers close it after each)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"User-Agent": "drafter-bench", "Connection": "close"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        found: dict[str, list[str]] = {}
        for k, v in response.getheaders():
            found.setdefault(k.lower(), []).append(v)
        return response.status, found, payload
    finally:
        conn.close()


class Client:
    """One browser: its cookies and its form token; signed in unless no ``email`` is given."""

    def __init__(self, port: int, email: str | None = None, password: str = PASSWORD) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        status, headers, page = self.send("GET", "/login")
        token = _CSRF.search(page.decode())
        self.token = token.group(1) if token else ""
        if email is not None:
            self.sign_in(email, password)

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the form, or raise RuntimeError."""
        status, headers, _ = self.send(
            "POST", "/login", {"email": email, "password": password, "csrf_token": self.token}
        )
        if status != 302:
            raise RuntimeError(f"sign-in of {email} answered {status}")
        # Signing in starts a new session, and with it a new form token.
        status, headers, page = self.send("GET", "/")
        token = _CSRF.search(page.decode())
        self.token = token.group(1) if token else self.token

    def send(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, dict[str, list[str]], bytes]:
        status, headers, payload = request(self.port, method, path, body=body, cookies=self.cookies)
        for c in headers.get("set-cookie", []):
            m = _COOKIE.match(c)
            if m:
                self.cookies[m.group(1)] = m.group(2)
        return status, headers, payload


@dataclass
class Phase:
    name: str
    latencies: list[float]
    errors: dict[str, int]
    seconds: float

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def stat(self) -> Stat:
        lat = self.latencies
        return Stat(
            [self.throughput],
            unit="req/s",
            extra={
                "requests": len(lat),
                "seconds": round(self.seconds, 2),
                "errors": self.errors,
                "p50": percentile(lat, 50),
                "p95": percentile(lat, 95),
                "p99": percentile(lat, 99),
                "max_latency": max(lat) if lat else float("nan"),
            },
        )


def run_phase(name: str, clients: list[Client], make, *, expect: int, max_requests: int, max_seconds: float) -> Phase:
    """Let every client send ``make(client, i)`` requests back to back until a limit is reached."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    sent = [0]
    start = time.perf_counter()
    stop_at = start + max_seconds
    barrier = threading.Barrier(len(clients) + 1)

    def work(c: Client, seed: int) -> None:
        rng = random.Random(seed)
        barrier.wait()
        while True:
            with lock:
                if sent[0] >= max_requests or time.perf_counter() >= stop_at:
                    return
                sent[0] += 1
                n = sent[0]
            method, path, body = make(c, n, rng)
            t0 = time.perf_counter()
            try:
                status, _, _ = c.send(method, path, body)
                key = None if status == expect else str(status)
            except OSError as e:
                key = type(e).__name__
            dt = time.perf_counter() - t0
            with lock:
                if key is None:
                    latencies.append(dt)
                else:
                    errors[key] = errors.get(key, 0) + 1

    threads = [threading.Thread(target=work, args=(c, k), daemon=True) for k, c in enumerate(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    stop_at = start + max_seconds
    for t in threads:
        t.join()
    return Phase(name, latencies, errors, time.perf_counter() - start)


def submission_benchmark(
    database_url: str,
    loaded: Loaded,
    workdir: Path,
    *,
    clients: int = 50,
    max_requests: int = 3000,
    max_seconds: float = 30.0,
) -> dict[str, Stat]:
    """Return requests/s and latency of the trivial page and of proposal submission."""
    paragraphs = [(pid, text) for pid, text in loaded.paragraphs if text.strip()]
    slug, seq = loaded.slug, loaded.last_seq
    with Server(database_url, workdir) as server:
        people = [Client(server.port, email) for email in loaded.delegates[:clients]]

        def dashboard(c: Client, n: int, rng: random.Random):
            return "GET", "/", None

        def submit(c: Client, n: int, rng: random.Random):
            pid, text = rng.choice(paragraphs)
            words = text.split(" ")
            at = rng.randrange(1, max(2, len(words)))
            amended = " ".join(words[:at] + [f"and in particular measure {n} of the bench"] + words[at:])
            return (
                "POST",
                f"/n/{slug}/r/{seq}/propose",
                {"kind": "amend", "paragraph": str(pid), "text": amended, "justification": "", "csrf_token": c.token},
            )

        # Warm every worker (imports, connection pools, templates) before measuring.
        run_phase("warmup", people, dashboard, expect=200, max_requests=200, max_seconds=10)
        base = run_phase("dashboard", people, dashboard, expect=200, max_requests=max_requests, max_seconds=max_seconds)
        sub = run_phase("submit", people, submit, expect=302, max_requests=max_requests, max_seconds=max_seconds)
        # As many clients as workers: the service time, without the queue 50 clients make.
        few = run_phase(
            "submit", people[:4], submit, expect=302, max_requests=max_requests // 5, max_seconds=max_seconds / 3
        )
    out = {"load.dashboard": base.stat(), "load.submit": sub.stat(), "load.submit.c4": few.stat()}
    out["load.submit"].extra["ratio_to_dashboard"] = (
        sub.throughput / base.throughput if base.throughput else float("nan")
    )
    for key, s in out.items():
        s.extra["clients"] = 4 if key.endswith(".c4") else clients
        s.extra["workers"] = 4
    return out
