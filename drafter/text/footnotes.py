"""Footnotes as data: a marker in the paragraph's text for each reference, the notes beside it.

A paragraph's text holds one marker character where each footnote reference stands; the
marker names the footnote by an id that is the paragraph's own (1, 2 ... in the order the notes
were first seen, kept while the paragraph lives). The notes are a mapping id → text. Numbers
("footnote 12") are not stored: they are derived from the order of the markers in the whole
document (``numbering``), so a footnote that moves from 12 to 14 because two came before it is
not a change of the paragraph, while a footnote added, removed or rewritten is.

The markers are characters of Unicode's private use area (U+E001 onwards), one token each for
the word diff, never typed by anyone. In text that people edit, a reference is written ``[^12]``
(the footnote's number as printed) and a new footnote ``[new footnote: text]``
(``drafting.editable`` writes them, ``from_editable`` reads them back).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from drafter.text.diff import WordDiff, word_diff

FIRST_MARKER = 0xE001
LAST_MARKER = 0xF8FF
MAX_NOTES = LAST_MARKER - FIRST_MARKER + 1  #: footnotes one paragraph can hold
MAX_NOTE_CHARS = 5_000  #: the longest footnote text taken

MARKERS = re.compile("[\ue001-\uf8ff]")
#: a reference as typed, "[^12]", or a new footnote, "[new footnote: text]"; the spaces before it
#: go, since a reference stands against the word it follows
_EDITABLE = re.compile(
    r"[ \t\u00a0]*(?:\[\^\s*(\d{1,5})\s*\]|\[\s*new\s+footnote\s*:\s*((?:[^\[\]]|\[[^\[\]]*\])*?)\s*\])", re.I
)

Notes = dict[int, str]


def marker(note_id: int) -> str:
    """Return the marker character of footnote ``note_id`` (1 ...)."""
    if not 1 <= note_id <= MAX_NOTES:
        raise ValueError(f"footnote id out of range: {note_id}")
    return chr(FIRST_MARKER + note_id - 1)


def marker_id(char: str) -> int | None:
    """Return the footnote id a marker character names, or None for any other character."""
    code = ord(char) if len(char) == 1 else -1
    return code - FIRST_MARKER + 1 if FIRST_MARKER <= code <= LAST_MARKER else None


def ids_in(text: str) -> list[int]:
    """Return the ids of the footnote markers in ``text``, in order."""
    return [ord(m.group()) - FIRST_MARKER + 1 for m in MARKERS.finditer(text)]


def has_markers(text: str) -> bool:
    return MARKERS.search(text) is not None


def strip(text: str) -> str:
    """Return ``text`` without its footnote markers."""
    return MARKERS.sub("", text)


def loads(value: object) -> Notes:
    """Return the notes stored in a JSON column: {"1": "text"}; anything else gives no notes.

    A list (how notes were kept before they had ids) is read as ids 1, 2 ... in its order.
    """
    if isinstance(value, dict):
        out: Notes = {}
        for key, text in value.items():
            try:
                note_id = int(key)
            except (TypeError, ValueError):
                continue
            if 1 <= note_id <= MAX_NOTES and isinstance(text, str):
                out[note_id] = text
        return out
    if isinstance(value, list):
        return {i: str(t) for i, t in enumerate(value, start=1) if i <= MAX_NOTES}
    return {}


def dumps(notes: Mapping[int, str]) -> dict[str, str]:
    """Return the notes as stored: string keys in id order."""
    return {str(k): notes[k] for k in sorted(notes)}


def used(text: str, notes: Mapping[int, str]) -> Notes:
    """Return the notes ``text`` refers to (a note whose marker was deleted goes with it)."""
    present = set(ids_in(text))
    return {k: v for k, v in notes.items() if k in present}


def next_id(*taken: Iterable[int]) -> int:
    """Return an id no note of ``taken`` has."""
    return max((k for ids in taken for k in ids), default=0) + 1


def numbering(texts: Iterable[str], start: int = 1) -> list[dict[int, int]]:
    """Return, for each text in document order, its footnote ids → numbers as printed (1, 2 ...)."""
    n = start
    out: list[dict[int, int]] = []
    for text in texts:
        numbers: dict[int, int] = {}
        for note_id in ids_in(text):
            if note_id not in numbers:
                numbers[note_id] = n
                n += 1
        out.append(numbers)
    return out


def renumber(text: str, notes: Mapping[int, str], start: int = 1) -> tuple[str, Notes]:
    """Return ``text`` and ``notes`` with ids 1, 2 ... in the order of the markers; unused notes dropped."""
    mapping: dict[int, int] = {}
    for note_id in ids_in(text):
        mapping.setdefault(note_id, start + len(mapping))
    return _remap(text, mapping), {mapping[k]: v for k, v in notes.items() if k in mapping}


def rebase(
    text: str, notes: Mapping[int, str], base: Mapping[int, str], target: Mapping[int, str]
) -> tuple[str, Notes]:
    """Return ``text`` and ``notes`` with each note that ``base`` did not have given an id ``target`` lacks.

    A proposal's new footnotes are numbered from its base paragraph; by the time it is folded
    into the working revision, another proposal may have taken those ids.
    """
    fresh = next_id(base, target, notes)
    mapping: dict[int, int] = {}
    for note_id in ids_in(text):
        if note_id in mapping:
            continue
        if note_id in base or note_id not in notes:
            mapping[note_id] = note_id
        else:
            mapping[note_id] = fresh
            fresh += 1
    return _remap(text, mapping), {mapping[k]: v for k, v in notes.items() if k in mapping}


def _remap(text: str, mapping: Mapping[int, int]) -> str:
    def swap(m: re.Match[str]) -> str:
        note_id = ord(m.group()) - FIRST_MARKER + 1
        return marker(mapping.get(note_id, note_id))

    return MARKERS.sub(swap, text)


def match_ids(notes: Mapping[int, str], text: str, earlier: Mapping[int, str]) -> tuple[str, Notes]:
    """Return ``text`` and ``notes`` with ids taken from ``earlier`` where a note's text is the same.

    An imported revision numbers its notes afresh; matching them with the paragraph's notes in
    the revision before keeps a footnote's id, so the comparison sees only what changed. Notes
    that match no earlier one keep their order, after the highest id in use.
    """
    by_text: dict[str, list[int]] = {}
    for k in sorted(earlier):
        by_text.setdefault(" ".join(earlier[k].split()), []).append(k)
    mapping: dict[int, int] = {}
    for note_id in ids_in(text):
        if note_id in mapping or note_id not in notes:
            continue
        same = by_text.get(" ".join(notes[note_id].split()))
        if same:
            mapping[note_id] = same.pop(0)
    # Unmatched notes keep the ids of the earlier notes that went, in order, when those are free.
    free = [k for k in sorted(earlier) if k not in mapping.values()]
    fresh = next_id(earlier)
    for note_id in ids_in(text):
        if note_id in mapping or note_id not in notes:
            continue
        if free:
            mapping[note_id] = free.pop(0)
        else:
            mapping[note_id] = fresh
            fresh += 1
    return _remap(text, mapping), {mapping[k]: v for k, v in notes.items() if k in mapping}


@dataclass(frozen=True, slots=True)
class NoteChange:
    """A footnote of a paragraph that is not the same in two versions."""

    note_id: int
    old: str | None  #: None when the footnote was added
    new: str | None  #: None when it was removed

    @property
    def label(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"

    @property
    def diff(self) -> WordDiff:
        """Return the word diff of the footnote's text, old → new."""
        return word_diff(self.old or "", self.new or "")


def changes(
    old_text: str, old_notes: Mapping[int, str], new_text: str, new_notes: Mapping[int, str]
) -> list[NoteChange]:
    """Return the footnotes added, removed or rewritten between two versions of a paragraph, in order.

    A footnote is compared by its id: its number in the document does not count.
    """
    old = used(old_text, old_notes)
    new = used(new_text, new_notes)
    order = list(dict.fromkeys([*ids_in(new_text), *ids_in(old_text)]))
    out = []
    for note_id in order:
        before, after = old.get(note_id), new.get(note_id)
        if before is None and after is None:
            continue
        if before is None or after is None or " ".join(before.split()) != " ".join(after.split()):
            out.append(NoteChange(note_id, before, after))
    return out


def neutral(text: str) -> str:
    """Return ``text`` with every marker the same character: for comparing texts whose notes are numbered apart."""
    return MARKERS.sub(chr(FIRST_MARKER), text)


def translate(
    file_old: str, file_new: str, file_notes: Mapping[int, str], base_text: str, base_notes: Mapping[int, str]
) -> tuple[str, Notes]:
    """Return a delegation's new text with the ids of ``base_text``'s notes, and the notes it names.

    A file numbers its notes apart: the k-th marker of its old text is the k-th of the base
    paragraph (the texts were matched). Markers the file added take ids the base does not use,
    with the file's notes; a kept note whose text the file changed takes the file's text.
    """
    mapping = dict(zip(ids_in(file_old), ids_in(base_text)))
    fresh = next_id(base_notes, mapping.values())
    notes: Notes = {}
    for file_id in ids_in(file_new):
        if file_id not in mapping:
            mapping[file_id] = fresh
            fresh += 1
        target = mapping[file_id]
        if target in notes:
            continue
        mine = file_notes.get(file_id)
        notes[target] = mine if mine is not None and mine.strip() else base_notes.get(target, mine or "")
    return _remap(text=file_new, mapping=mapping), notes


@dataclass(frozen=True, slots=True)
class Edited:
    """Typed text read back: markers in place of ``[^N]`` and ``[new footnote: ...]``."""

    text: str
    notes: Notes
    problems: tuple[str, ...] = ()


def from_editable(typed: str, notes: Mapping[int, str], numbers: Mapping[int, int]) -> Edited:
    """Read ``[^N]`` references (N as printed, from ``numbers``) and ``[new footnote: ...]`` in typed text.

    A reference to a number the paragraph does not have is a problem, named; markers already in
    the text (pasted from a page) are kept when they name one of ``notes``, else dropped.
    """
    by_number = {n: k for k, n in numbers.items() if k in notes}
    out_notes: Notes = {}
    problems: list[str] = []
    fresh = next_id(notes)

    def put(m: re.Match[str]) -> str:
        nonlocal fresh
        if m.group(1) is not None:
            note_id = by_number.get(int(m.group(1)))
            if note_id is None:
                problems.append(f"There is no footnote {int(m.group(1))} in this paragraph: “{m.group()}”.")
                return m.group()
            out_notes[note_id] = notes[note_id]
            return marker(note_id)
        body = " ".join(m.group(2).split())
        if not body:
            problems.append("A new footnote needs its text: [new footnote: …].")
            return m.group()
        if len(body) > MAX_NOTE_CHARS:
            problems.append(f"A footnote can have at most {MAX_NOTE_CHARS:,} characters.")
            return m.group()
        if fresh > MAX_NOTES:
            problems.append("This paragraph cannot take more footnotes.")
            return m.group()
        out_notes[fresh] = body
        fresh += 1
        return marker(fresh - 1)

    def keep(m: re.Match[str]) -> str:
        note_id = marker_id(m.group())
        if note_id in notes:
            out_notes[note_id] = notes[note_id]
            return m.group()
        return ""

    text = _EDITABLE.sub(put, MARKERS.sub(keep, typed))
    return Edited(text, out_notes, tuple(problems))


def pieces(text: str) -> list[str | int]:
    """Return ``text`` split at its markers: strings of words, and the ids of the markers between."""
    out: list[str | int] = []
    at = 0
    for m in MARKERS.finditer(text):
        if m.start() > at:
            out.append(text[at : m.start()])
        out.append(ord(m.group()) - FIRST_MARKER + 1)
        at = m.end()
    if at < len(text):
        out.append(text[at:])
    return out


def inline(text: str, notes: Mapping[int, str]) -> str:
    """Return ``text`` with each footnote's text where its marker stands: "Agenda,[^Resolution 70/1.]".

    What a reader sees, whatever the ids: two texts read alike when their words and notes do.
    """
    return MARKERS.sub(lambda m: f"[^{notes.get(ord(m.group()) - FIRST_MARKER + 1, '')}]", text)


def plain(text: str, numbers: Mapping[int, int]) -> str:
    """Return ``text`` with each marker printed as its number (for plain-text outputs: CSV, mail)."""
    return MARKERS.sub(lambda m: str(numbers.get(ord(m.group()) - FIRST_MARKER + 1, "")), text)
