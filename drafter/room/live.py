"""The stream a screen follows a reading through: Server-Sent Events, resumed from an event id.

Each stream lives at most ``ROOM_STREAM_SECONDS`` (25 s by default) and then ends; the browser's
EventSource reconnects by itself, sending the id of the last event it received
(``Last-Event-ID``), and the next stream starts from there. So no request holds a worker's
thread for long, and a screen that lost its connection catches up from the database. The stream
holds no database connection while it waits: each look at the database is a short session of
its own.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
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
    while True:
        heard = hub().heard(reading_id)  # before reading: what is announced after it wakes the wait below
        with Session(engine) as s:
            reading = s.get(Reading, reading_id)
            if reading is None:
                yield _message(last or 0, {}, "gone")
                return
            if last is None:
                state = queries.screen_at(s, reading, queries.last_event_id(s, reading))
                last = state["event_id"]
                yield _message(last, {"id": last, "kind": "state", "line": "", "state": state})
            else:
                found = queries.events_after(s, reading_id, last)
                if found:
                    if time.monotonic() - checked > RECHECK_SECONDS:
                        if not _allowed(s, reading, user_id, token, idle):
                            yield _message(last, {}, "gone")
                            return
                        checked = time.monotonic()
                    for e in found[:-1]:
                        yield _message(e.id, event_data(e, None))
                    last = found[-1].id
                    yield _message(last, event_data(found[-1], queries.screen_at(s, reading, last)))
            closed = not reading.is_open
        if closed:
            yield _message(last, {}, "closed")
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        if not hub().wait(reading_id, heard, min(remaining, POLL_SECONDS)):
            yield ": still here\n\n"  # writing finds a screen that has gone away
