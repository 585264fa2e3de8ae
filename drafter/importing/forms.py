"""Forms of the import pages: a draft or a delegation's file to preview, and the previews' confirmation.

The services read the files and enforce the rules; the validators here mirror their limits (with
the services' own constants) so that a refusal is shown beside the field it concerns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import Length, ValidationError

from drafter.drafting.editing import MAX_LEVEL
from drafter.drafting.forms import KIND_CHOICES, MastheadFields, column_size, kind_level
from drafter.drafting.models import Revision
from drafter.errors import InvalidInput
from drafter.forms import WhenField
from drafter.importing.proposals import MAX_AMENDMENT_CHARS
from drafter.importing.services import MAX_TEXT_CHARS
from drafter.inputs import db_int
from drafter.text.structure import ParsedParagraph


class UploadField(FileField):
    """A file chosen in the form; ``read()`` returns its name and bytes, or None when none was chosen."""

    def read(self) -> tuple[str, bytes] | None:
        """Return the upload's name and bytes (at most the app's UPLOAD_MAX_BYTES), or None; InvalidInput if unusable."""
        upload = self.data
        if upload is None or not getattr(upload, "filename", ""):
            return None
        limit = current_app.config["UPLOAD_MAX_BYTES"]
        data = upload.stream.read(limit + 1)
        if len(data) > limit:
            raise InvalidInput(f"The file is larger than {limit // (1024 * 1024)} MB.")
        if not data:
            raise InvalidInput("The file is empty.")
        return upload.filename, data


class UploadForm(FlaskForm):
    """A file or pasted text; after ``validate()``, ``upload`` holds the file's name and bytes (or None)."""

    #: what to say when neither a file nor any text was given
    missing = "Choose a file or paste the text."

    file = UploadField("File")
    text = TextAreaField("Or paste the text")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.upload: tuple[str, bytes] | None = None

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        try:
            self.upload = self.file.read()
        except InvalidInput as e:
            self.file.errors.append(e.message)
            return False
        if self.upload is None and not (self.text.data or "").strip():
            self.form_errors.append(self.missing)
            return False
        return True


class DraftUploadForm(UploadForm):
    missing = "Paste the text of the draft, or choose a .txt or .docx file."

    text = TextAreaField(
        "Or paste the text",
        validators=[Length(max=MAX_TEXT_CHARS, message=f"The text is longer than {MAX_TEXT_CHARS:,} characters.")],
    )


def _optional_id(value: Any) -> int | None:
    """Return an id chosen in a list, None for the empty choice; ValueError when it is no id."""
    if value is None or value == "":
        return None
    return value if isinstance(value, int) else db_int(value)


class ProposalsUploadForm(UploadForm):
    missing = "Choose a tracked Word file (.docx) or an amendment document, or paste the amendments."
    #: which field a refusal from the services concerns, by the words it uses
    concerns = (
        ("delegation the proposals", "delegation"),
        ("speak for", "delegation"),
        ("propose or take positions for", "delegation"),
    )

    delegation = SelectField(
        "Delegation",
        coerce=_optional_id,
        validate_choice=False,
        invalid_value_message="Choose the delegation the proposals are from.",
    )
    text = TextAreaField(
        "Or paste the amendments",
        validators=[
            Length(
                max=MAX_AMENDMENT_CHARS,
                message=f"The amendment text is longer than {MAX_AMENDMENT_CHARS:,} characters.",
            )
        ],
    )


class PairingField(Field):
    """The preview's choice lists, one ``pair-<i>`` for each imported paragraph i: "new", the index of
    an earlier paragraph, or nothing ("auto": as the alignment proposes).

    ``data`` maps the imported paragraphs whose choice was sent to the earlier paragraph chosen
    (None: a new paragraph); the bounds are the form's ``n_new`` and ``n_old``.
    """

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors = []
        self.data: dict[int, int | None] = {}
        #: what was sent for each imported paragraph, by its index
        self.sent: dict[int, str] = {}
        prefix = f"{self.name}-"
        for key in formdata or ():
            index = key[len(prefix) :]
            if key.startswith(prefix) and index.isascii() and index.isdigit():
                self.sent[int(index)] = formdata.get(key)

    def pre_validate(self, form: RevisionPreviewForm) -> None:
        for i, value in sorted(self.sent.items()):
            if i >= form.n_new or value == "auto":
                continue
            chosen = form.earlier(value)
            if chosen is False:
                raise ValidationError(
                    f"Paragraph {i + 1}: choose “New paragraph” or one of the earlier paragraphs listed."
                )
            self.data[i] = chosen


def listed_kind(value: str) -> tuple[Any, int]:
    """Return the kind and level a kind list's value names, one of those it offers; ValueError otherwise."""
    kind, level = kind_level(value)
    listed = {(k, lvl) for k, lvl, _ in KIND_CHOICES}
    if (kind, level) not in listed and not (kind.has_levels and 1 <= level <= MAX_LEVEL):
        raise ValueError(value)
    return kind, level


class KindsField(Field):
    """The preview's kind lists, one ``kind-<i>`` for each imported paragraph i: "operative:0",
    "subparagraph:1" ... (``drafting.forms.kind_value``); one not sent keeps the kind detected.

    ``data`` maps the imported paragraphs whose kind was corrected to (kind, level).
    """

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors = []
        self.data: dict[int, tuple[Any, int]] = {}
        self.sent: dict[int, str] = {}
        prefix = f"{self.name}-"
        for key in formdata or ():
            index = key[len(prefix) :]
            if key.startswith(prefix) and index.isascii() and index.isdigit():
                self.sent[int(index)] = formdata.get(key)

    def pre_validate(self, form: RevisionPreviewForm) -> None:
        for i, value in sorted(self.sent.items()):
            if i >= form.n_new:
                continue
            try:
                self.data[i] = listed_kind(value)
            except ValueError:
                raise ValidationError(f"Paragraph {i + 1}: choose one of the kinds listed.") from None


class RevisionPreviewForm(MastheadFields):
    """The confirmation of an imported draft: its label, its document details as read (corrected), the
    pairing, and circulating at once."""

    #: which field a refusal from the services concerns, by the words it uses
    concerns = (
        ("revision label", "label"),
        ("labelled", "label"),
        ("document symbol", "symbol"),
        ("deadline", "deadline"),
        ("previous paragraph", "pairing"),
        ("no new paragraph", "pairing"),
        *MastheadFields.concerns,
    )

    action = StringField()
    label = StringField("Revision label", validators=[Length(max=column_size(Revision.label))])
    circulate = BooleanField("Circulate at once, with proposals due")
    deadline = WhenField("Proposal deadline (UTC)", what="proposal deadline")
    confirm_identical = BooleanField()
    pairing = PairingField(name="pair")
    kinds = KindsField(name="kind")

    def __init__(self, *args: Any, n_new: int = 0, n_old: int = 0, **kwargs: Any) -> None:
        self.n_new, self.n_old = n_new, n_old
        super().__init__(*args, **kwargs)

    @property
    def cancelled(self) -> bool:
        """Return True when the user chose to cancel the import."""
        return self.action.data == "cancel"

    def earlier(self, value: str) -> int | bool | None:
        """Return the earlier paragraph a choice names (None: a new paragraph), or False when it names none."""
        if value == "new":
            return None
        if value.isascii() and value.isdigit() and int(value) < self.n_old:
            return int(value)
        return False

    def corrected(self, paragraphs: Sequence[ParsedParagraph]) -> list[ParsedParagraph]:
        """Return the imported paragraphs with the kinds chosen in the preview (those that name a kind)."""
        out = []
        for i, p in enumerate(paragraphs):
            try:
                kind, level = listed_kind(self.kinds.sent[i]) if i in self.kinds.sent else (p.kind, p.level)
            except ValueError:
                kind, level = p.kind, p.level
            out.append(p if (kind, level) == (p.kind, p.level) else replace(p, kind=kind, level=level))
        return out

    def selection(self, proposed: dict[int, int | None]) -> list[int | None]:
        """Return the earlier paragraph each list shows chosen: the user's choice when one was sent
        and is valid, else the alignment's (``proposed``: new index → old index; absent: new)."""
        shown = []
        for i in range(self.n_new):
            chosen = self.earlier(self.pairing.sent.get(i, "auto"))
            shown.append(proposed.get(i) if chosen is False else chosen)
        return shown


class ConfirmForm(FlaskForm):
    """The confirmation of a delegation's imported proposals: submit them, or cancel."""

    action = StringField()

    @property
    def submitted(self) -> bool:
        """Return True when the user chose to submit the proposals (anything else cancels)."""
        return self.action.data == "submit"
