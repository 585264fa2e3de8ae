"""At the edge of the limits: a 4,000-paragraph paste against a 3,000-paragraph revision, and the
tracked export between two revisions of 3,000 paragraphs.

The revisions are the last two of the workload at scale 15 (200 × 15 paragraphs), imported into
their own SQLite database with their identities. The paste is the next revision of the last one
(a quarter of its paragraphs changed, as the generator changes them) with new paragraphs spread
through it up to 4,000, typed as a co-facilitator pastes a text: numbers before operative
paragraphs, letters before subparagraphs. Through the Flask test client, signed in as a
co-facilitator, three requests are timed: the paste (parsed and kept), the preview page
(aligned and rendered) and the confirmation with the choice of every list as the browser
sends it (the revision saved); each must answer well within a worker's 30 s.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path
from typing import Any

from bench.core import DATE, doc_paragraphs, header, tracked_rows
from bench.loaddb import PASSWORD, make_app, reset_schema
from bench.measure import Stat, timed
from bench.report import LARGE_SCALE as SCALE
from bench.workload import Para, Workload, _next_revision, _Writer, generate
from drafter.lifecycle import services as lifecycle
from drafter.text.align import align
from drafter.text.diff import word_diff
from drafter.text.structure import Kind
from drafter.word.package import save_docx
from drafter.word.tracked import write_tracked

PASTED = 4_000
SLUG = "bench-large"
_SELECT = re.compile(r'<select id="(pair-\d+)"[^>]*>(.*?)</select>', re.S)
_SELECTED = re.compile(r'<option value="([^"]+)" selected')


def pasted_paragraphs(w: Workload, total: int = PASTED) -> list[Para]:
    """Return the next revision of the workload's last one, with new paragraphs up to ``total``."""
    rng = random.Random(f"pasted:{w.seed}:{w.scale}")
    writer = _Writer(rng)
    next_pid = [max(p.pid for r in w.revisions for p in r) + 1]
    out = _next_revision(writer, w.revisions[-1], next_pid)
    while len(out) < total:
        k = rng.randrange(len(out) + 1)
        kind = Kind.OPERATIVE if k == len(out) or out[k].kind is not Kind.PREAMBULAR else Kind.PREAMBULAR
        out.insert(k, Para(next_pid[0], kind, 0, writer.paragraph(kind, foreign=rng.random() < 0.09)))
        next_pid[0] += 1
    return out


def pasted_text(paras: list[Para]) -> str:
    """Return the paragraphs as pasted text: blocks separated by blank lines, with their numbers."""
    blocks = []
    for p in doc_paragraphs(paras):
        label = p.number_label
        blocks.append(
            f"{label}. {p.text}" if label and p.kind is Kind.OPERATIVE else f"{label} {p.text}" if label else p.text
        )
    return "\n\n".join(blocks)


def browser_form(html: str) -> dict[str, str]:
    """Return what a browser submits from the preview: each choice list's selected option."""
    form = {}
    for m in _SELECT.finditer(html):
        choice = _SELECTED.search(m.group(2))
        form[m.group(1)] = choice.group(1) if choice else "new"
    return form


def _load(app: Any, w: Workload) -> tuple[int, int]:
    """Import the workload's last two revisions with their identities; return their ids."""
    from drafter.auth import services as accounts
    from drafter.auth.models import Role
    from drafter.drafting import services as drafting
    from drafter.extensions import db
    from drafter.text.structure import ParsedParagraph

    reset_schema(app)
    with app.app_context():
        s = db.session
        n = drafting.create_negotiation(s, None, slug=SLUG, title=w.title)
        cofac = accounts.create_user(s, None, email="cofac@large.example", name="Co-facilitator", password=PASSWORD)
        accounts.grant_role(s, None, user=cofac, negotiation=n, role=Role.COFACILITATOR)
        ids: list[int] = []
        previous: list[int] = []
        for k, paras in enumerate(w.revisions[-2:]):
            index = {pid: i for i, pid in enumerate(previous)}
            pairing = {j: index.get(p.pid) for j, p in enumerate(paras)} if previous else None
            parsed = [
                ParsedParagraph(
                    kind=p.kind,
                    text=p.text,
                    level=p.level if p.kind is Kind.SUBPARAGRAPH else 0,
                    italic_chars=p.italic_chars,
                )
                for p in paras
            ]
            now = DATE + dt.timedelta(days=14 * k)
            rev = drafting.import_revision(
                s, cofac, n, label=drafting.next_label(s, n), paragraphs=parsed, pairing=pairing, now=now
            )
            lifecycle.circulate(s, cofac, rev, deadline=now + dt.timedelta(days=10), now=now)
            s.commit()
            ids.append(rev.id)
            previous = [p.pid for p in paras]
        db.session.remove()
    return ids[0], ids[1]


def large_benchmarks(workdir: Path, *, reps: int, seed: int | None = None) -> dict[str, Stat]:
    """Time alignment, the three requests of a paste import, and the tracked export, at 3,000 paragraphs."""
    from drafter.drafting import services as drafting
    from drafter.drafting.models import Negotiation, Revision
    from drafter.drafting.queries import working_revision
    from drafter.exporting.services import tracked_export
    from drafter.extensions import db

    w = generate(SCALE) if seed is None else generate(SCALE, seed)
    base, pasted = w.revisions[-1], pasted_paragraphs(w)
    old_texts, new_texts = [p.text for p in base], [p.text for p in pasted]
    sizes = {"paragraphs_before": len(base), "paragraphs_pasted": len(pasted)}
    out: dict[str, Stat] = {}
    out["large.align"] = timed(lambda: align(old_texts, new_texts), reps=reps, budget=30)
    out["large.align"].extra = dict(sizes)

    app = make_app(f"sqlite:///{workdir / 'bench-large.sqlite'}", workdir)
    rev_old, rev_new = _load(app, w)
    text = pasted_text(pasted)
    client = app.test_client()
    if client.post("/login", data={"email": "cofac@large.example", "password": PASSWORD}).status_code != 302:
        raise RuntimeError("could not sign in as the co-facilitator")
    state: dict[str, Any] = {}

    def paste() -> None:
        response = client.post(f"/n/{SLUG}/import", data={"text": text})
        if response.status_code != 302:
            raise RuntimeError(f"the paste answered {response.status_code}")
        state["preview"] = response.headers["Location"]

    def page() -> None:
        response = client.get(state["preview"])
        if response.status_code != 200:
            raise RuntimeError(f"the preview answered {response.status_code}")
        state["html"] = response.get_data(as_text=True)

    def discard() -> None:
        with app.app_context():
            n = db.session.query(Negotiation).filter_by(slug=SLUG).one()
            working = working_revision(db.session, n)
            if working is not None:
                drafting.discard_revision(db.session, None, working)
                db.session.commit()
            db.session.remove()

    def fresh_preview() -> None:
        discard()
        paste()
        page()
        state["form"] = {**browser_form(state["html"]), "action": "save", "label": "Imported again"}

    def confirm() -> None:
        response = client.post(state["preview"], data=state["form"])
        if response.status_code != 302 or "/edit" not in response.headers.get("Location", ""):
            raise RuntimeError(f"the confirmation answered {response.status_code} {response.headers.get('Location')}")

    out["large.preview.paste"] = timed(paste, reps=reps)
    out["large.preview.page"] = timed(page, reps=reps, before=word_diff.cache_clear)
    out["large.preview.page"].extra = {**sizes, "bytes": len(state["html"])}
    out["large.preview.confirm"] = timed(confirm, reps=reps, before=fresh_preview, budget=30)
    out["large.preview.confirm"].extra = {
        "paired": sum(v != "new" for k, v in state["form"].items() if k.startswith("pair-"))
    }
    discard()

    with app.app_context():

        def export() -> None:
            db.session.expire_all()
            state["bytes"] = len(
                tracked_export(db.session, db.session.get(Revision, rev_old), db.session.get(Revision, rev_new)).data
            )

        out["large.export.tracked.service"] = timed(export, reps=reps, before=word_diff.cache_clear)
        out["large.export.tracked.service"].extra = {"paragraphs": len(base), "bytes": state["bytes"]}
        db.session.remove()
        db.engine.dispose()

    old, new = w.revisions[-2], w.revisions[-1]

    def writer() -> None:
        rows = tracked_rows(old, new)
        doc = write_tracked(header(w, "Rev.11", "Changes against Rev.10"), rows, author="Co-facilitators", date=DATE)
        save_docx(doc, timestamp=DATE)

    out["large.export.tracked.writer"] = timed(writer, reps=reps, before=word_diff.cache_clear)
    return out
