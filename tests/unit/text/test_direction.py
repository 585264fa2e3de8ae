import pytest

from drafter.drafting.present import direction
from drafter.text.direction import is_rtl


@pytest.mark.parametrize(
    ("text", "rtl"),
    [
        ("Recalling", False),
        ("يرحب بعمل", True),
        ("שלום", True),
        ("  12. يرحب", True),
        ("12. Decides يرحب", False),
        ("欢迎", False),
        ("", False),
        ("1234 ...", False),
    ],
)
def test_is_rtl_follows_the_first_strong_character(text: str, rtl: bool) -> None:
    assert is_rtl(text) is rtl


def test_the_page_direction_is_rtl_or_auto() -> None:
    assert direction("  12. يرحب") == "rtl"
    assert direction("12. Decides يرحب") == "auto"
    assert direction("") == "auto"
