"""Short references negotiators use for paragraphs: "PP3", "OP5", "OP5 (a)", a heading's text."""

from __future__ import annotations

from collections.abc import Iterable

from drafter.drafting.models import ParagraphVersion
from drafter.text.numbering import paragraph_refs


def revision_refs(versions: Iterable[ParagraphVersion]) -> dict[int, str]:
    """Return the short reference of each version of one revision, by version id."""
    ordered = sorted(versions, key=lambda v: v.position)
    refs = paragraph_refs([(v.kind, v.level, v.text) for v in ordered])
    return {v.id: ref for v, ref in zip(ordered, refs)}
