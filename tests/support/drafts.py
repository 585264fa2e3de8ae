"""Sample drafts for the Word writer tests: our own text, never the UN's."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Hashable, Sequence
from pathlib import Path

from docx.document import Document

from drafter.text.compare import compare
from drafter.text.diff import DiffOp, Op, word_diff
from drafter.text.structure import Kind
from drafter.word.masthead import masthead_lines, title_paragraphs
from drafter.word.model import CompilationEntry, CompiledProposal, DocHeader, DocParagraph, TrackedRow
from drafter.word.ooxml import xml_safe
from drafter.word.package import save_docx

HEADER = DocHeader(
    title="Draft declaration on coastal data and ocean observation",
    label="Rev.1",
    date=dt.date(2025, 11, 7),
    symbol="A/80/L.99",
    subtitle="Changes against Zero draft",
)
DATE = dt.datetime(2025, 11, 7, 12, 0, tzinfo=dt.UTC)

#: (old, new) in the six UN languages: one small edit each
LANGUAGES = {
    "en": (
        "Welcomes the work of the regional commissions on coastal data.",
        "Warmly welcomes the work of the five regional commissions on open coastal data.",
    ),
    "fr": (
        "Se félicite du travail accompli par les commissions régionales sur les données côtières.",
        "Se félicite vivement du travail accompli par les cinq commissions régionales sur les données côtières ouvertes.",
    ),
    "es": (
        "Acoge con beneplácito la labor de las comisiones regionales sobre los datos costeros.",
        "Acoge con gran beneplácito la labor de las cinco comisiones regionales sobre los datos costeros abiertos.",
    ),
    "ru": (
        "Приветствует работу региональных комиссий по прибрежным данным.",
        "Горячо приветствует работу пяти региональных комиссий по открытым прибрежным данным.",
    ),
    "ar": (
        "يرحب بعمل اللجان الإقليمية بشأن البيانات الساحلية.",
        "يرحب ترحيبا حارا بعمل اللجان الإقليمية الخمس بشأن البيانات الساحلية المفتوحة.",
    ),
    "zh": ("欢迎各区域委员会在沿海数据方面的工作。", "热烈欢迎五个区域委员会在开放沿海数据方面的工作。"),
}


def para(text: str, kind: Kind = Kind.OPERATIVE, *, level: int = 0, label: str = "", italic: int = 0) -> DocParagraph:
    """Return a paragraph; subparagraphs default to level 1."""
    if kind is Kind.SUBPARAGRAPH and not level:
        level = 1
    return DocParagraph(kind=kind, text=text, number_label=label, level=level, italic_chars=italic)


def row(old: str | DocParagraph | None, new: str | DocParagraph | None) -> TrackedRow:
    """Return a tracked row; strings become operative paragraphs, kept rows get their word diff."""
    o = para(old) if isinstance(old, str) else old
    n = para(new) if isinstance(new, str) else new
    ops = word_diff(o.text, n.text).ops if o is not None and n is not None else ()
    return TrackedRow(o, n, ops)


def rows_of(pairs: Sequence[tuple[str | None, str | None]]) -> list[TrackedRow]:
    """Return the rows of (old, new) pairs; None on one side marks an inserted or deleted paragraph."""
    return [row(o, n) for o, n in pairs]


def expected(rows: Sequence[TrackedRow]) -> tuple[list[str], list[str]]:
    """Return the (old, new) paragraph texts a tracked document must reject and accept to."""
    old = [xml_safe(r.old.text) for r in rows if r.old is not None]
    new = [xml_safe(r.new.text) for r in rows if r.new is not None]
    return old, new


Keyed = Sequence[tuple[Hashable, DocParagraph]]


def compared_rows(old: Keyed, new: Keyed) -> list[TrackedRow]:
    """Return the tracked rows of two versions whose paragraphs carry identity keys.

    Paired as the app pairs revisions (``text.compare``: by key, moves flagged, deleted
    paragraphs where they stood), with each old paragraph's position, as the export passes them.
    """
    position = {key: i for i, (key, _) in enumerate(old)}
    rows = compare(old, new, key=lambda kp: kp[0], text=lambda kp: kp[1].text)
    return [
        TrackedRow(
            r.old[1] if r.old else None,
            r.new[1] if r.new else None,
            r.diff.ops,
            old_position=position[r.old[0]] if r.old else None,
        )
        for r in rows
    ]


def texts(paragraphs: Keyed | Sequence[DocParagraph]) -> list[str]:
    """Return the XML-safe texts of paragraphs (keyed or not): what a file must read back."""
    return [xml_safe((p[1] if isinstance(p, tuple) else p).text) for p in paragraphs]


def title_texts(header: DocHeader = HEADER) -> list[str]:
    """Return the texts of the paragraphs before the text in a clean or tracked file: the
    masthead, the title and the chapeau."""
    return [line.text for line in masthead_lines(header)] + [p.text for _, p in title_paragraphs(header)]


def sample_draft() -> list[DocParagraph]:
    """Return a small draft with every kind of paragraph, labelled as the app labels them."""
    P, O, S, H = Kind.PREAMBULAR, Kind.OPERATIVE, Kind.SUBPARAGRAPH, Kind.HEADING
    return [
        para("Recalling its earlier decisions on the sharing of coastal observation data,", P, italic=9),
        para("Noting with concern that:", P, italic=7),
        para("many coastal stations report irregularly;", S, label="(a)"),
        para("data formats differ between regions,", S, label="(b)"),
        para("I. Observation networks", H),
        para("Decides to establish an open registry of coastal stations;", O, label="1", italic=7),
        para("Requests the secretariat:", O, label="2", italic=8),
        para("to publish the registry every year;", S, label="(a)"),
        para("to report on:", S, label="(b)"),
        para("the number of active stations;", S, level=2, label="(i)"),
        para("the gaps in coverage;", S, level=2, label="(ii)"),
        para("to consult the regional commissions;", S, label="(c)"),
        para("II. Follow-up", H),
        para("Invites Member States to contribute data voluntarily;", O, label="3", italic=7),
        para("Further recalling its resolution on ocean literacy,", P, italic=17),
        para("in particular its paragraph on schools,", S, label="(a)"),
        para("Decides to remain seized of the matter.", O, label="4", italic=7),
    ]


def saved(document: Document, path: Path | str) -> Path:
    """Write a document to ``path`` as the app would (deterministic bytes) and return the path."""
    path = Path(path)
    path.write_bytes(save_docx(document, timestamp=DATE))
    return path


def sample_revision_pair() -> tuple[list[tuple[int, DocParagraph]], list[tuple[int, DocParagraph]]]:
    """Return (old, new) keyed versions of the sample draft: edits, insertions and a deletion."""
    P, O, S = Kind.PREAMBULAR, Kind.OPERATIVE, Kind.SUBPARAGRAPH
    old = list(enumerate(sample_draft()))
    new = [
        old[0],
        old[1],
        old[2],
        (3, para("data formats and quality differ between regions,", S)),
        (100, para("Welcoming the offers of observers to share their data,", P, italic=9)),
        old[4],
        (5, para("Decides to establish and maintain an open global registry of coastal stations;", O, italic=7)),
        old[6],
        old[7],
        (101, para("to consult the scientific community;", S)),
        old[8],
        old[9],
        old[10],
        old[12],
        (13, para("Encourages Member States to contribute data voluntarily and regularly;", O, italic=10)),
        old[14],
        old[15],
        old[16],
        (102, para("Decides to include an item on coastal data in the agenda of its next session.", O, italic=7)),
    ]
    return old, new


def sample_compilation() -> list[CompilationEntry]:
    """Return a compilation of the sample draft: amendments, a deletion, a retention, new paragraphs."""
    draft = sample_draft()
    when = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)
    op1, op2 = draft[5], draft[6]

    def amend(who: str, base: DocParagraph, text: str, note: str = "") -> CompiledProposal:
        return CompiledProposal(who, who.split(",")[0], "amend", word_diff(base.text, text).ops, note, when)

    return [
        CompilationEntry(
            dataclasses.replace(draft[0], number_label="PP1"),
            [amend("European Union", draft[0], "Recalling all its earlier decisions on coastal observation data,")],
        ),
        CompilationEntry(
            op1,
            [
                amend(
                    "G77 and China, supported by Mexico",
                    op1,
                    "Decides to establish and maintain an open and free registry of coastal stations;",
                    "To stress free access.",
                ),
                CompiledProposal("Norway", "Norway", "delete", (), "", when),
            ],
        ),
        CompilationEntry(
            DocParagraph(Kind.OPERATIVE, "", "1 bis"),
            [
                CompiledProposal(
                    "Japan",
                    "Japan",
                    "insert",
                    (DiffOp(Op.INSERT, "Calls upon Member States to share their coastal data openly;"),),
                    "",
                    when,
                )
            ],
            is_new=True,
        ),
        CompilationEntry(op2, [CompiledProposal("Switzerland", "Switzerland", "retain", (), "", when)]),
    ]
