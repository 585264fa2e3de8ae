"""The italic opening words of preambular and operative paragraphs, and keeping them through edits."""

from __future__ import annotations

import pytest

from drafter.text.emphasis import keep_emphasis, opening_emphasis
from drafter.text.structure import Kind

P, O = Kind.PREAMBULAR, Kind.OPERATIVE


def opening(text: str, kind: Kind) -> str:
    return text[: opening_emphasis(text, kind)]


@pytest.mark.parametrize(
    ("text", "italic"),
    [
        ("Recalling its resolution 70/1,", "Recalling"),
        ("Also recalling its resolution 70/1,", "Also recalling"),
        ("Recalling further its resolution 70/1,", "Recalling further"),
        ("Reaffirming also the Charter,", "Reaffirming also"),
        ("Bearing in mind that water is life,", "Bearing in mind"),
        ("Taking into account the report,", "Taking into account"),
        ("Taking note also of the report,", "Taking note also"),
        ("Deeply concerned about the lack of water,", "Deeply concerned"),
        ("Gravely alarmed by the situation,", "Gravely alarmed"),
        ("Noting with appreciation the report,", "Noting with appreciation"),
        ("Noting with deep concern that water is scarce,", "Noting with deep concern"),
        ("Expressing its deep concern about the situation,", "Expressing its deep concern"),
        ("Having considered the report of the Secretary-General,", "Having considered"),
        ("Mindful of the needs of developing countries,", "Mindful"),
        ("Convinced that cooperation is essential,", "Convinced"),
        ("Re\u2011emphasizing the importance of water,", "Re\u2011emphasizing"),
    ],
)
def test_preambular_openings(text: str, italic: str) -> None:
    assert opening(text, P) == italic


@pytest.mark.parametrize(
    ("text", "italic"),
    [
        ("Decides to convene a meeting;", "Decides"),
        ("Also decides to convene a meeting;", "Also decides"),
        ("Further requests the Secretary-General to report;", "Further requests"),
        ("Strongly condemns all attacks;", "Strongly condemns"),
        ("Calls upon all States to act;", "Calls upon"),
        ("Calls on all States to act;", "Calls on"),
        ("Takes note of the report;", "Takes note"),
        ("Takes note with appreciation of the report;", "Takes note with appreciation"),
        ("Expresses its deep concern about the situation;", "Expresses its deep concern"),
        ("Notes with concern the lack of progress;", "Notes with concern"),
        ("Welcomes with appreciation the offer;", "Welcomes with appreciation"),
        ("Invites also Member States to contribute;", "Invites also"),
        ("Encourages further efforts;", "Encourages further"),
        ("Reiterates its call for action;", "Reiterates"),
        ("Decides, inter alia, to act;", "Decides"),
        ("Re-emphasizes the importance of water;", "Re-emphasizes"),
        ("Pledges to act;", "Pledges"),  # not in the list: a word in -s followed by no modal
    ],
)
def test_operative_openings(text: str, italic: str) -> None:
    assert opening(text, O) == italic


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("States should act now.", O),  # a noun in -s before a modal
        ("Progress has been made.", O),
        ("We recognize that water is life.", O),  # declarations speak in the first person
        ("Decides to act;", P),  # an operative verb does not open a preambular paragraph
        ("Recalling its resolution,", O),
        ("recalling its resolution,", P),  # a lower-case start is a wrapped line or a fragment
        ("Recalling its resolution,", Kind.HEADING),
        ("(a) To prepare a report;", Kind.SUBPARAGRAPH),
        ("", P),
        ("2030 Agenda,", P),
        ("يقرر أن يعقد اجتماعا", O),  # Arabic: no guess
        ("决定召开会议", O),
    ],
)
def test_no_italics(text: str, kind: Kind) -> None:
    assert opening_emphasis(text, kind) == 0


@pytest.mark.parametrize(
    ("text", "kind", "italic"),
    [
        ("Rappelant sa résolution 70/1,", P, "Rappelant"),
        ("Rappelant également sa résolution,", P, "Rappelant également"),
        ("Décide de convoquer une réunion;", O, "Décide"),
        ("Prend note du rapport;", O, "Prend note"),
        ("Recordando su resolución 70/1,", P, "Recordando"),
        ("Toma nota del informe;", O, "Toma nota"),
        ("Напоминая о своей резолюции,", P, "Напоминая"),
        ("Постановляет созвать совещание;", O, "Постановляет"),
    ],
)
def test_french_spanish_and_russian_openings(text: str, kind: Kind, italic: str) -> None:
    assert opening(text, kind) == italic


# -- Keeping italics through edits ----------------------------------------------------------------


def test_automatic_emphasis_follows_the_new_opening() -> None:
    old = "Decides to convene a meeting;"
    auto = opening_emphasis(old, O)
    assert keep_emphasis(old, auto, "Decides to convene a high-level meeting;", O) == len("Decides")
    assert keep_emphasis(old, auto, "Also decides to convene a meeting;", O) == len("Also decides")
    assert keep_emphasis(old, auto, "Requests a report;", O) == len("Requests")
    assert keep_emphasis(old, auto, "States should meet.", O) == 0


def test_deliberate_emphasis_is_kept_while_the_opening_words_stay() -> None:
    old = "Decides to convene a meeting;"
    whole = len("Decides to convene")  # set by hand or read from Word
    assert keep_emphasis(old, whole, "Decides to convene a high-level meeting;", O) == whole
    assert keep_emphasis(old, whole, "Decides to hold a meeting;", O) == len("Decides")  # its words changed


def test_deliberate_emphasis_ending_with_a_space_survives_an_edit() -> None:
    old = "Recalling its resolution 70/1,"
    assert keep_emphasis(old, len("Recalling "), "Recalling its resolutions 70/1 and 71/1,", P) == len("Recalling ")


def test_deliberate_emphasis_must_end_between_words() -> None:
    old = "Decides to convene a meeting;"
    # "Decides to" kept on "Decides to convene": still whole words.
    assert keep_emphasis(old, len("Decides to"), "Decides to hold a meeting;", O) == len("Decides to")
    # "Decides to" no longer a whole-word prefix of "Decides today ...": recomputed.
    assert keep_emphasis(old, len("Decides to"), "Decides today to meet;", O) == len("Decides")


def test_a_deliberate_absence_of_italics_is_kept_while_the_opening_stays() -> None:
    old = "Decides to convene a meeting;"
    assert keep_emphasis(old, 0, "Decides to convene a high-level meeting;", O) == 0
    assert keep_emphasis(old, 0, "Requests a report;", O) == len("Requests")


def test_out_of_range_lengths_are_clamped() -> None:
    assert keep_emphasis("Decides", 99, "Decides to act", O) == len("Decides")
    assert keep_emphasis("Decides to act", 7, "", O) == 0
