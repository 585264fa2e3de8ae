"""The last seconds before a proposal deadline, under gunicorn on PostgreSQL.

gunicorn serves the app with 4 workers and production settings (CSRF on) on a loopback port.
100 delegates, each of a different delegation, sign in through the login form, then submit,
edit and withdraw proposals through the real forms, back to back, from a few seconds before the
deadline until shortly after it. Afterwards the database must hold exactly what the answers
confirmed: each accepted submission once, each accepted edit and withdrawal applied, nothing
accepted at or after the deadline, and no answer a server error.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.loadtest import Client, Server, request
from drafter.auth.models import Role
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.lifecycle import services as lifecycle
from drafter.proposals.models import Proposal, ProposalState
from tests import factories as f
from tests.conftest import PG_URL, TEST_PASSWORD

pytestmark = pytest.mark.skipif(not PG_URL, reason="the deadline rush needs PostgreSQL (DRAFTER_TEST_DATABASE_URL)")

DELEGATES = 100
#: seconds from the moment everyone is signed in to the deadline, and of rushing on after it
BEFORE, AFTER = 5.0, 1.5
_PROPOSAL = re.compile(r"/proposals/(\d+)$")
_VERSION = re.compile(r'name="version" value="(\d+)"')


@dataclass
class Sent:
    """One form sent: what it was, when (wall clock), and the answer."""

    action: str  #: submit, edit, withdraw
    proposal_id: int | None
    text: str
    sent_at: dt.datetime
    status: int
    body: str


def rush(client: Client, slug: str, seq: int, paragraph: int, name: str, stop: float, log: list[Sent]) -> None:
    """Submit, edit, withdraw, again and again until ``stop`` (time.monotonic)."""
    round_ = 0
    proposal_id: int | None = None
    version = "1"
    while time.monotonic() < stop:
        round_ += 1
        if proposal_id is None:
            action, text = "submit", f"Decides that {name} proposes wording {round_};"
            path, form = (
                f"/n/{slug}/r/{seq}/propose",
                {
                    "kind": "amend",
                    "paragraph": str(paragraph),
                    "text": text,
                    "justification": "",
                    "csrf_token": client.token,
                },
            )
        elif round_ % 3 == 2:
            action, text = "edit", f"Decides that {name} edits to wording {round_};"
            path, form = (
                f"/n/{slug}/proposals/{proposal_id}/edit",
                {"text": text, "justification": "", "version": version, "csrf_token": client.token},
            )
        else:
            action, text = "withdraw", ""
            path, form = f"/n/{slug}/proposals/{proposal_id}/withdraw", {"csrf_token": client.token}
        sent_at = dt.datetime.now(dt.UTC)
        if action == "withdraw":
            # A double click: the same form twice at once, from the same signed-in browser.
            twin: list[tuple[int, dict[str, list[str]], bytes]] = []
            other = threading.Thread(
                target=lambda: twin.append(request(client.port, "POST", path, body=form, cookies=dict(client.cookies)))
            )
            other.start()
            status, headers, body = client.send("POST", path, form)
            other.join(60)
            log.append(Sent(action, proposal_id, text, sent_at, status, body.decode(errors="replace")))
            log.append(Sent(action, proposal_id, text, sent_at, twin[0][0], twin[0][2].decode(errors="replace")))
            assert (status, twin[0][0]).count(302) <= 1, "both clicks of one withdrawal were accepted"
            status = max(status, twin[0][0], key=lambda code: code == 302)
        else:
            status, headers, body = client.send("POST", path, form)
            log.append(Sent(action, proposal_id, text, sent_at, status, body.decode(errors="replace")))
        if status != 302:
            continue
        if action == "submit":
            m = _PROPOSAL.search(headers["location"][0])
            assert m, headers["location"]
            proposal_id, version = int(m.group(1)), "1"
            log[-1].proposal_id = proposal_id
        elif action == "edit":
            version = str(int(version) + 1)
        else:
            proposal_id = None


def test_the_deadline_rush(app, session, tmp_path: Path):
    n = f.negotiation(session, slug="rush")
    rev = f.revision(session, n)
    paragraph = load_versions(session, rev)[3].paragraph_id
    people = []
    for i in range(DELEGATES):
        d = f.delegation(session, f"Delegation {i:03d}")
        people.append(f.user(session, role=Role.DELEGATE, negotiation=n, delegation=d, name=f"Delegate {i:03d}"))
    session.commit()
    emails = [(u.email, u.memberships[0].delegation.name) for u in people]

    with Server(PG_URL, tmp_path) as server:
        clients = [(Client(server.port, email, TEST_PASSWORD), name) for email, name in emails]
        deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=BEFORE)).replace(microsecond=0)
        lifecycle.set_deadline(session, None, rev, deadline)
        session.commit()
        stop = time.monotonic() + (deadline - dt.datetime.now(dt.UTC)).total_seconds() + AFTER
        logs: list[list[Sent]] = [[] for _ in clients]
        threads = [
            threading.Thread(target=rush, args=(c, n.slug, rev.seq, paragraph, name, stop, logs[i]))
            for i, (c, name) in enumerate(clients)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        seconds = time.monotonic() - started

    sent = [s for log in logs for s in log]
    statuses = Counter(s.status for s in sent)
    assert not [s for s in sent if s.status >= 500], statuses
    accepted = [s for s in sent if s.status == 302]
    late = [s for s in sent if s.status == 409 and "deadline" in s.body and "has passed" in s.body]
    conflicts = [s for s in sent if s.status == 409 and s not in late]
    assert len(accepted) + len(late) + len(conflicts) == len(sent), statuses
    assert not [s for s in accepted if s.sent_at >= deadline], "a request sent after the deadline was accepted"
    assert late, "the rush did not reach the deadline"

    # The database holds what was confirmed, once, and nothing else.
    db.session.expire_all()
    stored = {p.id: p for p in session.scalars(sa.select(Proposal).where(Proposal.revision_id == rev.id))}
    submitted = [s for s in accepted if s.action == "submit"]
    assert sorted(stored) == sorted(s.proposal_id for s in submitted)
    expected: dict[int, tuple[str, ProposalState]] = {}
    for s in (x for log in logs for x in log if x.status == 302):  # each delegate's own order
        assert s.proposal_id is not None
        text, state = expected.get(s.proposal_id, ("", ProposalState.SUBMITTED))
        if s.action == "withdraw":
            state = ProposalState.WITHDRAWN
        else:
            text = s.text
        expected[s.proposal_id] = (text, state)
    assert {pid: (p.proposed_text, p.state) for pid, p in stored.items()} == expected
    assert all(p.created_at < deadline and p.updated_at < deadline for p in stored.values())
    counts = Counter(s.action for s in accepted)
    print(
        f"\ndeadline rush: {len(sent)} requests in {seconds:.1f} s from {DELEGATES} delegates on 4 workers; "
        f"accepted {len(accepted)} (submit {counts['submit']}, edit {counts['edit']}, withdraw {counts['withdraw']}), "
        f"refused late {len(late)}, conflicts {len(conflicts)}, statuses {dict(statuses)}"
    )
