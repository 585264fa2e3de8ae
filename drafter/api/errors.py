"""The API's errors: JSON with a stable ``code`` that programs test and a ``message`` people read.

The codes are part of the API's contract (``openapi.ERROR_CODES``); a message may be reworded.
A refusal by a service keeps the service's own words, so that the API and the pages say the same.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from drafter.errors import DeadlinePassed, DrafterError, EditConflict, InvalidInput, NotAllowed, StateError

#: the code of each HTTP status the API answers with when nothing more precise is known
STATUS_CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}

#: what the API says for a status when the cause has no message of its own
DEFAULT_MESSAGES = {
    400: "The request could not be used.",
    401: "Send a valid API token as “Authorization: Bearer <token>”, or sign in.",
    403: "You may not do this.",
    404: "There is nothing here, or you may not see it.",
    405: "This address does not take this method.",
    409: "Someone else changed this at the same moment. Read it again, then retry.",
    413: "The request is too large.",
    429: "Too many requests. Wait a moment and try again.",
    500: "Something went wrong on our side. The error has been logged; nothing was saved from this request.",
    503: "The service is briefly unavailable; nothing you sent was half-saved. Try again in a moment.",
}


class ApiError(Exception):
    """A refusal of the API itself (a malformed body, a bad token), answered as JSON."""

    def __init__(self, status: int, message: str = "", *, code: str = "", field: str = "", **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or STATUS_CODES.get(status, "error")
        self.message = message or DEFAULT_MESSAGES.get(status, "")
        self.field = field
        self.details = details


def json_error(
    status: int,
    message: str = "",
    *,
    code: str = "",
    field: str = "",
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Return the JSON answer of an error: ``{"code", "message"}``, with the field and details when known."""
    body: dict[str, Any] = {
        "code": code or STATUS_CODES.get(status, "error"),
        "message": message or DEFAULT_MESSAGES.get(status, ""),
    }
    if field:
        body["field"] = field
    if details:
        body["details"] = details
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def domain_code(e: DrafterError) -> str:
    """Return the API's code for a service's refusal."""
    if isinstance(e, DeadlinePassed):
        return "deadline_passed"
    if isinstance(e, EditConflict):
        return "conflict"
    if isinstance(e, StateError):
        return "invalid_state"
    if isinstance(e, NotAllowed):
        return "forbidden"
    if isinstance(e, InvalidInput):
        return "invalid"
    return STATUS_CODES.get(e.status_code, "invalid")


#: details of a conflict that a client may use to retry (never texts it may not see)
_CONFLICT_DETAILS = ("current_version",)


def from_domain(e: DrafterError, field: str = "") -> Response:
    """Return the JSON answer of a service's refusal, with the status the pages give it."""
    details = {}
    if isinstance(e, EditConflict):
        details = {k: v for k, v in e.details.items() if k in _CONFLICT_DETAILS}
    return json_error(e.status_code, e.message, code=domain_code(e), field=field, details=details)
