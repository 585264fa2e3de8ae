"""Paragraph alignment between revisions: identities carry over as a negotiator expects."""

from __future__ import annotations

import random

import pytest

from drafter.text.align import MIN_SIMILARITY, Aligned, Relation, align, align_with_overrides, normalize

SAME, CHANGED, NEW, DELETED = Relation.SAME, Relation.CHANGED, Relation.NEW, Relation.DELETED

DRAFT = [
    "Recalling its resolution 70/1 of 25 September 2015 on the 2030 Agenda for Sustainable Development,",
    "Noting with concern the slow progress towards the water-related Goals and targets,",
    "Decides to convene a high-level meeting on water in New York in 2026;",
    "Requests the Secretary-General to prepare a report on the implementation of the present resolution;",
    "Invites Member States to participate actively in the preparatory process at the highest level;",
    "Encourages regional commissions to hold preparatory meetings before the high-level meeting;",
    "Decides to remain seized of the matter.",
]


def pairs(result: list[Aligned]) -> list[tuple[int | None, int | None]]:
    return [(a.old, a.new) for a in result]


def paired(result: list[Aligned]) -> dict[int, int]:
    """new index -> old index of each pair."""
    return {a.new: a.old for a in result if a.old is not None and a.new is not None}


def check_invariants(result: list[Aligned], n_old: int, n_new: int) -> None:
    """Every new index once; every old index once; pairs well-formed."""
    assert sorted(a.new for a in result if a.new is not None) == list(range(n_new))
    assert sorted(a.old for a in result if a.old is not None) == list(range(n_old))
    for a in result:
        if a.old is not None and a.new is not None:
            assert a.relation in (SAME, CHANGED)
            assert 0.0 < a.similarity <= 1.0
            assert a.split_from is None and a.merged_into is None
        elif a.new is not None:
            assert a.relation is NEW and a.similarity == 0.0 and not a.moved
        else:
            assert a.relation is DELETED and a.similarity == 0.0 and not a.moved
    assert [a.new for a in result if a.new is not None] == list(range(n_new)), "in the new order"


def test_identical_paragraphs_pair() -> None:
    result = align(DRAFT, DRAFT)
    check_invariants(result, len(DRAFT), len(DRAFT))
    assert pairs(result) == [(i, i) for i in range(len(DRAFT))]
    assert all(a.relation is SAME and a.similarity == 1.0 and not a.moved for a in result)


def test_numbers_are_ignored() -> None:
    result = align(["5. Decides to act.", "6. Requests a report."], ["7. Decides to act.", "8. Requests a report."])
    assert [(a.old, a.new, a.relation) for a in result] == [(0, 0, SAME), (1, 1, SAME)]
    assert normalize("12 bis. Decides  to\tact.") == normalize("(b) Decides to act.") == "decides to act."


def test_a_change_of_case_pairs_but_is_a_change() -> None:
    (a,) = align(["Decides to act."], ["decides to act."])
    assert (a.old, a.new, a.relation, a.similarity) == (0, 0, CHANGED, 1.0)


def test_edited_paragraphs_pair_as_changed() -> None:
    new = list(DRAFT)
    new[2] = "Decides to convene a high-level meeting on water and sanitation in Geneva in 2027;"
    result = align(DRAFT, new)
    check_invariants(result, len(DRAFT), len(new))
    assert pairs(result) == [(i, i) for i in range(len(DRAFT))]
    assert result[2].relation is CHANGED and MIN_SIMILARITY <= result[2].similarity < 1.0


def test_inserting_a_paragraph_at_the_top_keeps_every_identity() -> None:
    new = ["Welcoming the report of the Secretary-General on water,"] + DRAFT
    result = align(DRAFT, new)
    check_invariants(result, len(DRAFT), len(new))
    assert result[0] == Aligned(None, 0, NEW)
    assert paired(result) == {j + 1: j for j in range(len(DRAFT))}
    assert not any(a.moved for a in result)


def test_a_moved_paragraph_is_flagged() -> None:
    new = [DRAFT[0], DRAFT[1], DRAFT[3], DRAFT[4], DRAFT[5], DRAFT[2], DRAFT[6]]
    result = align(DRAFT, new)
    check_invariants(result, len(DRAFT), len(new))
    assert paired(result) == {0: 0, 1: 1, 2: 3, 3: 4, 4: 5, 5: 2, 6: 6}
    assert [a.old for a in result if a.moved] == [2]


def test_deleted_and_new_paragraphs() -> None:
    new = [DRAFT[0], DRAFT[2], "Welcomes the offer of Fiji to host the meeting;", DRAFT[3], DRAFT[4], DRAFT[5]]
    result = align(DRAFT, new)
    check_invariants(result, len(DRAFT), len(new))
    assert [(a.old, a.new, a.relation) for a in result] == [
        (0, 0, SAME),
        (1, None, DELETED),  # stands where it stood: after its old predecessor
        (2, 1, SAME),
        (None, 2, NEW),
        (3, 3, SAME),
        (4, 4, SAME),
        (5, 5, SAME),
        (6, None, DELETED),
    ]


def test_an_unrelated_rewrite_is_deleted_and_new() -> None:
    old = ["Decides to convene a high-level meeting on water in New York in 2026;", "Requests a report."]
    new = ["Welcomes the generous offer of Fiji to host the conference next year;", "Requests a report."]
    result = align(old, new)
    assert [(a.old, a.new, a.relation) for a in result] == [(0, None, DELETED), (None, 0, NEW), (1, 1, SAME)]


def test_split_one_keeps_the_identity_the_other_remembers_its_origin() -> None:
    old = [
        "Recalling its resolution 70/1,",
        "Decides to convene a high-level meeting on water in 2026, and requests the Secretary-General to prepare "
        "a report on the implementation of the present resolution;",
        "Decides to remain seized of the matter.",
    ]
    new = [
        "Recalling its resolution 70/1,",
        "Decides to convene a high-level meeting on water in 2026;",
        "Requests the Secretary-General to prepare a report on the implementation of the present resolution;",
        "Decides to remain seized of the matter.",
    ]
    result = align(old, new)
    check_invariants(result, len(old), len(new))
    kept = [a for a in result if a.old == 1]
    split = [a for a in result if a.split_from is not None]
    assert len(kept) == 1 and kept[0].relation is CHANGED
    assert len(split) == 1 and split[0].relation is NEW and split[0].split_from == 1
    assert {kept[0].new, split[0].new} == {1, 2}


def test_merge_one_keeps_the_identity_the_other_is_merged_into_it() -> None:
    old = [
        "Decides to convene a high-level meeting on water in 2026;",
        "Requests the Secretary-General to prepare a report on the implementation of the present resolution;",
    ]
    new = [
        "Decides to convene a high-level meeting on water in 2026, and requests the Secretary-General to prepare "
        "a report on the implementation of the present resolution;"
    ]
    result = align(old, new)
    check_invariants(result, len(old), len(new))
    (pair,) = [a for a in result if a.new == 0]
    (gone,) = [a for a in result if a.relation is DELETED]
    assert pair.relation is CHANGED and pair.old in (0, 1)
    assert gone.old == 1 - pair.old and gone.merged_into == 0


def test_a_short_heading_is_not_taken_from_a_long_paragraph_that_uses_its_words() -> None:
    old = [
        "Requests the Secretary-General to report on the follow-up and review of the present resolution;",
        "Decides to act.",
    ]
    new = ["Follow-up and review", "Decides to act."]
    result = align(old, new)
    assert [(a.old, a.new, a.relation, a.split_from, a.merged_into) for a in result] == [
        (0, None, DELETED, None, None),
        (None, 0, NEW, None, None),
        (1, 1, SAME, None, None),
    ]


def test_a_paragraph_cut_to_a_fragment_is_new_but_remembers_its_origin() -> None:
    old = [
        "Recalling A,",
        "Decides to convene a high-level meeting on water in New York in 2026 with the participation of all Member "
        "States, observers, civil society and the private sector, and to hold an interactive dialogue;",
        "Requests a report.",
    ]
    new = ["Recalling A,", "Decides to convene a meeting on water.", "Requests a report."]
    result = align(old, new)
    check_invariants(result, len(old), len(new))
    assert [(a.old, a.new, a.relation, a.split_from) for a in result] == [
        (0, 0, SAME, None), (1, None, DELETED, None), (None, 1, NEW, 1), (2, 2, SAME, None),
    ]  # fmt: skip


def test_duplicate_identical_headings_pair_by_nearest_position() -> None:
    old = ["General", "Recalling A,", "General", "Decides B."]
    new = ["General", "Recalling A,", "Noting C,", "General", "Decides B."]
    assert pairs(align(old, new)) == [(0, 0), (1, 1), (None, 2), (2, 3), (3, 4)]
    # The second copy deleted: the first keeps its identity.
    assert [(a.old, a.new) for a in align(old, ["General", "Recalling A,", "Decides B."])] == [
        (0, 0),
        (1, 1),
        (2, None),
        (3, 2),
    ]


def test_duplicates_keep_their_identities_when_paragraphs_are_inserted_above_them() -> None:
    old = [f"Paragraph {w} says something distinct about topic {w}." for w in "abcdefghijklmnopqrst"]
    old[3] = old[10] = "Member States;"
    new = [f"Inserted paragraph {w} about another subject {w}." for w in "uvwxyzUV"] + old
    result = align(old, new)
    check_invariants(result, len(old), len(new))
    assert paired(result) == {j + 8: j for j in range(len(old))}
    assert not any(a.moved for a in result)


def test_no_pair_below_the_minimum_similarity() -> None:
    rng = random.Random(7)
    vocabulary = "the of and to States Member water meeting report decides requests urges notes calls upon".split()
    old = [" ".join(rng.choices(vocabulary, k=rng.randint(3, 12))) for _ in range(40)]
    new = [" ".join(rng.choices(vocabulary, k=rng.randint(3, 12))) for _ in range(40)]
    result = align(old, new)
    check_invariants(result, len(old), len(new))
    assert all(a.similarity >= MIN_SIMILARITY for a in result if a.relation is CHANGED)


@pytest.mark.parametrize(("old", "new"), [([], []), (["A."], []), ([], ["A."]), ([""], [""]), (["", "A."], ["A.", ""])])
def test_empty_lists_and_texts(old: list[str], new: list[str]) -> None:
    check_invariants(align(old, new), len(old), len(new))


def test_empty_lists() -> None:
    assert align([], []) == []
    assert align(["Decides to act."], []) == [Aligned(0, None, DELETED)]
    assert align([], ["Decides to act."]) == [Aligned(None, 0, NEW)]


# -- Overrides ------------------------------------------------------------------------------------


def test_override_forces_a_new_paragraph() -> None:
    result = align_with_overrides(DRAFT, DRAFT, {2: None})
    check_invariants(result, len(DRAFT), len(DRAFT))
    assert [(a.old, a.new, a.relation) for a in result if 2 in (a.old, a.new)] == [(2, None, DELETED), (None, 2, NEW)]
    assert paired(result) == {j: j for j in range(len(DRAFT)) if j != 2}


def test_override_forces_a_pairing() -> None:
    new = ["Welcomes the generous offer of Fiji to host the conference next year;"] + DRAFT[1:]
    result = align_with_overrides(DRAFT, new, {0: 0})
    check_invariants(result, len(DRAFT), len(new))
    assert result[0].old == 0 and result[0].new == 0 and result[0].relation is CHANGED
    assert result[0].similarity < MIN_SIMILARITY  # the user's choice, however different
    assert paired(result) == {j: j for j in range(len(DRAFT))}


def test_override_pairing_elsewhere_takes_the_old_paragraph_away() -> None:
    result = align_with_overrides(DRAFT, DRAFT, {6: 2})
    check_invariants(result, len(DRAFT), len(DRAFT))
    assert paired(result)[6] == 2
    assert 2 not in paired(result) or paired(result)[2] != 2
    assert [a.old for a in result if a.relation is DELETED] == [6]


def test_empty_overrides_are_the_automatic_alignment() -> None:
    assert align_with_overrides(DRAFT, DRAFT[::-1], {}) == align(DRAFT, DRAFT[::-1])


@pytest.mark.parametrize(
    ("pairing", "message"),
    [
        ({0: 1, 3: 1}, "Previous paragraph 2 is paired with both new paragraphs 1 and 4"),
        ({7: 0}, "There is no new paragraph 8"),
        ({-1: 0}, "There is no new paragraph 0"),
        ({0: 7}, "There is no previous paragraph 8"),
    ],
)
def test_bad_overrides_are_refused(pairing: dict[int, int | None], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        align_with_overrides(DRAFT, DRAFT, pairing)


# -- Scale --------------------------------------------------------------------------------------------


def test_eight_hundred_paragraphs_align() -> None:
    rng = random.Random(2026)
    vocabulary = [f"w{i}" for i in range(2000)] + "the of and to States Member United Nations".split() * 40

    def paragraph() -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(15, 80))) + ";"

    old = [paragraph() for _ in range(800)]
    new: list[str] = []
    for text in old:
        roll = rng.random()
        if roll < 0.1:
            continue  # deleted
        if roll < 0.4:
            ws = text.split()
            for _ in range(4):
                ws[rng.randrange(len(ws))] = rng.choice(vocabulary)
            new.append(" ".join(ws))
        else:
            new.append(text)
        if rng.random() < 0.1:
            new.append(paragraph())
    result = align(old, new)
    check_invariants(result, len(old), len(new))
    assert len(paired(result)) > 0.8 * len(new)
