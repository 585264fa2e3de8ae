"""What no request may carry: a NUL character in its address, a field, a file name or its JSON.

PostgreSQL cannot store NUL, and no one types it: it comes from text copied out of another
program or a damaged file. One check before every request refuses it with a message naming
where it was, instead of failing deep inside a service. The normalisation of the text itself
(line endings, control and bidi characters) is ``drafter.text.clean.normalise_text``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from flask import jsonify, request

from drafter.errors import InvalidInput

NUL = "\x00"

#: how the form fields that hold words are called on the pages
_LABELS = {
    "text": "text", "justification": "justification", "note": "note", "statement": "statement", "title": "title",
    "name": "name", "email": "e-mail address", "password": "password", "symbol": "document symbol", "label": "label",
    "author": "author", "slug": "short name", "reason": "reason",
}  # fmt: skip


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Yield every string in a JSON value, with where it was."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield where, str(key)
            yield from _strings(item, where)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, where)


def _fields() -> Iterator[tuple[str, str]]:
    """Yield (where, string) for every piece of text the request carries."""
    yield "address of the page", request.path
    for key, value in request.args.items(multi=True):
        yield "address of the page", key + value
    if request.is_json:
        yield from _strings(request.get_json(silent=True), "data sent")
        return
    for key, value in request.form.items(multi=True):
        yield _LABELS.get(key, f'field "{key.replace(NUL, "")}"'), key + value
    for key, file in request.files.items(multi=True):
        yield "name of the file", key + (file.filename or "")


def nul_message(where: str) -> str:
    """Return the message that refuses a NUL character found in ``where``."""
    return (
        f"The {where} contains a NUL character, an invisible control character usually left by copying "
        "from another program or by a damaged file. Remove it (retyping the text around it is enough) and try again."
    )


def refuse_nul() -> Any:
    """Refuse a request that carries a NUL character anywhere: a JSON 400 for the API, else a 400 page."""
    where = next((where for where, text in _fields() if NUL in text), None)
    if where is None:
        return None
    if request.path.startswith("/api/v1/"):
        return jsonify(code="invalid", message=nul_message(where)), 400
    if request.is_json or request.path.startswith("/api/"):
        return jsonify(error=nul_message(where)), 400
    raise InvalidInput(nul_message(where))


#: the largest id or number a request may name: the range of the database's integer columns
MAX_INT = 2**31 - 1


def db_int(value: str) -> int:
    """Return a request value as an int the database can hold; ValueError otherwise.

    Use as ``request.args.get(name, type=db_int)``: a value that is not such a number reads as
    missing, rather than overflowing the database driver with a 500.
    """
    number = int(value)
    if not -MAX_INT - 1 <= number <= MAX_INT:
        raise ValueError(f"{value!r} is out of range")
    return number


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None (no open redirects).

    Browsers read a backslash as a slash and drop tabs and newlines, so either can turn a
    path into "//evil.example": refuse them as well as scheme-relative and absolute URLs.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
