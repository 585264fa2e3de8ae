"""Raw OOXML elements: runs, revision marks, paragraph properties, numbering, settings.

The one module that builds WordprocessingML by hand (python-docx has no API for revisions or
list instances). Child elements are appended in the order the schema requires, because Word
rejects a file whose ``w:rPr`` or ``w:pPr`` children are out of order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

RevisionKind = Literal["ins", "del"]

# XML 1.0 allows tab, newline and carriage return among the C0 controls; lxml refuses the
# others, U+FFFE/U+FFFF and unpaired surrogates. Vertical tab and form feed are how Word
# writes manual line and page breaks in plain text, so they become line breaks.
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_PIECES = re.compile(r"(\t|\n)")


def xml_safe(text: str) -> str:
    """Return ``text`` with what XML cannot hold removed or replaced; line breaks as "\\n"."""
    text = _BREAKS.sub("\n", text)
    text = _UNSAFE.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def w_date(when: dt.datetime) -> str:
    """Return a datetime as ``w:date`` wants it, in UTC: ``2025-11-07T12:00:00Z``."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _el(tag: str, **attrs: str) -> BaseOxmlElement:
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


def _sub(parent: BaseOxmlElement, tag: str, **attrs: str) -> BaseOxmlElement:
    el = _el(tag, **attrs)
    parent.append(el)
    return el


@dataclass(frozen=True, slots=True)
class Fmt:
    """Direct character formatting of a run."""

    italic: bool = False
    bold: bool = False
    underline: bool = False
    strike: bool = False
    rtl: bool = False
    size: int = 0  #: half-points; 0 keeps the style's size
    color: str = ""  #: "RRGGBB"; "" keeps the style's colour
    style: str = ""  #: character style id


PLAIN = Fmt()


def run_properties(fmt: Fmt) -> BaseOxmlElement | None:
    """Return the ``w:rPr`` of a format, children in schema order; None when plain."""
    if fmt == PLAIN:
        return None
    rpr = _el("w:rPr")
    if fmt.style:
        _sub(rpr, "w:rStyle", val=fmt.style)
    if fmt.bold:
        _sub(rpr, "w:b")
        _sub(rpr, "w:bCs")
    if fmt.italic:
        _sub(rpr, "w:i")
        _sub(rpr, "w:iCs")
    if fmt.strike:
        _sub(rpr, "w:strike")
    if fmt.color:
        _sub(rpr, "w:color", val=fmt.color)
    if fmt.size:
        _sub(rpr, "w:sz", val=str(fmt.size))
        _sub(rpr, "w:szCs", val=str(fmt.size))
    if fmt.underline:
        _sub(rpr, "w:u", val="single")
    if fmt.rtl:
        _sub(rpr, "w:rtl")
    return rpr


def run(text: str, fmt: Fmt = PLAIN, *, deleted: bool = False) -> BaseOxmlElement:
    """Return a ``w:r`` holding ``text``: tabs as ``w:tab``, newlines as ``w:br``.

    Text goes in ``w:delText`` when ``deleted`` (a deletion never holds ``w:t``), always with
    xml:space="preserve": word-level pieces start and end with spaces.
    """
    r = _el("w:r")
    rpr = run_properties(fmt)
    if rpr is not None:
        r.append(rpr)
    text_tag = "w:delText" if deleted else "w:t"
    for piece in _PIECES.split(xml_safe(text)):
        if piece == "\t":
            _sub(r, "w:tab")
        elif piece == "\n":
            _sub(r, "w:br")
        elif piece:
            t = _sub(r, text_tag)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = piece
    return r


class Revisions:
    """Makes the revision elements of one document, numbered by one counter."""

    def __init__(self, first_id: int = 1) -> None:
        self._next = first_id

    def mark(self, kind: RevisionKind, author: str, date: dt.datetime) -> BaseOxmlElement:
        """Return an empty ``w:ins`` or ``w:del`` with the next id, author and date."""
        el = _el(f"w:{kind}", id=str(self._next), author=xml_safe(author), date=w_date(date))
        self._next += 1
        return el

    def wrap(
        self, kind: RevisionKind, author: str, date: dt.datetime, runs: Iterable[BaseOxmlElement]
    ) -> BaseOxmlElement:
        """Return a ``w:ins`` or ``w:del`` holding ``runs``."""
        el = self.mark(kind, author, date)
        for r in runs:
            el.append(r)
        return el


def paragraph(
    style_id: str, *, rtl: bool = False, num: tuple[int, int] | None = None, keep_next: bool = False, align: str = ""
) -> BaseOxmlElement:
    """Return an empty ``w:p`` with its style, list membership (numId, ilvl), direction and
    alignment ("left", "right", ""; kept from the style when "")."""
    p = _el("w:p")
    ppr = _sub(p, "w:pPr")
    _sub(ppr, "w:pStyle", val=style_id)
    if keep_next:
        _sub(ppr, "w:keepNext")
    if num is not None:
        numpr = _sub(ppr, "w:numPr")
        _sub(numpr, "w:ilvl", val=str(num[1]))
        _sub(numpr, "w:numId", val=str(num[0]))
    if rtl:
        _sub(ppr, "w:bidi")
    if align:
        _sub(ppr, "w:jc", val=align)
    return p


def mark_paragraph(p: BaseOxmlElement, revision: BaseOxmlElement) -> None:
    """Put a revision on the paragraph mark: first child of ``w:pPr/w:rPr``."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = _el("w:pPr")
        p.insert(0, ppr)
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = _el("w:rPr")
        # w:rPr comes after every other paragraph property except w:sectPr and w:pPrChange
        ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
    rpr.insert(0, revision)


def mark_revision(p: BaseOxmlElement) -> BaseOxmlElement | None:
    """Return the revision on a paragraph's mark, if any."""
    rpr = p.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if rpr is None or len(rpr) == 0 or rpr[0].tag not in (qn("w:ins"), qn("w:del")):
        return None
    return rpr[0]


def set_track_revisions(settings: BaseOxmlElement) -> None:
    """Turn change tracking on for whoever edits the file next."""
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    # CT_Settings order: ... w:proofState, w:formsDesign, w:attachedTemplate, w:linkStyles,
    # w:stylePaneFormatFilter, w:stylePaneSortMethod, w:documentType, w:mailMerge,
    # w:revisionView, w:trackRevisions, w:doNotTrackMoves, ... w:defaultTabStop ...
    later = (
        "w:doNotTrackMoves",
        "w:doNotTrackFormatting",
        "w:documentProtection",
        "w:autoFormatOverride",
        "w:styleLockTheme",
        "w:styleLockQFSet",
        "w:defaultTabStop",
    )
    settings.insert_element_before(_el("w:trackRevisions"), *later)


def field(instruction: str, shown: str = "1") -> list[BaseOxmlElement]:
    """Return the runs of a simple field ("PAGE", "NUMPAGES"), ``shown`` until a viewer updates it."""
    begin, end = run(""), run("")
    begin.append(_el("w:fldChar", fldCharType="begin"))
    instr = _sub(run(""), "w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    sep, value = run(""), run(shown)
    sep.append(_el("w:fldChar", fldCharType="separate"))
    end.append(_el("w:fldChar", fldCharType="end"))
    return [begin, instr.getparent(), sep, value, end]


def page_number_field() -> list[BaseOxmlElement]:
    """Return the runs of a PAGE field (the current page number)."""
    return field("PAGE")


def footnote_reference(note_id: int, mark: str, style: str) -> BaseOxmlElement:
    """Return the run of a footnote reference printing its own mark ("*"), not a number."""
    r = _el("w:r")
    _sub(_sub(r, "w:rPr"), "w:rStyle", val=style)
    _sub(r, "w:footnoteReference", customMarkFollows="1", id=str(note_id))
    t = _sub(r, "w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = xml_safe(mark)
    return r


def note_reference(note_id: int, style: str, fmt: Fmt = PLAIN, *, deleted: bool = False) -> BaseOxmlElement:
    """Return the run of a numbered footnote reference: Word prints the note's number."""
    r = _el("w:r")
    rpr = run_properties(Fmt(style=style, bold=fmt.bold, underline=fmt.underline, strike=fmt.strike, rtl=fmt.rtl))
    if rpr is not None:
        r.append(rpr)
    _sub(r, "w:footnoteReference", id=str(note_id))
    return r


def footnote_mark(style: str) -> BaseOxmlElement:
    """Return the run that prints a footnote's own mark at the start of its text (``w:footnoteRef``).

    LibreOffice prints the mark there by itself and drops this run; a mark typed as text
    instead is printed twice.
    """
    r = _el("w:r")
    _sub(_sub(r, "w:rPr"), "w:rStyle", val=style)
    _sub(r, "w:footnoteRef")
    return r


def footnote(note_id: int, paragraph: BaseOxmlElement) -> BaseOxmlElement:
    """Return a ``w:footnote`` holding one paragraph."""
    note = _el("w:footnote", id=str(note_id))
    note.append(paragraph)
    return note


def footnote_separators() -> list[BaseOxmlElement]:
    """Return the separator footnotes (ids -1 and 0) that every footnotes part opens with."""
    out = []
    for note_id, kind in ((-1, "separator"), (0, "continuationSeparator")):
        note = _el("w:footnote", type=kind, id=str(note_id))
        p = _sub(note, "w:p")
        _sub(_sub(p, "w:pPr"), "w:spacing", after="0", line="240", lineRule="auto")
        _sub(_sub(p, "w:r"), f"w:{kind}")
        out.append(note)
    return out


def set_footnote_properties(settings: BaseOxmlElement) -> None:
    """Name the separator footnotes in settings.xml, as Word writes them."""
    if settings.find(qn("w:footnotePr")) is not None:
        return
    pr = _el("w:footnotePr")
    for note_id in ("-1", "0"):
        _sub(pr, "w:footnote", id=note_id)
    settings.insert_element_before(
        pr,
        "w:endnotePr",
        "w:compat",
        "w:docVars",
        "w:rsids",
        "m:mathPr",
        "w:attachedSchema",
        "w:themeFontLang",
        "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats",
        "w:doNotAutoCompressPictures",
        "w:forceUpgrade",
        "w:captions",
        "w:readModeInkLockDown",
        "w:smartTagType",
        "sl:schemaLibrary",
        "w:shapeDefaults",
        "w:doNotEmbedSmartTags",
        "w:decimalSymbol",
        "w:listSeparator",
    )


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a list: number format, label text and indents in twips."""

    fmt: str  #: "decimal", "lowerLetter", "lowerRoman"
    text: str  #: "%1.", "(%2)"
    left: int
    first_line: int
    tab: int  #: where the text after the label starts


def abstract_num(abstract_id: int, nsid: str, levels: list[Level]) -> BaseOxmlElement:
    """Return a ``w:abstractNum`` whose levels number with a tab after the label."""
    an = _el("w:abstractNum", abstractNumId=str(abstract_id))
    _sub(an, "w:nsid", val=nsid)
    _sub(an, "w:multiLevelType", val="multilevel")
    for ilvl, lv in enumerate(levels):
        lvl = _sub(an, "w:lvl", ilvl=str(ilvl))
        _sub(lvl, "w:start", val="1")
        _sub(lvl, "w:numFmt", val=lv.fmt)
        _sub(lvl, "w:suff", val="tab")
        _sub(lvl, "w:lvlText", val=lv.text)
        _sub(lvl, "w:lvlJc", val="left")
        ppr = _sub(lvl, "w:pPr")
        _sub(_sub(ppr, "w:tabs"), "w:tab", val="num", pos=str(lv.tab))
        _sub(ppr, "w:ind", left=str(lv.left), firstLine=str(lv.first_line))
    return an


def add_num(numbering: BaseOxmlElement, abstract_id: int, *, restart: Iterable[int] = ()) -> int:
    """Add a list instance (``w:num``) of an abstract list; return its numId.

    ``restart`` names levels that start again at 1 in this instance
    (``w:lvlOverride/w:startOverride``), e.g. the lettering under each preambular paragraph.
    """
    ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    num_id = max(ids, default=0) + 1
    num = _el("w:num", numId=str(num_id))
    _sub(num, "w:abstractNumId", val=str(abstract_id))
    for ilvl in restart:
        _sub(_sub(num, "w:lvlOverride", ilvl=str(ilvl)), "w:startOverride", val="1")
    # w:num elements follow every w:abstractNum; appending keeps that order
    numbering.append(num)
    return num_id


def set_doc_defaults(styles: BaseOxmlElement, *, font: str, east_asian_font: str, size: int) -> None:
    """Replace the document-wide default fonts, size and spacing in ``w:docDefaults``."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    defaults = _el("w:docDefaults")
    rpr = _sub(_sub(defaults, "w:rPrDefault"), "w:rPr")
    _sub(rpr, "w:rFonts", ascii=font, hAnsi=font, cs=font, eastAsia=east_asian_font)
    _sub(rpr, "w:sz", val=str(size))
    _sub(rpr, "w:szCs", val=str(size))
    _sub(rpr, "w:lang", val="en-GB", eastAsia="zh-CN", bidi="ar-SA")
    ppr = _sub(_sub(defaults, "w:pPrDefault"), "w:pPr")
    _sub(ppr, "w:spacing", after="0", line="240", lineRule="auto")
    styles.insert(0, defaults)


def set_bottom_border(ppr: BaseOxmlElement) -> None:
    """Give a paragraph (or paragraph style) a thin rule below it."""
    set_border(ppr, "bottom")


_PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_PPR_AFTER_SPACING = _PPR_AFTER_PBDR[_PPR_AFTER_PBDR.index("w:spacing") + 1 :]


def set_border(ppr: BaseOxmlElement, side: Literal["top", "bottom"], *, size: int = 6, space: int = 4) -> None:
    """Give a paragraph (or paragraph style) a rule above or below it; ``size`` in eighths of a point."""
    border = ppr.find(qn("w:pBdr"))
    if border is None:
        border = _el("w:pBdr")
        ppr.insert_element_before(border, *_PPR_AFTER_PBDR)
    for old in border.findall(qn(f"w:{side}")):
        border.remove(old)
    rule = _el(f"w:{side}", val="single", sz=str(size), space=str(space), color="000000")
    if side == "top":
        border.insert(0, rule)
        return
    # CT_PBdr order: top, left, bottom, right, between, bar
    later = next((c for c in border if c.tag in (qn("w:right"), qn("w:between"), qn("w:bar"))), None)
    if later is None:
        border.append(rule)
    else:
        later.addprevious(rule)


def set_space_before(ppr: BaseOxmlElement, points: float) -> None:
    """Set the space above a paragraph, in points."""
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = _el("w:spacing")
        ppr.insert_element_before(spacing, *_PPR_AFTER_SPACING)
    spacing.set(qn("w:before"), str(round(points * 20)))


def replace_numbering(numbering: BaseOxmlElement, *abstracts: BaseOxmlElement) -> int:
    """Remove every list from ``numbering.xml`` and add ``abstracts`` (each ``w:abstractNum``
    must precede every ``w:num``), then one instance of the first; return its numId."""
    for child in list(numbering):
        numbering.remove(child)
    for abstract in abstracts:
        numbering.append(abstract)
    return add_num(numbering, int(abstracts[0].get(qn("w:abstractNumId"))))


def set_complex_script_size(rpr: BaseOxmlElement, half_points: int) -> None:
    """Set ``w:szCs``, the size of right-to-left and complex-script text, next to ``w:sz``."""
    for old in rpr.findall(qn("w:szCs")):
        rpr.remove(old)
    rpr.insert_element_before(_el("w:szCs", val=str(half_points)), *_RPR_AFTER_SZCS)


_RPR_AFTER_SZCS = (
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
