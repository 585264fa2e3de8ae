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
