"""The outbox's sender: takes the mails that are due, sends them outside any request, retries with backoff.

It runs in a background thread of each app process (started by the first request) and as
``drafter notifications send`` for cron. Several of them may run at once against one database:
on PostgreSQL a sender claims rows with ``SELECT ... FOR UPDATE SKIP LOCKED``, so two never take
the same row; on SQLite, which has one writer at a time, the claiming UPDATE is enough. Each
step commits on its own: a row is claimed and committed before the server is spoken to, so a
slow or dead server holds no lock and no page waits for it.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib
import threading
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from drafter.dbtypes import utcnow
from drafter.notifications import gathering, mail
from drafter.notifications.models import MailState, Notification

log = logging.getLogger(__name__)

#: attempts before a mail is marked failed
DEFAULT_MAX_ATTEMPTS = 5
#: wait after the first failed attempt; each later one waits four times longer (1, 4, 16, 64 minutes)
DEFAULT_RETRY_SECONDS = 60
#: a claim older than this is taken again (its sender died between claiming and recording)
STALE_CLAIM = dt.timedelta(minutes=15)
#: mails taken per claim
BATCH = 20


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    told: int = 0  #: summaries and silence ends written by ``gathering.gather``


def _settings_int(name: str, default: int) -> int:
    value = current_app.config.get(name)
    return default if value is None or value == "" else int(value)


def backoff(attempts: int) -> dt.timedelta:
    """Return the wait after the given number of failed attempts."""
    base = _settings_int("SMTP_RETRY_SECONDS", DEFAULT_RETRY_SECONDS)
    return dt.timedelta(seconds=base * 4 ** max(0, attempts - 1))


def claim(session: Session, *, now: dt.datetime, limit: int = BATCH) -> list[int]:
    """Take up to ``limit`` due mails for this sender, commit, and return their ids."""
    token = secrets.token_hex(8)
    due = (
        sa.select(Notification.id)
        .where(
            sa.or_(
                sa.and_(Notification.mail_state == MailState.PENDING, Notification.next_attempt_at <= now),
                sa.and_(Notification.mail_state == MailState.SENDING, Notification.claimed_at <= now - STALE_CLAIM),
            )
        )
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(due.with_for_update(skip_locked=True)))
    else:
        ids = list(session.scalars(due))
    if ids:
        session.execute(
            sa.update(Notification)
            .where(
                Notification.id.in_(ids),
                # on SQLite another sender may have taken one meanwhile: only rows still due are taken
                sa.or_(Notification.mail_state == MailState.PENDING, Notification.claimed_at <= now - STALE_CLAIM),
            )
            .values(
                mail_state=MailState.SENDING,
                claim_token=token,
                claimed_at=now,
                attempts=Notification.attempts + 1,
            )
        )
    session.commit()
    if not ids:
        return []
    return list(session.scalars(sa.select(Notification.id).where(Notification.claim_token == token)))


def _record(session: Session, nid: int, error: str, *, now: dt.datetime) -> str:
    """Record one attempt's outcome; return "sent", "retried" or "failed"."""
    row = session.get(Notification, nid)
    if row is None:  # its user was deleted meanwhile
        return "failed"
    if not error:
        row.mail_state, row.sent_at, row.last_error = MailState.SENT, now, ""
        return "sent"
    row.last_error = error[:500]
    if row.attempts >= _settings_int("SMTP_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS):
        row.mail_state = MailState.FAILED
        log.warning("mail %s to user %s failed for good after %s attempts: %s", nid, row.user_id, row.attempts, error)
        return "failed"
    row.mail_state, row.next_attempt_at = MailState.PENDING, now + backoff(row.attempts)
    return "retried"


def send_due(session: Session, *, now: dt.datetime | None = None) -> Outcome:
    """Send the mails that are due, until none is left; without a mail server, do nothing."""
    outcome = Outcome()
    settings = mail.SmtpSettings.of(current_app.config)
    if settings is None:
        return outcome
    while True:
        at = now or utcnow()
        ids = claim(session, now=at)
        if not ids:
            return outcome
        for nid in ids:
            row = session.get(Notification, nid)
            error = ""
            if row is not None:
                to, subject, body = row.user.email, row.subject, row.body
                session.rollback()  # end the read: nothing is held while the server answers
                try:
                    mail.send(settings, to, subject, body)
                except (smtplib.SMTPException, OSError) as e:  # refused, unreachable, timed out
                    error = f"{type(e).__name__}: {e}"
            result = _record(session, nid, error, now=now or utcnow())
            session.commit()
            setattr(outcome, result, getattr(outcome, result) + 1)
        if now is not None and outcome.sent + outcome.retried + outcome.failed >= 10_000:
            return outcome  # a fixed clock never makes retried rows due again; this is only a guard


def run_once(session: Session, *, now: dt.datetime | None = None) -> Outcome:
    """Write what time brings (summaries, ended silences), then send what is due."""
    told = gathering.gather(session, now=now)
    session.commit()
    outcome = send_due(session, now=now)
    outcome.told = told
    return outcome


class Sender(threading.Thread):
    """The background sender of one app process: ``run_once`` every ``interval`` seconds until stopped."""

    def __init__(self, app: Flask, interval: float) -> None:
        super().__init__(name="drafter-notifications", daemon=True)
        self.app, self.interval, self.stopped = app, interval, threading.Event()

    def run(self) -> None:
        from drafter.extensions import db

        while not self.stopped.is_set():
            with self.app.app_context():
                try:
                    run_once(db.session)
                except Exception:  # a database outage or a bug: log it, keep the thread, try again later
                    log.exception("the notification sender failed; it tries again in %s s", self.interval)
                    db.session.rollback()
                finally:
                    db.session.remove()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()


_lock = threading.Lock()


def start(app: Flask) -> Sender | None:
    """Start the app's background sender once (``DRAFTER_NOTIFY_THREAD``; off while testing unless set)."""
    wanted = app.config.get("NOTIFY_THREAD")
    if wanted is None:
        wanted = not app.testing
    if not wanted:
        return None
    with _lock:
        sender = app.extensions.get("drafter.sender")
        if sender is None or not sender.is_alive():
            sender = Sender(app, float(app.config.get("NOTIFY_INTERVAL_SECONDS") or 30))
            app.extensions["drafter.sender"] = sender
            sender.start()
    return sender
