"""Paragraph text as people type it: footnote references written ``[^12]``, new ones ``[new footnote: ...]``.

Stored text holds a marker for each footnote (``text.footnotes``), which nobody can type. Every
form that edits a paragraph's text (the editor, a proposal, a decision with changes) shows the
text with each reference as ``[^N]``, N the footnote's number in its revision as the pages
print it, and reads what comes back through ``read_typed``: the references it still holds keep
their footnotes, a reference removed removes its footnote, and ``[new footnote: ...]`` adds one.
"""

from __future__ import annotations

from collections.abc import Mapping

from drafter.drafting.models import ParagraphVersion
from drafter.errors import InvalidInput
from drafter.text import footnotes

#: what the forms say under a paragraph's text box
HINT = "A footnote reference stands as [^12]; add a footnote with [new footnote: its text]."


def note_numbers(version: ParagraphVersion | None) -> dict[int, int]:
    """Return the numbers its revision prints on the footnotes of ``version``, by marker id."""
    if version is None or not footnotes.has_markers(version.text):
        return {}
    versions = sorted(version.revision.versions, key=lambda v: v.position)
    for v, numbers in zip(versions, footnotes.numbering(v.text for v in versions)):
        if v.id == version.id:
            return numbers
    return {}


def editable(text: str, notes: Mapping[int, str], numbers: Mapping[int, int]) -> str:
    """Return ``text`` as a form shows it: ``[^N]`` for a numbered footnote, the others written out."""
    if not footnotes.has_markers(text):
        return text
    out: list[str] = []
    for piece in footnotes.pieces(text):
        if isinstance(piece, str):
            out.append(piece)
        elif piece in numbers:
            out.append(f"[^{numbers[piece]}]")
        else:
            out.append(f"[new footnote: {notes.get(piece, '')}]")
    return "".join(out)


def editable_version(version: ParagraphVersion) -> str:
    """Return a paragraph's text as the forms show it."""
    return editable(version.text, version.notes, note_numbers(version))


def read_typed(typed: str, notes: Mapping[int, str], numbers: Mapping[int, int]) -> footnotes.Edited:
    """Return typed text with its references made markers, or raise InvalidInput naming the first problem."""
    edited = footnotes.from_editable(typed, notes, numbers)
    if edited.problems:
        raise InvalidInput(edited.problems[0])
    return edited
