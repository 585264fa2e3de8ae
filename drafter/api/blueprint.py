"""The ``/api/v1`` blueprint: who is calling, rate limits, CSRF for the session, and errors as JSON.

A call is authenticated by a personal token (``Authorization: Bearer <token>``) or, from the
site's own pages, by the session; the token wins when both are sent. The caller is then the
token's user for every guard and service, so a token never sees more than its user. A write
by session needs the page's CSRF token (in the ``X-CSRFToken`` header), as a form does; a write
by token does not (another site cannot make a browser send the header). Every call counts
towards its token's (or user's) rate limit, kept by ``throttle`` across app processes.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import Blueprint, current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from drafter import throttle
from drafter.api.errors import ApiError, from_domain, json_error
from drafter.auth import tokens
from drafter.errors import DrafterError
from drafter.extensions import csrf, db

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Writes by token need no CSRF token; writes by session are checked in ``authenticate``.
csrf.exempt(bp)

#: calls per token (or per signed-in user) per minute, unless DRAFTER_API_REQUESTS_PER_MINUTE says otherwise
REQUESTS_PER_MINUTE = 600
#: endpoints anyone may call, signed in or not
PUBLIC_ENDPOINTS = {"api.openapi_json"}
CSRF_MESSAGE = (
    "The form had expired or was not sent from this site. From a page, send its CSRF token in the "
    "X-CSRFToken header; from a program, use an API token."
)


def token() -> tokens.ApiToken | None:
    """Return the token the current call authenticated with, or None (the session, or a public endpoint)."""
    return g.get("api_token")


@bp.before_request
def authenticate() -> None:
    """Set the caller for the request from its token or session, or refuse it; count it towards its limit."""
    header = request.headers.get("Authorization")
    if header is None and request.endpoint in PUBLIC_ENDPOINTS:
        return
    if header is not None:
        scheme, _, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise ApiError(401, "The Authorization header must read “Bearer <token>”.", field="Authorization")
        row = tokens.find(db.session, secret.strip())
        if row is None:
            raise ApiError(
                401,
                "This API token is not valid: it was revoked or mistyped, or its account is deactivated.",
                field="Authorization",
            )
        g._login_user = row.user  # what Flask-Login's current_user returns for the rest of the request
        g.api_token = row
        tokens.touch(row)
        key = f"api-token:{row.id}"
    else:
        if not current_user.is_authenticated:
            raise ApiError(401)
        if current_user.must_change_password:
            raise ApiError(
                403, "Your password was set by an administrator: choose your own on your account page first."
            )
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            try:
                csrf.protect()
            except CSRFError:
                raise ApiError(400, CSRF_MESSAGE, code="csrf_failed") from None
        key = f"api-user:{current_user.id}"
    limit = int(current_app.config.get("API_REQUESTS_PER_MINUTE", REQUESTS_PER_MINUTE))
    wait = throttle.allow(db.session, key, limit=limit, per=dt.timedelta(minutes=1))
    # The call counts (and the token's last use is kept) whatever becomes of it: nothing else is pending yet.
    db.session.commit()
    if wait:
        raise ApiError(429, f"More than {limit} calls in a minute. Try again in {wait} s.", retry_after=wait)


@bp.errorhandler(ApiError)
def _api_error(e: ApiError) -> Any:
    db.session.rollback()
    headers = {}
    if e.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="drafter"'
    if "retry_after" in e.details:
        headers["Retry-After"] = str(e.details["retry_after"])
    details = {k: v for k, v in e.details.items() if k != "retry_after"}
    return json_error(e.status, e.message, code=e.code, field=e.field, details=details, headers=headers)


@bp.errorhandler(DrafterError)
def _domain_error(e: DrafterError) -> Any:
    db.session.rollback()
    body = g.get("api_body")  # the body class the view read, whose ``concerns`` name the field
    return from_domain(e, field=body.field_of(e.message) if body is not None else "")


@bp.errorhandler(HTTPException)
def _http_error(e: HTTPException) -> Any:
    db.session.rollback()
    status = e.code or 500
    message = ""
    if status in (400, 413) and e.description:
        message = e.description
    return json_error(status, message)


@bp.errorhandler(StaleDataError)
@bp.errorhandler(IntegrityError)
def _conflict(e: Exception) -> Any:
    db.session.rollback()
    return json_error(409)


@bp.errorhandler(OperationalError)
@bp.errorhandler(InterfaceError)
def _unavailable(e: Exception) -> Any:
    log.error("database unavailable on %s %s: %s", request.method, request.path, e)
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool will replace it
        log.debug("rollback after a database error failed", exc_info=True)
    return json_error(503, headers={"Retry-After": "30"})


@bp.errorhandler(Exception)
def _unexpected(e: Exception) -> Any:
    if isinstance(e, HTTPException):
        return _http_error(e)
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return json_error(500)
