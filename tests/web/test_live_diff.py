"""The live diff under a text box, and pages that diff long hostile texts: bounded in size, time and rate."""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

import pytest
from flask import Flask

from drafter import throttle
from drafter.drafting import editing
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.proposals import services as proposals
from drafter.proposals.models import ProposalKind
from drafter.proposals.views import DIFF_RATE
from drafter.text import diff
from tests.support.timing import bound
from tests.web.test_permissions import World, build_world, client_as

LIMIT = proposals.MAX_PROPOSAL_CHARS


def _shuffled_words(seed: int, n_chars: int = LIMIT) -> str:
    """Return a text of common words in random order: the slowest kind for a minimal diff."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghij") for _ in range(5)) for _ in range(500)]
    out: list[str] = []
    while sum(len(w) + 1 for w in out) < n_chars:
        out.append(rng.choice(vocab))
    return " ".join(out)[:n_chars].strip()


def _cjk(seed: int, n_chars: int = LIMIT) -> str:
    rng = random.Random(seed)
    return "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(n_chars))


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def _timed(client, method: str, url: str, **kwargs):
    diff.word_diff.cache_clear()  # a cold cache: the first reader of a page pays for every diff
    start = time.perf_counter()
    response = getattr(client, method)(url, **kwargs)
    return response, time.perf_counter() - start


def test_a_hostile_pair_is_answered_within_the_budget_and_says_it_is_coarse(app, w):
    client = client_as(app, w, "observer")
    response, seconds = _timed(
        client, "post", "/api/diff", json={"base": _shuffled_words(1), "text": _shuffled_words(2)}
    )
    assert response.status_code == 200 and seconds < bound(2.0)
    data = response.json
    assert data["exact"] is False and "Too long to compare live" in data["note"]
    assert "Too long to compare live" in data["html"]


def test_a_paragraph_is_compared_exactly_in_under_100_ms(app, w):
    client = client_as(app, w, "delegate")
    old = _shuffled_words(3, 1_200)
    new = old.replace("a", "b", 40)
    times = []
    for _ in range(5):
        response, seconds = _timed(client, "post", "/api/diff", json={"base": old, "text": new})
        assert response.status_code == 200 and response.json["exact"] is True and response.json["note"] == ""
        times.append(seconds)
    assert statistics.median(times) < bound(0.1)


def test_texts_longer_than_a_proposal_are_refused(app, w):
    client = client_as(app, w, "delegate")
    at_limit = client.post("/api/diff", json={"base": "a", "text": "x" * LIMIT})
    assert at_limit.status_code == 200
    for body in ({"base": "x" * (LIMIT + 1), "text": "a"}, {"base": "a", "text": "x" * (LIMIT + 1)}):
        response = client.post("/api/diff", json=body)
        assert response.status_code == 400 and f"at most {LIMIT:,} characters" in response.json["error"]


@pytest.mark.parametrize("body", [[1, 2], "text", {"base": ["a"], "text": "b"}, {"base": "a", "text": {"x": 1}}])
def test_a_body_of_the_wrong_shape_is_refused_plainly(app, w, body):
    client = client_as(app, w, "delegate")
    response = client.post("/api/diff", json=body)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "not sent as text" in response.json["error"]


def test_the_rate_is_limited_per_account_with_a_message_the_page_shows(app, w):
    limit, _ = DIFF_RATE
    delegate = client_as(app, w, "delegate")
    for _ in range(limit):
        assert delegate.post("/api/diff", json={"base": "a b", "text": "a c"}).status_code == 200
    refused = delegate.post("/api/diff", json={"base": "a b", "text": "a c"})
    assert refused.status_code == 429
    assert "paused" in refused.json["error"] and 1 <= int(refused.headers["Retry-After"]) <= 10
    # Another account is not held back by this one.
    assert client_as(app, w, "observer").post("/api/diff", json={"base": "a b", "text": "a c"}).status_code == 200


def test_the_count_is_kept_in_the_database_for_every_app_process(app, w):
    """Hits recorded by another process (rows in the shared table) count against the account."""
    limit, per = DIFF_RATE
    for _ in range(limit):
        throttle.hit(db.session, f"diff:{w.users['delegate'].id}", per=per)
    db.session.commit()
    response = client_as(app, w, "delegate").post("/api/diff", json={"base": "a b", "text": "a c"})
    assert response.status_code == 429


# -- Pages that show diffs of long texts -------------------------------------------------------------


@pytest.mark.parametrize("make", [_shuffled_words, _cjk], ids=["shuffled words", "Chinese"])
def test_pages_with_hostile_long_texts_answer_within_2_s(app, w, make):
    """A proposal and a working paragraph of 20,000 characters unlike their base, on every page that diffs them."""
    session = db.session
    target = load_versions(session, w.rev1)[1]
    target.text = make(10)  # the circulated paragraph as long as a paragraph may be
    session.flush()
    p = proposals.submit(session, None, w.rev1, w.g77, kind=ProposalKind.AMEND, target=target, text=make(11))
    working = next(v for v in load_versions(session, w.rev2) if v.paragraph_id == target.paragraph_id)
    editing.edit_text(session, None, working, make(12), expected_version=working.version)
    session.commit()
    slug = w.negotiation.slug
    cofacilitator = client_as(app, w, "cofacilitator")
    pages = [
        ("get", f"/n/{slug}/proposals/{p.id}", {}),
        ("get", f"/n/{slug}/r/{w.rev1.seq}/compilation", {}),
        ("get", f"/n/{slug}/compare?from={w.rev1.seq}&to={w.rev2.seq}", {}),
        ("get", f"/n/{slug}/proposals/{p.id}/decide", {}),
        ("get", f"/n/{slug}/p/{working.paragraph_id}/", {}),
        ("post", f"/n/{slug}/exports/new", {"data": {"kind": "tracked", "revision": w.rev2.seq, "from": w.rev1.seq}}),
    ]
    slow = []
    for method, url, kwargs in pages:
        response, seconds = _timed(cofacilitator, method, url, **kwargs)
        response.close()
        assert response.status_code < 500, url
        if seconds >= bound(2.0):
            slow.append(f"{url}: {seconds:.2f} s")
    assert not slow
