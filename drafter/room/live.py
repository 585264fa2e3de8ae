"""The stream a screen follows a reading through: Server-Sent Events, resumed from an event id.

Each stream lives at most ``ROOM_STREAM_SECONDS`` (25 s by default) and then ends; the browser's
EventSource reconnects by itself, sending the id of the last event it received
(``Last-Event-ID``), and the next stream starts from there. So no request holds a worker's
thread for long, and a screen that lost its connection catches up from the database. The stream
holds no database connection while it waits: each look at the database is a short session of
its own.

When an event is announced, every screen of the reading in the process wakes at once; one of
them reads what is new and the others take its answer (``_Batches``): the messages are the same
for every screen (what a user may read is checked per stream, before it starts and every
``RECHECK_SECONDS``), so 200 screens cost one read, not 200.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from drafter.auth import sessions
from drafter.auth.models import User
from drafter.auth.permissions import can_read_revision
from drafter.room import queries
from drafter.room.events import POLL_SECONDS, hub
from drafter.room.models import Reading, ReadingEvent

#: how long the browser waits before reconnecting after a stream ended (milliseconds)
RETRY_MS = 500
#: a stream asks again whether its user is still signed in and may read the reading at most this often
RECHECK_SECONDS = 5.0


def _message(event_id: int, data: dict[str, Any], name: str = "room") -> str:
    return f"id: {event_id}\nevent: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def event_data(e: ReadingEvent, state: dict[str, Any] | None) -> dict[str, Any]:
    """Return what a screen receives of one event: its kind, its line of the record, and maybe the screen."""
    return {
        "id": e.id,
        "kind": e.kind.value,
        "label": e.kind.label,
        "line": (e.payload or {}).get("line", ""),
        "at": e.at.astimezone(dt.UTC).strftime("%H:%M:%S"),
        "state": state,
    }


def _allowed(session: Session, reading: Reading, user_id: int, token: str | None, idle: dt.timedelta) -> bool:
    """Return True while the stream's user is still signed in and may read the reading."""
    if sessions.find(session, user_id, token, idle=idle) is None:
        return False
    user = session.get(User, user_id)
    return user is not None and user.active and can_read_revision(user, reading.revision)


@dataclass
class _Batch:
    """What one look at the database found after an event id: the messages, the last id, whether it closed."""

    done: threading.Event = field(default_factory=threading.Event)
    finished: float = 0.0  #: when the read ended (time.monotonic)
    text: str = ""
    last: int = 0
    closed: bool = False
    gone: bool = False
    failed: BaseException | None = None


class _Batches:
    """The batches of new events read by the streams of this process, by (database, reading, last id,
    announcements heard).

    The first stream to ask reads; those asking for the same key meanwhile, or within
    ``KEEP_SECONDS`` after, take its batch. The key holds the count of announcements heard before
    the read, so a stream that heard of a newer event asks under a new key and reads again.
    """

    KEEP = 256  #: batches kept at most
    KEEP_SECONDS = 2.0  #: how long a batch serves the streams that wake a little later

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._batches: OrderedDict[tuple[int, int, int, int], _Batch] = OrderedDict()

    def get(self, engine: Engine, reading_id: int, last: int, heard: int) -> _Batch:
        key = (id(engine), reading_id, last, heard)
        with self._lock:
            batch = self._batches.get(key)
            if batch is not None and batch.done.is_set() and time.monotonic() - batch.finished > self.KEEP_SECONDS:
                batch = None
            mine = batch is None
            if mine:
                batch = self._batches[key] = _Batch()
                while len(self._batches) > self.KEEP:
                    self._batches.popitem(last=False)
        assert batch is not None
        if mine:
            try:
                _read_batch(engine, reading_id, last, batch)
            except BaseException as e:  # the streams waiting for it read for themselves
                batch.failed = e
                with self._lock:
                    self._batches.pop(key, None)
                raise
            finally:
                batch.finished = time.monotonic()
                batch.done.set()
        elif not batch.done.wait(30) or batch.failed is not None:
            fresh = _Batch()
            _read_batch(engine, reading_id, last, fresh)
            return fresh
        return batch


def _read_batch(engine: Engine, reading_id: int, last: int, batch: _Batch) -> None:
    with Session(engine) as s:
        reading = s.get(Reading, reading_id)
        if reading is None:
            batch.gone = True
            return
        found = queries.events_after(s, reading_id, last)
        parts = [_message(e.id, event_data(e, None)) for e in found[:-1]]
        batch.last = found[-1].id if found else last
        if found:
            parts.append(_message(batch.last, event_data(found[-1], queries.screen_at(s, reading, batch.last))))
        batch.text = "".join(parts)
        batch.closed = not reading.is_open


_BATCHES = _Batches()


def stream(
    engine: Engine,
    *,
    reading_id: int,
    user_id: int,
    token: str | None,
    idle: dt.timedelta,
    after: int | None,
    seconds: float,
) -> Iterator[str]:
    """Yield the stream of a reading for one screen: the events after ``after``, then each new one.

    Without ``after`` the screen first gets the state as it is now. The last message of each
    batch carries the screen's state; a closed reading ends the stream with a ``closed`` message,
    and a user who may no longer read it with ``gone``.
    """
    deadline = checked = time.monotonic()  # the view checked the user a moment ago
    deadline += seconds
    yield f"retry: {RETRY_MS}\n\n"
    last = after
    announced = True  #: the last wait ended on an announcement (else it timed out: look afresh)
    while True:
        heard = hub().heard(reading_id)  # before reading: what is announced after it wakes the wait below
        if last is None:
            with Session(engine) as s:
                reading = s.get(Reading, reading_id)
                if reading is None:
                    yield _message(0, {}, "gone")
                    return
                state = queries.screen_at(s, reading, queries.last_event_id(s, reading))
                last = state["event_id"]
                yield _message(last, {"id": last, "kind": "state", "line": "", "state": state})
                closed = not reading.is_open
        else:
            if announced:
                batch = _BATCHES.get(engine, reading_id, last, heard)
            else:  # no announcement came: read for this screen alone, in case one was lost
                batch = _Batch()
                _read_batch(engine, reading_id, last, batch)
            if batch.gone:
                yield _message(last, {}, "gone")
                return
            if batch.last != last:
                if time.monotonic() - checked > RECHECK_SECONDS:
                    with Session(engine) as s:
                        reading = s.get(Reading, reading_id)
                        if reading is None or not _allowed(s, reading, user_id, token, idle):
                            yield _message(last, {}, "gone")
                            return
                    checked = time.monotonic()
                yield batch.text
                last = batch.last
            closed = batch.closed
        if closed:
            yield _message(last, {}, "closed")
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        announced = hub().wait(reading_id, heard, min(remaining, POLL_SECONDS))
        if not announced:
            yield ": still here\n\n"  # writing finds a screen that has gone away
