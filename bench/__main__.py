"""Run the benchmarks: ``python -m bench [--full] [--scales 1,4] [--reps 5] ...``.

By default scales 1× and 4× (8 to 10 minutes on two cores); ``--full`` adds 16× (about 35 minutes).
PostgreSQL is used when reachable at ``BENCH_DATABASE_URL`` (default
postgresql://postgres@127.0.0.1/bench; the database ``bench`` is created when absent), else the
PostgreSQL figures and the gunicorn load test are skipped with a note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from bench import core, editor, imports, large, loaddb, loadtest, pages, peers, report, room, rush, search
from bench.measure import Stat
from bench.workload import SEED, generate

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
PG_DEFAULT = "postgresql://postgres@127.0.0.1/bench"


def postgres_url(url: str, notes: list[str]) -> str | None:
    """Return the URL of a reachable PostgreSQL benchmark database, creating it if needed; else None."""
    import psycopg

    from drafter.config import _normalise_url

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    name = plain.rsplit("/", 1)[-1].split("?", 1)[0]
    if name in ("test", "postgres", "template0", "template1"):
        notes.append(f"PostgreSQL skipped: refusing to use the database {name!r} for benchmarks.")
        return None
    try:
        psycopg.connect(plain, connect_timeout=3).close()
    except psycopg.OperationalError as e:
        if f'database "{name}" does not exist' not in str(e):
            notes.append(f"PostgreSQL skipped: not reachable at {plain} ({str(e).strip().splitlines()[0]}).")
            return None
        try:
            with psycopg.connect(plain.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as e2:
            notes.append(f"PostgreSQL skipped: could not create the database {name!r} ({e2}).")
            return None
    return _normalise_url(plain)


def _room(pg: str, workdir: Path) -> dict[str, Stat]:
    """Run the room's benchmark on a database of its own beside ``pg`` (it makes its tables anew)."""
    base, _, _ = pg.rpartition("/")
    host = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *host, "--if-exists", "bench_room"], check=True, capture_output=True)
    subprocess.run(["createdb", *host, "bench_room"], check=True, capture_output=True)
    return room.room_benchmarks(f"{base}/bench_room", workdir / "room")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,4", help="comma-separated scale factors (default 1,4)")
    parser.add_argument("--full", action="store_true", help="add the 16× scale (long)")
    parser.add_argument("--reps", type=int, default=5, help="repetitions per figure (fewer for slow ones, at least 3)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL", PG_DEFAULT))
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only; no load test")
    parser.add_argument("--no-load-test", action="store_true")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument(
        "--no-large",
        action="store_true",
        help="skip the 4,000-paragraph import and the 3,000-paragraph tracked export (about a minute)",
    )
    parser.add_argument("--load-seconds", type=float, default=30.0, help="time limit of each load phase")
    parser.add_argument("--load-requests", type=int, default=3000, help="request limit of each load phase")
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    scales = sorted({int(s) for s in args.scales.split(",") if s.strip()} | ({16} if args.full else set()))

    started = time.time()
    notes: list[str] = []
    results: report.Results = {}
    workloads: dict[int, Any] = {}
    load_before = os.getloadavg()
    pg = None if args.no_postgres else postgres_url(args.postgres, notes)

    def keep(found: dict[str, Stat], scale: int) -> None:
        for k, v in found.items():
            results.setdefault(k, {})[scale] = v

    def step(title: str, fn, *a: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        print(f"  {title} ...", end="", flush=True, file=sys.stderr)
        try:
            value = fn(*a, **kw)
        except Exception as e:  # one failing step is reported, the others still run
            print(f" failed: {type(e).__name__}: {e}", file=sys.stderr)
            notes.append(f"{title} failed: {type(e).__name__}: {e}")
            traceback.print_exc(limit=3, file=sys.stderr)
            return None
        print(f" {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        return value

    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        workdir = Path(tmp)
        for scale in scales:
            print(f"scale {scale}×", file=sys.stderr)
            w = step("generate the workload", generate, scale, args.seed)
            workloads[scale] = w.stats()
            reps = args.reps
            found = step("word diffs", core.diff_benchmarks, w, reps=reps)
            keep(found or {}, scale)
            keep(step("alignment", core.align_benchmarks, w, reps=reps) or {}, scale)
            writers = step("Word writers and floors", core.writer_benchmarks, w, reps=reps)
            files = {}
            if writers:
                keep(writers[0], scale)
                files = writers[1]
            sqlite_app = loaddb.make_app(f"sqlite:///{workdir / f'bench-{scale}.sqlite'}", workdir)
            loaded = step("load SQLite (services; not timed)", loaddb.load, sqlite_app, w)
            if loaded is None:
                continue
            workloads[scale]["setup_seconds_sqlite"] = round(loaded.setup_seconds, 1)
            workloads[scale]["rows"] = loaded.counts
            keep(
                step("pages on SQLite", pages.page_benchmarks, sqlite_app, loaded, reps=reps, prefix="sqlite") or {},
                scale,
            )
            keep(
                step("editor on SQLite", editor.editor_benchmarks, sqlite_app, loaded, reps=reps, prefix="sqlite")
                or {},
                scale,
            )
            keep(
                step("search on SQLite", search.search_benchmarks, sqlite_app, loaded, reps=reps, prefix="sqlite")
                or {},
                scale,
            )
            keep(
                step(
                    "exports through the services",
                    pages.export_benchmarks,
                    sqlite_app,
                    loaded,
                    reps=reps,
                    memory=not args.no_memory,
                )
                or {},
                scale,
            )
            if scale == 1:
                got = step(
                    "peers: LibreOffice's compare, Drafter's tracked export",
                    peers.peer_benchmarks,
                    w,
                    workdir,
                    reps=reps,
                )
                if got:
                    keep(got[0], scale)
                    notes.extend(n for n in got[1] if n not in notes)
            if files:
                got = step(
                    "imports",
                    imports.import_benchmarks,
                    w,
                    files,
                    reps=reps,
                    memory=not args.no_memory,
                    app=sqlite_app,
                    loaded=loaded,
                )
                if got:
                    keep(got[0], scale)
                    notes.extend(n for n in got[1] if n not in notes)
            if pg:
                pg_app = loaddb.make_app(pg, workdir)
                seconds = step("copy to PostgreSQL (not timed)", loaddb.copy_database, sqlite_app, pg_app)
                if seconds is not None:
                    keep(
                        step("pages on PostgreSQL", pages.page_benchmarks, pg_app, loaded, reps=reps, prefix="postgres")
                        or {},
                        scale,
                    )
                    keep(
                        step(
                            "editor on PostgreSQL",
                            editor.editor_benchmarks,
                            pg_app,
                            loaded,
                            reps=reps,
                            prefix="postgres",
                        )
                        or {},
                        scale,
                    )
                    keep(
                        step(
                            "search on PostgreSQL",
                            search.search_benchmarks,
                            pg_app,
                            loaded,
                            reps=reps,
                            prefix="postgres",
                        )
                        or {},
                        scale,
                    )
                    if scale == 1 and not args.no_load_test:
                        keep(
                            step(
                                "gunicorn load test",
                                loadtest.submission_benchmark,
                                pg,
                                loaded,
                                workdir,
                                max_requests=args.load_requests,
                                max_seconds=args.load_seconds,
                            )
                            or {},
                            scale,
                        )
                        keep(step("deadline rush", rush.rush_benchmark, pg, loaded, workdir) or {}, scale)
                        keep(step("the room, 200 screens", _room, pg, workdir) or {}, scale)
                with pg_app.app_context():
                    from drafter.extensions import db

                    db.engine.dispose()
            with sqlite_app.app_context():
                from drafter.extensions import db

                db.engine.dispose()
        if not args.no_large:
            print(f"scale {report.LARGE_SCALE}× (at the edge of the limits)", file=sys.stderr)
            keep(
                step(
                    "4,000 pasted paragraphs, tracked export at 3,000",
                    large.large_benchmarks,
                    workdir,
                    reps=args.reps,
                    seed=args.seed,
                )
                or {},
                report.LARGE_SCALE,
            )
    if not pg:
        notes.append("PostgreSQL figures and the gunicorn load test were skipped.")

    table = report.markdown(results, scales)
    info = report.machine()
    info["load_average_before"] = [round(x, 2) for x in load_before]
    info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if pg:
        try:
            import psycopg

            with psycopg.connect(pg.replace("postgresql+psycopg://", "postgresql://")) as conn:
                info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
        except Exception:
            pass
    payload = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started),
        "machine": info,
        "scales": scales,
        "seed": args.seed,
        "reps": args.reps,
        "workload": workloads,
        "notes": notes,
        "table_markdown": table,
        "targets_markdown": report.summary(results),
    }
    report.write_json(args.json, payload, results)
    print(
        f"\nDrafter benchmarks, {payload['when']}, {info['cpu']} ({info['cores']} cores, {info['memory']}), "
        f"Python {info['python']}, SQLite {info['sqlite']}"
        + (f", PostgreSQL {info.get('postgresql')}" if pg else "")
        + f"; load average {info['load_average_before'][0]} before, {info['load_average_after'][0]} after."
    )
    print("Times: median [min–max] of the repetitions; growth: median at 4× ÷ median at 1×.\n")
    print(table)
    print("Targets:\n")
    print(report.summary(results))
    for n in notes:
        print(f"Note: {n}")
    print(f"\nWritten to {args.json} in {payload['seconds']} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
