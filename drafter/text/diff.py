"""Word-level diffs of two texts.

The one place that talks to diff-match-patch. Each distinct token is mapped to one character
(the library's lines-mode trick applied to words), the encoded strings are diffed, and the
result is decoded into a tuple of frozen operations that the HTML views and the Word writer
share.

The library's timeout would make results depend on machine speed, so stored and exported
diffs run without one but under a fixed amount of work (``WORK_LIMIT``): the same texts give
the same diff on every machine, and two long texts with little in common cannot hold a worker
for minutes. Only the live preview (``preview_diff``) adds a time budget as well.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from diff_match_patch import diff_match_patch

from drafter.text.tokenize import is_word, tokenize


class Op(str, Enum):
    EQUAL = "equal"  #: text in both versions
    DELETE = "delete"  #: text only in the old version
    INSERT = "insert"  #: text only in the new version

    @property
    def is_insert(self) -> bool:
        """Return True for text only in the new version."""
        return self is Op.INSERT

    @property
    def is_delete(self) -> bool:
        """Return True for text only in the old version."""
        return self is Op.DELETE


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One run of text: equal in both versions, deleted from the old or inserted in the new."""

    op: Op
    text: str


@dataclass(frozen=True, slots=True)
class WordDiff:
    """The word diff of two texts, with the counts a reader wants at a glance."""

    ops: tuple[DiffOp, ...]
    #: share of words common to both texts, 0.0 (nothing) to 1.0 (identical)
    similarity: float
    #: False when the work or time budget ran out: the ops are still a correct diff of the two
    #: texts, but coarser than the minimal one (longer deleted and inserted runs)
    exact: bool = True

    @property
    def changed(self) -> bool:
        return any(o.op is not Op.EQUAL for o in self.ops)

    @property
    def old_text(self) -> str:
        return "".join(o.text for o in self.ops if o.op is not Op.INSERT)

    @property
    def new_text(self) -> str:
        return "".join(o.text for o in self.ops if o.op is not Op.DELETE)

    @property
    def inserted_words(self) -> int:
        return sum(len([t for t in tokenize(o.text) if is_word(t)]) for o in self.ops if o.op is Op.INSERT)

    @property
    def deleted_words(self) -> int:
        return sum(len([t for t in tokenize(o.text) if is_word(t)]) for o in self.ops if o.op is Op.DELETE)


#: Below this share of common words a paragraph is shown as one whole replacement: hundreds
#: of fragments of a rewritten paragraph are harder to read than the old and new text.
REWRITE_THRESHOLD = 0.25

#: Cells of the edit graph one diff may visit (Myers' algorithm visits about D² of them for D
#: differing tokens), some 0.25 s of work. Paragraphs stay well within it: a 6,000-character
#: paragraph with half its words changed needs about 320,000. Two 20,000-character texts of
#: shuffled common words would need over 100 million (a minute or more).
WORK_LIMIT = 500_000

_DMP_OPS = {0: Op.EQUAL, -1: Op.DELETE, 1: Op.INSERT}


class _Budget:
    """The work (and optional time) a diff may spend, passed where diff-match-patch wants a deadline.

    The library checks ``time.time() > deadline`` once per step of its search; Python turns that
    into ``deadline.__lt__(now)``, which here counts the cells the step will visit and says
    "expired" when the work or the time runs out. The library then answers that part of the
    diff as one deletion and one insertion, which is still a correct diff.
    """

    def __init__(self, work: int, until: float | None = None) -> None:
        self.left = work
        self.until = until
        self.step = 0
        self.ran_out = False

    def start(self) -> None:
        """Note that a new search begins (its steps widen again from one diagonal)."""
        self.step = 0

    def __lt__(self, now: float) -> bool:
        self.step += 1
        self.left -= 2 * self.step  # the forward and the reverse path each visit ``step`` diagonals
        if self.left < 0 or (self.until is not None and now > self.until):
            self.ran_out = True
        return self.ran_out


class _BoundedDiff(diff_match_patch):
    """diff-match-patch whose search restarts the budget's step count at each bisection."""

    def diff_bisect(self, text1, text2, deadline):  # type: ignore[no-untyped-def]
        if isinstance(deadline, _Budget):
            deadline.start()
        return super().diff_bisect(text1, text2, deadline)


_DMP = _BoundedDiff()
_DMP.Diff_Timeout = 0  # no timeout and no half-match shortcut: the budget bounds the work


def _encode(a: list[str], b: list[str]) -> tuple[str, str, list[str]]:
    """Map each distinct token to one character; return both encodings and the token table."""
    table: list[str] = []
    index: dict[str, int] = {}

    def code(tokens: list[str]) -> str:
        out = []
        for tok in tokens:
            i = index.get(tok)
            if i is None:
                i = index[tok] = len(table)
                table.append(tok)
            n = 0x100 + i
            if n >= 0xD800:  # skip the surrogate block, which cannot stand alone in a str
                n += 0x800
            out.append(chr(n))
        return "".join(out)

    return code(a), code(b), table


def _decode(ch: str, table: list[str]) -> str:
    n = ord(ch)
    if n >= 0xE000:
        n -= 0x800
    return table[n - 0x100]


def token_diff(a: list[str], b: list[str]) -> list[tuple[Op, list[str]]]:
    """Return the diff of two token lists as (op, tokens) runs: minimal unless very long and unalike."""
    return _token_diff(a, b, _Budget(WORK_LIMIT))


def _token_diff(a: list[str], b: list[str], budget: _Budget) -> list[tuple[Op, list[str]]]:
    ea, eb, table = _encode(a, b)
    runs: list[tuple[Op, list[str]]] = []
    for code, chunk in _DMP.diff_main(ea, eb, False, budget):
        runs.append((_DMP_OPS[code], [_decode(c, table) for c in chunk]))
    return runs


def _boundary_score(left: str, right: str) -> int:
    """Score how natural a cut between two tokens is (diff-match-patch's semantic score)."""
    if not left or not right:
        return 6
    l, r = left[-1], right[0]
    if l in "\r\n" or r in "\r\n":
        return 5
    if l in ".;:!?。；：！？" and r.isspace():
        return 4
    if l.isspace() or r.isspace():
        return 3
    if not l.isalnum() or not r.isalnum():
        return 2
    return 0


def _slide(runs: list[tuple[Op, list[str]]]) -> list[tuple[Op, list[str]]]:
    """Slide each lone edit between two equalities to the most natural token boundary.

    "the [+new ]cat" and "the new[+ new] cat" are the same change; readers want the one
    that starts and ends at word boundaries. Works on whole tokens, so a word is never cut.
    """
    runs = [(op, list(toks)) for op, toks in runs]
    for i in range(1, len(runs) - 1):
        (op_a, a), (op_e, e), (op_b, b) = runs[i - 1], runs[i], runs[i + 1]
        if op_a is not Op.EQUAL or op_b is not Op.EQUAL or op_e is Op.EQUAL or not e:
            continue
        # Sliding never changes the tokens a + e + b, only where the edit's window of n lies in
        # them, so positions are enough (moving tokens between lists is quadratic on long runs).
        seq, n = a + e + b, len(e)
        pos = len(a)
        # Shift fully left while the token before the window equals its last token.
        while pos and seq[pos - 1] == seq[pos + n - 1]:
            pos -= 1

        def score(p: int, seq: list[str] = seq, n: int = n) -> int:  # bound now: called within this iteration
            after = seq[p + n] if p + n < len(seq) else ""
            return _boundary_score(seq[p - 1] if p else "", seq[p]) + _boundary_score(seq[p + n - 1], after)

        best, best_pos = score(pos), pos
        # Walk right one token at a time, keeping the best-scoring (rightmost on ties) position.
        while pos + n < len(seq) and seq[pos] == seq[pos + n]:
            pos += 1
            if (s := score(pos)) >= best:
                best, best_pos = s, pos
        runs[i - 1], runs[i], runs[i + 1] = (
            (op_a, seq[:best_pos]),
            (op_e, seq[best_pos : best_pos + n]),
            (op_b, seq[best_pos + n :]),
        )
    return [(op, toks) for op, toks in runs if toks]


#: marks that join the parts of one compound: "71/2", "low-income", "non-binding", "2.5", "State's"
_JOINERS = frozenset("/-\u2010\u2011.'’")


def _joiner(toks: list[str], before: list[str], after: list[str]) -> bool:
    """Return True for one mark joining the words of a compound ("71/2", "low-income")."""
    return (
        len(toks) == 1
        and toks[0] in _JOINERS
        and bool(before) and is_word(before[-1])
        and bool(after) and is_word(after[0])
    )  # fmt: skip


def _group(runs: list[tuple[Op, list[str]]]) -> list[tuple[Op, list[str]]]:
    """Absorb whitespace-only equalities between edits and put deletions before insertions.

    "[-old][+new] [-words][+text]" reads better as "[-old words][+new text]", and
    "[-71][+72]/[-2][+3]" as "[-71/2][+72/3]": a compound is not cut at its joining mark.
    """
    out: list[tuple[Op, list[str]]] = []
    pending_del: list[str] = []
    pending_ins: list[str] = []
    have_edit = False

    def flush() -> None:
        nonlocal pending_del, pending_ins, have_edit
        if pending_del:
            out.append((Op.DELETE, pending_del))
        if pending_ins:
            out.append((Op.INSERT, pending_ins))
        pending_del, pending_ins, have_edit = [], [], False

    for i, (op, toks) in enumerate(runs):
        if op is Op.EQUAL:
            later_edit = i + 1 < len(runs)
            joins = all(t.isspace() for t in toks) or (
                later_edit and _joiner(toks, pending_del, runs[i + 1][1]) and _joiner(toks, pending_ins, runs[i + 1][1])
            )
            if have_edit and later_edit and joins and pending_del and pending_ins:
                pending_del.extend(toks)
                pending_ins.extend(toks)
                continue
            flush()
            out.append((op, list(toks)))
        else:
            have_edit = True
            (pending_del if op is Op.DELETE else pending_ins).extend(toks)
    flush()
    return out


def _similarity(runs: list[tuple[Op, list[str]]], n_old: int, n_new: int) -> float:
    if n_old + n_new == 0:
        return 1.0
    common = sum(1 for op, toks in runs if op is Op.EQUAL for t in toks if is_word(t))
    return 2.0 * common / (n_old + n_new)


#: Diffs kept per process: a compilation of a large negotiation shows some 6,000 (each entry
#: holds two paragraphs and their runs, a few kilobytes).
@lru_cache(maxsize=16384)
def word_diff(old: str, new: str) -> WordDiff:
    """Return the word-level diff of two texts (the same on every machine)."""
    return _word_diff(old, new, _Budget(WORK_LIMIT))


def preview_diff(old: str, new: str, *, seconds: float) -> WordDiff:
    """Return the word diff of two texts, coarser (``exact`` False) if it takes over ``seconds``."""
    return _word_diff(old, new, _Budget(WORK_LIMIT, time.time() + seconds))


def _word_diff(old: str, new: str, budget: _Budget) -> WordDiff:
    if old == new:
        ops = (DiffOp(Op.EQUAL, old),) if old else ()
        return WordDiff(ops, 1.0)
    a, b = tokenize(old), tokenize(new)
    words_a = Counter(t for t in a if is_word(t))
    words_b = Counter(t for t in b if is_word(t))
    n_old, n_new = words_a.total(), words_b.total()
    if n_old + n_new and not words_a & words_b:  # no word in common: similarity 0, a whole replacement
        runs: list[tuple[Op, list[str]]] = [(Op.DELETE, a), (Op.INSERT, b)]
    else:
        runs = _token_diff(a, b, budget)
    similarity = _similarity(runs, n_old, n_new)
    if similarity < REWRITE_THRESHOLD:
        ops = tuple(DiffOp(op, text) for op, text in ((Op.DELETE, old), (Op.INSERT, new)) if text)
        return WordDiff(ops, similarity, not budget.ran_out)
    runs = _group(_slide(runs))
    ops = tuple(DiffOp(op, "".join(toks)) for op, toks in runs if toks)
    return WordDiff(ops, similarity, not budget.ran_out)
