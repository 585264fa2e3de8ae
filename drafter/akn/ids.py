"""The identifiers of a revision in Akoma Ntoso: FRBR URIs from its symbol and date, eIds from its numbers.

FRBR (AKN naming convention, country "un"): ``/akn/un/statement/{resolution|resolutionDraft}/{organ}/
{date of issue}/{symbol with "/" as "-"}``, then ``/{language}@{date}`` for the expression and ``.xml``
for the manifestation. A revision without a symbol is numbered by its negotiation and label.

eIds: ``recital_3`` (PP3), ``para_5`` (OP5), ``para_12bis``, ``para_5__subpara_a__subpara_i``,
``hcontainer_2`` (the second heading): from the paragraph's number, so a paragraph keeps its eId
in every revision where its number does not change. Operative numbers run through the whole
document, so a paragraph's eId does not carry the heading it stands under.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from drafter.akn.model import AknParagraph, AknRevision
from drafter.text.masthead import organ_of
from drafter.text.structure import Kind

#: ISO 639-2 codes of the six UN languages, by the name a masthead's "Original:" gives
LANGUAGES = {
    "english": "eng",
    "french": "fra",
    "spanish": "spa",
    "russian": "rus",
    "chinese": "zho",
    "arabic": "ara",
}
#: the actor segment of the FRBR URI and the TLC name of each organ
ORGAN_IDS = {
    "General Assembly": ("unga", "generalAssembly"),
    "Economic and Social Council": ("ecosoc", "economicAndSocialCouncil"),
    "Security Council": ("unsc", "securityCouncil"),
}
_NOT_ID = re.compile(r"[^0-9A-Za-z]+")
_NOT_NUMBER = re.compile(r"[^0-9A-Za-z.]+")


@dataclass(frozen=True, slots=True)
class Frbr:
    """The FRBR identifiers of a revision."""

    work: str  #: /akn/un/statement/resolutionDraft/unga/2025-11-18/A-C.2-80-L.58
    expression: str  #: work + /eng@2025-11-18
    manifestation: str  #: expression + .xml
    language: str  #: "eng"
    actor: str  #: "unga"
    name: str  #: "resolution" or "resolutionDraft"


def is_resolution(symbol: str) -> bool:
    """Return True for an adopted resolution's symbol (A/RES/80/118), False for a draft's."""
    return "/RES/" in symbol.upper().replace(" ", "")


def language_code(original_language: str) -> str:
    """Return the ISO 639-2 code of a UN language named in a masthead ("English" → "eng"); English by default."""
    return LANGUAGES.get(original_language.strip().lower(), "eng")


def frbr(doc: AknRevision) -> Frbr:
    """Return the FRBR work, expression and manifestation URIs of a revision."""
    m = doc.masthead
    name = "resolution" if is_resolution(m.symbol) else "resolutionDraft"
    organ = organ_of(m.symbol, m.chapeau) or "General Assembly"
    actor = ORGAN_IDS.get(organ, (_slug(organ) or "un", ""))[0]
    number = _number(m.symbol) or _number(doc.number) or "draft"
    work = f"/akn/un/statement/{name}/{actor}/{doc.issued_on.isoformat()}/{number}"
    language = language_code(m.original_language)
    expression = f"{work}/{language}@{doc.issued_on.isoformat()}"
    return Frbr(work, expression, f"{expression}.xml", language, actor, name)


def _number(symbol: str) -> str:
    """Return a symbol as the number segment of a FRBR URI, which holds no "/": "A/RES/80/118" → "A-RES-80-118"."""
    return _NOT_NUMBER.sub("-", symbol.replace("/", "-")).strip("-.")


def _slug(text: str) -> str:
    return _NOT_ID.sub("-", text.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a paragraph goes: its eId, the paragraph it is a subparagraph of, the heading it stands under."""

    eid: str
    parent: int | None  #: index of the enclosing paragraph (a subparagraph's), else None
    heading: int | None  #: index of the heading it stands under, else None
    in_preamble: bool


def plan(paragraphs: Sequence[AknParagraph]) -> list[Slot]:
    """Return each paragraph's eId and place in the document, in order."""
    slots: list[Slot] = []
    used: set[str] = set()
    counts = {Kind.HEADING: 0, Kind.PREAMBULAR: 0, Kind.OPERATIVE: 0}
    children: dict[int, int] = {}  # index of a paragraph → subparagraphs seen in it
    stack: list[int] = []  # stack[d] = index of the open item at depth d
    heading: int | None = None
    in_preamble = True
    for i, p in enumerate(paragraphs):
        parent: int | None = None
        if p.kind is Kind.SUBPARAGRAPH:
            depth = max(1, p.level)
            del stack[depth:]
            parent = stack[-1] if stack else None
            if parent is not None:
                children[parent] = children.get(parent, 0) + 1
            n = children.get(parent, 0) if parent is not None else i + 1
            base = f"{slots[parent].eid}__subpara_" if parent is not None else "subpara_"
            eid = base + (_NOT_ID.sub("", p.number_label) or str(n))
            stack.append(i)
        else:
            if p.kind is not Kind.PREAMBULAR:
                in_preamble = False
            counts[p.kind] += 1
            if p.kind is Kind.HEADING:
                eid = f"hcontainer_{counts[Kind.HEADING]}"
                heading = i
                stack = []
            elif p.kind is Kind.PREAMBULAR:
                eid = f"recital_{counts[Kind.PREAMBULAR]}"
                stack = [i]
            else:
                eid = f"para_{_NOT_ID.sub('', p.number_label) or counts[Kind.OPERATIVE]}"
                stack = [i]
        unique, k = eid, 1
        while unique in used:  # a number printed twice (an imported text's slip) still gives distinct ids
            k += 1
            unique = f"{eid}-{k}"
        used.add(unique)
        in_pre = in_preamble if parent is None else slots[parent].in_preamble
        slots.append(Slot(unique, parent, None if p.kind is Kind.HEADING else heading, in_pre))
    return slots


def element_ids(paragraphs: Sequence[AknParagraph]) -> list[str]:
    """Return the eId of each paragraph, in order."""
    return [s.eid for s in plan(paragraphs)]


def organ_tlc(doc: AknRevision) -> str:
    """Return the name of the organ's TLCOrganization: "generalAssembly"."""
    organ = organ_of(doc.masthead.symbol, doc.masthead.chapeau) or "General Assembly"
    known = ORGAN_IDS.get(organ)
    return known[1] if known else (_NOT_ID.sub("", organ.title()) or "unitedNations")
