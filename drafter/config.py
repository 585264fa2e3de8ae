"""Configuration: defaults here, then ``DRAFTER_*`` environment variables, then test config."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask

from drafter.word.model import DEFAULT_TRACKED_AUTHOR, PAPERS

MiB = 1024 * 1024


class Defaults:
    #: largest request body accepted (uploads included); larger ones get a 413 page
    MAX_CONTENT_LENGTH = 20 * MiB
    #: largest .docx upload accepted, checked before it is opened
    UPLOAD_MAX_BYTES = 15 * MiB
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: set DRAFTER_SECURE_COOKIES=false only for plain-http development
    SECURE_COOKIES = True
    WTF_CSRF_TIME_LIMIT = None  # a draft can stay open in a tab for a whole day of readings
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    #: show the demo accounts on the login page when the demo negotiation is loaded
    SHOW_DEMO_LOGINS = True
    #: author of tracked changes in exports of revisions
    TRACKED_AUTHOR = DEFAULT_TRACKED_AUTHOR
    #: a session unused for this long ends (the default is a long working day)
    SESSION_IDLE_MINUTES = 600
    #: failed sign-ins allowed per account, and per client address, within LOGIN_WINDOW_MINUTES
    LOGIN_FAILURES_PER_ACCOUNT = 10
    LOGIN_FAILURES_PER_ADDRESS = 100  # a conference network puts many delegations behind one address
    LOGIN_WINDOW_MINUTES = 15
    #: reverse proxies in front of the app whose X-Forwarded-For to trust (0: use the peer address)
    PROXY_COUNT = 0
    #: paper of the clean and tracked Word files: "letter" (as the UN prints in New York) or "a4"
    PAPER = "letter"
    #: a PNG the deployment supplies, printed beside the organ's name on the first page ("": none)
    EMBLEM = ""
    #: the app's public address, printed before the links in mails ("": the address a request came to)
    BASE_URL = ""
    #: the mail server notifications go through ("": no mail is sent; the in-app list still fills)
    SMTP_HOST = ""
    SMTP_PORT = 0  # 0: 25, 587 with starttls, 465 with ssl
    SMTP_TLS = "none"  # none, starttls or ssl
    SMTP_USER = ""
    SMTP_PASSWORD = ""
    SMTP_SENDER = ""  # "": drafter@SMTP_HOST
    SMTP_TIMEOUT = 20  # seconds before a silent server counts as a failed attempt
    SMTP_MAX_ATTEMPTS = 5
    SMTP_RETRY_SECONDS = 60  # wait after a failed attempt; four times longer after each next one
    #: proposals are summarised to the co-facilitators once none arrived for this many minutes
    NOTIFY_DIGEST_MINUTES = 15
    #: the background sender of each app process (None: on, except under tests) and its pace
    NOTIFY_THREAD = None
    NOTIFY_INTERVAL_SECONDS = 30
    #: the shortest silence procedure offered without an explicit override (General Assembly practice)
    MIN_SILENCE_HOURS = 72


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config`` from defaults, the environment and ``test_config``, in that order."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("DRAFTER")
    if test_config:
        app.config.update(test_config)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    url = app.config.get("DATABASE_URL") or f"sqlite:///{instance / 'drafter.sqlite'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_url(url)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance)
    export_dir = Path(app.config.get("EXPORT_DIR") or Path(app.root_path).parent / "exports")
    app.config["EXPORT_DIR"] = str(export_dir.resolve())
    secure = _as_bool(app.config.get("SECURE_COOKIES", True))
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    for name in (
        "SESSION_IDLE_MINUTES",
        "LOGIN_FAILURES_PER_ACCOUNT",
        "LOGIN_FAILURES_PER_ADDRESS",
        "LOGIN_WINDOW_MINUTES",
        "PROXY_COUNT",
        "SMTP_PORT",
        "SMTP_MAX_ATTEMPTS",
        "SMTP_RETRY_SECONDS",
    ):
        app.config[name] = int(app.config[name])
    for name in ("SMTP_TIMEOUT", "NOTIFY_DIGEST_MINUTES", "NOTIFY_INTERVAL_SECONDS", "MIN_SILENCE_HOURS"):
        app.config[name] = float(app.config[name])
    if app.config["NOTIFY_THREAD"] is not None:
        app.config["NOTIFY_THREAD"] = _as_bool(app.config["NOTIFY_THREAD"])
    tls = str(app.config["SMTP_TLS"] or "none").strip().lower()
    if tls not in ("none", "starttls", "ssl"):
        raise ValueError(f"DRAFTER_SMTP_TLS is {app.config['SMTP_TLS']!r}; it must be none, starttls or ssl.")
    app.config["SMTP_TLS"] = tls
    paper = str(app.config["PAPER"]).strip().lower()
    if paper not in PAPERS:
        raise ValueError(f"DRAFTER_PAPER is {app.config['PAPER']!r}; it must be one of {', '.join(PAPERS)}.")
    app.config["PAPER"] = paper
    # the signed cookie itself stops being accepted after the idle lifetime, not Flask's 31 days
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])


def _normalise_url(url: str) -> str:
    # psycopg 3 is the PostgreSQL driver; accept the plain postgres:// forms people paste.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret(instance: Path) -> str:
    """Return the secret key kept in the instance folder, creating it on first use."""
    path = instance / "secret_key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    return path.read_text().strip()


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in {"0", "false", "no", "off", ""}
    return bool(value)
