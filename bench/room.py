"""The live room at scale: 200 screens following one reading over 4 app processes on PostgreSQL.

``python -m bench.room --screens 200`` (the database ``bench_room`` is dropped and created).

Setup (not timed): a negotiation with a circulated revision of 200 paragraphs, 40 delegations of
5 delegates each, a reading opened by a co-facilitator. Server: one gunicorn of 4 threaded
workers, ``-k gthread -w 4 --threads 160 --worker-connections 160 --keep-alive 0``, production
settings (CSRF on); the screens sign in through the login form. A worker never accepts more
connections than it has threads, so one whose threads all hold streams leaves the next
connection to another instead of keeping it waiting (without the cap the kernel hands them out
unevenly: 160, 123, 115 and 102 of 500, and a page that reached the full worker got no answer).
``--ports`` runs 4 servers of one worker each instead, the streams round-robin over their ports.

Clients: every stream is a raw socket read by one ``selectors`` loop in this process, which
timestamps each event id as it arrives (``time.perf_counter``, the clock of the chair's move).
The chair moves to the next paragraph ``moves`` times, a pause between; for each move, the time
from sending the POST to the first event after it on each screen. Meanwhile another client asks
for the revision view again and again; then again with the streams closed. Last, 500 streams
are opened and held: how many stayed open, whether a page still answers, the processes' memory.
"""

from __future__ import annotations

import argparse
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.loaddb import PASSWORD, make_app, reset_schema
from bench.loadtest import ROOT, Client, free_port, request
from bench.measure import Stat, percentile

DELEGATIONS = 40
PER_DELEGATION = 5
PROCESSES = 4
THREADS = 160
HOLD = 500
#: the pause between two moves of the chair (seconds)
PAUSE = 0.5
#: streams live this long in the bench (the default 25 s would end them during the run)
STREAM_SECONDS = 3600


def gunicorn_command(port: int, threads: int = THREADS, workers: int = 1, connections: int | None = None) -> list[str]:
    """Return the command of one app server: gunicorn with threaded workers.

    ``connections`` caps the connections a worker accepts (``--worker-connections``): a worker
    whose threads all hold streams then leaves new connections to the others instead of taking
    them and keeping them waiting for a thread.
    """
    capped = ["--worker-connections", str(connections), "--keep-alive", "0"] if connections else []
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-k",
        "gthread",
        "-w",
        str(workers),
        "--threads",
        str(threads),
        *capped,
        "-b",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        "1",
        "--log-level",
        "warning",
        "drafter:create_app()",
    ]


class Server:
    """One app server; stopped (its process group) on exit."""

    def __init__(
        self,
        database_url: str,
        workdir: Path,
        name: str,
        threads: int = THREADS,
        workers: int = 1,
        connections: int | None = None,
    ) -> None:
        self.port = free_port()
        env = dict(os.environ)
        env.update(
            {
                "DRAFTER_DATABASE_URL": database_url,
                "DRAFTER_SECRET_KEY": "bench-room-secret",
                "DRAFTER_SECURE_COOKIES": "false",
                "DRAFTER_EXPORT_DIR": str(workdir / "exports"),
                "DRAFTER_ROOM_STREAM_SECONDS": str(STREAM_SECONDS),
            }
        )
        self.command = gunicorn_command(self.port, threads, workers, connections)
        self.log = open(workdir / f"gunicorn-room-{name}.log", "wb")  # noqa: SIM115  (closed on exit)
        self.proc = subprocess.Popen(
            self.command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if request(self.port, "GET", "/login")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer in time")

    def rss(self) -> int:
        """Return the resident memory of the master and its workers, in bytes."""
        pids = [self.proc.pid]
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:
            children = []
        pids += [int(p) for p in children]
        total = 0
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                pass
        return total

    def connections(self) -> list[int]:
        """Return how many established connections each process holds on the server's port, most first."""
        out = subprocess.run(
            ["ss", "-Htnp", "state", "established", f"( sport = :{self.port} )"], capture_output=True, text=True
        ).stdout
        counts = Counter(re.findall(r"pid=(\d+)", out))
        return sorted(counts.values(), reverse=True)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@dataclass
class Stream:
    """One screen's stream: its socket, what it has read, and when each event id arrived."""

    sock: socket.socket
    status: int = 0
    closed: bool = False
    buf: bytes = b""
    arrived: dict[int, float] = field(default_factory=dict)

    @property
    def last(self) -> int:
        return max(self.arrived, default=0)

    def first_after(self, event_id: int) -> float | None:
        times = [t for i, t in self.arrived.items() if i > event_id]
        return min(times) if times else None


class Screens:
    """Streams read by one selectors loop in a thread of their own."""

    def __init__(self) -> None:
        self.sel = selectors.DefaultSelector()
        self.streams: list[Stream] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="bench-room-screens", daemon=True)

    def open(self, port: int, path: str, cookies: dict[str, str]) -> None:
        """Open one stream (before ``start``)."""
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        sock.sendall(
            f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n"
            f"User-Agent: drafter-bench\r\nCookie: {cookie}\r\n\r\n".encode()
        )
        sock.setblocking(False)
        stream = Stream(sock)
        self.streams.append(stream)
        self.sel.register(sock, selectors.EVENT_READ, stream)

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            for key, _ in self.sel.select(0.2):
                stream: Stream = key.data
                try:
                    data = stream.sock.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                at = time.perf_counter()
                if not data:
                    stream.closed = True
                    self.sel.unregister(stream.sock)
                    stream.sock.close()
                    continue
                stream.buf += data
                *lines, stream.buf = stream.buf.split(b"\n")
                for line in lines:
                    if line.startswith(b"id: "):
                        stream.arrived.setdefault(int(line[4:].strip()), at)
                    elif not stream.status and line.startswith(b"HTTP/"):
                        stream.status = int(line.split()[1])

    def open_now(self) -> list[Stream]:
        """Return the streams open and past their first message (the screen's state)."""
        return [s for s in self.streams if not s.closed and s.status == 200 and s.arrived]

    def wait(self, done, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done():
                return True
            time.sleep(0.005)
        return done()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for s in self.streams:
            if not s.closed:
                s.closed = True
                s.sock.close()
        self.sel.close()


@dataclass
class Room:
    slug: str
    seq: int
    reading_id: int
    chair: str
    viewer: str
    screens: list[str]

    @property
    def path(self) -> str:
        return f"/n/{self.slug}/readings/{self.reading_id}"


def setup(pg_url: str, workdir: Path, screens: int) -> Room:
    """Create the negotiation, the people and the open reading (fast password hashes)."""
    from bench.workload import generate
    from drafter.auth import services as accounts
    from drafter.auth.models import DelegationKind, Role
    from drafter.drafting import services as drafting
    from drafter.extensions import db
    from drafter.lifecycle import services as lifecycle
    from drafter.room import services as room
    from drafter.text.structure import Kind, ParsedParagraph

    app = make_app(pg_url, workdir, NOTIFY_THREAD=False)
    reset_schema(app)
    w = generate(1)
    per = max(PER_DELEGATION, -(-screens // DELEGATIONS))
    with app.app_context():
        s = db.session
        n = drafting.create_negotiation(s, None, slug="bench-room", title=w.title, symbol="A/81/L.9")

        def person(email: str, name: str, role: Role, delegation: Any = None) -> Any:
            u = accounts.create_user(s, None, email=email, name=name, password=PASSWORD)
            accounts.grant_role(s, None, user=u, negotiation=n, role=role, delegation=delegation)
            return u

        chair = person("chair@room.example", "Co-facilitator One", Role.COFACILITATOR)
        viewer = person("observer@room.example", "Observer", Role.OBSERVER)
        emails: list[str] = []
        for k, (name, kind) in enumerate(w.delegations[:DELEGATIONS]):
            d = accounts.create_delegation(s, None, name=name, kind=DelegationKind(kind))
            for j in range(per):
                emails.append(
                    person(f"d{k + 1}u{j + 1}@room.example", f"Delegate {j + 1} of {name}", Role.DELEGATE, d).email
                )
        paras = w.revisions[-1]
        parsed = [
            ParsedParagraph(
                kind=p.kind,
                text=p.text,
                level=p.level if p.kind is Kind.SUBPARAGRAPH else 0,
                italic_chars=p.italic_chars,
            )
            for p in paras
        ]
        rev = drafting.import_revision(s, chair, n, label="Rev.1", paragraphs=parsed)
        lifecycle.circulate(s, chair, rev, deadline=None)
        reading = room.open_reading(s, chair, rev, "First reading")
        s.commit()
        found = Room(n.slug, rev.seq, reading.id, chair.email, viewer.email, emails[:screens])
        db.session.remove()
    return found


def db_connections(pg_url: str) -> dict[str, int]:
    """Return the database's connections by state (this one left out)."""
    import psycopg

    plain = pg_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT coalesce(state, '?'), count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1"
        ).fetchall()
    return {state: int(count) for state, count in rows}


class Pages:
    """A client asking for one page again and again, on each server in turn, until stopped."""

    def __init__(self, clients: list[Client], path: str) -> None:
        self.clients, self.path = clients, path
        self.times: list[float] = []
        self.errors = 0
        self.unanswered = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        k = 0
        while not self._stop.is_set():
            t0 = time.perf_counter()
            try:
                status = self.clients[k % len(self.clients)].send("GET", self.path)[0]
            except OSError:  # no answer within the client's timeout
                status = 0
            dt = time.perf_counter() - t0
            if status == 200:
                self.times.append(dt)
            else:
                self.errors += 1
            k += 1

    def __enter__(self) -> Pages:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.unanswered = int(self._thread.is_alive())  # a request still waiting for its answer


def _tail(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 50),
        "p99": percentile(values, 99),
        "max_latency": max(values) if values else float("nan"),
    }


def _page_stat(pages: Pages) -> Stat:
    return Stat(
        pages.times or [float("nan")],
        extra={
            "requests": len(pages.times),
            "errors": pages.errors,
            "unanswered": pages.unanswered,
            **_tail(pages.times),
        },
    )


def _open(screens: Screens, servers: list[Server], path: str, cookies: list[dict[str, str]], count: int) -> None:
    for k in range(count):
        screens.open(servers[k % len(servers)].port, path, cookies[k % len(cookies)])


def room_benchmarks(
    pg_url: str,
    workdir: Path,
    *,
    screens: int = 200,
    moves: int = 20,
    hold: int = HOLD,
    one_master: bool = True,
    worker_connections: int | None = THREADS,
) -> dict[str, Stat]:
    """Measure the room with ``screens`` screens over 4 app processes, then ``hold`` streams at once.

    The processes are one gunicorn of 4 workers on one port, the kernel handing each new
    connection to one of them; without ``one_master``, 4 gunicorn servers of one worker each, the
    screens round-robin over their ports. ``worker_connections`` caps what each worker accepts
    (see ``gunicorn_command``).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    room = setup(pg_url, workdir, screens)
    if one_master:
        servers = [Server(pg_url, workdir, "all", workers=PROCESSES, connections=worker_connections)]
    else:
        servers = [Server(pg_url, workdir, str(k), connections=worker_connections) for k in range(PROCESSES)]
    results: dict[str, Stat] = {}
    try:
        for server in servers:
            server.wait()
        with ThreadPoolExecutor(8) as pool:
            clients = list(
                pool.map(lambda kv: Client(servers[kv[0] % len(servers)].port, kv[1]), enumerate(room.screens))
            )
        chair = Client(servers[0].port, room.chair)
        viewers = [Client(server.port, room.viewer) for server in servers]
        cookies = [c.cookies for c in clients]
        page = f"/n/{room.slug}/r/{room.seq}/"
        stream_path = f"{room.path}/stream"
        rss_before = sum(s.rss() for s in servers)

        # 1. The screens follow the reading; the chair moves; a page is asked for meanwhile.
        live = Screens()
        _open(live, servers, stream_path, cookies, screens)
        live.start()
        live.wait(lambda: len(live.open_now()) == screens, 60)
        time.sleep(1)
        idle_db = db_connections(pg_url)
        per_move: list[float] = []
        answered: list[float] = []  # the chair's POST, until its answer
        every: list[float] = []
        missed = 0
        peak_db: dict[str, int] = {}
        with Pages(viewers, page) as during:
            for _ in range(moves):
                before = max(s.last for s in live.open_now())
                t0 = time.perf_counter()
                status = chair.send("POST", f"{room.path}/move", {"direction": "next", "csrf_token": chair.token})[0]
                answered.append(time.perf_counter() - t0)
                if status != 302:
                    raise RuntimeError(f"the chair's move answered {status}")
                following = live.open_now()
                live.wait(lambda f=following, b=before: all(s.first_after(b) is not None for s in f), 15)
                got = [s.first_after(before) for s in following]
                times = [t - t0 for t in got if t is not None]
                missed += len(got) - len(times)
                every += times
                per_move.append(max(times))
                now = db_connections(pg_url)
                for state, count in now.items():
                    peak_db[state] = max(peak_db.get(state, 0), count)
                time.sleep(PAUSE)
        rss_200 = sum(s.rss() for s in servers)
        still_open = len(live.open_now())
        live.close()
        time.sleep(1)
        with Pages(viewers, page) as idle:
            time.sleep(max(5.0, min(30.0, moves * 1.0)))

        load = [round(x, 1) for x in os.getloadavg()]  # the machine's other work weighs on every figure
        results["room.latency"] = Stat(
            per_move, extra={"screens": screens, "moves": moves, "load_average": load, **_tail(per_move)}
        )
        results["room.latency_all"] = Stat(
            every, extra={"deliveries": len(every), "missed": missed, "still_open": still_open, **_tail(every)}
        )
        results["room.move_answered"] = Stat(answered, extra=_tail(answered))
        results["room.page_during"] = _page_stat(during)
        results["room.page_idle"] = _page_stat(idle)
        results["room.db_connections"] = Stat(
            [float(sum(idle_db.values()))],
            unit="connections",
            extra={"idle_streams": idle_db, "peak_during_moves": peak_db},
        )

        # 2. Hold 500 streams across the 4 processes; a page must still answer.
        held = Screens()
        _open(held, servers, stream_path, cookies, hold)
        held.start()
        held.wait(lambda: len(held.open_now()) == hold, 60)
        time.sleep(2)
        opened = len(held.open_now())
        answers = Pages(viewers, page)
        with answers:
            time.sleep(5)
        rss_500 = sum(s.rss() for s in servers)
        per_process = sorted((c for s in servers for c in s.connections()), reverse=True)
        hold_db = db_connections(pg_url)
        held.close()
        results["room.open_connections"] = Stat(
            [float(opened)],
            unit="connections",
            extra={
                "tried": hold,
                "refused_or_closed": hold - opened,
                "page_while_held": _tail(answers.times),
                "page_requests": len(answers.times),
                "page_errors": answers.errors,
                "page_unanswered": answers.unanswered,
                "db_connections": hold_db,
                "per_process": per_process,  # the streams and the page's connection at that moment
            },
        )
        results["room.rss"] = Stat(
            [float(rss_before), float(rss_200), float(rss_500)],
            unit="B",
            extra={
                "no_streams": rss_before,
                "streams_following": rss_200,
                "streams_held": rss_500,
                "processes": PROCESSES,
            },
        )
        results["room.command"] = Stat(
            [float(THREADS)], unit="threads", extra={"command": " ".join(servers[0].command[2:])}
        )
    finally:
        for server in servers:
            server.stop()
    return results


def _ms(v: float) -> str:
    return f"{v * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, default=200)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--hold", type=int, default=HOLD, help="streams held open at once at the end")
    parser.add_argument("--database", default="bench_room")
    parser.add_argument(
        "--ports", action="store_true", help="4 gunicorn servers of one worker each, the streams round-robin over them"
    )
    parser.add_argument(
        "--worker-connections", type=int, default=THREADS, help="gunicorn's cap of connections per worker (0: none)"
    )
    parser.add_argument("--workdir", type=Path, help="keep the servers' logs here (default: a temporary folder)")
    args = parser.parse_args()
    host = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *host, "--if-exists", args.database], check=True)
    subprocess.run(["createdb", *host, args.database], check=True)
    with tempfile.TemporaryDirectory(prefix="drafter-bench-room-") as tmp:
        found = room_benchmarks(
            f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.database}",
            args.workdir or Path(tmp),
            screens=args.screens,
            moves=args.moves,
            hold=args.hold,
            one_master=not args.ports,
            worker_connections=args.worker_connections or None,
        )
    for name, stat in found.items():
        x = stat.extra
        if stat.unit == "s":
            print(
                f"{name}: p50 {_ms(x['p50'])}, p99 {_ms(x['p99'])}, max {_ms(x['max_latency'])};"
                f" median {_ms(stat.median)} ({_ms(stat.low)}–{_ms(stat.high)}), n={len(stat.samples)}"
            )
        elif stat.unit == "B":
            print(f"{name}: " + ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in x.items() if k != "processes"))
        else:
            print(f"{name}: median {stat.median:g} {stat.unit} ({stat.low:g}–{stat.high:g})")
        rest = {k: v for k, v in x.items() if k not in ("p50", "p99", "max_latency")}
        if rest and stat.unit != "B":
            print(f"    {rest}")


if __name__ == "__main__":
    main()
