"""The co-facilitators' editor as a page and as answers that change it in place.

The page lists every paragraph of the working revision with its tools. A tool used from the page
with editor.js asks for JSON (``Accept: application/json``): the answer carries only the rows
that now read differently (the paragraph changed, and those renumbered or whose footnotes were
renumbered by an insertion, a move, a deletion or a change of kind), the order of all rows, and
the message; the browser swaps those rows instead of reloading a page of several hundred
kilobytes. Without JavaScript the same forms redirect back to the page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping
from typing import Any

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from drafter.auth.permissions import abilities
from drafter.auth.sessions import user
from drafter.drafting.forms import (
    KIND_CHOICES,
    BulkStatusForm,
    DeleteForm,
    GoToForm,
    KindForm,
    MoveForm,
    StatusForm,
    column_size,
    kind_value,
)
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Negotiation, ParagraphVersion, Revision, Status
from drafter.drafting.present import ParagraphRow, paragraph_rows
from drafter.drafting.queries import load_versions, zero_draft_refs
from drafter.extensions import db


def in_place() -> bool:
    """Return True when the request comes from editor.js and wants the changed rows as JSON."""
    return request.accept_mimetypes.best == "application/json"


@dataclasses.dataclass(frozen=True)
class Tools:
    """What the tools of one paragraph in the editor show: its values, or what was sent when refused."""

    status: Status
    note: str
    kind: str  #: the "kind:level" choice selected
    messages: dict[str, list[str]]  #: a refusal's messages, by tool: "status", "kind", "move", "delete"


#: the editor's tool that each paragraph form is
_TOOL = {StatusForm: "status", KindForm: "kind", MoveForm: "move", DeleteForm: "delete"}


def _tools(v: ParagraphVersion, refusal: FlaskForm | None = None) -> Tools:
    tools = Tools(status=v.status, note=v.status_note, kind=kind_value(v.kind, v.level), messages={})
    if refusal is None or type(refusal) not in _TOOL:
        return tools
    sent: dict[str, Any] = {"messages": {_TOOL[type(refusal)]: [m for ms in refusal.errors.values() for m in ms]}}
    if isinstance(refusal, StatusForm):
        sent.update(status=refusal.status.data or v.status, note=refusal.note.data or "")
    if isinstance(refusal, KindForm) and refusal.kind.raw_data:
        sent.update(kind=refusal.kind.raw_data[0])
    return dataclasses.replace(tools, **sent)


@dataclasses.dataclass
class Editor:
    """The editor's rows and what every row needs to be printed."""

    negotiation: Negotiation
    revision: Revision
    rows: list[ParagraphRow]
    tools: dict[int, Tools]
    zero_refs: dict[int, str]
    zero_label: str

    @classmethod
    def of(cls, n: Negotiation, rev: Revision, refusal: tuple[int, FlaskForm] | None = None) -> Editor:
        versions = load_versions(db.session, rev)
        rows = paragraph_rows(versions, revision_refs(versions))
        refused_id, form = refusal or (None, None)
        tools = {
            r.version.paragraph_id: _tools(r.version, form if r.version.paragraph_id == refused_id else None)
            for r in rows
        }
        zero_refs, zero_label = zero_draft_refs(db.session, rev)
        return cls(n, rev, rows, tools, zero_refs, zero_label)

    def context(self) -> dict[str, Any]:
        return {
            "negotiation": self.negotiation,
            "revision": self.revision,
            "rows": self.rows,
            "tools": self.tools,
            "zero_refs": self.zero_refs,
            "zero_label": self.zero_label,
            "statuses": list(Status),
            "kinds": [(kind_value(k, lvl), label) for k, lvl, label in KIND_CHOICES],
            "note_max": column_size(ParagraphVersion.status_note),
            "notice": None,
        }

    def keys(self) -> dict[int, Hashable]:
        """Return what each row prints that can change, by lineage id: a row whose key changed is sent again."""
        return {
            r.version.paragraph_id: (
                r.version.version,
                r.ref,
                r.number,
                tuple(r.numbers.items()),
                self.zero_refs.get(r.version.paragraph_id),
            )
            for r in self.rows
        }

    def row_html(self, paragraph_id: int, notice: str | None = None) -> str:
        index = next(i for i, r in enumerate(self.rows) if r.version.paragraph_id == paragraph_id)
        return render_template(
            "drafting/_editor_row.html",
            **{
                **self.context(),
                "row": self.rows[index],
                "first": index == 0,
                "last": index == len(self.rows) - 1,
                "notice": (paragraph_id, notice) if notice else None,
            },
        )

    def has(self, paragraph_id: int) -> bool:
        return any(r.version.paragraph_id == paragraph_id for r in self.rows)


def editor_page(
    n: Negotiation,
    rev: Revision,
    refusal: tuple[int, FlaskForm] | None = None,
    goto: GoToForm | None = None,
    bulk: BulkStatusForm | None = None,
):
    """Render the whole editor, a refused paragraph tool's messages beside it and atop the page."""
    editor = Editor.of(n, rev, refusal)
    refused_id = refusal[0] if refusal else None
    summary = [
        (r.ref, m)
        for r in editor.rows
        if r.version.paragraph_id == refused_id
        for ms in editor.tools[refused_id].messages.values()
        for m in ms
    ]
    return render_template(
        "drafting/editor.html",
        **editor.context(),
        summary=summary,
        may=abilities(user(), n),
        goto=goto or GoToForm(formdata=None),
        bulk=bulk or BulkStatusForm(formdata=None),
    )


def remember_rows(rev: Revision) -> None:
    """Keep what each row printed before a change, to send after it only the rows that changed."""
    if in_place():
        g.editor_before = Editor.of(rev.negotiation, rev).keys()


def answer(rev: Revision, paragraph_id: int | None = None, message: str | None = None, *, status: int = 200):
    """Answer a change that succeeded: the changed rows as JSON for editor.js, else back to the editor at the row.

    The screens of a reading open on the revision are told, so the room shows the change too.
    """
    from drafter.room import services as room  # the room follows the editor (a call upward, at run time)

    room.follow_the_editor(db.session, user(), rev, message or "The text was changed.", paragraph_id)
    if not in_place():
        if message:
            flash(message, "success")
        anchor = f"#p{paragraph_id}" if paragraph_id else ""
        return redirect(url_for("drafting.editor", slug=rev.negotiation.slug, seq=rev.seq) + anchor)
    editor = Editor.of(rev.negotiation, rev)
    before: Mapping[int, Hashable] = g.get("editor_before", {})
    changed = [pid for pid, key in editor.keys().items() if before.get(pid) != key]
    return rows_answer(editor, changed, message=message, focus=paragraph_id, status=status)


def rows_answer(
    editor: Editor,
    paragraph_ids: list[int],
    *,
    message: str | None = None,
    error: str | None = None,
    focus: int | None = None,
    notice: tuple[int, str] | None = None,
    slot: tuple[int | None, str] | None = None,
    status: int = 200,
):
    """Return the JSON editor.js applies: rows to swap, the order of every row, a message, a form to open."""
    rows = {
        f"p{pid}": editor.row_html(pid, notice[1] if notice and notice[0] == pid else None)
        for pid in dict.fromkeys(paragraph_ids)
        if editor.has(pid)
    }
    body: dict[str, Any] = {
        "ok": status < 400,
        "rows": rows,
        "order": [f"p{r.version.paragraph_id}" for r in editor.rows],
        "message": message or "",
        "error": error or "",
        "focus": f"p{focus}" if focus is not None and editor.has(focus) else None,
    }
    if slot is not None:
        body["slot"] = {"row": f"p{slot[0]}" if slot[0] is not None else None, "html": slot[1]}
    return jsonify(body), status


def form_messages(form: FlaskForm) -> str:
    """Return a refused form's messages as one sentence for the editor's live message."""
    messages = [*form.form_errors, *(m for ms in form.errors.values() for m in ms if isinstance(m, str))]
    return " ".join(dict.fromkeys(messages))
