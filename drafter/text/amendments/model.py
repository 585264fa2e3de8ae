"""What amendments are made of: targets, instructions, and the changes and problems they lead to."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from enum import StrEnum

from drafter.text.ordinals import ordinal_word
from drafter.text.structure import Kind


class Action(StrEnum):
    DELETE_PARAGRAPH = "delete_paragraph"  #: delete the target paragraph
    REPLACE_PARAGRAPH = "replace_paragraph"  #: the target's whole text becomes ``text``
    INSERT_PARAGRAPH_AFTER = "insert_paragraph_after"  #: new paragraph ``text`` after the target
    INSERT_PARAGRAPH_BEFORE = "insert_paragraph_before"  #: new paragraph ``text`` before the target
    DELETE_WORDS = "delete_words"  #: delete ``words``
    REPLACE_WORDS = "replace_words"  #: replace ``words`` with ``text``
    INSERT_AFTER_WORDS = "insert_after_words"  #: insert ``text`` after ``words``
    INSERT_BEFORE_WORDS = "insert_before_words"  #: insert ``text`` before ``words``
    ADD_AT_END = "add_at_end"  #: add ``text`` at the end, before the closing punctuation
    ADD_AT_BEGINNING = "add_at_beginning"  #: add ``text`` at the beginning


class ChangeKind(StrEnum):
    AMEND = "amend"  #: the paragraph's new text (word edits and replacements, composed)
    DELETE = "delete"  #: delete the paragraph
    INSERT_AFTER = "insert_after"  #: a new paragraph after the keyed one
    INSERT_BEFORE = "insert_before"  #: a new paragraph before the keyed one (only the first)
    TITLE = "title"  #: the document's new title (key None)


#: ``Target.number`` of "the last preambular paragraph"
LAST = -1
#: ``Instruction.occurrence`` of "wherever it appears"
ALL = -1

_PARAGRAPH_ACTIONS = frozenset(
    {Action.DELETE_PARAGRAPH, Action.REPLACE_PARAGRAPH, Action.INSERT_PARAGRAPH_AFTER, Action.INSERT_PARAGRAPH_BEFORE}
)


@dataclass(frozen=True, slots=True)
class Target:
    """A paragraph as an amendment names it: "the third preambular paragraph", "OP 4 (b)"."""

    kind: Kind  #: PREAMBULAR or OPERATIVE
    number: int  #: operative number, preambular ordinal (1 = the first), or LAST
    subparagraph: str = ""  #: "(b)" or "(b)(ii)"; "" for the paragraph itself
    #: "throughout the text": every paragraph that holds the instruction's words
    everywhere: bool = False

    def describe(self) -> str:
        """Return the target as a reader names it: "the third preambular paragraph"."""
        if self.everywhere:
            return "the text"
        if self.kind is Kind.PREAMBULAR:
            which = "last" if self.number == LAST else ordinal_word(self.number)
            base = f"the {which} preambular paragraph"
            return f"subparagraph {self.subparagraph} of {base}" if self.subparagraph else base
        base = "the last operative paragraph" if self.number == LAST else f"operative paragraph {self.number}"
        return f"{base} {self.subparagraph}" if self.subparagraph else base


@dataclass(frozen=True, slots=True)
class Instruction:
    """One edit of one paragraph, as read from an amendment document."""

    action: Action
    target: Target
    #: the quoted words the edit looks for (delete, replace, insert before or after); else ""
    words: str = ""
    #: the new words, or the new paragraph's whole text
    text: str = ""
    #: the kind of a new paragraph (insertions only)
    new_kind: Kind | None = None
    #: which occurrence of ``words``: 0 = they must occur once, n = the n-th, ALL = every one
    occurrence: int = 0
    #: the sentence of the amendment document this was read from
    source: str = ""
    #: "..., including in the title": the instruction also names the title
    including_title: bool = False


@dataclass(frozen=True, slots=True)
class ParsedAmendments:
    instructions: list[Instruction]
    #: sentences that look like instructions but match no known form, as in the document
    unparsed: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TargetParagraph:
    """One paragraph of the draft an amendment is applied to."""

    key: Hashable  #: the caller's identity for the paragraph (its lineage id)
    kind: Kind
    #: operative number; preambular ordinal (0 = count preambular paragraphs in order); else 0
    number: int
    text: str
    #: "(b)" or "(b)(ii)" for a subparagraph (kind SUBPARAGRAPH, under the paragraph before it)
    subparagraph: str = ""


@dataclass(frozen=True, slots=True)
class ProposedChange:
    """What the instructions do to one paragraph of the draft."""

    kind: ChangeKind
    key: Hashable  #: the target paragraph's key (for insertions: the paragraph to insert after)
    text: str = ""  #: the amended text, or the new paragraph's text
    new_kind: Kind | None = None  #: the new paragraph's kind (insertions only)
    instructions: tuple[Instruction, ...] = ()
    #: what the reader should check: "found by its words in PP5, not in the paragraph the number names"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """An instruction that could not be applied, and why."""

    instruction: Instruction
    message: str


Outcome = ProposedChange | Problem


#: the target of "throughout the text": every paragraph that holds the words
EVERYWHERE = Target(Kind.OPERATIVE, 0, everywhere=True)
