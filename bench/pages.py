"""Server time of the heaviest pages, through the Flask test client, and the Word exports
through ``drafter.exporting.services`` on the same database.

Pages are fetched signed in as a co-facilitator (who sees every proposal). "Cold" clears the
word-diff cache before each request (a worker that has not shown these texts yet, or the
cache of 16,384 diffs overflowed); "warm" repeats the request with the cache as it is.

The proposals are loaded in bulk without the copy of their word diff that ``proposals.services``
writes with each proposal, as rows made before the copy was kept: the compilation's first view
makes the copies (timed once, as ``compilation.first``), and the cold and warm runs read them.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from bench.loaddb import PASSWORD, Loaded
from bench.measure import Stat, peak_memory, timed
from drafter.text.diff import word_diff


def page_urls(loaded: Loaded) -> dict[str, str]:
    """Return the heavy pages by name."""
    slug, last = loaded.slug, loaded.last_seq
    return {
        "revision": f"/n/{slug}/r/{last}/",
        "compare": f"/n/{slug}/compare?from={last - 1}&to={last}",
        "compare_zero": f"/n/{slug}/compare?from=1&to={last}",
        "compilation": f"/n/{slug}/r/{last}/compilation",
        "history": f"/n/{slug}/p/{loaded.history_paragraph}/",
        "api_revision": f"/api/v1/negotiations/{slug}/revisions/{last}",
    }


def signed_in(app: Flask, email: str) -> Any:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in as {email}: {response.status_code}")
    return client


def _forget_diffs(app: Flask) -> None:
    """Empty this process's word diffs and those the database keeps for comparisons."""
    import sqlalchemy as sa

    from drafter.drafting.models import KnownDiff
    from drafter.extensions import db

    word_diff.cache_clear()
    with app.app_context():
        db.session.execute(sa.delete(KnownDiff))
        db.session.commit()


def page_benchmarks(app: Flask, loaded: Loaded, *, reps: int, prefix: str) -> dict[str, Stat]:
    """Time each heavy page, cold and warm; check it answers 200."""
    client = signed_in(app, loaded.cofacilitator)
    out: dict[str, Stat] = {}
    for name, url in page_urls(loaded).items():
        sizes: list[int] = []

        def get() -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            sizes.append(len(response.data))

        if name == "compilation":
            first = timed(get, reps=1, min_reps=1, before=word_diff.cache_clear)
            first.extra = {"url": url, "note": "makes the copies of the diffs of rows loaded in bulk"}
            out[f"{prefix}.{name}.first"] = first
        if name in ("compare", "compare_zero"):
            first = timed(get, reps=1, min_reps=1, before=lambda: _forget_diffs(app))
            first.extra = {"url": url, "note": "no pair's diff kept yet: makes and keeps them"}
            out[f"{prefix}.{name}.first"] = first
        cold = timed(get, reps=reps, before=word_diff.cache_clear, budget=12)
        warm = timed(get, reps=reps, warmup=1, budget=12)
        cold.extra = {"url": url, "bytes": sizes[-1]}
        warm.extra = {"url": url}
        out[f"{prefix}.{name}.cold"] = cold
        out[f"{prefix}.{name}.warm"] = warm
    return out


def export_benchmarks(app: Flask, loaded: Loaded, *, reps: int, memory: bool) -> dict[str, Stat]:
    """Time the clean, tracked, compilation and Akoma Ntoso exports of the last revision as the app makes
    them (database to bytes, not archived), word-diff cache cleared; optionally their peak memory."""
    import sqlalchemy as sa

    from drafter.drafting.models import Negotiation
    from drafter.drafting.queries import revision_by_seq
    from drafter.exporting import services as exports
    from drafter.extensions import db

    out: dict[str, Stat] = {}
    with app.app_context():

        def revisions() -> tuple[Any, Any]:
            db.session.remove()  # a fresh session per run: rows are read from the database each time
            n = db.session.scalar(sa.select(Negotiation).where(Negotiation.slug == loaded.slug))
            return revision_by_seq(db.session, n, loaded.last_seq - 1), revision_by_seq(db.session, n, loaded.last_seq)

        def before() -> None:
            word_diff.cache_clear()
            state["old"], state["new"] = revisions()

        state: dict[str, Any] = {}
        steps = {
            "clean": lambda: exports.clean_export(db.session, state["new"]),
            "tracked": lambda: exports.tracked_export(db.session, state["old"], state["new"]),
            "compilation": lambda: exports.compilation_export(db.session, state["new"], style="formatted"),
            "compilation_tracked": lambda: exports.compilation_export(db.session, state["new"], style="tracked"),
            "akn": lambda: exports.akn_export(db.session, state["new"]),
        }
        for name, fn in steps.items():
            out[f"export.{name}.service"] = timed(fn, reps=reps, before=before, budget=12)
            if memory:
                out[f"memory.export.{name}"] = peak_memory(fn, before=before)
        db.session.remove()
    return out
