"""Reading uploads: a draft .docx of the whole revision, and a delegation's tracked .docx.

The draft is the clean export of the last revision (what a co-facilitator re-imports); the
tracked file is the last revision with a delegation's edits as Word revision marks, made with
``drafter.word.tracked`` until it holds 300 ``w:ins``/``w:del`` marks (and a second one with
1,000, planned and submitted as well, under the keys ``import.tracked_docx_1000.*``). Each is read with
``drafter.importing.services.read_draft`` (a draft) and, with the database, turned into planned
proposals with ``drafter.importing.proposals.plan_upload`` and submitted with ``submit_plan``
(in a transaction rolled back afterwards, so the database stays as loaded).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from typing import Any

from flask import Flask

from bench.core import DATE, header, tracked_rows
from bench.loaddb import Loaded
from bench.measure import Stat, peak_memory, timed
from bench.workload import Para, Workload, _Writer
from drafter.word.package import save_docx
from drafter.word.tracked import write_tracked

CHANGES = 300
#: the marks of the larger tracked upload
MANY_CHANGES = 1000
_MARK = re.compile(rb"<w:(?:ins|del) ")


def count_marks(data: bytes) -> int:
    """Return the number of w:ins and w:del elements in a .docx's main part."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return len(_MARK.findall(z.read("word/document.xml")))


def tracked_upload(w: Workload, changes: int = CHANGES) -> tuple[bytes, int]:
    """Return a delegation's tracked .docx on the last revision with about ``changes`` marks."""
    rng = random.Random(f"tracked:{w.seed}:{w.scale}")
    writer = _Writer(rng)
    base = w.revisions[-1]
    edited = list(base)
    body = [i for i, p in enumerate(base) if p.kind.value != "heading"]
    rng.shuffle(body)
    data, marks = b"", 0
    edits, due = 0, 0
    # More marks than one edit per paragraph gives: the paragraphs are edited again, pass after pass.
    for again in range(8):
        for i in body:
            p = edited[i]
            edited[i] = Para(p.pid, p.kind, p.level, writer.edit(p.text, foreign=False), p.italic_chars)
            edits += 1
            # Each edit gives one to four marks; write the file only when the goal may be reached:
            # the first file with enough marks is the same as if it were written after each edit.
            near = edits >= due and (again or sum(a.text != b.text for a, b in zip(base, edited)) * 4 >= changes)
            if i == body[-1] or near:
                doc = write_tracked(
                    header(w, "Rev.11", ""), tracked_rows(base, edited), author="Delegation of Mexico", date=DATE
                )
                data = save_docx(doc, timestamp=DATE)
                marks = count_marks(data)
                if marks >= changes:
                    return data, marks
                due = edits + -(-(changes - marks) // 4)
    return data, marks


def import_benchmarks(
    w: Workload,
    files: dict[str, bytes],
    *,
    reps: int,
    memory: bool,
    app: Flask | None = None,
    loaded: Loaded | None = None,
) -> tuple[dict[str, Stat], list[str]]:
    """Time reading the draft and the tracked file; with a database, planning and submitting its proposals."""
    notes: list[str] = []
    out: dict[str, Stat] = {}
    try:
        from drafter.importing.services import read_draft
    except ImportError as e:  # pragma: no cover - the docx import is being written
        return out, [f"import skipped: drafter.importing.services.read_draft is not importable ({e})"]
    draft = files["clean"]
    tracked, marks = tracked_upload(w)

    def read_clean() -> Any:
        return read_draft("revision.docx", draft)

    try:
        found = len(read_clean().paragraphs)
    except Exception as e:  # report, do not stop the whole run
        notes.append(f"import of the draft .docx skipped: {type(e).__name__}: {e}")
    else:
        out["import.draft_docx"] = timed(read_clean, reps=reps)
        out["import.draft_docx"].extra = {
            "paragraphs_in": len(w.revisions[-1]),
            "paragraphs_read": found,
            "bytes": len(draft),
        }
        if memory:
            out["memory.import.draft_docx"] = peak_memory(read_clean)
    try:
        from drafter.word.reader import read_docx
    except ImportError as e:  # pragma: no cover
        notes.append(f"tracked .docx reading skipped: {e}")
        return out, notes
    out["import.tracked_docx.read"] = timed(lambda: read_docx(tracked), reps=reps)
    out["import.tracked_docx.read"].extra = {"marks": marks, "bytes": len(tracked)}
    if memory:
        out["memory.import.tracked_docx.read"] = peak_memory(lambda: read_docx(tracked))
    if app is None or loaded is None:
        return out, notes
    if "import.draft_docx" in out:
        out.update(_import_revision(app, loaded, read_clean().paragraphs, reps=reps, notes=notes))
    try:
        from drafter.importing.proposals import plan_upload, submit_plan
    except ImportError as e:
        notes.append(f"proposals from a tracked .docx skipped: drafter.importing.proposals is not importable ({e})")
        return out, notes
    for key, (data, count) in (
        ("import.tracked_docx", (tracked, marks)),
        ("import.tracked_docx_1000", tracked_upload(w, changes=MANY_CHANGES)),
    ):
        out.update(
            _plan_and_submit(
                app,
                loaded,
                data,
                count,
                reps=reps,
                memory=memory,
                notes=notes,
                plan_upload=plan_upload,
                submit_plan=submit_plan,
                key=key,
            )
        )
    return out, notes


def _import_revision(
    app: Flask, loaded: Loaded, paragraphs: list[Any], *, reps: int, notes: list[str]
) -> dict[str, Stat]:
    """Time confirming the import of the draft as the next revision (``drafting.import_revision``:
    alignment with the latest revision, lineage, numbering, rows flushed), rolled back each time."""
    import sqlalchemy as sa

    from drafter.auth.models import User
    from drafter.drafting import services as drafting
    from drafter.drafting.models import Negotiation
    from drafter.extensions import db

    out: dict[str, Stat] = {}
    with app.app_context():
        state: dict[str, Any] = {}

        def before() -> None:
            db.session.rollback()
            db.session.remove()
            state["n"] = db.session.scalar(sa.select(Negotiation).where(Negotiation.slug == loaded.slug))
            state["user"] = db.session.scalar(sa.select(User).where(User.email == loaded.cofacilitator))

        def confirm() -> None:
            drafting.import_revision(
                db.session, state["user"], state["n"], label="Imported again", paragraphs=paragraphs
            )
            db.session.flush()

        try:
            out["import.revision_confirm"] = timed(confirm, reps=reps, before=before)
        except Exception as e:
            notes.append(f"import_revision failed: {type(e).__name__}: {e}")
        db.session.rollback()
        db.session.remove()
    return out


def _plan_and_submit(
    app: Flask,
    loaded: Loaded,
    data: bytes,
    marks: int,
    *,
    reps: int,
    memory: bool,
    notes: list[str],
    plan_upload: Any,
    submit_plan: Any,
    key: str = "import.tracked_docx",
) -> dict[str, Stat]:
    import sqlalchemy as sa

    from drafter.auth.models import User
    from drafter.drafting.models import Negotiation
    from drafter.drafting.queries import revision_by_seq
    from drafter.extensions import db

    out: dict[str, Stat] = {}
    with app.app_context():
        state: dict[str, Any] = {}

        def before() -> None:
            db.session.rollback()
            db.session.remove()
            s = db.session
            n = s.scalar(sa.select(Negotiation).where(Negotiation.slug == loaded.slug))
            state["rev"] = revision_by_seq(s, n, loaded.last_seq)
            state["user"] = s.scalar(sa.select(User).where(User.email == loaded.delegates[-1]))
            state["del"] = state["user"].memberships[0].delegation

        def plan() -> Any:
            return plan_upload(db.session, state["rev"], state["del"], "proposals.docx", data)

        def plan_and_submit() -> Any:
            p = plan()
            submitted = submit_plan(db.session, state["user"], state["rev"], state["del"], p)
            db.session.flush()
            state["count"] = (len(p.proposals), len(submitted), len(p.mismatches), len(p.problems))
            return submitted

        try:
            before()
            plan_and_submit()
        except Exception as e:
            notes.append(f"proposals from a tracked .docx failed: {type(e).__name__}: {e}")
            db.session.rollback()
            return out
        out[f"{key}.plan"] = timed(plan, reps=reps, before=before)
        out[f"{key}.plan_submit"] = timed(plan_and_submit, reps=reps, before=before)
        planned, submitted, mismatches, problems = state["count"]
        out[f"{key}.plan_submit"].extra = {
            "marks": marks,
            "planned": planned,
            "submitted": submitted,
            "mismatches": mismatches,
            "problems": problems,
        }
        if memory:
            out[f"memory.{key}.plan_submit"] = peak_memory(plan_and_submit, before=before)
        db.session.rollback()
        db.session.remove()
    return out
