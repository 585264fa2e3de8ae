"""Wiring of the web layer: blueprints, error pages, security headers, template helpers."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from drafter.errors import DrafterError
from drafter.extensions import db, login_manager
from drafter.text import footnotes
from drafter.text.masthead import printed_date

log = logging.getLogger(__name__)

_ERROR_TITLES = {
    400: "The request could not be used",
    403: "You do not have access to this",
    404: "Page not found",
    405: "This action is not available here",
    409: "Conflict",
    413: "The file is too large",
    500: "Something went wrong on our side",
}


def register_web(app: Flask) -> None:
    """Register blueprints, error handlers and template helpers on the app."""
    from drafter.api import views as api_views  # noqa: F401  (routes on the API's blueprint)
    from drafter.api import writes as api_writes  # noqa: F401  (the same blueprint)
    from drafter.api.blueprint import bp as api_bp
    from drafter.auth.views import bp as auth_bp
    from drafter.drafting import editor_views, members_views, views  # noqa: F401  (routes on the drafting blueprint)
    from drafter.drafting.blueprint import bp as drafting_bp
    from drafter.exporting.views import bp as exporting_bp
    from drafter.importing.views import bp as importing_bp
    from drafter.inputs import refuse_nul
    from drafter.lifecycle import views as lifecycle_views  # noqa: F401  (the same blueprint)
    from drafter.notifications.views import bp as notifications_bp
    from drafter.proposals.views import bp as proposals_bp
    from drafter.room.views import bp as room_bp
    from drafter.search.views import bp as search_bp

    # Before any route is added: <int:...> in every address stays within the database's range.
    app.url_map.converters["int"] = DatabaseInt
    blueprints = (auth_bp, drafting_bp, proposals_bp, exporting_bp, importing_bp, notifications_bp, room_bp, search_bp)
    for bp in (*blueprints, api_bp):
        app.register_blueprint(bp)
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = commit_on_return(view)

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)

    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(DrafterError, _domain_error)
    app.register_error_handler(StaleDataError, _stale_error)
    # a unique row written at the same moment by another request, found when the request commits
    app.register_error_handler(IntegrityError, _integrity_error)
    # a lost connection, a database that is down or locked: not a bug of the request
    app.register_error_handler(OperationalError, _database_error)
    app.register_error_handler(InterfaceError, _database_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.before_request(refuse_nul)  # first: a NUL byte would fail any query that carries it
    app.before_request(_check_session)
    app.after_request(_security_headers)
    app.teardown_request(_rollback_on_error)

    app.jinja_env.filters["when"] = format_when
    app.jinja_env.filters["nl2br"] = nl2br
    app.jinja_env.filters["footnoted"] = footnoted
    app.jinja_env.filters["noted_refs"] = noted_refs
    app.jinja_env.globals["now"] = lambda: dt.datetime.now(dt.UTC)
    app.context_processor(lambda: {"current_user": current_user})


_TYPED_REF = re.compile(r"\[\^(\d{1,4})\]")


def noted_refs(text: str) -> Markup:
    """Return text in the typists' form (a footnote reference written "[^3]") as HTML, escaped, each
    reference a superscript number: what the room's screens print."""
    return Markup(_TYPED_REF.sub(r'<sup class="fn-ref">\1</sup>', str(escape(text or ""))))


def footnoted(text: str, numbers: Mapping[int, int] | None = None) -> Markup:
    """Return ``text`` as HTML, escaped, each footnote marker a superscript reference.

    With ``numbers`` (marker id → number in the document) a reference prints its number and
    links to the note; without, it prints "*" (a diff showing where a footnote stands).
    """
    if not footnotes.has_markers(text):
        return escape(text)
    out: list[Markup] = []
    for piece in footnotes.pieces(text):
        if isinstance(piece, str):
            out.append(escape(piece))
        elif (number := (numbers or {}).get(piece)) is not None:
            out.append(Markup('<sup class="fnref"><a href="#fn-{0}">{0}</a></sup>').format(number))
        else:
            out.append(Markup('<sup class="fnref" title="Footnote">*</sup>'))
    return Markup("").join(out)


def commit_on_return(view: Callable[..., Any]) -> Callable[..., Any]:
    """Return the view wrapped so that its request commits once, after the view returned normally.

    Whatever the answer's status (a refused sign-in answering 429 still counts towards the
    throttle): a view that refuses an action undoes its own work first (``refused``). An exception
    escaping the view commits nothing; the error handlers roll back. The commit runs inside the
    dispatch, so a commit that fails reaches the same handlers (409 or 503) and neither the
    redirect nor the view's "saved" message leaves before the data is in the database.
    """

    @functools.wraps(view)
    def committed(*args: Any, **kwargs: Any) -> Any:
        flashes = list(session.get("_flashes", ()))
        rv = view(*args, **kwargs)
        try:
            db.session.commit()
        except Exception:
            # the view's "saved" message must not show on the error page or the next one
            if flashes:
                session["_flashes"] = flashes
            else:
                session.pop("_flashes", None)
            raise
        return rv

    return committed


def require_that(allowed: bool) -> None:
    """Abort with 403 unless ``allowed``, the answer of a question of ``permissions`` (``can_act_for`` ...)."""
    if not allowed:
        abort(403)


def refused(e: DrafterError) -> str:
    """Undo what the refused action had written so far and return the message to show the user."""
    db.session.rollback()
    return e.message


class DatabaseInt(IntegerConverter):
    """An ``<int:...>`` part of an address that the database can hold; a larger number is a 404."""

    def __init__(
        self,
        map: Any,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        from drafter.inputs import MAX_INT

        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_INT if max is None else max, signed=signed)


def _load_user(user_id: str) -> Any:
    """Return the signed-in user if the cookie's session is still open in the database, else None."""
    from drafter.auth import sessions
    from drafter.auth.models import User

    try:
        uid = int(user_id)
    except ValueError:
        return None
    idle = dt.timedelta(minutes=int(current_app.config["SESSION_IDLE_MINUTES"]))
    row = sessions.find(db.session, uid, session.get(sessions.COOKIE_KEY), idle=idle)
    if row is None:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active:
        return None
    if sessions.touch(row):
        db.session.commit()  # the first thing a request does: nothing else is pending
    return user


#: the pages a user whose password was set by an administrator may open before choosing their own
_BEFORE_NEW_PASSWORD = {"auth.account", "auth.logout", "auth.login", "static"}


def _check_session() -> Any:
    """Load the signed-in user first thing (ending a session the server no longer holds), and send
    a user with a temporary password to choose their own before anything else."""
    if request.endpoint == "static":
        return None
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in _BEFORE_NEW_PASSWORD
        and request.blueprint != "api"  # the API refuses such a session in its own terms
    ):
        flash("Choose a password of your own to continue.", "info")
        return redirect(url_for("auth.account"))
    return None


def _render_error(code: int, message: str = "") -> Any:
    if request.path.startswith("/api/v1/"):  # an address the API does not have: answered in its own terms
        from drafter.api.errors import json_error

        return json_error(code, message)
    title = _ERROR_TITLES.get(code, "Error")
    try:
        return render_template("error.html", code=code, title=title, message=message), code
    except (OperationalError, InterfaceError) as e:  # the page's header asks who is signed in: the database is gone
        return _database_error(e)


def _database_error(e: DBAPIError) -> Any:
    """Answer 503 with a page that needs nothing from the database, and log the cause."""
    log.error("database unavailable on %s %s: %s", request.method, request.path, e.orig or e)
    g._login_user = login_manager.anonymous_user()  # Flask-Login would look the user up for the template
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool will replace it
        log.debug("rollback after a database error failed", exc_info=True)
    return render_template("unavailable.html"), 503, {"Retry-After": "30"}


def _http_error(e: HTTPException) -> Any:
    if e.code is None or e.code < 400:
        return e
    message = e.description if e.code in (400, 409, 413) else ""
    if e.code == 413:
        message = f"Files larger than {_size(request.max_content_length or 0)} are not accepted."
    return _render_error(e.code, message)


def _size(n: int) -> str:
    """Return a byte count as people read it: "20 MB", "64 KB"."""
    mib = 1024 * 1024
    return f"{n // mib} MB" if n >= mib else f"{max(1, n // 1024)} KB"


def _csrf_error(e: CSRFError) -> Any:
    return _render_error(
        400, "The form had expired or was not sent from this site. Go back, reload the page and try again."
    )


def _domain_error(e: DrafterError) -> Any:
    db.session.rollback()
    return _render_error(e.status_code, e.message)


def _stale_error(e: StaleDataError) -> Any:
    db.session.rollback()
    return _render_error(
        409, "Someone else changed this at the same moment. Reload the page to see their change, then try again."
    )


def _integrity_error(e: IntegrityError) -> Any:
    db.session.rollback()
    log.warning("integrity error on %s %s: %s", request.method, request.path, e.orig or e)
    return _render_error(
        409, "Someone else saved the same thing at the same moment. Reload the page to see it, then try again."
    )


def _unexpected_error(e: Exception) -> Any:
    if isinstance(e, HTTPException):
        return _http_error(e)
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _render_error(500, "The error has been logged. Nothing was saved from this request.")


def _rollback_on_error(exc: BaseException | None) -> None:
    if exc is not None:
        db.session.rollback()


def _security_headers(response: Any) -> Any:
    if request.endpoint != "static":
        # signed-in pages and downloads hold negotiating texts: no browser or proxy keeps a copy
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
    )
    return response


def format_when(value: dt.datetime | dt.date | None, with_time: bool = True) -> str:
    """Return a timestamp as negotiators read it: "7 November 2026, 14:30 UTC" (a date: "7 November 2026")."""
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        return printed_date(value)
    value = value.astimezone(dt.UTC)
    day = printed_date(value.date())
    return f"{day}, {value:%H:%M} UTC" if with_time else day


def nl2br(value: str) -> Markup:
    """Return text escaped, with line breaks kept."""
    return Markup("<br>").join(escape(line) for line in (value or "").split("\n"))
