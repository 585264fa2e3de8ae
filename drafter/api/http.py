"""What every API endpoint answers with: JSON with an ETag on reads, bodies read against their class, pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import Response, g, jsonify, request, url_for

from drafter.api.forms import Body, page_params

T = TypeVar("T")
B = TypeVar("B", bound=Body)


def answer(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Return ``data`` as JSON; a read gets an ETag and is 304 when the caller already has this body."""
    response = jsonify(data)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if request.method in ("GET", "HEAD") and status == 200:
        response.add_etag()
        response.make_conditional(request)
    return response


def read(body: type[B]) -> B:
    """Return the request's body read as ``body``; a service's refusal then names the field it is about."""
    g.api_body = body
    return body.from_request()  # type: ignore[return-value]


def paged(items: Sequence[T], key: Callable[[T], int], show: Callable[[T], Any], endpoint: str, **values: Any) -> Any:
    """Return one page of ``items`` (in ascending ``key`` order) after the ``after`` cursor, with the next page's address."""
    limit, after = page_params()
    rest = [i for i in items if after is None or key(i) > after]
    page = rest[:limit]
    following = None
    if len(rest) > limit:
        args = {k: v for k, v in request.args.items() if k not in ("after", "limit")}
        following = url_for(endpoint, **values, **args, limit=limit, after=key(page[-1]))
    return {"items": [show(i) for i in page], "next": following}
