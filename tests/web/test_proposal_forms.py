"""The proposals pages' forms refused: the same page again, the message where it belongs, what was typed kept."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from drafter.extensions import db
from drafter.proposals.decisions import MAX_NOTE_CHARS
from drafter.proposals.models import Proposal
from drafter.proposals.services import MAX_JUSTIFICATION_CHARS, MAX_PROPOSAL_CHARS
from tests.support.world import World, build_world, client_as

ERROR_PAGE = "<h1>The request could not be used</h1>"
LONG_TEXT = "Decides " + "x" * MAX_PROPOSAL_CHARS
LONG_JUSTIFICATION = "Because " + "y" * MAX_JUSTIFICATION_CHARS
LONG_NOTE = "Noted " + "z" * MAX_NOTE_CHARS


@dataclass(frozen=True)
class Refusal:
    """One way a form is refused: who posts what where, and what the page must answer."""

    role: str
    path: str  #: formatted with the world's ids: {seq} {pid} {own} {other}
    data: dict[str, Any]
    status: int
    message: str
    #: the field the message is printed beside; None: at the top of the form
    beside: str | None = None
    #: what was typed and must be on the page again
    typed: tuple[str, ...] = ()
    #: the proposal's revision no longer takes proposals when the form is sent
    late: bool = False


PROPOSE = "/n/world/r/{seq}/propose"
EDIT = "/n/world/proposals/{own}/edit"
DECIDE = "/n/world/proposals/{other}/decide"
POSITION = "/n/world/proposals/{other}/position"
TYPED = "Decides to convene a summit in 2029;"

KEPT = "Kept while refused."
DEADLINE = "The deadline for proposals on Rev.1 has passed. It passed at {deadline}."
OVER = "may have at most {:,} characters."

REFUSALS = {
    # Proposing
    "empty amendment": Refusal(
        "delegate",
        PROPOSE,
        {"kind": "amend", "paragraph": "{pid}", "text": "   ", "justification": KEPT},
        400,
        "The proposed text is empty. To remove the paragraph, propose its deletion.",
        "text",
        (KEPT,),
    ),
    "text over the limit": Refusal(
        "delegate",
        PROPOSE,
        {"kind": "amend", "paragraph": "{pid}", "text": LONG_TEXT},
        400,
        "A proposed text " + OVER.format(MAX_PROPOSAL_CHARS),
        "text",
        (LONG_TEXT,),
    ),
    "justification over the limit": Refusal(
        "delegate",
        PROPOSE,
        {"kind": "amend", "paragraph": "{pid}", "text": TYPED, "justification": LONG_JUSTIFICATION},
        400,
        "A justification " + OVER.format(MAX_JUSTIFICATION_CHARS),
        "justification",
        (TYPED, LONG_JUSTIFICATION),
    ),
    "unknown kind": Refusal(
        "delegate",
        PROPOSE,
        {"kind": "rewrite", "paragraph": "{pid}", "text": TYPED},
        400,
        "Choose what to propose: amend, new paragraph, delete or retain.",
        "kind",
        (TYPED,),
    ),
    "unknown paragraph": Refusal(
        "delegate",
        PROPOSE,
        {"kind": "amend", "paragraph": "999999", "text": TYPED, "justification": KEPT},
        400,
        "That paragraph is not part of this revision.",
        "paragraph",
        (TYPED, KEPT),
    ),
    "unknown kind of new paragraph": Refusal(
        "delegate",
        PROPOSE,
        {"kind": "insert", "new_kind": "chapter", "text": TYPED},
        400,
        "Choose the kind of the new paragraph.",
        "new_kind",
        (TYPED,),
    ),
    "amendment that changes nothing": Refusal(
        "delegate",
        PROPOSE,
        {"kind": "amend", "paragraph": "{pid}", "text": "Decides to convene a high-level meeting in  2029;"},
        400,
        "nothing would change",
        "text",
        ("Decides to convene a high-level meeting in  2029;",),
    ),
    "on behalf of no delegation": Refusal(
        "secretariat",
        PROPOSE,
        {"kind": "amend", "paragraph": "{pid}", "text": TYPED},
        400,
        "Choose the delegation the proposal is made for.",
        "delegation",
        (TYPED,),
    ),
    "proposal after the deadline": Refusal(
        "delegate",
        PROPOSE,
        {"kind": "amend", "paragraph": "{pid}", "text": TYPED, "justification": KEPT},
        409,
        DEADLINE,
        None,
        (TYPED, KEPT),
        late=True,
    ),
    # Editing
    "edit conflict": Refusal(
        "delegate",
        EDIT,
        {"text": TYPED, "justification": KEPT, "version": "0"},
        409,
        "This proposal was changed after you opened it.",
        None,
        (TYPED, KEPT, "Decides to convene a high-level meeting in 2030;"),
    ),  # and the text as it is now
    "edit emptied": Refusal(
        "delegate",
        EDIT,
        {"text": "", "justification": KEPT, "version": "{version}"},
        400,
        "The proposed text is empty.",
        "text",
        (KEPT,),
    ),
    "edit with the justification over the limit": Refusal(
        "delegate",
        EDIT,
        {"text": TYPED, "justification": LONG_JUSTIFICATION, "version": "{version}"},
        400,
        "A justification " + OVER.format(MAX_JUSTIFICATION_CHARS),
        "justification",
        (TYPED, LONG_JUSTIFICATION),
    ),
    "edit after the deadline": Refusal(
        "delegate", EDIT, {"text": TYPED, "version": "{version}"}, 409, DEADLINE, None, (TYPED,), late=True
    ),
    # Deciding
    "decision without an outcome": Refusal(
        "cofacilitator", DECIDE, {"note": KEPT, "version": "{version}"}, 400, "Choose a decision.", "outcome", (KEPT,)
    ),
    "decision on a stale version": Refusal(
        "cofacilitator",
        DECIDE,
        {"outcome": "not_retained", "note": KEPT, "version": "0"},
        409,
        "The proposal was changed by its delegation after you opened it.",
        None,
        (KEPT,),
    ),
    "merged with nothing": Refusal(
        "cofacilitator",
        DECIDE,
        {"outcome": "merged", "note": KEPT, "version": "{version}"},
        400,
        "Choose the proposal on the same revision that this one is merged with.",
        "merged_into",
        (KEPT,),
    ),
    "decision note over the limit": Refusal(
        "cofacilitator",
        DECIDE,
        {"outcome": "not_retained", "note": LONG_NOTE, "version": "{version}"},
        400,
        "A note to delegations " + OVER.format(MAX_NOTE_CHARS),
        "note",
        (LONG_NOTE,),
    ),
    # Positions: buttons, nothing typed; the proposal's page answers, not an error page
    "position with an unknown stance": Refusal(
        "delegate", POSITION, {"stance": "adore"}, 400, "Choose co-sponsor, support or oppose.", "stance"
    ),
    "position on one's own proposal": Refusal(
        "delegate",
        "/n/world/proposals/{own}/position",
        {"stance": "support"},
        400,
        "A delegation does not take a position on its own proposal.",
    ),
}


@pytest.fixture
def world(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def _values(w: World) -> dict[str, Any]:
    return {"seq": w.rev1.seq, "pid": w.paragraph_id, "own": w.own_proposal.id, "other": w.other_proposal.id}


def _deadline_in_words(when: dt.datetime) -> str:
    return f"{when:%H:%M} UTC on {when.day} {when:%B %Y}"


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refused_form_comes_back_with_its_message_and_what_was_typed(app, world, session, case: Refusal):
    values = _values(world)
    if case.late:
        deadline = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).replace(second=0, microsecond=0)
        world.rev1.proposal_deadline = deadline
        session.commit()
        values["deadline"] = _deadline_in_words(deadline)
    proposal = world.own_proposal if "{own}" in case.path else world.other_proposal
    values["version"] = proposal.version
    before = db.session.query(Proposal).count()
    client = client_as(app, world, case.role)
    data = {k: str(v).format(**values) for k, v in case.data.items()}
    response = client.post(case.path.format(**values), data=data)

    assert response.status_code == case.status
    page = response.get_data(as_text=True)
    assert ERROR_PAGE not in page
    message = case.message.format(**values)
    text = html.unescape(page)
    assert message in text
    if case.beside is not None:
        assert re.search(
            rf'<p class="field-error" id="{case.beside}-error">[^<]*{re.escape(html.escape(message))}', page
        ), f"the message is not beside {case.beside}"
    else:
        assert re.search(rf'role="alert">[^<]*{re.escape(html.escape(message))}', page), "the message is not at the top"
    for typed in case.typed:
        assert typed in text, f"{typed[:40]!r} is not on the page again"
    db.session.expire_all()
    assert db.session.query(Proposal).count() == before


def test_the_propose_page_after_the_deadline_says_when_it_passed(app, world, session):
    deadline = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    world.rev1.proposal_deadline = deadline
    session.commit()
    page = client_as(app, world, "delegate").get(
        f"/n/world/r/{world.rev1.seq}/propose", query_string={"paragraph": world.paragraph_id, "kind": "amend"}
    )
    assert page.status_code == 409
    body = page.get_data(as_text=True)
    assert f"The deadline for proposals on Rev.1 has passed. It passed at {_deadline_in_words(deadline)}." in body
    assert "Submit the proposal" not in body and ERROR_PAGE not in body


def test_the_text_limits_come_from_the_services(app, world):
    client = client_as(app, world, "delegate")
    page = client.get(
        f"/n/world/r/{world.rev1.seq}/propose", query_string={"paragraph": world.paragraph_id, "kind": "amend"}
    ).get_data(as_text=True)
    assert f'maxlength="{MAX_PROPOSAL_CHARS}"' in page and f'maxlength="{MAX_JUSTIFICATION_CHARS}"' in page
    decide = client_as(app, world, "cofacilitator").get(f"/n/world/proposals/{world.other_proposal.id}/decide")
    assert f'maxlength="{MAX_NOTE_CHARS}"' in decide.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [{"delegation": "abc"}, {"paragraph": "99999999999"}, {"kind": "nonsense"}, {"state": "pending"}, {"only": ""}],
)
def test_compilation_filters_that_name_nothing_filter_nothing(app, world, query):
    client = client_as(app, world, "cofacilitator")
    page = client.get(f"/n/world/r/{world.rev1.seq}/compilation", query_string=query)
    assert page.status_code == 200 and "2 of 2 proposals" in page.get_data(as_text=True)


def test_a_chosen_filter_stays_selected(app, world):
    page = client_as(app, world, "cofacilitator").get(
        f"/n/world/r/{world.rev1.seq}/compilation", query_string={"kind": "amend", "delegation": world.mexico.id}
    )
    body = page.get_data(as_text=True)
    assert '<option selected value="amend">' in body and f'<option selected value="{world.mexico.id}">' in body
    assert "1 of 2 proposals" in body
