"""The API's request bodies and query values: what each write takes, read and refused with the field named.

A body is a JSON object whose fields are declared here, one class per write, as the pages'
forms are: an unknown field, a value of the wrong type or a choice that is not one is refused
before any service runs, naming the field. The limits themselves are the services' (they say
which text was too long); ``concerns`` puts their refusals beside the field they are about.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from flask import current_app, request

from drafter.api.errors import ApiError
from drafter.inputs import MAX_INT
from drafter.proposals.models import ProposalKind, Stance
from drafter.text.structure import Kind

#: the largest JSON body a write takes (a proposal's text is at most 20,000 characters)
MAX_BODY_BYTES = 256 * 1024
#: items per page of a list, unless ``limit`` asks for fewer (or more, up to MAX_LIMIT)
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True)
class Field:
    """One field of a body: its JSON type, whether it must be there, may be null, or is one of a few values."""

    name: str
    kind: type  #: str or int
    required: bool = False
    nullable: bool = False
    choices: tuple[str, ...] = ()

    def read(self, value: Any) -> Any:
        """Return the value as the service takes it, or raise ApiError naming the field."""
        if value is None:
            if self.nullable:
                return None
            raise ApiError(400, f"“{self.name}” may not be null.", field=self.name)
        if self.kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ApiError(400, f"“{self.name}” must be a whole number.", field=self.name)
            if not 0 <= value <= MAX_INT:
                raise ApiError(400, f"“{self.name}” is out of range.", field=self.name)
            return value
        if not isinstance(value, str):
            raise ApiError(400, f"“{self.name}” must be a string.", field=self.name)
        if self.choices and value not in self.choices:
            raise ApiError(400, f"“{self.name}” must be one of: {', '.join(self.choices)}.", field=self.name)
        return value


class Body:
    """A JSON object body, read against the class's ``fields``; the values are in ``data``."""

    fields: ClassVar[Sequence[Field]] = ()
    #: (words of a service's refusal, the field it concerns), first match wins
    concerns: ClassVar[Sequence[tuple[str, str]]] = ()

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    def from_request(cls) -> Body:
        """Return the request's body read against the fields, or raise ApiError (400, 413 or 415)."""
        limit = min(MAX_BODY_BYTES, current_app.config.get("MAX_CONTENT_LENGTH") or MAX_BODY_BYTES)
        if request.content_length is not None and request.content_length > limit:
            raise ApiError(413, f"The body may have at most {limit // 1024} KB.")
        if request.content_length and not request.is_json:  # a form's body may already have been read
            raise ApiError(415, "Send the body as JSON, with “Content-Type: application/json”.")
        raw = request.get_data(cache=True)
        if len(raw) > limit:
            raise ApiError(413, f"The body may have at most {limit // 1024} KB.")
        if not raw.strip():
            value: Any = {}
        else:
            value = request.get_json(silent=True)
            if value is None:
                raise ApiError(400, "The body is not valid JSON.")
        return cls.from_mapping(value)

    @classmethod
    def from_mapping(cls, value: Any) -> Body:
        """Return a JSON value read against the fields, or raise ApiError naming the first bad field."""
        if not isinstance(value, Mapping):
            raise ApiError(400, "The body must be a JSON object.")
        known = {f.name: f for f in cls.fields}
        for name in value:
            if name not in known:
                raise ApiError(
                    400,
                    f"Unknown field “{str(name)[:40]}”: this request takes {', '.join(known) or 'none'}.",
                    field=str(name)[:40],
                )
        data: dict[str, Any] = {}
        for f in cls.fields:
            if f.name not in value:
                if f.required:
                    raise ApiError(400, f"“{f.name}” is required.", field=f.name)
                data[f.name] = None
            else:
                data[f.name] = f.read(value[f.name])
        return cls(data)

    @classmethod
    def field_of(cls, message: str) -> str:
        """Return the field a service's refusal is about ("" when it names none)."""
        lowered = message.lower()
        return next((name for words, name in cls.concerns if words in lowered), "")


class SubmitBody(Body):
    fields = (
        Field("kind", str, required=True, choices=tuple(k.value for k in ProposalKind)),
        #: the paragraph's lineage id; for a new paragraph the one it follows (null or absent: at the start)
        Field("paragraph", int, nullable=True),
        Field("text", str),
        Field("justification", str),
        #: the delegation proposed for (the secretariat enters any); absent: the caller's own
        Field("delegation", int, nullable=True),
        Field("new_kind", str, nullable=True, choices=tuple(k.value for k in Kind)),
        Field("new_level", int, nullable=True),
    )
    concerns = (
        ("justification", "justification"),
        ("proposed text", "text"),
        ("paragraph", "paragraph"),
        ("speak for", "delegation"),
        ("propose or take positions for", "delegation"),
    )


class EditBody(Body):
    fields = (
        Field("text", str),
        Field("justification", str),
        #: the version the change was made against: a newer one is a conflict, never an overwrite
        Field("version", int, nullable=True),
    )
    concerns = (("justification", "justification"), ("proposed text", "text"), ("changed", "version"))


class WithdrawBody(Body):
    fields = (Field("version", int, nullable=True),)
    concerns = (("changed", "version"),)


class PositionBody(Body):
    #: null withdraws the delegation's position
    fields = (Field("stance", str, required=True, nullable=True, choices=tuple(s.value for s in Stance)),)
    concerns = (("position", "stance"),)


def query_int(name: str) -> int | None:
    """Return a whole number from the query string (None when absent), or raise ApiError naming it."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_INT:
        raise ApiError(400, f"“{name}” must be a whole number.", field=name)
    return int(value)


def query_enum(name: str, enum: Any) -> Any:
    """Return the member of ``enum`` the query value names (None when absent), or raise ApiError naming it."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    member = enum._value2member_map_.get(value)
    if member is None:
        raise ApiError(400, f"“{name}” must be one of: {', '.join(m.value for m in enum)}.", field=name)
    return member


def page_params() -> tuple[int, int | None]:
    """Return the ``limit`` and the ``after`` cursor of a list request."""
    limit = query_int("limit")
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, f"“limit” must be from 1 to {MAX_LIMIT}.", field="limit")
    return limit or DEFAULT_LIMIT, query_int("after")
