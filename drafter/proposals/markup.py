"""The compilation's proposals as HTML, printed in Python.

A compilation prints some thousands of proposals. Through the template each one cost some
thirty attribute lookups, escapes and macro calls (two fifths of the page at 2,000 proposals);
here each is one function call that builds the same HTML from the view, with every text
escaped. The page's layout around them stays in ``templates/proposals/compilation.html``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from drafter.auth.models import Delegation
from drafter.auth.permissions import Abilities
from drafter.proposals.models import Stance
from drafter.proposals.queries import ProposalView
from drafter.text.diff import DiffOp, Op
from drafter.web import footnoted

#: how each kind of run opens and closes, as the ``diff`` macro of _macros.html prints it
_RUNS = {
    Op.INSERT: ('<ins><span class="sr-only">[inserted: </span>', '<span class="sr-only">]</span></ins>'),
    Op.DELETE: ('<del><span class="sr-only">[deleted: </span>', '<span class="sr-only">]</span></del>'),
    Op.EQUAL: ("", ""),
}


def diff_html(ops: Sequence[DiffOp]) -> Markup:
    """Return a proposal's diff as the ``diff`` macro prints it, in one call."""
    runs = "".join(f"{_RUNS[o.op][0]}{footnoted(o.text)}{_RUNS[o.op][1]}" for o in ops)
    return Markup(f'<span class="diff">{runs}</span>')


@dataclass(frozen=True)
class Viewer:
    """Who reads the compilation and what they may do under each proposal."""

    may: Abilities
    own: Delegation | None
    csrf_token: str
    #: where a position form sends the reader back to (the page with its filters)
    next_path: str
    detail_url: Callable[[int], str]
    position_url: Callable[[int], str]
    decide_url: Callable[[int], str]


def _actions(pv: ProposalView, viewer: Viewer) -> str:
    p = pv.proposal
    out = []
    if viewer.may.take_position(p):
        mine = pv.stance_of(viewer.own)
        buttons = "".join(
            f'<button class="button small{" primary" if mine is s else ""}" name="stance" value="{s.value}"'
            f' aria-pressed="{"true" if mine is s else "false"}">{s.verb}</button>'
            for s in Stance
        )
        if mine is not None and viewer.own is not None:
            buttons += (
                f' <span class="muted small">{escape(viewer.own.name)} has {mine.past} it.</span>'
                ' <button class="button small" name="stance" value="">Withdraw our position</button>'
            )
        out.append(
            f'<form method="post" action="{viewer.position_url(p.id)}" class="inline">'
            f'<input type="hidden" name="csrf_token" value="{escape(viewer.csrf_token)}">'
            f'<input type="hidden" name="next" value="{escape(viewer.next_path)}#proposal-{p.id}">'
            f"{buttons}</form>"
        )
    if viewer.may.decide and p.state.is_open_to_decision:
        out.append(f'<a class="button small" href="{viewer.decide_url(p.id)}">Decide</a>')
    return " ".join(out)


def proposal_html(pv: ProposalView, viewer: Viewer) -> Markup:
    """Return one proposal of the compilation: who made it, its kind and state, its diff, the
    justification and decision, and what the viewer may do on it."""
    p = pv.proposal
    body = (
        '<p class="retain">Retain the paragraph as it stands.</p>'
        if p.kind.is_retain
        else f'<div class="para" dir="auto">{diff_html(pv.diff.ops)}</div>'
    )
    justification = f'<p class="justification" dir="auto">{escape(p.justification)}</p>' if p.justification else ""
    decision = pv.decision
    note = f'<p class="decision-note">Co-facilitators: {escape(decision)}</p>' if decision else ""
    return Markup(
        f'<div class="proposal state-{p.state.value}" id="proposal-{p.id}">'
        f'<p class="attribution"><strong>{escape(pv.attribution)}:</strong> '
        f'<span class="tag">{escape(p.kind.label)}</span> <span class="tag">{escape(p.state.label)}</span> '
        f'<a href="{viewer.detail_url(p.id)}">#{p.id}</a></p>'
        f"{body}{justification}{note}"
        f'<div class="proposal-actions">{_actions(pv, viewer)}</div></div>'
    )
