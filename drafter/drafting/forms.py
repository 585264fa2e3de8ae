"""Forms of the drafting pages: settings, the editor's paragraph tools, and the revision's lifecycle.

The services enforce the rules; the validators here mirror them (with the services' limits and,
where a service offers its check as a function, its very words) so that a refused form shows
each message beside the field it concerns.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from drafter.drafting.editing import MAX_LEVEL, clean_text
from drafter.drafting.models import Negotiation, ParagraphVersion, ProposalVisibility, Revision, Status
from drafter.drafting.services import MAX_PARAGRAPH_CHARS, MAX_SYMBOL_CHARS
from drafter.errors import InvalidInput
from drafter.forms import DbIntField, choices, limited
from drafter.text.masthead import FIELD_NAMES, LIMITS, Masthead, parse_date, printed_date
from drafter.text.structure import Kind

#: the kinds of paragraph offered in the editor: (kind, level, label); the value sent is "kind:level"
KIND_CHOICES = [
    (Kind.PREAMBULAR, 0, "Preambular"),
    (Kind.OPERATIVE, 0, "Operative"),
    (Kind.SUBPARAGRAPH, 1, "Subparagraph (a)"),
    (Kind.SUBPARAGRAPH, 2, "Subparagraph (i)"),
    (Kind.HEADING, 0, "Heading"),
]


def column_size(attribute) -> int:
    """Return the largest length a string column holds (the limit a service checks against it)."""
    return attribute.property.columns[0].type.length


def kind_value(kind: Kind, level: int) -> str:
    """Return the value a kind-and-level choice is sent as: "operative:0", "subparagraph:1"."""
    return f"{kind.value}:{level if kind.has_levels else 0}"


def kind_level(value: str | tuple[Kind, int]) -> tuple[Kind, int]:
    """Return the kind and level named by a "kind:level" value; ValueError when it names none."""
    if isinstance(value, tuple):
        return value
    kind, _, level = value.partition(":")
    return Kind(kind), int(level or 0)


def by_check(check: Callable[[str], object]) -> Callable:
    """Return a validator that runs a service's own check of a value and shows its refusal beside the field."""

    def validator(form: FlaskForm, field: Field) -> None:
        try:
            check(field.data or "")
        except InvalidInput as e:
            raise StopValidation(e.message) from None

    return validator


def _kind_in_range(form: FlaskForm, field: SelectField) -> None:
    if field.data is None:
        if not field.process_errors:
            raise StopValidation("Choose a kind of paragraph.")
        return
    kind, level = field.data
    if kind.has_levels and not 1 <= level <= MAX_LEVEL:
        raise StopValidation(f"Subparagraph levels go from 1 to {MAX_LEVEL}.")


def _kind_field() -> SelectField:
    # any level the service takes is accepted (the list offers two), so the choice is checked by range
    return SelectField(
        "Kind",
        choices=choices((kind_value(k, lvl), label) for k, lvl, label in KIND_CHOICES),
        coerce=kind_level,
        validate_choice=False,
        validators=[_kind_in_range],
        invalid_value_message="Choose a kind of paragraph.",
    )


_RELOAD = "The form is missing the paragraph's version; reload the page."


class ParagraphForm(FlaskForm):
    """A change of one paragraph of the working revision, made against the version the page showed."""

    version = DbIntField(message=_RELOAD, validators=[InputRequired(_RELOAD)])


class EditParagraphForm(ParagraphForm):
    text = TextAreaField("Text", validators=[by_check(clean_text), Length(max=MAX_PARAGRAPH_CHARS)])


class StatusForm(ParagraphForm):
    status = SelectField(
        "Status",
        choices=choices((s.value, s.label or "No status") for s in Status),
        coerce=Status,
        default=Status.NONE,
        invalid_value_message="Choose a status.",
        invalid_choice_message="Choose a status.",
    )
    note = StringField(
        "Note",
        validators=[
            Length(
                max=column_size(ParagraphVersion.status_note),
                message=f"A status note may have at most {column_size(ParagraphVersion.status_note)} characters.",
            )
        ],
    )


class BulkStatusForm(FlaskForm):
    """One status for several paragraphs of the working revision: references typed, paragraphs ticked, or both."""

    paragraphs = StringField(
        "Paragraphs",
        filters=[lambda v: (v or "").strip()],
        validators=[Length(max=2000, message="Give at most 2,000 characters of references.")],
    )
    status = StatusForm.status
    note = StatusForm.note


class KindForm(ParagraphForm):
    kind = _kind_field()


class MoveForm(ParagraphForm):
    direction = SelectField(
        "Direction",
        choices=choices([("up", "Move up"), ("down", "Move down")]),
        invalid_choice_message="Choose to move the paragraph up or down.",
    )


class DeleteForm(ParagraphForm):
    pass


class InsertForm(FlaskForm):
    anchor = DbIntField(message="That paragraph is not part of this revision.")
    where = SelectField(
        "Where", choices=choices([("after", "After"), ("before", "Before")]), default="after", validate_choice=False
    )
    kind = _kind_field()
    text = TextAreaField("Text", validators=[by_check(clean_text), Length(max=MAX_PARAGRAPH_CHARS)])

    @property
    def after(self) -> bool:
        """Return True unless the new paragraph goes before its anchor."""
        return self.where.data != "before"


class NewRevisionForm(FlaskForm):
    label = StringField(
        "Label",
        validators=[
            Optional(),
            Length(
                max=column_size(Revision.label),
                message=f"A revision label of 1 to {column_size(Revision.label)} characters is required (e.g. Rev.1).",
            ),
        ],
    )


_TITLE = f"A title of 1 to {column_size(Negotiation.title)} characters is required."


class SettingsForm(FlaskForm):
    title = StringField(
        "Title", validators=[DataRequired(_TITLE), Length(max=column_size(Negotiation.title), message=_TITLE)]
    )
    symbol = StringField(
        "Document symbol",
        validators=[
            Length(
                max=MAX_SYMBOL_CHARS,
                message=f"A document symbol has at most {MAX_SYMBOL_CHARS} characters (e.g. A/81/L.12).",
            )
        ],
    )
    visibility = RadioField(
        "Delegations see each other's proposals",
        choices=choices((v.value, v.label) for v in ProposalVisibility),
        coerce=ProposalVisibility,
        invalid_value_message="Choose when delegations see each other's proposals.",
        invalid_choice_message="Choose when delegations see each other's proposals.",
    )


def _status_or_none(value: str | Status | None) -> Status | None:
    """Return the status a filter names, or None (all paragraphs) for an empty or unknown one."""
    return next((s for s in Status if s == value), None)


class RevisionFilterForm(FlaskForm):
    """The filters of a revision's page (query string); an unknown status filters nothing."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        coerce=_status_or_none,
        choices=choices([("", "All paragraphs")] + [(s.value, s.label or "No status") for s in Status]),
        validate_choice=False,
    )
    q = StringField("Text", filters=[lambda v: (v or "").strip()])


class CompareForm(FlaskForm):
    """The revisions compared (query string); a number that names none reads as missing."""

    class Meta:
        csrf = False

    old = DbIntField(name="from", message="Choose the revision to compare from.")
    new = DbIntField(name="to", message="Choose the revision to compare to.")
    changes = StringField(filters=[lambda v: v == "1"])


def _printed_date(form: FlaskForm, field: StringField) -> None:
    if field.data and field.data.strip() and parse_date(field.data) is None:
        raise ValidationError("Write the date of issue as 18 November 2025 or 2025-11-18.")


def _masthead_field(name: str, label: str, *, area: bool = False) -> Field:
    cls = TextAreaField if area else StringField
    return cls(
        label,
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[limited(LIMITS[name], f"The {FIELD_NAMES[name]}")],
    )


class MastheadFields(FlaskForm):
    """The fields of a revision's document identity, as the masthead prints it (the service checks the same limits)."""

    concerns = tuple((f"the {words}", name) for name, words in FIELD_NAMES.items() if name != "issued_on") + (
        ("date of issue", "issued_on"),
        ("title and chapeau", "title"),
    )
    symbol = _masthead_field("symbol", "Symbol")
    issued_on = StringField("Date of issue", validators=[_printed_date])
    distribution = _masthead_field("distribution", "Distribution")
    original_language = _masthead_field("original_language", "Original language")
    session_name = _masthead_field("session_name", "Session")
    committee = _masthead_field("committee", "Committee")
    agenda_item = _masthead_field("agenda_item", "Agenda item")
    agenda_title = _masthead_field("agenda_title", "Title of the agenda item", area=True)
    sponsor_line = _masthead_field("sponsor_line", "Sponsor line", area=True)
    title = _masthead_field("title", "Title", area=True)
    chapeau = _masthead_field("chapeau", "Chapeau")
    footnotes = TextAreaField("Footnotes of the title block (one a line, its mark first: * On behalf of ...)")

    @staticmethod
    def values(masthead: Masthead) -> dict[str, str]:
        """Return a masthead as the fields show it."""
        values = {name: str(getattr(masthead, name) or "") for name in FIELD_NAMES}
        values["issued_on"] = printed_date(masthead.issued_on) if masthead.issued_on else ""
        values["footnotes"] = "\n".join(masthead.footnotes)
        return values

    def masthead(self) -> Masthead:
        """Return the identity typed in the form."""
        values = {name: (self[name].data or "") for name in FIELD_NAMES if name != "issued_on"}
        notes = tuple(line.strip() for line in (self.footnotes.data or "").splitlines() if line.strip())
        return Masthead(issued_on=parse_date(self.issued_on.data or ""), footnotes=notes, **values)


class MastheadForm(MastheadFields):
    """A revision's document identity, corrected on its own page."""

    @classmethod
    def of(cls, masthead: Masthead) -> MastheadForm:
        """Return the form filled with a revision's identity."""
        return cls(formdata=None, **cls.values(masthead))


class GoToForm(FlaskForm):
    """The "go to paragraph" box of the long pages (query string): a reference as negotiators say it."""

    class Meta:
        csrf = False

    go = StringField(
        "Go to paragraph",
        filters=[lambda v: (v or "").strip()],
        validators=[Length(max=40, message="That is not a reference: give one such as OP12, PP3, OP5 (a) or 12 bis.")],
    )
