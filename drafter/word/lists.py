"""Word automatic numbering: which list instance and level each paragraph belongs to.

Operative paragraphs are level 0 of one list through the whole document, their subparagraphs
levels 1 and 2 of the same list (Word restarts (a) after each number by itself). Subparagraphs
under anything else (a preambular paragraph, a heading, the start of the text) belong to a
second abstract list, (a) at level 0 and (i) at level 1, with a fresh instance per parent whose
levels start again at 1, so each parent's lettering restarts at (a).
"""

from __future__ import annotations

from collections.abc import Hashable

from docx.document import Document

from drafter.text.structure import Kind
from drafter.word import ooxml
from drafter.word.model import DocParagraph
from drafter.word.styles import LIST_NUM_ID, LOOSE_ABSTRACT_ID, LOOSE_LEVELS, MAX_LEVEL, level_of

_OPERATIVE_PARENT = "operative"


class Parents:
    """Follows one version of the text in order and says whose subparagraph each paragraph is."""

    def __init__(self) -> None:
        self._parent: Hashable = ("start",)

    def see(self, paragraph: DocParagraph, key: Hashable) -> Hashable:
        """Record a paragraph (``key`` identifies it); return the parent key of its list."""
        if paragraph.kind is Kind.SUBPARAGRAPH:
            return self._parent
        self._parent = _OPERATIVE_PARENT if paragraph.kind is Kind.OPERATIVE else key
        return self._parent


class Lists:
    """Hands out (numId, ilvl) pairs, adding list instances to the document as needed."""

    def __init__(self, document: Document) -> None:
        self._numbering = document.part.numbering_part.element
        self._instances: dict[Hashable, int] = {}  #: loose list instance of each parent

    def num(self, paragraph: DocParagraph, parent: Hashable) -> tuple[int, int] | None:
        """Return the list membership of a paragraph whose parent key is ``parent``."""
        if paragraph.kind is Kind.OPERATIVE:
            return (LIST_NUM_ID, 0)
        if paragraph.kind is not Kind.SUBPARAGRAPH:
            return None
        if parent == _OPERATIVE_PARENT:
            return (LIST_NUM_ID, level_of(paragraph))
        num_id = self._instances.get(parent)
        if num_id is None:
            num_id = ooxml.add_num(self._numbering, LOOSE_ABSTRACT_ID, restart=range(len(LOOSE_LEVELS)))
            self._instances[parent] = num_id
        return (num_id, level_of(paragraph) - 1)


def auto_labels(paragraphs: list[DocParagraph]) -> list[str]:
    """Return the label Word's numbering prints before each paragraph ("" for none).

    The labels the app stores should agree; tests compare both with LibreOffice's rendering.
    Its letters and numerals are counted here again on purpose, apart from ``text.numbering``:
    an independent oracle for the tests, not a second home for those helpers.
    """
    labels: list[str] = []
    operative = 0
    counters = [0] * (MAX_LEVEL + 1)
    for p in paragraphs:
        if p.kind is Kind.OPERATIVE:
            operative += 1
            counters = [0] * (MAX_LEVEL + 1)
            labels.append(f"{operative}.")
        elif p.kind is Kind.SUBPARAGRAPH:
            level = level_of(p)
            counters[level] += 1
            counters[level + 1 :] = [0] * (MAX_LEVEL - level)
            labels.append(f"({_letter(counters[1])})" if level == 1 else f"({_roman(counters[level])})")
        else:
            counters = [0] * (MAX_LEVEL + 1)
            labels.append("")
    return labels


def _letter(n: int) -> str:
    # Word's lowerLetter goes a..z, then aa..zz, then aaa..
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = []
    for value, numeral in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)
