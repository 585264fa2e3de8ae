"""Benchmarks without a database: word diffs, alignment, the Word writers and their floor.

Each function returns ``{name: Stat}``; the names are the rows of the table (``bench.report``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
from collections import defaultdict
from collections.abc import Sequence

import docx
from docx.oxml import OxmlElement
from docx.text.paragraph import Paragraph

from bench.measure import Stat, timed
from bench.workload import Para, ProposalSpec, Workload
from drafter.text.align import align
from drafter.text.compare import compare
from drafter.text.diff import DiffOp, Op, word_diff
from drafter.text.numbering import insertion_labels, number_labels, paragraph_refs
from drafter.text.structure import Kind
from drafter.text.tokenize import tokenize
from drafter.word.clean import write_clean
from drafter.word.compilation import write_compilation
from drafter.word.model import CompilationEntry, CompiledProposal, DocHeader, DocParagraph, TrackedRow
from drafter.word.package import save_docx
from drafter.word.tracked import write_tracked

#: when every timestamp in the generated files is taken from
DATE = dt.datetime(2026, 4, 13, 9, 0, tzinfo=dt.UTC)


def _dmp():
    """Return the diff-match-patch instance drafter configured (no timeout), and its encoder."""
    from drafter.text import diff

    return diff._DMP, diff._encode


# -- 1. Word diff of whole revision pairs -------------------------------------------------------


def diff_benchmarks(w: Workload, *, reps: int) -> dict[str, Stat]:
    """Time the word diff of revision pairs: drafter's, difflib's, and the bare diff-match-patch call.

    One run diffs every consecutive pair of the negotiation (11 pairs); the figure is per pair.
    Tokens (difflib) and encoded strings (diff-match-patch) are prepared outside the timing, so
    both baselines time the diff alone; drafter's figure includes its tokenizing and encoding.
    Identical paragraphs are skipped by all three (drafter and diff-match-patch do it themselves).
    """
    dmp, encode = _dmp()
    out: dict[str, Stat] = {}
    cases = {
        "consecutive": [w.pairs(i - 1, i) for i in range(1, len(w.revisions))],
        "zero_to_last": [w.pairs(0, len(w.revisions) - 1)],
    }
    for case, groups in cases.items():
        pairs = [p for g in groups for p in g]
        n = len(groups)
        tokens = [(tokenize(a), tokenize(b)) for a, b in pairs]
        encoded = [encode(a, b)[:2] for a, b in tokens]

        def drafter_diff() -> None:
            for a, b in pairs:
                word_diff(a, b)

        def difflib_diff() -> None:
            for a, b in tokens:
                if a != b:
                    difflib.SequenceMatcher(None, a, b).get_opcodes()

        def dmp_floor() -> None:
            for a, b in encoded:
                dmp.diff_main(a, b, False)

        for name, fn in (("word_diff", drafter_diff), ("difflib", difflib_diff), ("dmp_floor", dmp_floor)):
            stat = timed(fn, reps=reps, before=word_diff.cache_clear)
            stat.samples = [s / n for s in stat.samples]
            stat.extra = {
                "pairs": len(pairs) // n,
                "changed": sum(a != b for a, b in pairs) // n,
                "tokens": sum(len(a) + len(b) for a, b in tokens) // n,
                "revision_pairs": n,
            }
            out[f"diff.{case}.{name}"] = stat
    return out


# -- 2. Alignment ---------------------------------------------------------------------------------


def align_benchmarks(w: Workload, *, reps: int) -> dict[str, Stat]:
    """Time the alignment of consecutive revisions (per pair) and of the zero draft with the last.

    Also record how many new paragraphs the alignment pairs as the generator made them
    (same identity, or new when new).
    """
    out: dict[str, Stat] = {}
    last = len(w.revisions) - 1
    cases = {"consecutive": [(i - 1, i) for i in range(1, len(w.revisions))], "zero_to_last": [(0, last)]}
    for case, pairs in cases.items():
        texts = [([p.text for p in w.revisions[a]], [p.text for p in w.revisions[b]]) for a, b in pairs]

        def run() -> None:
            for old, new in texts:
                align(old, new)

        stat = timed(run, reps=reps, budget=30)
        stat.samples = [s / len(pairs) for s in stat.samples]
        agree = total = 0
        for (a, b), (old, new) in zip(pairs, texts):
            old_pids = [p.pid for p in w.revisions[a]]
            new_pids = [p.pid for p in w.revisions[b]]
            for x in align(old, new):
                if x.new is None:
                    continue
                truth = new_pids[x.new] if new_pids[x.new] in set(old_pids) else None
                got = old_pids[x.old] if x.old is not None else None
                agree += truth == got
                total += 1
        stat.extra = {
            "paragraphs": len(w.revisions[-1]),
            "paired_as_generated": agree,
            "new_paragraphs": total,
            "agreement_with_generator": round(agree / total, 4),
        }
        out[f"align.{case}"] = stat
    return out


# -- 3. Word writers from plain data, and the python-docx floor ----------------------------------


def doc_paragraphs(paras: Sequence[Para]) -> list[DocParagraph]:
    """Return the paragraphs as the Word writers take them, numbered as the app numbers them."""
    labels = number_labels([(p.kind, p.level) for p in paras])
    return [DocParagraph(p.kind, p.text, label, p.level, p.italic_chars) for p, label in zip(paras, labels)]


def header(w: Workload, label: str, subtitle: str = "") -> DocHeader:
    return DocHeader(title=w.title, label=label, date=DATE.date(), symbol="A/81/L.7", subtitle=subtitle)


def tracked_rows(old: Sequence[Para], new: Sequence[Para]) -> list[TrackedRow]:
    """Return the rows of a tracked document: paragraphs paired by identity, word diffs computed."""
    d_old = dict(zip((p.pid for p in old), doc_paragraphs(old)))
    d_new = dict(zip((p.pid for p in new), doc_paragraphs(new)))
    rows = compare(list(old), list(new), key=lambda p: p.pid, text=lambda p: p.text)
    return [
        TrackedRow(d_old[r.old.pid] if r.old else None, d_new[r.new.pid] if r.new else None, r.diff.ops) for r in rows
    ]


def _attribution(spec: ProposalSpec, names: list[str]) -> str:
    by: dict[str, list[str]] = defaultdict(list)
    for d, stance in spec.positions:
        by[stance].append(names[d])
    text = names[spec.delegation] + (", co-sponsored by " + ", ".join(by["cosponsor"]) if by["cosponsor"] else "")
    for stance in ("support", "oppose"):
        if by[stance]:
            text += f"; {stance}ed by " + ", ".join(by[stance])
    return text


def compilation_entries(w: Workload) -> list[CompilationEntry]:
    """Return the compilation of every proposal on the last revision, built as the export builds it."""
    last = w.revisions[-1]
    paras = doc_paragraphs(last)
    refs = paragraph_refs([(p.kind, p.level, p.text) for p in last])
    names = [n for n, _ in w.delegations]
    on: dict[int, list[ProposalSpec]] = defaultdict(list)
    after: dict[int, list[ProposalSpec]] = defaultdict(list)
    for s in w.proposals:
        (after if s.kind == "insert" else on)[s.target].append(s)
    order = [s for i in range(len(last)) for s in after.get(i, [])]
    labels = dict(zip(map(id, order), insertion_labels([refs[s.target] for s in order])))

    def compiled(s: ProposalSpec, base: str) -> CompiledProposal:
        ops: tuple[DiffOp, ...]
        if s.kind == "amend":
            ops = word_diff(base, s.text).ops
        elif s.kind == "insert":
            ops = (DiffOp(Op.INSERT, s.text),)
        elif s.kind == "delete":
            ops = (DiffOp(Op.DELETE, base),)
        else:
            ops = (DiffOp(Op.EQUAL, base),)
        return CompiledProposal(
            _attribution(s, names),
            names[s.delegation],
            s.kind,
            ops,
            s.justification,
            DATE + dt.timedelta(minutes=s.minute),
        )

    entries = []
    for i, p in enumerate(paras):
        entries.append(CompilationEntry(p, [compiled(s, p.text) for s in on.get(i, [])]))
        for s in after.get(i, []):
            kind = last[i].kind if last[i].kind is not Kind.HEADING else Kind.OPERATIVE
            blank = DocParagraph(kind, "", labels[id(s)], last[i].level)
            entries.append(CompilationEntry(blank, [compiled(s, "")], is_new=True))
    return entries


def _floor_document(paragraphs: list[list[tuple[str, bool]]]) -> bytes:
    """Return the bytes of a python-docx document with these paragraphs of (text, italic) runs.

    Built through python-docx's own objects (``Paragraph.add_run``), each paragraph put before
    the section properties directly: ``Document.add_paragraph`` looks for them from the first
    child, which is quadratic in the number of paragraphs.
    """
    document = docx.Document()
    body = document.element.body
    sect = body[-1]
    for runs in paragraphs:
        p = Paragraph(OxmlElement("w:p"), document._body)
        for text, italic in runs:
            if text:
                p.add_run(text).italic = italic or None
        sect.addprevious(p._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _italic_runs(p: DocParagraph) -> list[tuple[str, bool]]:
    return [(p.text[: p.italic_chars], True), (p.text[p.italic_chars :], False)]


def writer_benchmarks(w: Workload, *, reps: int) -> tuple[dict[str, Stat], dict[str, bytes]]:
    """Time the clean, tracked and compilation writers (plain data in, .docx bytes out) and the
    python-docx floor of each: the same paragraphs and runs, no revision marks, no house styles.

    The tracked and compilation figures include their word diffs (cache cleared before each run).
    Returns the stats and one file of each kind, for the import benchmarks.
    """
    old, new = w.revisions[-2], w.revisions[-1]
    clean_paras = doc_paragraphs(new)
    files: dict[str, bytes] = {}

    def clean() -> None:
        files["clean"] = save_docx(write_clean(header(w, "Rev.11"), clean_paras), timestamp=DATE)

    def tracked() -> None:
        rows = tracked_rows(old, new)
        doc = write_tracked(header(w, "Rev.11", "Changes against Rev.10"), rows, author="Co-facilitators", date=DATE)
        files["tracked"] = save_docx(doc, timestamp=DATE)

    def compilation(style: str) -> None:
        doc = write_compilation(header(w, "Rev.11", "Compilation of proposals"), compilation_entries(w), style=style)  # type: ignore[arg-type]
        files[f"compilation_{style}"] = save_docx(doc, timestamp=DATE)

    word_diff.cache_clear()
    rows = tracked_rows(old, new)
    entries = compilation_entries(w)
    floor_clean = [_italic_runs(p) for p in clean_paras]
    floor_tracked = [
        [(o.text, False) for o in r.ops] if r.old and r.new else _italic_runs(r.new or r.old) for r in rows
    ]
    floor_compilation: list[list[tuple[str, bool]]] = []
    for e in entries:
        floor_compilation.append(_italic_runs(e.paragraph))
        for cp in e.proposals:
            floor_compilation.append([(cp.attribution + ":", False)])
            floor_compilation.append([(o.text, False) for o in cp.ops])
            if cp.note:
                floor_compilation.append([(cp.note, True)])

    out = {
        "export.clean.writer": timed(clean, reps=reps, before=word_diff.cache_clear),
        "export.clean.floor": timed(lambda: _floor_document(floor_clean), reps=reps),
        "export.tracked.writer": timed(tracked, reps=reps, before=word_diff.cache_clear),
        "export.tracked.floor": timed(lambda: _floor_document(floor_tracked), reps=reps),
        "export.compilation.writer": timed(lambda: compilation("formatted"), reps=reps, before=word_diff.cache_clear),
        "export.compilation_tracked.writer": timed(
            lambda: compilation("tracked"), reps=reps, before=word_diff.cache_clear
        ),
        "export.compilation.floor": timed(lambda: _floor_document(floor_compilation), reps=reps),
    }
    for key, name in (("clean", "clean"), ("tracked", "tracked"), ("compilation", "compilation_formatted")):
        out[f"export.{key}.writer"].extra["bytes"] = len(files[name])
    out["export.compilation.floor"].extra["paragraphs"] = len(floor_compilation)
    return out, files
