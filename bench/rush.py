"""The deadline rush: 100 delegates submitting proposals in the same 10 seconds, under gunicorn.

The server is ``bench.loadtest.Server`` (gunicorn, 4 sync workers, production settings with CSRF
on) on the PostgreSQL database the page benchmarks loaded. 100 clients, each the delegate of a
different delegation, sign in through the login form beforehand and warm the workers on the
dashboard. Then all start together at a barrier, and each sends its submissions (the propose
form: an amendment of a random paragraph of the last revision, each with its own text) at moments
drawn at random over the 10-second window, as delegations do in the last seconds before a
deadline: a request whose moment has come while the client still waits for its previous answer
is sent as soon as that answer arrives. Each request's latency is measured from its sending to
its answer; the answers are counted as accepted (302), refused (another 4xx answer, e.g. a
conflict) or errors (5xx, or no answer), and the proposals stored are counted afterwards.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from bench.loaddb import Loaded
from bench.loadtest import Client, Server, run_phase
from bench.measure import Stat, percentile

CLIENTS = 100
WINDOW = 10.0
#: submissions of each client within the window
PER_CLIENT = 3


def rush_benchmark(
    database_url: str,
    loaded: Loaded,
    workdir: Path,
    *,
    clients: int = CLIENTS,
    window: float = WINDOW,
    per_client: int = PER_CLIENT,
    seed: int = 7,
) -> dict[str, Stat]:
    """Return the latencies (seconds, one sample per accepted or refused request) of the rush's submissions,
    with p50/p95/p99/max and the counts of requests, accepted, refused and errors."""
    paragraphs = [(pid, text) for pid, text in loaded.paragraphs if text.strip()]
    if len(loaded.delegates) < clients:
        raise RuntimeError(f"the rush needs {clients} delegations, the workload has {len(loaded.delegates)}")
    slug, seq = loaded.slug, loaded.last_seq
    tag = f"in the rush {random.Random(seed).randrange(10**6)}"
    rng = random.Random(seed)
    # Each client's moments (seconds after the start) and paragraphs, drawn before the start.
    plans = [
        [(rng.uniform(0, window), *rng.choice(paragraphs), rng.random()) for _ in range(per_client)]
        for _ in range(clients)
    ]
    for plan in plans:
        plan.sort()
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"accepted": 0, "refused": 0, "errors": 0}
    statuses: dict[str, int] = {}
    last_answer = [0.0]

    with Server(database_url, workdir) as server:
        people = [Client(server.port, email) for email in loaded.delegates[:clients]]
        run_phase(
            "warmup", people, lambda c, n, r: ("GET", "/", None), expect=200, max_requests=2 * clients, max_seconds=20
        )
        barrier = threading.Barrier(clients + 1)
        start = [0.0]

        def work(k: int, c: Client) -> None:
            barrier.wait()
            for j, (at, pid, text, cut) in enumerate(plans[k]):
                delay = start[0] + at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                words = text.split(" ")
                split = 1 + int(cut * max(1, len(words) - 1))
                amended = " ".join(words[:split] + [f"and measure {k}.{j} {tag}"] + words[split:])
                form = {
                    "kind": "amend",
                    "paragraph": str(pid),
                    "text": amended,
                    "justification": "",
                    "csrf_token": c.token,
                }
                t0 = time.perf_counter()
                try:
                    status, _, _ = c.send("POST", f"/n/{slug}/r/{seq}/propose", form)
                    key = str(status)
                except OSError as e:
                    status, key = 0, type(e).__name__
                t1 = time.perf_counter()
                with lock:
                    statuses[key] = statuses.get(key, 0) + 1
                    last_answer[0] = max(last_answer[0], t1)
                    if status == 302:
                        counts["accepted"] += 1
                    elif 400 <= status < 500:
                        counts["refused"] += 1
                    else:
                        counts["errors"] += 1
                    if status:
                        latencies.append(t1 - t0)

        threads = [threading.Thread(target=work, args=(k, c), daemon=True) for k, c in enumerate(people)]
        for t in threads:
            t.start()
        start[0] = time.perf_counter() + 0.05  # every thread past the barrier before the first moment
        barrier.wait()
        for t in threads:
            t.join(window + 120)

    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            stored = conn.scalar(
                sa.text("SELECT count(*) FROM proposals WHERE proposed_text LIKE :tag"), {"tag": f"%{tag}%"}
            )
    finally:
        engine.dispose()
    sent = sum(statuses.values())
    stat = Stat(
        latencies or [float("nan")],
        extra={
            "clients": clients,
            "workers": 4,
            "window_seconds": window,
            "requests": sent,
            **counts,
            "stored": stored,
            "statuses": statuses,
            "seconds": round(last_answer[0] - start[0], 2) if sent else 0.0,
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99),
            "max_latency": max(latencies) if latencies else float("nan"),
        },
    )
    return {"rush.submit": stat}
