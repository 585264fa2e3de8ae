import pytest

from drafter.text.numbering import printed_number
from drafter.text.structure import Kind


@pytest.mark.parametrize(
    ("kind", "label", "printed"),
    [
        (Kind.OPERATIVE, "5", "5."),
        (Kind.OPERATIVE, " 12 ", "12."),
        (Kind.OPERATIVE, "12 bis", "12 bis"),
        (Kind.SUBPARAGRAPH, "(a)", "(a)"),
        (Kind.SUBPARAGRAPH, "(1)", "(1)"),
        (Kind.PREAMBULAR, "", ""),
        (Kind.OPERATIVE, "", ""),
    ],
)
def test_only_an_operative_number_takes_a_full_stop(kind: Kind, label: str, printed: str) -> None:
    assert printed_number(kind, label) == printed
