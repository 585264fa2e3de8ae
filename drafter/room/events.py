"""The events of a reading: written in the database, announced to the screens that follow it.

Every change in a reading is a ``ReadingEvent`` row (and an audit event) written in the request's
own transaction. Screens follow a reading through a stream that sends the events after the last
one they saw, then waits. Waiting streams of one process block on one ``threading.Condition``;
what wakes it:

- on PostgreSQL, the writer's transaction runs ``pg_notify('drafter_room', 'reading:event')``,
  which the database delivers at commit to every process listening; each process has one
  listener thread on a connection of its own (``LISTEN drafter_room``) that wakes its streams;
- on SQLite (one process), the session's ``after_commit`` hook wakes them.

A stream that wakes reads the new events from the database, so a notification lost while a
listener reconnects delays a screen by at most ``POLL_SECONDS``, and a reconnecting screen
catches up from the event id it last saw. Event ids of one reading are in commit order, since
every writer holds the reading's row lock from before its event is inserted until it commits.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from drafter import audit
from drafter.room.models import EventKind, Reading, ReadingEvent

log = logging.getLogger(__name__)

CHANNEL = "drafter_room"
#: a waiting stream reads the database at least this often, whatever it was told
POLL_SECONDS = 5.0
_PENDING = "room_events"


def emit(
    session: Session,
    actor: Any,
    reading: Reading,
    kind: EventKind,
    line: str,
    *,
    paragraph_id: int | None = None,
    delegation_id: int | None = None,
    **payload: Any,
) -> ReadingEvent:
    """Write one event of the reading and its audit event; announce it once the transaction commits."""
    payload = {"line": line, **payload}
    ev = ReadingEvent(
        reading_id=reading.id,
        kind=kind,
        paragraph_id=paragraph_id,
        actor_id=getattr(actor, "id", None),
        delegation_id=delegation_id,
        payload=payload,
    )
    session.add(ev)
    session.flush()
    audit.record(
        session,
        actor,
        f"reading.{kind.value}",
        reading,
        negotiation_id=reading.negotiation_id,
        summary=f"{reading.name}: {line}",
        event_id=ev.id,
        paragraph_id=paragraph_id,
        **payload,
    )
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_notify(CHANNEL, f"{reading.id}:{ev.id}")))
    session.info.setdefault(_PENDING, []).append((reading.id, ev.id))
    return ev


@sa_event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    for reading_id, event_id in session.info.pop(_PENDING, ()):
        hub().publish(reading_id, event_id)


@sa_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


class Hub:
    """What one process has heard of each reading's events, and the streams waiting for more.

    A stream takes ``heard`` before it reads the database, then ``wait``s for that count to change:
    an event committed between its read and its wait is not missed. Counting announcements rather
    than comparing event ids holds even where ids start again (a database emptied and refilled).
    """

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.changed = threading.Condition()
        self.counts: dict[int, int] = {}
        self._listeners: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    def publish(self, reading_id: int, event_id: int) -> None:
        """Record that the reading has a new event (``event_id``) and wake every waiting stream."""
        with self.changed:
            self.counts[reading_id] = self.counts.get(reading_id, 0) + 1
            self.changed.notify_all()

    def heard(self, reading_id: int) -> int:
        """Return how many events of the reading this process has been told of."""
        with self.changed:
            return self.counts.get(reading_id, 0)

    def wait(self, reading_id: int, heard: int, timeout: float) -> bool:
        """Block until the reading has news since ``heard`` or ``timeout`` passes; return True if it has."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.counts.get(reading_id, 0) == heard:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.changed.wait(remaining)
            return True

    def listen(self, conninfo: str) -> None:
        """Start this process's listener of the database's notifications, once per database."""
        with self._lock:
            thread = self._listeners.get(conninfo)
            if thread is not None and thread.is_alive():
                return
            thread = threading.Thread(target=self._listen, args=(conninfo,), name="drafter-room-listener", daemon=True)
            self._listeners[conninfo] = thread
            thread.start()

    def _listen(self, conninfo: str) -> None:
        import psycopg

        while True:
            try:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    while True:
                        for note in conn.notifies(timeout=60):
                            reading_id, _, event_id = note.payload.partition(":")
                            self.publish(int(reading_id), int(event_id))
            except Exception:  # the database went away: streams fall back on polling until it is back
                log.warning("room listener lost its connection; reconnecting", exc_info=True)
                time.sleep(1)


_hub: Hub | None = None
_hub_lock = threading.Lock()


def hub() -> Hub:
    """Return this process's hub (a new one in a forked worker: threads do not survive a fork)."""
    global _hub
    with _hub_lock:
        if _hub is None or _hub.pid != os.getpid():
            _hub = Hub()
        return _hub


def start_listening(engine: sa.Engine) -> None:
    """Make sure this process hears the events written by the others (PostgreSQL); nothing to do on SQLite."""
    if engine.dialect.name == "postgresql":
        hub().listen(engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
