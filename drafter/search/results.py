"""What a search returns: paragraphs with their places through the revisions and their matching texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from drafter.drafting.models import Revision
from drafter.proposals.models import Proposal
from drafter.search.query import Pieces, Term, as_html, as_text

#: how each indexed text is named in a result
FIELD_LABELS = {
    "text": "text",
    "footnotes": "footnotes",
    "proposal": "proposed text",
    "proposal_footnotes": "proposed footnotes",
    "justification": "justification",
    "decision": "decision note",
}


@dataclass(frozen=True)
class Place:
    """The paragraph in one revision: "OP7 of Rev.1"."""

    revision: Revision
    ref: str
    #: the paragraph's text in this revision holds a match
    matched: bool


@dataclass(frozen=True)
class Snippet:
    """One matching text: where it is, and its words with the matches marked."""

    revision: Revision
    field: str
    runs: Pieces
    proposal: Proposal | None = None
    #: the earlier revisions where the same text stands, oldest first
    also: tuple[Revision, ...] = ()

    @property
    def html(self) -> Markup:
        """Return the words as escaped HTML, matches in ``<mark>``."""
        return as_html(self.runs)

    @property
    def text(self) -> str:
        """Return the words as plain text, matches between ``**``."""
        return as_text(self.runs)

    @property
    def what(self) -> str:
        """Return which text of the place matched ("justification")."""
        return FIELD_LABELS[self.field]


@dataclass(frozen=True)
class Span:
    """Consecutive revisions where the paragraph has the same reference: "OP5 of Zero draft to Rev.4"."""

    ref: str
    first: Revision
    last: Revision
    #: the paragraph's text matched in one of these revisions
    matched: bool


@dataclass
class Hit:
    """One paragraph (its identity across revisions), or one proposal on no paragraph, and its matches."""

    paragraph_id: int | None
    #: the paragraph in every revision the user may read, oldest first
    history: list[Place] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    #: how a proposal on no paragraph is named ("Title", "New paragraph after OP3")
    heading: str = ""
    #: matching texts left out beyond MAX_SNIPPETS
    more: int = 0

    @property
    def spans(self) -> list[Span]:
        """Return the history as runs of revisions under one reference, oldest first."""
        out: list[Span] = []
        for place in self.history:
            if out and out[-1].ref == place.ref:
                prev = out[-1]
                out[-1] = Span(prev.ref, prev.first, place.revision, prev.matched or place.matched)
            else:
                out.append(Span(place.ref, place.revision, place.revision, place.matched))
        return out


@dataclass(frozen=True)
class Results:
    query: str
    terms: tuple[Term, ...]
    hits: list[Hit]
    #: the matching texts found (at most MAX_MATCHES)
    matches: int
    #: more paragraphs matched than are shown
    truncated: bool
    #: what the user is told when nothing could be searched for
    message: str = ""


def as_data(results: Results) -> dict[str, Any]:
    """Return the results as plain data (the command line's --json)."""

    def snippet(s: Snippet) -> dict[str, Any]:
        out: dict[str, Any] = {"revision": s.revision.label, "field": s.field, "text": s.text, "html": str(s.html)}
        out["same_in"] = [r.label for r in s.also]
        if s.proposal is not None:
            out |= {
                "proposal": s.proposal.id,
                "delegation": s.proposal.delegation.name,
                "kind": s.proposal.kind.value,
                "state": s.proposal.state.value,
            }
        return out

    return {
        "query": results.query,
        "matches": results.matches,
        "truncated": results.truncated,
        "message": results.message,
        "hits": [
            {
                "paragraph": h.paragraph_id,
                "heading": h.heading,
                "history": [{"revision": p.revision.label, "ref": p.ref, "matched": p.matched} for p in h.history],
                "matches": [snippet(s) for s in h.snippets],
                "more": h.more,
            }
            for h in results.hits
        ],
    }
