"""Parse formal UN amendment documents and apply them to the paragraphs of a draft.

API
---
``parse_amendments(text: str) -> ParsedAmendments``
    ``ParsedAmendments(instructions: list[Instruction], unparsed: list[str])``. Masthead,
    sponsor and title lines are skipped; footnotes (after a ``____`` rule, or ``* ...`` lines)
    are dropped. ``unparsed`` holds the sentences that start like an instruction ("In ...
    paragraph", "Delete", "Replace" ...) or name an operative/preambular paragraph next to an
    edit verb, but match no known form: they are reported, never guessed at.
``Instruction(action, target, words="", text="", new_kind=None, occurrence=0, source="")``
    one ``Action`` on one ``Target(kind, number, subparagraph="")`` (kind PREAMBULAR or
    OPERATIVE; number: operative number, preambular ordinal, or ``LAST``; subparagraph "(b)",
    "(b)(ii)"). ``words``: the quoted words looked for; ``text``: the new words or the new
    paragraph; ``new_kind``: the kind of an inserted paragraph; ``occurrence``: 0 = the words
    must occur once, n = the n-th, ``ALL`` = each; ``source``: the sentence, as written.
``apply_amendments(instructions, paragraphs: Sequence[TargetParagraph]) -> list[Outcome]``
    ``TargetParagraph(key, kind, number, text, subparagraph="")``: the draft the amendment
    names, numbered as printed (so insertions never renumber); preambular number 0 = count
    in order; a SUBPARAGRAPH belongs to the paragraph before it. Each ``Outcome`` is a
    ``ProposedChange(kind, key, text="", new_kind=None, instructions=())`` or a
    ``Problem(instruction, message)``, in the order the instructions first touch a paragraph:
    AMEND (every word edit and replacement on one paragraph composed, in order, on the
    evolving text: one change), DELETE, INSERT_AFTER (new paragraph ``text`` of ``new_kind``
    after ``key``; after a paragraph's own subparagraphs; several after one key come in
    reading order), INSERT_BEFORE (only before the very first paragraph).

Forms (English; lists "1." and "(a)"; straight or curly quotes, nested curly quotes; text
wrapped over lines; the new text quoted, or after "reading:" in the blocks that follow):
  In the fourteenth preambular paragraph, replace "A" with "B" (also "by"; "the words ...")
  In operative paragraph 5 (b), delete "A" / after the words "A", insert "B" / insert "B" before "A"
  In operative paragraphs 2 and 4, delete "A", the second time it appears / wherever it appears
  In operative paragraph 3: (a) replace "A" with "B"; (b) delete "C"
  At the end of operative paragraph 7, add "A" (also: at the beginning; add "A" at the end)
  After operative paragraph 3, insert a new (operative) paragraph reading: ... (also: before)
  Insert the following new preambular paragraph after the fifth preambular paragraph: ...
  Delete the third preambular paragraph and operative paragraph 2; operative paragraphs 4 to 6
  Replace operative paragraph 9 with the following: ...; Amend operative paragraph 9 to read: ...
  Delete "A" from operative paragraph 2; Replace "A" with "B" in the third preambular paragraph
Targets: preambular paragraphs by ordinal ("third", "28th", "last"), operative by number,
lists and ranges, subparagraphs ("subparagraph (b) of operative paragraph 4"), "PP3", "OP5".

Words match exactly but for whitespace, straight versus curly quotes and apostrophes (single
and double alike, for nested quotations), hyphen variants, and footnote markers ("Court*" in
an amendment finds "Court11" in the draft). Words not found, or found more than once when the
instruction does not say which, are reported. Added words go before a paragraph's closing
punctuation unless they bring their own.
"""

from __future__ import annotations

from drafter.text.amendments.apply import apply_amendments
from drafter.text.amendments.model import (
    ALL,
    LAST,
    Action,
    ChangeKind,
    Instruction,
    Outcome,
    ParsedAmendments,
    Problem,
    ProposedChange,
    Target,
    TargetParagraph,
)
from drafter.text.amendments.parse import parse_amendments

__all__ = [
    "ALL",
    "LAST",
    "Action",
    "ChangeKind",
    "Instruction",
    "Outcome",
    "ParsedAmendments",
    "Problem",
    "ProposedChange",
    "Target",
    "TargetParagraph",
    "apply_amendments",
    "parse_amendments",
]
