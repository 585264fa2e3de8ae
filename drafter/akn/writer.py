"""Write a revision as Akoma Ntoso 3.0 XML following AKN4UN for General Assembly resolutions.

The document is a ``statement`` named ``resolution`` (an A/RES symbol) or ``resolutionDraft``
(an L. document, a zero draft, a working revision). ``meta/identification`` carries the FRBR
work, expression and manifestation, built from the symbol and the date of issue; the
``preface`` the symbol, date, title and sponsor line; the ``preamble`` the chapeau as a
``formula`` and the preambular paragraphs as ``recital``s; the ``mainBody`` the headings as
``hcontainer``s holding the paragraphs under them, the operative paragraphs with their ``num``
and the subparagraphs nested in them. A footnote is an ``authorialNote`` where its marker stands.

``eId``s follow the Akoma Ntoso naming convention and are derived from each paragraph's
number, so a paragraph whose number does not change keeps its ``eId`` from one revision to the
next: ``recital_3`` (PP3), ``para_5`` (OP5), ``para_12bis``, ``para_5__subpara_a__subpara_i``,
``hcontainer_2`` (the second heading). The paragraph's identity across revisions (its lineage)
is its ``GUID``, and ``meta/proprietary`` maps each lineage to its element here (``href``) and,
where the number changed, to its element in the revision before (``previousHref``, "" when new).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from lxml import etree

from drafter.akn.ids import Frbr, Slot, element_ids, frbr, organ_tlc, plan
from drafter.akn.model import AknParagraph, AknRevision
from drafter.text import footnotes
from drafter.text.masthead import Masthead, organ_of, printed_date
from drafter.text.structure import Kind

__all__ = ["AknParagraph", "AknRevision", "element_ids", "frbr", "write_akn"]

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#: the namespace of what Drafter adds in ``meta/proprietary``: the lineage of each eId
DRAFTER_NS = "urn:drafter:akn:1"
_A = "{%s}" % AKN_NS
_D = "{%s}" % DRAFTER_NS

# characters XML 1.0 cannot carry (the markers are private-use characters, which it can)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_akn(doc: AknRevision) -> bytes:
    """Return the revision as Akoma Ntoso 3.0 XML (UTF-8, with its declaration)."""
    ids = frbr(doc)
    slots = plan(doc.paragraphs)
    numbers = footnotes.numbering(p.text for p in doc.paragraphs)
    root = etree.Element(_A + "akomaNtoso", nsmap={None: AKN_NS, "drafter": DRAFTER_NS})
    statement = _sub(root, "statement", name=ids.name, contains="originalVersion")
    _meta(statement, doc, ids, slots)
    _preface(statement, doc)
    preamble = etree.Element(_A + "preamble")
    if doc.masthead.chapeau.strip():
        formula = _sub(preamble, "formula", name="enactingFormula")
        _inline(_sub(_sub(formula, "p"), "i"), doc.masthead.chapeau, {}, {}, "")
    body = etree.Element(_A + "mainBody")
    recitals: etree._Element | None = None
    elements: list[etree._Element] = []
    for i, (p, slot) in enumerate(zip(doc.paragraphs, slots)):
        if slot.parent is not None:
            el = _subparagraph(elements[slot.parent], slot.eid)
        elif p.kind is Kind.PREAMBULAR and slot.in_preamble:
            if recitals is None:
                recitals = _sub(preamble, "recitals", eId="recs")
            el = _sub(recitals, "recital", eId=slot.eid)
        else:
            where = body if slot.heading is None else elements[slot.heading]
            el = _top(where, p, slot.eid)
        el.set("GUID", f"lineage-{p.lineage}")
        _fill(el, p, slot.eid, numbers[i])
        elements.append(el)
    for el in elements:  # a heading with nothing under it still has content, as the schema asks
        if el.tag == _A + "hcontainer" and el.get("name") == "heading" and len(el) == 1:
            _sub(_sub(el, "content"), "p")
    if len(preamble):
        statement.append(preamble)
    if not len(body):
        _sub(_sub(body, "hcontainer", name="empty", eId="hcontainer_empty"), "content").append(etree.Element(_A + "p"))
    statement.append(body)
    _indent(root, 0)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


#: elements that hold only other elements: indented; everything else is mixed content, left as written
_STRUCTURAL = frozenset(
    _A + t
    for t in (
        "akomaNtoso statement meta identification FRBRWork FRBRExpression FRBRManifestation references "
        "proprietary preface longTitle preamble formula recitals recital blockList item mainBody hcontainer "
        "paragraph subparagraph intro content"
    ).split()
) | {_D + "eIds"}


def _indent(el: etree._Element, level: int) -> None:
    """Indent the element-only parts of the tree, so that revisions diff line by line; never inside text."""
    if el.tag not in _STRUCTURAL or not len(el) or (el.text or "").strip():
        return
    inner = "\n" + "  " * (level + 1)
    el.text = inner
    for child in el:
        _indent(child, level + 1)
        child.tail = inner
    el[-1].tail = "\n" + "  " * level


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, _A + tag, {k: v for k, v in attrs.items()})


def _top(where: etree._Element, p: AknParagraph, eid: str) -> etree._Element:
    """Return the element of a paragraph that is nobody's subparagraph."""
    if p.kind is Kind.HEADING:
        return _sub(where, "hcontainer", name="heading", eId=eid)
    if p.kind is Kind.PREAMBULAR:  # a preambular paragraph after the operative part began
        return _sub(where, "hcontainer", name="preambularParagraph", eId=eid)
    return _sub(where, "paragraph" if p.kind is Kind.OPERATIVE else "subparagraph", eId=eid)


def _subparagraph(parent: etree._Element, eid: str) -> etree._Element:
    """Return a new subparagraph inside ``parent``: a hierarchy's subparagraph, or a recital's list item."""
    if parent.tag in (_A + "recital", _A + "item"):
        last = parent[-1] if len(parent) else None
        if last is None or last.tag != _A + "blockList":
            last = _sub(parent, "blockList", eId=f"{parent.get('eId')}__list_1")
        return _sub(last, "item", eId=eid)
    content = parent.find(_A + "content")
    if content is not None:  # its own words become the intro of its subparagraphs
        content.tag = _A + "intro"
    return _sub(parent, "subparagraph", eId=eid)


def _fill(el: etree._Element, p: AknParagraph, eid: str, numbers: Mapping[int, int]) -> None:
    """Write a paragraph's number and words into its element."""
    if p.number_label.strip() and p.kind is not Kind.HEADING:
        label = _clean(p.number_label.strip())
        _sub(el, "num").text = f"{label}." if p.kind is Kind.OPERATIVE and label[-1:].isalnum() else label
    if p.kind is Kind.HEADING:
        _inline(_sub(el, "heading"), p.text, p.footnotes, numbers, eid)
        return
    if el.tag in (_A + "recital", _A + "item"):
        block = _sub(el, "p")
    else:
        block = _sub(_sub(el, "content"), "p")
    cut = max(0, min(p.italic_chars, len(p.text)))
    if cut:
        _inline(_sub(block, "i"), p.text[:cut], p.footnotes, numbers, eid)
    _inline(block, p.text[cut:], p.footnotes, numbers, eid)


def _inline(el: etree._Element, text: str, notes: Mapping[int, str], numbers: Mapping[int, int], owner: str) -> None:
    """Append ``text`` to ``el``, each footnote marker as an ``authorialNote`` where it stands."""
    start = 0
    for m in footnotes.MARKERS.finditer(text):
        _text(el, text[start : m.start()])
        start = m.end()
        note_id = footnotes.marker_id(m.group())
        if note_id is None or note_id not in notes:
            continue  # a marker whose note is gone prints nothing, as in the Word files
        number = numbers.get(note_id, note_id)
        _note(el, str(number), f"{owner}__authorialNote_{number}", notes[note_id])
    _text(el, text[start:])


def _note(el: etree._Element, marker: str, eid: str, text: str) -> None:
    note = _sub(el, "authorialNote", marker=marker, placement="bottom", eId=eid)
    _sub(note, "p").text = _clean(footnotes.strip(text))


def _text(el: etree._Element, s: str) -> None:
    """Append plain text to an element's mixed content."""
    s = _clean(s)
    if not s:
        return
    if len(el):
        el[-1].tail = (el[-1].tail or "") + s
    else:
        el.text = (el.text or "") + s


def _clean(s: str) -> str:
    return _NOT_XML.sub("", s)


def _meta(statement: etree._Element, doc: AknRevision, ids: Frbr, slots: Sequence[Slot]) -> None:
    meta = _sub(statement, "meta")
    ident = _sub(meta, "identification", source="#drafter")
    organ_ref = "#" + organ_tlc(doc)
    issued = doc.issued_on.isoformat()
    date_name = "adoption" if ids.name == "resolution" else "issued"
    work = _sub(ident, "FRBRWork")
    _sub(work, "FRBRthis", value=f"{ids.work}/!main")
    _sub(work, "FRBRuri", value=ids.work)
    _sub(work, "FRBRdate", date=issued, name=date_name)
    _sub(work, "FRBRauthor", href=organ_ref)
    _sub(work, "FRBRcountry", value="un")
    _sub(work, "FRBRsubtype", value=ids.name)
    if doc.masthead.symbol:
        _sub(work, "FRBRnumber", value=_clean(doc.masthead.symbol), showAs=_clean(doc.masthead.symbol))
    _sub(work, "FRBRname", value=_clean(doc.label) or ids.name)
    expression = _sub(ident, "FRBRExpression")
    _sub(expression, "FRBRthis", value=f"{ids.expression}/!main")
    _sub(expression, "FRBRuri", value=ids.expression)
    _sub(expression, "FRBRdate", date=issued, name=date_name)
    _sub(expression, "FRBRauthor", href=organ_ref)
    _sub(expression, "FRBRlanguage", language=ids.language)
    manifestation = _sub(ident, "FRBRManifestation")
    _sub(manifestation, "FRBRthis", value=f"{ids.expression}/!main.xml")
    _sub(manifestation, "FRBRuri", value=ids.manifestation)
    _sub(manifestation, "FRBRdate", date=doc.generated_at.date().isoformat(), name="generation")
    _sub(manifestation, "FRBRauthor", href="#drafter")
    refs = _sub(meta, "references", source="#drafter")
    organ = organ_of(doc.masthead.symbol, doc.masthead.chapeau) or "General Assembly"
    _sub(
        refs,
        "TLCOrganization",
        eId=organ_tlc(doc),
        href=f"/akn/ontology/organizations/un/{organ_tlc(doc)}",
        showAs=organ,
    )
    _sub(refs, "TLCOrganization", eId="drafter", href="/akn/ontology/organizations/un/drafter", showAs="Drafter")
    _lineage(_sub(meta, "proprietary", source="#drafter"), doc, slots)


def _lineage(prop: etree._Element, doc: AknRevision, slots: Sequence[Slot]) -> None:
    """Map each paragraph's lineage to its eId, and to its eId in the revision before where that differs."""
    before: dict[int, str] = {}
    if doc.previous is not None:
        before = {p.lineage: eid for p, eid in zip(doc.previous, element_ids(doc.previous))}
    ids = etree.SubElement(prop, _D + "eIds", revision=_clean(doc.label))
    if doc.previous is not None:
        ids.set("previousRevision", _clean(doc.previous_label))
    for p, slot in zip(doc.paragraphs, slots):
        entry = etree.SubElement(ids, _D + "paragraph", lineage=str(p.lineage), href=f"#{slot.eid}")
        was = before.get(p.lineage)
        if doc.previous is not None and was != slot.eid:
            entry.set("previousHref", f"#{was}" if was else "")  # "": new in this revision


def _preface(statement: etree._Element, doc: AknRevision) -> None:
    m = doc.masthead
    preface = _sub(statement, "preface")
    if m.symbol:
        _sub(_sub(preface, "p", **{"class": "symbol"}), "docNumber").text = _clean(m.symbol)
    _sub(_sub(preface, "p", **{"class": "stage"}), "docStage").text = _clean(doc.label) or "Draft"
    day = _sub(_sub(preface, "p", **{"class": "date"}), "docDate", date=doc.issued_on.isoformat())
    day.text = printed_date(doc.issued_on)
    for cls, value in (
        ("distribution", m.distribution),
        ("originalLanguage", m.original_language),
        ("session", m.session_name),
        ("committee", m.committee),
    ):
        if value:
            _sub(preface, "p", **{"class": cls}).text = _clean(value)
    if m.agenda_item or m.agenda_title:
        item = _sub(preface, "p", **{"class": "agendaItem"})
        item.text = _clean(f"Agenda item {m.agenda_item}") if m.agenda_item else None
        if m.agenda_title:
            if m.agenda_item:
                _sub(item, "br")
            _text(item, m.agenda_title)
    if m.sponsor_line or m.footnotes:
        _sponsors(_sub(_sub(preface, "p", **{"class": "sponsors"}), "docProponent"), m)
    title = _sub(_sub(_sub(preface, "longTitle"), "p"), "docTitle")
    title.text = _clean(m.title) or _clean(doc.label) or "Draft resolution"


def _sponsors(proponent: etree._Element, m: Masthead) -> None:
    """Write the sponsor line, each star note of the title block as an ``authorialNote`` where its star stands."""
    notes = []
    for k, note in enumerate(m.footnotes, start=1):
        marker = note[: len(note) - len(note.lstrip("*†‡"))] or "*" * k
        notes.append((marker, f"preface__authorialNote_{k}", note[len(marker) :].strip() or note))
    # the longest stars first, so that "**" is not read as two "*"
    pattern = "|".join(re.escape(mk) for mk in sorted({mk for mk, _, _ in notes}, key=len, reverse=True))
    placed: set[str] = set()
    for k, line in enumerate(m.sponsor_line.split("\n")):
        if k:
            _sub(proponent, "br")
        start = 0
        for hit in re.finditer(pattern, line) if pattern else ():
            found = next((n for n in notes if n[0] == hit.group() and n[1] not in placed), None)
            if found is None:
                continue
            _text(proponent, line[start : hit.start()])
            _note(proponent, *found)
            placed.add(found[1])
            start = hit.end()
        _text(proponent, line[start:])
    for found in notes:
        if found[1] not in placed:
            _note(proponent, *found)
