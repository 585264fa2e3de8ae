"""Server time of the co-facilitators' editor: the whole page, and one change of status made the
two ways the page offers: without JavaScript (the form's POST, then the editor page again, as the
browser follows the redirect) and in place (the POST asking for JSON, answered with the changed row).

A working revision is started from the last one for the measurement and discarded after it, so the
database is left as the other benchmarks expect it.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from bench.loaddb import Loaded
from bench.measure import Stat, timed
from bench.pages import signed_in


def editor_benchmarks(app: Flask, loaded: Loaded, *, reps: int, prefix: str) -> dict[str, Stat]:
    from drafter.auth.models import User
    from drafter.drafting import services
    from drafter.drafting.models import Negotiation
    from drafter.extensions import db

    with app.app_context():
        n = db.session.query(Negotiation).filter_by(slug=loaded.slug).one()
        actor = db.session.query(User).filter_by(email=loaded.cofacilitator).one()
        rev = services.start_revision(db.session, actor, n, label="Bench working revision")
        db.session.commit()
        seq = rev.seq
    client = signed_in(app, loaded.cofacilitator)
    base = f"/n/{loaded.slug}/r/{seq}"
    pid = loaded.paragraphs[len(loaded.paragraphs) // 2][0]
    state: dict[str, Any] = {"i": 0, "bytes": {}}
    statuses = ("pending", "agreed_ad_ref")

    def version() -> str:
        page = client.get(f"{base}/p/{pid}/edit").get_data(as_text=True)
        return re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]

    def page() -> None:
        r = client.get(f"{base}/edit")
        if r.status_code != 200:
            raise RuntimeError(f"the editor answered {r.status_code}")
        state["bytes"]["page"] = len(r.data)

    def change(json: bool) -> None:
        state["i"] += 1
        data = {"status": statuses[state["i"] % 2], "version": state["v"]}
        headers = {"Accept": "application/json"} if json else {}
        r = client.post(f"{base}/p/{pid}/status", data=data, headers=headers)
        if json:
            if r.status_code != 200:
                raise RuntimeError(f"the status in place answered {r.status_code}")
            state["bytes"]["inplace"] = len(r.data)
        else:
            if r.status_code != 302:
                raise RuntimeError(f"the status form answered {r.status_code}")
            page()
        state["v"] = str(int(state["v"]) + 1)

    def before() -> None:
        state["v"] = version()

    out = {
        f"{prefix}.editor.page": timed(page, reps=reps, warmup=1, budget=12),
        f"{prefix}.editor.status_reload": timed(lambda: change(False), reps=reps, before=before, budget=12),
        f"{prefix}.editor.status_inplace": timed(lambda: change(True), reps=reps, before=before, budget=12),
    }
    out[f"{prefix}.editor.page"].extra = {"bytes": state["bytes"].get("page")}
    out[f"{prefix}.editor.status_inplace"].extra = {"bytes": state["bytes"].get("inplace")}
    with app.app_context():
        from drafter.drafting.queries import revision_by_seq

        n = db.session.query(Negotiation).filter_by(slug=loaded.slug).one()
        working = revision_by_seq(db.session, n, seq)
        actor = db.session.query(User).filter_by(email=loaded.cofacilitator).one()
        services.discard_revision(db.session, actor, working)
        db.session.commit()
    return out
