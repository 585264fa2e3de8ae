"""Sample drafts for the Word writer tests: our own text, never the UN's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from drafter.text.diff import word_diff
from drafter.text.structure import Kind
from drafter.word.model import DocHeader, DocParagraph, TrackedRow
from drafter.word.ooxml import xml_safe
from drafter.word.styles import title_lines

HEADER = DocHeader(title="Draft declaration on coastal data and ocean observation", label="Rev.1",
                   date=dt.date(2025, 11, 7), symbol="A/80/L.99", subtitle="Changes against Zero draft")
DATE = dt.datetime(2025, 11, 7, 12, 0, tzinfo=dt.timezone.utc)

#: (old, new) in the six UN languages: one small edit each
LANGUAGES = {
    "en": ("Welcomes the work of the regional commissions on coastal data.",
           "Warmly welcomes the work of the five regional commissions on open coastal data."),
    "fr": ("Se félicite du travail accompli par les commissions régionales sur les données côtières.",
           "Se félicite vivement du travail accompli par les cinq commissions régionales sur les données côtières ouvertes."),
    "es": ("Acoge con beneplácito la labor de las comisiones regionales sobre los datos costeros.",
           "Acoge con gran beneplácito la labor de las cinco comisiones regionales sobre los datos costeros abiertos."),
    "ru": ("Приветствует работу региональных комиссий по прибрежным данным.",
           "Горячо приветствует работу пяти региональных комиссий по открытым прибрежным данным."),
    "ar": ("يرحب بعمل اللجان الإقليمية بشأن البيانات الساحلية.",
           "يرحب ترحيبا حارا بعمل اللجان الإقليمية الخمس بشأن البيانات الساحلية المفتوحة."),
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


def title_texts(header: DocHeader = HEADER) -> list[str]:
    """Return the texts of the title block's lines."""
    return [text for _, text in title_lines(header)]


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
