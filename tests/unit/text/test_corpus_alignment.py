"""Successive versions of real UN resolutions, parsed and aligned (skipped without ../shared).

The corpus lists its series in manifest.json (draft → facilitator's text → adopted); each pair
of consecutive versions is parsed with ``parse_text`` and aligned, and the alignment must look
like what a negotiator sees: nearly every paragraph continues, no paragraph continues twice,
nothing is paired with text it does not resemble. No corpus text is copied here: the checks
use counts, numbers and the corpus README's description of what changed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from drafter.text.align import MIN_SIMILARITY, Aligned, Relation, align, normalize
from drafter.text.structure import Kind, ParsedParagraph, parse_text
from tests.conftest import CORPUS

pytestmark = pytest.mark.corpus


def consecutive_versions() -> list[tuple[str, str]]:
    """Return (older file, newer file) for each consecutive pair of drafts in the corpus's series."""
    manifest = CORPUS / "manifest.json"
    if not manifest.is_file():
        return []  # pytest skips a test with no parameters
    found = []
    for series in json.loads(manifest.read_text(encoding="utf-8"))["series"]:
        # Amendment documents are proposals, not versions; an extract of one text is not a later version.
        drafts = [
            d["file"] for d in series["documents"] if not re.search(r"\b(?:amendment|extract)\b", d["role"], re.I)
        ]
        found += zip(drafts, drafts[1:])
    return found


VERSIONS = consecutive_versions()


def parse(corpus: Path, name: str) -> list[ParsedParagraph]:
    return parse_text((corpus / name).read_text(encoding="utf-8")).paragraphs


def summary(alignment: list[Aligned], old: list[ParsedParagraph], new: list[ParsedParagraph]) -> str:
    """Return the alignment as a negotiator would read it, for failure messages (-s prints it too)."""
    lines = []
    for a in alignment:
        if a.relation is Relation.SAME and not a.moved:
            continue
        o = f"{old[a.old].kind.value[:4]} {old[a.old].number or '-':>3}" if a.old is not None else " " * 8
        n = f"{new[a.new].kind.value[:4]} {new[a.new].number or '-':>3}" if a.new is not None else " " * 8
        flags = " moved" if a.moved else ""
        flags += f" split from {a.split_from}" if a.split_from is not None else ""
        flags += f" merged into {a.merged_into}" if a.merged_into is not None else ""
        text = (new[a.new] if a.new is not None else old[a.old]).text  # type: ignore[index]
        lines.append(f"  {a.relation.value:8} {o} -> {n} {a.similarity:4.2f}{flags}  {text[:60]}")
    return "\n".join(lines)


@pytest.mark.parametrize(("older", "newer"), VERSIONS, ids=[f"{a}->{b}".replace(".txt", "") for a, b in VERSIONS])
def test_consecutive_versions_align(corpus: Path, older: str, newer: str) -> None:
    old, new = parse(corpus, older), parse(corpus, newer)
    assert old and new
    alignment = align([p.text for p in old], [p.text for p in new])
    report = f"{older} ({len(old)}) -> {newer} ({len(new)})\n{summary(alignment, old, new)}"
    print(report)

    # Every new paragraph once, in order; every old paragraph once, paired or deleted.
    assert [a.new for a in alignment if a.new is not None] == list(range(len(new))), report
    olds = [a.old for a in alignment if a.old is not None]
    assert sorted(olds) == list(range(len(old))), report
    pairs = [a for a in alignment if a.old is not None and a.new is not None]
    # Most paragraphs continue from one version to the next.
    assert len(pairs) >= 0.9 * min(len(old), len(new)), report
    # Nothing is paired with text it does not resemble (no overrides here).
    assert all(a.similarity >= MIN_SIMILARITY for a in pairs), report
    for a in pairs:
        assert a.old is not None and a.new is not None
        if a.relation is Relation.SAME:
            assert normalize(old[a.old].text) == normalize(new[a.new].text), report
    # Paragraphs rarely change place between versions.
    assert sum(a.moved for a in pairs) <= max(2, len(pairs) // 20), report
    # Splits and merges point at paragraphs that exist on the other side.
    assert all(a.split_from is None or 0 <= a.split_from < len(old) for a in alignment)
    assert all(a.merged_into is None or 0 <= a.merged_into < len(new) for a in alignment)


def test_an_inserted_operative_paragraph_renumbers_the_rest_without_breaking_identities(corpus: Path) -> None:
    # Corpus README: the adopted Nazism resolution has a new paragraph after OP3 (from amendment
    # A/C.3/80/L.56), so every later operative paragraph is renumbered, 74 -> 75.
    old = parse(corpus, "nazism-draft-A_C.3_80_L.2.txt")
    new = parse(corpus, "nazism-adopted-A_RES_80_192.txt")
    alignment = align([p.text for p in old], [p.text for p in new])
    added = [new[a.new] for a in alignment if a.relation is Relation.NEW]
    assert [(p.kind, p.number) for p in added] == [(Kind.OPERATIVE, "4")]
    assert not [a for a in alignment if a.relation is Relation.DELETED]
    renumbered = [
        (int(old[a.old].number), int(new[a.new].number))
        for a in alignment
        if a.old is not None and a.new is not None and old[a.old].kind is Kind.OPERATIVE
    ]
    assert renumbered and all(n == (o if o <= 3 else o + 1) for o, n in renumbered)
    assert not any(a.moved for a in alignment)


def test_a_near_identical_final_draft_pairs_every_paragraph(corpus: Path) -> None:
    # Corpus README: A/80/L.41 -> A/RES/80/173 changes typography only (non-breaking hyphens).
    old = parse(corpus, "wsis20-final-draft-A_80_L.41.txt")
    new = parse(corpus, "wsis20-adopted-A_RES_80_173.txt")
    alignment = align([p.text for p in old], [p.text for p in new])
    assert all(a.old == a.new for a in alignment)
    changed = [a for a in alignment if a.relation is Relation.CHANGED]
    assert changed and all(a.similarity == 1.0 for a in changed)  # same words, other hyphens


def test_deleted_operative_paragraph(corpus: Path) -> None:
    # Corpus README: A/RES/80/189 lacks the draft's OP2 (the L.65 amendment deleted it).
    old = parse(corpus, "hrcreport-draft-A_C.3_80_L.24.txt")
    new = parse(corpus, "hrcreport-adopted-A_RES_80_189.txt")
    alignment = align([p.text for p in old], [p.text for p in new])
    deleted = [old[a.old] for a in alignment if a.relation is Relation.DELETED]
    assert [(p.kind, p.number) for p in deleted] == [(Kind.OPERATIVE, "2")]
    assert not [a for a in alignment if a.relation is Relation.NEW]
