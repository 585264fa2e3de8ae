from drafter.text.clean import excerpt


def test_a_short_text_is_quoted_whole() -> None:
    assert excerpt("Recalling its resolution 79/1,") == "Recalling its resolution 79/1,"
    assert excerpt("x" * 60) == "x" * 60


def test_a_long_text_is_cut_with_an_ellipsis_within_the_limit() -> None:
    text = "Welcomes the work of the Office " * 5
    short = excerpt(text)
    assert short.endswith("…") and len(short) <= 60 and text.startswith(short[:-1])
    assert not short[:-1].endswith(" ")
    assert excerpt("abcdefghij", limit=8) == "abcde…"
