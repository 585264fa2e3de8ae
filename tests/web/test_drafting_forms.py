"""Refused drafting forms: each comes back on its page with the message beside its field and what was typed.

One table: for each form of the drafting and circulation pages, each way it can be refused, the
status of the answer, where the message is printed (beside which field, or at the top of the
form) and the values the user typed, which must still be in the page. A refused form changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from markupsafe import escape

from drafter.audit import AuditEvent
from drafter.auth.models import Delegation, User
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision, SilenceBreak
from drafter.drafting.queries import load_versions
from drafter.drafting.services import MAX_PARAGRAPH_CHARS
from drafter.extensions import db
from drafter.lifecycle import services as lifecycle
from drafter.lifecycle.services import MAX_STATEMENT_CHARS
from tests import factories as f
from tests.conftest import login

NOW = dt.datetime.now(dt.UTC)
LONG_TEXT = "Decides " + "x" * MAX_PARAGRAPH_CHARS
TYPED = "Decides to meet again in Nairobi in 2031;"


@dataclass
class World:
    negotiation: Negotiation
    users: dict[str, User]
    circulated: Revision  #: Rev.1, open for proposals
    working: Revision  #: Rev.2
    paragraph_id: int  #: OP1, in both revisions
    first_id: int  #: the first paragraph of both revisions
    mexico: Delegation

    def version(self, revision: Revision | None = None, paragraph_id: int | None = None) -> ParagraphVersion:
        db.session.expire_all()
        return db.session.scalar(
            sa.select(ParagraphVersion).where(
                ParagraphVersion.revision_id == (revision or self.working).id,
                ParagraphVersion.paragraph_id == (paragraph_id or self.paragraph_id),
            )
        )

    def url(self, path: str, revision: Revision | None = None) -> str:
        n = self.negotiation.slug
        return f"/n/{n}/{path}" if revision is None else f"/n/{n}/r/{revision.seq}/{path}"

    def para(self, action: str, revision: Revision | None = None) -> str:
        return self.url(f"p/{self.paragraph_id}/{action}", revision or self.working)

    def current(self, revision: Revision | None = None) -> int:
        return self.version(revision).version


@pytest.fixture
def w(app: Flask, session) -> World:
    n = f.negotiation(session, slug="forms", title="Forms negotiation")
    users = f.team(session, n)
    rev1 = f.revision(session, n, label="Rev.1", now=NOW - dt.timedelta(days=1), deadline=NOW + dt.timedelta(days=6))
    rev2 = drafting.start_revision(session, None, n, label="Rev.2")
    session.commit()
    versions = load_versions(session, rev2)
    return World(
        n,
        users,
        rev1,
        rev2,
        versions[3].paragraph_id,
        versions[0].paragraph_id,
        users["delegate"].memberships[0].delegation,
    )


# -- What happens before the request --------------------------------------------------------------


def someone_edits_op1(w: World) -> None:
    v = w.version()
    editing.edit_text(db.session, None, v, "Decides to meet later;", expected_version=v.version)
    db.session.commit()


def under_silence(w: World) -> None:
    lifecycle.put_under_silence(db.session, None, w.circulated, until=NOW + dt.timedelta(days=3))
    db.session.commit()


def silence_ended(w: World) -> None:
    lifecycle.put_under_silence(
        db.session, None, w.circulated, until=NOW - dt.timedelta(hours=1), now=NOW - dt.timedelta(days=3)
    )
    db.session.commit()


# -- The table -------------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]
    status: int
    message: str
    #: the id of the field the message is printed beside ("tool:status": the status tool of OP1 in the
    #: editor); "" at the top of the form; None anywhere on the page
    beside: str | None
    typed: list[str] | Callable[[World], list[str]] = field(default_factory=list)
    before: Callable[[World], None] | None = None
    who: str = "cofacilitator"


def _checked(w: World) -> str:
    """Return OP1's box among the paragraphs a silence break concerns, ticked."""
    return f'checked id="paragraphs-3" name="paragraphs" type="checkbox" value="{w.paragraph_id}"'


def _until(delta: dt.timedelta) -> str:
    return (NOW + delta).strftime("%Y-%m-%dT%H:%M")


CASES = [
    # the paragraph's own page
    Case(
        "edit: empty text",
        lambda w: w.para("edit"),
        lambda w: {"text": "  \n ", "version": w.current()},
        400,
        "The paragraph text is empty.",
        "text",
    ),
    Case(
        "edit: text over the limit",
        lambda w: w.para("edit"),
        lambda w: {"text": LONG_TEXT, "version": w.current()},
        400,
        f"A paragraph may have at most {MAX_PARAGRAPH_CHARS} characters.",
        "text",
        [LONG_TEXT],
    ),
    Case(
        "edit: no version",
        lambda w: w.para("edit"),
        lambda w: {"text": TYPED},
        400,
        "The form is missing the paragraph's version; reload the page.",
        "",
        [TYPED],
    ),
    Case(
        "edit: a version that is no number",
        lambda w: w.para("edit"),
        lambda w: {"text": TYPED, "version": "x" * 30},
        400,
        "reload the page",
        "",
        [TYPED],
    ),
    Case(
        "edit: stale version",
        lambda w: w.para("edit"),
        lambda w: {"text": TYPED, "version": w.current() - 1},
        409,
        "changed this paragraph after you opened it",
        None,
        [TYPED, "Decides to meet later;"],
        before=someone_edits_op1,
    ),
    Case(
        "edit: a circulated revision",
        lambda w: w.para("edit", w.circulated),
        lambda w: {"text": TYPED, "version": w.current(w.circulated)},
        409,
        "has been circulated and can no longer be changed",
        "",
        [TYPED],
    ),
    # the editor's paragraph tools
    Case(
        "status: unknown status",
        lambda w: w.para("status"),
        lambda w: {"status": "settled", "note": "capitals to confirm", "version": w.current()},
        400,
        "Choose a status.",
        "tool:status",
        ["capitals to confirm"],
    ),
    Case(
        "status: note over the limit",
        lambda w: w.para("status"),
        lambda w: {"status": "pending", "note": "n" * 501, "version": w.current()},
        400,
        "A status note may have at most 500 characters.",
        "tool:status",
        ["n" * 501],
    ),
    Case(
        "status: stale version",
        lambda w: w.para("status"),
        lambda w: {"status": "agreed", "version": w.current() - 1},
        409,
        "changed this paragraph after you opened it",
        None,
        before=someone_edits_op1,
    ),
    # (the editor is gone once the revision is circulated: the message is the page)
    Case(
        "status: a circulated revision",
        lambda w: w.para("status", w.circulated),
        lambda w: {"status": "agreed", "version": w.current(w.circulated)},
        409,
        "has been circulated and can no longer be changed",
        None,
    ),
    Case(
        "kind: unknown kind",
        lambda w: w.para("kind"),
        lambda w: {"kind": "footnote:x", "version": w.current()},
        400,
        "Choose a kind of paragraph.",
        "tool:kind",
    ),
    Case(
        "kind: no kind",
        lambda w: w.para("kind"),
        lambda w: {"version": w.current()},
        400,
        "Choose a kind of paragraph.",
        "tool:kind",
    ),
    Case(
        "kind: level out of range",
        lambda w: w.para("kind"),
        lambda w: {"kind": "subparagraph:9", "version": w.current()},
        400,
        "Subparagraph levels go from 1 to 3.",
        "tool:kind",
    ),
    Case(
        "kind: stale version",
        lambda w: w.para("kind"),
        lambda w: {"kind": "preambular:0", "version": w.current() - 1},
        409,
        "changed this paragraph after you opened it",
        None,
        before=someone_edits_op1,
    ),
    Case(
        "move: the first paragraph up",
        lambda w: w.url(f"p/{w.first_id}/move", w.working),
        lambda w: {"direction": "up", "version": w.version(paragraph_id=w.first_id).version},
        400,
        "The paragraph is already at the top.",
        "tool:move:first",
    ),
    Case(
        "move: no direction",
        lambda w: w.para("move"),
        lambda w: {"direction": "sideways", "version": w.current()},
        400,
        "Choose to move the paragraph up or down.",
        "tool:move",
    ),
    Case(
        "delete: stale version",
        lambda w: w.para("delete"),
        lambda w: {"version": w.current() - 1},
        409,
        "Check the new text before deleting it.",
        None,
        before=someone_edits_op1,
    ),
    Case("delete: no version", lambda w: w.para("delete"), lambda w: {}, 400, "reload the page", "tool:delete"),
    # inserting a paragraph
    Case(
        "insert: empty text",
        lambda w: w.url("insert", w.working),
        lambda w: {"kind": "preambular:0", "text": " "},
        400,
        "The paragraph text is empty.",
        "text",
        ['<option selected value="preambular:0">'],
    ),
    Case(
        "insert: text over the limit",
        lambda w: w.url("insert", w.working),
        lambda w: {"kind": "operative:0", "text": LONG_TEXT},
        400,
        f"A paragraph may have at most {MAX_PARAGRAPH_CHARS} characters.",
        "text",
        [LONG_TEXT],
    ),
    Case(
        "insert: unknown kind",
        lambda w: w.url("insert", w.working),
        lambda w: {"kind": "annex:0", "text": TYPED},
        400,
        "Choose a kind of paragraph.",
        "kind",
        [TYPED],
    ),
    Case(
        "insert: an anchor that is no number",
        lambda w: w.url("insert", w.working),
        lambda w: {"anchor": "op-one", "kind": "operative:0", "text": TYPED},
        400,
        "That paragraph is not part of this revision.",
        "",
        [TYPED],
    ),
    # the negotiation's settings and its next revision
    Case(
        "settings: empty title",
        lambda w: w.url("settings"),
        lambda w: {"title": "  ", "symbol": "A/81/L.7", "visibility": "immediate"},
        400,
        "A title of 1 to 300 characters is required.",
        "title",
        ['value="A/81/L.7"'],
    ),
    Case(
        "settings: unknown visibility",
        lambda w: w.url("settings"),
        lambda w: {"title": "Ocean declaration", "visibility": "sometimes"},
        400,
        "Choose when delegations see each other's proposals.",
        "visibility",
        ['value="Ocean declaration"'],
    ),
    Case(
        "settings: symbol over the limit",
        lambda w: w.url("settings"),
        lambda w: {"title": "Ocean declaration", "symbol": "A/" + "9" * 60, "visibility": "on_release"},
        400,
        "A document symbol has at most 60 characters",
        "symbol",
        ['value="Ocean declaration"', '<input checked id="visibility-1"', "A/" + "9" * 60],
    ),
    Case(
        "start: a working revision exists",
        lambda w: w.url("revisions/start"),
        lambda w: {},
        409,
        "A working revision already exists",
        "",
    ),
    Case(
        "start: label over the limit",
        lambda w: w.url("revisions/start"),
        lambda w: {"label": "R" * 61},
        400,
        "A revision label of 1 to 60 characters is required",
        "",
    ),
    # circulating, the deadline, the silence
    Case(
        "circulate: a deadline that is not a date",
        lambda w: w.url("circulate", w.working),
        lambda w: {"deadline": "next Tuesday"},
        400,
        "The proposal deadline “next Tuesday” is not a date and time.",
        "deadline",
        ['value="next Tuesday"'],
    ),
    Case(
        "circulate: a deadline in the past",
        lambda w: w.url("circulate", w.working),
        lambda w: {"deadline": "2020-05-03T18:00"},
        400,
        "The proposal deadline must be in the future.",
        "deadline",
        ['value="2020-05-03T18:00"'],
    ),
    Case(
        "deadline: not a date",
        lambda w: w.url("deadline", w.circulated),
        lambda w: {"deadline": "31/13/2026"},
        400,
        "is not a date and time.",
        "deadline",
        ['value="31/13/2026"'],
    ),
    Case(
        "deadline: a revision under silence",
        lambda w: w.url("deadline", w.circulated),
        lambda w: {"deadline": _until(dt.timedelta(days=9))},
        409,
        "Proposals are only taken on a circulated revision",
        "",
        before=under_silence,
    ),
    Case(
        "silence: no end",
        lambda w: w.url("silence", w.circulated),
        lambda w: {"until": ""},
        400,
        "Give the date and time the silence procedure ends.",
        "until",
    ),
    Case(
        "silence: an end that is not a date",
        lambda w: w.url("silence", w.circulated),
        lambda w: {"until": "Friday noon"},
        400,
        "is not a date and time.",
        "until",
        ['value="Friday noon"'],
    ),
    Case(
        "silence: an end in the past",
        lambda w: w.url("silence", w.circulated),
        lambda w: {"until": "2020-05-03T18:00"},
        400,
        "The silence procedure must end in the future.",
        "until",
        ['value="2020-05-03T18:00"'],
    ),
    Case(
        "silence: a working revision",
        lambda w: w.url("silence", w.working),
        lambda w: {"until": _until(dt.timedelta(days=3))},
        409,
        "Only the circulated text can be put under silence",
        "",
    ),
    # breaking the silence
    Case(
        "break: no statement",
        lambda w: w.url("silence-break", w.circulated),
        lambda w: {"delegation": w.mexico.id, "statement": "   ", "paragraphs": [w.paragraph_id]},
        400,
        "The delegation's statement is required.",
        "statement",
        lambda w: [f'<option selected value="{w.mexico.id}">', _checked(w)],
        before=under_silence,
        who="delegate",
    ),
    Case(
        "break: statement over the limit",
        lambda w: w.url("silence-break", w.circulated),
        lambda w: {"delegation": w.mexico.id, "statement": "s" * (MAX_STATEMENT_CHARS + 1)},
        400,
        f"at most {MAX_STATEMENT_CHARS:,} characters",
        "statement",
        ["s" * (MAX_STATEMENT_CHARS + 1)],
        before=under_silence,
        who="delegate",
    ),
    Case(
        "break: a paragraph not in the revision",
        lambda w: w.url("silence-break", w.circulated),
        lambda w: {
            "delegation": w.mexico.id,
            "statement": "We object to OP9.",
            "paragraphs": [w.paragraph_id, 999_999],
        },
        400,
        "Some of the paragraphs named are not part of this revision.",
        "paragraphs",
        lambda w: ["We object to OP9.", _checked(w)],
        before=under_silence,
    ),
    Case(
        "break: an unknown delegation",
        lambda w: w.url("silence-break", w.circulated),
        lambda w: {"delegation": 999_999, "statement": "We object."},
        400,
        "Choose the delegation breaking the silence.",
        "delegation",
        ["We object."],
        before=under_silence,
    ),
    Case(
        "break: after the silence ended",
        lambda w: w.url("silence-break", w.circulated),
        lambda w: {"delegation": w.mexico.id, "statement": "We object, late."},
        409,
        "The silence procedure has ended; a break can no longer be recorded.",
        "",
        ["We object, late.", "Silence until "],
        before=silence_ended,
        who="delegate",
    ),
    Case(
        "break: a revision not under silence",
        lambda w: w.url("silence-break", w.circulated),
        lambda w: {"delegation": w.mexico.id, "statement": "We object, early."},
        409,
        "Rev.1 is not under silence.",
        "",
        ["We object, early."],
        who="delegate",
    ),
    Case(
        "adopt: while the silence runs",
        lambda w: w.url("adopt", w.circulated),
        lambda w: {},
        409,
        "The silence procedure runs until",
        "",
        before=under_silence,
    ),
]


def _placed(html: str, message: str, beside: str | None) -> bool:
    """Return True when the message is printed beside the field ``beside`` (or atop the form, or anywhere)."""
    message = str(escape(message))
    if beside is None:
        return message in html
    where = r'role="alert">' if beside == "" else rf'id="{re.escape(beside)}-error">'
    return re.search(where + r"[^<]*" + re.escape(message), html) is not None


def _snapshot() -> tuple:
    db.session.expire_all()
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)),
        tuple(
            db.session.execute(
                sa.select(
                    ParagraphVersion.id, ParagraphVersion.version, ParagraphVersion.text, ParagraphVersion.position
                )
            ).all()
        ),
        tuple(db.session.execute(sa.select(Revision.id, Revision.state, Revision.proposal_deadline)).all()),
        db.session.scalar(sa.select(sa.func.count()).select_from(SilenceBreak)),
        db.session.scalar(sa.select(Negotiation.title)),
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_refused_form_comes_back_with_its_message_and_what_was_typed(app: Flask, w: World, case: Case):
    if case.before:
        case.before(w)
    client = app.test_client()
    login(client, w.users[case.who])
    data, url = case.data(w), case.url(w)
    beside = case.beside
    if beside and beside.startswith("tool:"):  # a tool of the editor, beside OP1 or the first paragraph
        _, tool, *first = beside.split(":")
        beside = f"{tool}-{w.version(paragraph_id=w.first_id if first else None).id}"
    before = _snapshot()
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == case.status, html[:2000]
    assert "Traceback" not in html and "<h1>The request could not be used" not in html
    assert _placed(html, case.message, beside), f"{case.message!r} is not beside {beside!r}"
    for value in case.typed(w) if callable(case.typed) else case.typed:
        assert value in html or str(escape(value)) in html, f"{value[:60]!r} is not in the page"
    assert _snapshot() == before, "a refused form changed something"


def test_the_text_fields_take_their_limits_from_the_services(app: Flask, w: World):
    client = app.test_client()
    login(client, w.users["cofacilitator"])
    assert f'maxlength="{MAX_PARAGRAPH_CHARS}"' in client.get(w.url("insert", w.working)).get_data(as_text=True)
    assert f'maxlength="{MAX_PARAGRAPH_CHARS}"' in client.get(w.para("edit")).get_data(as_text=True)
    under_silence(w)
    page = client.get(w.url("lifecycle", w.circulated)).get_data(as_text=True)
    assert f'maxlength="{MAX_STATEMENT_CHARS}"' in page


def test_the_filters_of_a_revision_read_unknown_values_as_none(app: Flask, w: World):
    client = app.test_client()
    login(client, w.users["delegate"])
    total = len(load_versions(db.session, w.circulated))
    page = client.get(w.url("", w.circulated), query_string={"status": "bogus", "q": "<Decides>"})
    assert page.status_code == 200
    assert "&lt;Decides&gt;" in page.get_data(as_text=True)  # the words typed stay in the box, escaped
    everything = client.get(w.url("", w.circulated), query_string={"status": "bogus"}).get_data(as_text=True)
    assert everything.count('class="para-row"') == total
    compare = client.get(w.url("compare"), query_string={"from": "x" * 12, "to": str(2**40)})
    assert compare.status_code == 200  # a number that names no revision reads as missing
