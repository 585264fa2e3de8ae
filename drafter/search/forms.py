"""The search box and its filters, read from the query string."""

from __future__ import annotations

from wtforms import SelectField, StringField

from drafter.forms import QueryForm, choices, enum_select, limited, optional, stripped
from drafter.inputs import db_int
from drafter.proposals.models import ProposalKind, ProposalState
from drafter.search.query import MAX_QUERY_CHARS


class SearchForm(QueryForm):
    """Words to find, and the revision, delegation, kind and state to narrow them to ("All": None)."""

    q = StringField("Search", filters=[stripped], validators=[limited(MAX_QUERY_CHARS, "A search")])
    revision = SelectField("Revision", coerce=optional(db_int), validate_choice=False)
    delegation = SelectField("Delegation", coerce=optional(db_int), validate_choice=False)
    kind = enum_select("Proposal kind", tuple(ProposalKind), "Choose a kind of proposal.", blank="All")
    state = enum_select("Proposal state", tuple(ProposalState), "Choose a state.", blank="All")

    def offer(self, revisions: list[tuple[int, str]], delegations: list[tuple[int, str]]) -> None:
        """Set the choices of revisions (by number) and delegations (by id) the user may filter by."""
        self.revision.choices = choices([("", "All"), *revisions])
        self.delegation.choices = choices([("", "All"), *delegations])

    def read_filters(self) -> bool:
        """Read every filter (one that cannot be used filters nothing); return False when the words are refused."""
        ok = self.q.validate(self)
        words = self.q.data, self.q.errors
        self.read()
        self.q.data, self.q.errors = words
        return ok
