"""Short references negotiators use for paragraphs: "PP3", "OP5", "OP5 (a)", a heading's text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from drafter.drafting.models import ParagraphVersion, Revision
from drafter.errors import InvalidInput
from drafter.text.labels import SUFFIXES
from drafter.text.numbering import paragraph_refs
from drafter.text.structure import Kind

_SPACES = re.compile(r"[\s.\u00a0]+")
_INSERTED = re.compile(rf"^(?:op)?(\d{{1,3}})({'|'.join(SUFFIXES)})$")
#: what a box for a paragraph's reference asks for when left empty
NAME_ONE = "Give a paragraph: OP12, PP3, OP5 (a) or 12 bis."


def revision_refs(versions: Iterable[ParagraphVersion]) -> dict[int, str]:
    """Return the short reference of each version of one revision, by version id."""
    ordered = sorted(versions, key=lambda v: v.position)
    refs = paragraph_refs([(v.kind, v.level, v.text) for v in ordered])
    return {v.id: ref for v, ref in zip(ordered, refs)}


def ref_key(text: str) -> str:
    """Return a reference as typed, reduced to what names it: "OP 12.", "op12" and "12" are one."""
    key = _SPACES.sub("", text.lower())
    return f"op{key}" if key[:1].isdigit() else key


def find_paragraph(revision: Revision, label: str, *, empty: str = NAME_ONE) -> ParagraphVersion:
    """Return the paragraph of the revision a reference names, or refuse naming what was typed.

    "12 bis" is the first paragraph after OP12 that is new in this revision (not in the revision
    it was started from), "12 ter" the second, as compilations number them. A reference left
    empty is refused with ``empty``.
    """
    versions = sorted(revision.versions, key=lambda v: v.position)
    refs = revision_refs(versions)
    key = ref_key(label or "")
    if not key:
        raise InvalidInput(empty)
    for v in versions:
        if ref_key(refs[v.id]) == key:
            return v
    m = _INSERTED.match(key)
    if m:
        base = next((i for i, v in enumerate(versions) if ref_key(refs[v.id]) == f"op{m[1]}"), None)
        if base is not None:
            older = set()
            if revision.base_revision is not None:
                older = {v.paragraph_id for v in revision.base_revision.versions}
            new = [v for v in versions[base + 1 :] if v.paragraph_id not in older and v.kind is not Kind.SUBPARAGRAPH]
            n = SUFFIXES.index(m[2]) + 1
            if len(new) >= n:
                return new[n - 1]
    raise InvalidInput(
        f"There is no paragraph {' '.join(label.split())} in {revision.label}. "
        "Give a reference such as OP12, PP3, OP5 (a) or 12 bis."
    )


_ITEMS = re.compile(r"\s*[,;]\s*")
_RANGE = re.compile(r"\s*(?:[\u2013\u2014-]|\bto\b)\s*", re.IGNORECASE)
_PREFIX = re.compile(r"^\s*([A-Za-z]+)\s*\d")
#: the most paragraphs one list of references may name
MAX_NAMED = 5000


def find_paragraphs(revision: Revision, typed: str) -> list[ParagraphVersion]:
    """Return the paragraphs a list of references and ranges names, in the text's order, each once.

    "PP1–PP20, OP3; OP5 to OP7" names twenty preambular paragraphs and four operative ones; the end
    of a range may leave out the start's letters ("PP1-20"). A reference that names no paragraph is
    refused, naming it, as the "go to paragraph" box does.
    """
    versions = sorted(revision.versions, key=lambda v: v.position)
    place = {v.id: i for i, v in enumerate(versions)}
    chosen: set[int] = set()
    for item in filter(None, (x.strip() for x in _ITEMS.split(typed or ""))):
        ends = [e for e in _RANGE.split(item, maxsplit=1) if e.strip()]
        if len(ends) == 2 and ends[1].strip().isdigit() and (m := _PREFIX.match(ends[0])):
            ends[1] = m[1] + ends[1].strip()
        try:  # a heading's own words may hold a dash: "Follow-up and review"
            found = [place[find_paragraph(revision, item).id]]
        except InvalidInput:
            if len(ends) < 2:
                raise
            found = [place[find_paragraph(revision, end).id] for end in ends]
        low, high = min(found), max(found)
        chosen.update(range(low, high + 1))
        if len(chosen) > MAX_NAMED:
            break
    return [versions[i] for i in sorted(chosen)]


def ranges(chosen: Iterable[str], in_order: Iterable[str]) -> str:
    """Return references as negotiators list them: runs of three or more in a row as "PP1–PP20"."""
    wanted = set(chosen)
    runs: list[list[str]] = [[]]
    for ref in in_order:
        if ref in wanted:
            runs[-1].append(ref)
        elif runs[-1]:
            runs.append([])
    parts = []
    for run in filter(None, runs):
        parts.extend([f"{run[0]}\u2013{run[-1]}"] if len(run) >= 3 else run)
    return ", ".join(parts)
