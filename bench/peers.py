"""Peers side by side, in the same run, on the same pair: LibreOffice's Compare Documents against
Drafter's tracked export.

The pair is the real one when ``../shared/corpus/un`` is present (the G-77 draft A/C.2/80/L.17
and the facilitator's draft A/C.2/80/L.58 of the ICT for sustainable development resolution, read
from their texts with Drafter's importer), else the generated workload's last two revisions. Both
revisions are imported into their own SQLite database and circulated; their clean .docx exports
are the two files LibreOffice is given, so both tools work from the same texts.

LibreOffice: one headless soffice with a fresh profile, driven over UNO by a small script under
the system Python (Debian's python3-uno; the venv cannot ``import uno``), as the LibreOffice
tests do. After one warm-up run, each run loads the newer .docx, dispatches
``.uno:CompareDocuments`` with the older file's URL, stores the result as .docx and closes it;
the script times each run itself (and its three steps). Drafter: ``exporting.services.
tracked_export`` of the newer revision against the older, as the app makes it (database rows to
.docx bytes, fresh session, word-diff cache cleared), also after one warm-up run. The ``w:ins`` and ``w:del`` elements in each
tool's file (body and footnotes) are counted, so a run in which LibreOffice found no changes shows.
The ratio is LibreOffice's median over Drafter's (LibreOffice the baseline).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import uuid
import zipfile
from pathlib import Path
from typing import Any

from bench.loaddb import make_app, reset_schema
from bench.measure import Stat, timed
from bench.workload import Workload

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "un"
#: the older and the newer text of the real pair
PAIR = ("ict4sd-g77-draft-A_C.2_80_L.17.txt", "ict4sd-facilitator-draft-A_C.2_80_L.58.txt")
SYSTEM_PYTHON = os.environ.get("DRAFTER_UNO_PYTHON", "/usr/bin/python3")
SLUG = "bench-peers"
_MARK = re.compile(rb"<w:(ins|del)[ >]")

#: Run by the system Python: connect to soffice, compare ``runs`` times after ``warmup``, print JSON.
DRIVER = r"""
import json, sys, time
import uno
from com.sun.star.beans import PropertyValue


def props(**values):
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


pipe, newer, older, target, runs, warmup = sys.argv[1:7]
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
deadline = time.monotonic() + 60
while True:
    try:
        ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        break
    except Exception:
        if time.monotonic() > deadline:
            raise
        time.sleep(0.1)
smgr = ctx.ServiceManager
desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
config = smgr.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
product = config.createInstanceWithArguments(
    "com.sun.star.configuration.ConfigurationAccess", props(nodepath="/org.openoffice.Setup/Product")
)
version = f"{product.getByName('ooName')} {product.getByName('ooSetupVersionAboutBox')}"
newer_url, older_url, target_url = (uno.systemPathToFileUrl(p) for p in (newer, older, target))


def once():
    t0 = time.perf_counter()
    doc = desktop.loadComponentFromURL(newer_url, "_blank", 0, props(Hidden=True))
    if doc is None:
        raise RuntimeError("LibreOffice could not open " + newer)
    try:
        t1 = time.perf_counter()
        frame = doc.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, ".uno:CompareDocuments", "", 0, props(URL=older_url, NoAcceptDialog=True))
        t2 = time.perf_counter()
        redlines = 0
        enum = doc.getRedlines().createEnumeration()
        while enum.hasMoreElements():
            enum.nextElement()
            redlines += 1
        t3 = time.perf_counter()
        doc.storeToURL(target_url, props(FilterName="MS Word 2007 XML"))
        t4 = time.perf_counter()
    finally:
        doc.close(True)
    t5 = time.perf_counter()
    return {"total": t5 - t0 - (t3 - t2), "load": t1 - t0, "compare": t2 - t1, "store": t4 - t3, "redlines": redlines}


for _ in range(int(warmup)):
    once()
print(json.dumps({"version": version, "runs": [once() for _ in range(int(runs))]}))
"""


def count_marks(data: bytes) -> dict[str, int]:
    """Return the numbers of w:ins and w:del elements in a .docx's body and footnotes."""
    found = {"ins": 0, "del": 0}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for part in ("word/document.xml", "word/footnotes.xml"):
            if part in z.namelist():
                for m in _MARK.finditer(z.read(part)):
                    found[m.group(1).decode()] += 1
    return found


def missing_reason() -> str:
    """Return why LibreOffice cannot be run here, or "" when it can."""
    if shutil.which("soffice") is None:
        return "soffice (LibreOffice) is not installed"
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} is missing"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=60)
    if probe.returncode != 0:
        return f"{SYSTEM_PYTHON} cannot import uno (python3-uno is not installed)"
    return ""


def _import_corpus(app: Any) -> tuple[int, int]:
    """Import the real pair's texts as two circulated revisions; return their ids."""
    from drafter.drafting import services as drafting
    from drafter.extensions import db
    from drafter.importing.services import masthead_for, read_draft
    from drafter.lifecycle import services as lifecycle

    reset_schema(app)
    ids = []
    with app.app_context():
        s = db.session
        n = drafting.create_negotiation(s, None, slug=SLUG, title="Information and communications technologies")
        for name in PAIR:
            draft = read_draft(name, (CORPUS / name).read_bytes())
            masthead, _ = masthead_for(s, n, draft)
            rev = drafting.import_revision(
                s, None, n, label=drafting.next_label(s, n), paragraphs=draft.paragraphs, masthead=masthead
            )
            lifecycle.circulate(s, None, rev, deadline=None)
            s.commit()
            ids.append(rev.id)
        db.session.remove()
    return ids[0], ids[1]


def _compare_in_libreoffice(newer: Path, older: Path, target: Path, workdir: Path, *, reps: int) -> dict[str, Any]:
    """Start soffice, run the driver script once with ``reps`` timed runs, stop soffice; return its JSON."""
    pipe = f"drafter_bench_{uuid.uuid4().hex}"
    profile = workdir / f"lo-profile-{pipe}"
    script = workdir / "lo_compare.py"
    script.write_text(DRIVER, encoding="utf-8")
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, ended as a whole below
    )
    try:
        done = subprocess.run(
            [SYSTEM_PYTHON, str(script), pipe, str(newer), str(older), str(target), str(reps), "1"],
            capture_output=True,
            text=True,
            timeout=120 + 120 * reps,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the LibreOffice compare failed: {done.stderr.strip().splitlines()[-1:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if office.poll() is None:
            os.killpg(office.pid, signal.SIGKILL)
        office.wait(timeout=30)
        shutil.rmtree(profile, ignore_errors=True)


def peer_benchmarks(w: Workload, workdir: Path, *, reps: int) -> tuple[dict[str, Stat], list[str]]:
    """Time LibreOffice's Compare Documents and Drafter's tracked export on the same pair of revisions."""
    from bench.large import _load
    from drafter.drafting.models import Revision
    from drafter.drafting.queries import load_versions
    from drafter.exporting.services import clean_export, tracked_export
    from drafter.extensions import db
    from drafter.text.diff import word_diff

    notes: list[str] = []
    out: dict[str, Stat] = {}
    app = make_app(f"sqlite:///{workdir / 'bench-peers.sqlite'}", workdir)
    real = all((CORPUS / name).exists() for name in PAIR)
    if real:
        old_id, new_id = _import_corpus(app)
        pair = "A/C.2/80/L.17 → A/C.2/80/L.58 (corpus)"
    else:
        old_id, new_id = _load(app, w)
        pair = f"generated workload at {w.scale}×, its last two revisions"
        notes.append(f"peers: {CORPUS} is absent; the pair is the generated workload's last two revisions.")
    older, newer = workdir / "peer-older.docx", workdir / "peer-newer.docx"
    state: dict[str, Any] = {}
    with app.app_context():
        s = db.session
        old, new = s.get(Revision, old_id), s.get(Revision, new_id)
        older.write_bytes(clean_export(s, old).data)
        newer.write_bytes(clean_export(s, new).data)
        sizes = {
            "pair": pair,
            "paragraphs_older": len(load_versions(s, old)),
            "paragraphs_newer": len(load_versions(s, new)),
        }

        def before() -> None:
            word_diff.cache_clear()
            db.session.remove()  # a fresh session per run: rows are read from the database each time
            state["old"], state["new"] = db.session.get(Revision, old_id), db.session.get(Revision, new_id)

        def export() -> None:
            state["data"] = tracked_export(db.session, state["old"], state["new"]).data

        drafter = timed(export, reps=reps, before=before, budget=12, warmup=1)
        drafter.extra = {**sizes, "bytes": len(state["data"]), **count_marks(state["data"])}
        out["peer.drafter_tracked"] = drafter
        db.session.remove()
        db.engine.dispose()

    reason = missing_reason()
    if reason:
        notes.append(f"LibreOffice's Compare Documents skipped: {reason}.")
        return out, notes
    target = workdir / "peer-libreoffice.docx"
    found = _compare_in_libreoffice(newer, older, target, workdir, reps=max(3, reps))
    runs = found["runs"]
    data = target.read_bytes()
    marks = count_marks(data)
    lo = Stat([r["total"] for r in runs])
    lo.extra = {
        **sizes,
        "version": found["version"],
        "bytes": len(data),
        **marks,
        "redlines": runs[-1]["redlines"],
        "load": sorted(r["load"] for r in runs)[len(runs) // 2],
        "compare": sorted(r["compare"] for r in runs)[len(runs) // 2],
        "store": sorted(r["store"] for r in runs)[len(runs) // 2],
    }
    out["peer.libreoffice_compare"] = lo
    drafter.extra["ratio_libreoffice_to_drafter"] = lo.median / drafter.median if drafter.median else float("nan")
    if not marks["ins"] and not marks["del"]:
        notes.append(
            "LibreOffice's Compare Documents wrote no w:ins or w:del: its figure is not of a tracked document."
        )
    return out, notes
