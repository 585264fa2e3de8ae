"""Forms of the proposals pages: the compilation's filters, proposing, editing, positions, decisions.

The services enforce the rules; the validators here mirror their limits (with the services'
own constants) so that a refusal is printed beside the field it concerns.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from drafter.drafting.services import MAX_PARAGRAPH_CHARS
from drafter.forms import DbIntField, QueryForm, choices, enum_select, limited, optional, stripped
from drafter.inputs import db_int
from drafter.proposals.decisions import DECISIONS, MAX_NOTE_CHARS
from drafter.proposals.models import ProposalKind, ProposalState, Stance
from drafter.proposals.queries import Filters
from drafter.proposals.services import MAX_JUSTIFICATION_CHARS, MAX_PROPOSAL_CHARS
from drafter.text.structure import Kind

#: the kinds a proposed new paragraph may have, in the order the form offers them
NEW_PARAGRAPH_KINDS = (Kind.PREAMBULAR, Kind.OPERATIVE, Kind.SUBPARAGRAPH, Kind.HEADING)
#: what became of proposals (``queries.outcome``'s verdicts), as the delegation page filters them
VERDICTS = ("taken up", "partly taken up", "not taken up", "pending", "withdrawn")


class CompilationFilters(QueryForm):
    delegation = SelectField("Delegation", coerce=optional(db_int), validate_choice=False)
    paragraph = SelectField("Paragraph", coerce=optional(db_int), validate_choice=False)
    kind = enum_select("Kind", tuple(ProposalKind), "Choose a kind of proposal.", blank="All")
    state = enum_select("State", tuple(ProposalState), "Choose a state.", blank="All")
    only = BooleanField("Only paragraphs with proposals")
    q = StringField("Words", filters=[stripped], validators=[Length(max=200)])

    def filters(self) -> Filters:
        """Return the filters to compile the revision with."""
        self.read()
        return Filters(
            delegation_id=self.delegation.data,
            paragraph_id=self.paragraph.data,
            kind=self.kind.data,
            state=self.state.data,
            with_proposals_only=bool(self.only.data),
            words=tuple((self.q.data or "").lower().split()),
        )


class VerdictFilter(QueryForm):
    verdict = SelectField("Outcome", choices=choices([("", "All")] + [(v, v.capitalize()) for v in VERDICTS]))


class _Wording(FlaskForm):
    """The words of a proposal: its text (for amendments and new paragraphs) and its justification."""

    #: the words of the services' refusals, and the field each concerns
    concerns = (("proposed text", "text"), ("nothing would change", "text"), ("justification", "justification"))

    text = TextAreaField(
        "Proposed text", filters=[stripped], validators=[limited(MAX_PROPOSAL_CHARS, "A proposed text")]
    )
    justification = TextAreaField(
        "Justification", filters=[stripped], validators=[limited(MAX_JUSTIFICATION_CHARS, "A justification")]
    )

    def proposal_kind(self) -> ProposalKind | None:
        raise NotImplementedError

    def validate_text(self, field: TextAreaField) -> None:
        kind = self.proposal_kind()
        if kind is not None and kind.has_text and not field.data:
            raise ValidationError(
                "The proposed text is empty."
                + (" To remove the paragraph, propose its deletion." if kind.is_amend else "")
            )


class ProposeForm(_Wording):
    kind = enum_select(
        "Proposal",
        tuple(ProposalKind),
        "Choose what to propose: amend, new paragraph, delete or retain.",
        default=ProposalKind.AMEND,
    )
    paragraph = DbIntField(message="That paragraph is not part of this revision.")
    delegation = DbIntField("On behalf of", message="Choose the delegation the proposal is made for.")
    # left out, the new paragraph takes the kind of the one it follows (the service decides)
    new_kind = SelectField(
        "Kind of paragraph",
        choices=choices((k.value, k.value.capitalize()) for k in NEW_PARAGRAPH_KINDS),
        coerce=optional(Kind),
        validate_choice=False,
        invalid_value_message="Choose the kind of the new paragraph.",
    )
    new_level = DbIntField(message="Give the level of the new subparagraph as a number.")

    def proposal_kind(self) -> ProposalKind | None:
        return self.kind.data


class EditForm(_Wording):
    version = DbIntField(message="Open the proposal again: the form was not sent whole.")

    def __init__(self, *args: Any, kind: ProposalKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kind = kind

    def proposal_kind(self) -> ProposalKind | None:
        return self._kind


class PositionForm(FlaskForm):
    stance = enum_select("Position", tuple(Stance), "Choose co-sponsor, support or oppose.", blank="No position")
    next = HiddenField()


class DecideForm(FlaskForm):
    outcome = enum_select("Decision", DECISIONS, "Choose a decision.", field=RadioField)
    merged_into = SelectField(
        'Merged with (for "merged")',
        coerce=optional(db_int),
        validate_choice=False,
        invalid_value_message="Choose the proposal this one is merged with.",
    )
    use_text = BooleanField("Use this text when incorporating")
    text = TextAreaField("Text to incorporate", validators=[limited(MAX_PARAGRAPH_CHARS, "A paragraph")])
    note = TextAreaField(
        "Note to delegations", filters=[stripped], validators=[limited(MAX_NOTE_CHARS, "A note to delegations")]
    )
    version = DbIntField(message="Open the proposal again: the form was not sent whole.")

    #: the words of the services' refusals, and the field each concerns
    concerns = (
        ("choose incorporated", "outcome"),
        ("merged with", "merged_into"),
        ("merge this one", "merged_into"),
        ("note to delegations", "note"),
        ("as incorporated with", "text"),
        ("paragraph may have", "text"),
        ("paragraph text is empty", "text"),
    )

    def validate_merged_into(self, field: SelectField) -> None:
        if self.outcome.data is ProposalState.MERGED and field.data is None:
            raise ValidationError("Choose the proposal on the same revision that this one is merged with.")
