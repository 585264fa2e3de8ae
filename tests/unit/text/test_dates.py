"""Dates typed in the forms: every usual way of writing one, the day before the month."""

import datetime as dt

import pytest

from drafter.text.dates import NotADate, read_date, read_when, typed_date, typed_when

UTC = dt.UTC


@pytest.mark.parametrize(
    "typed",
    [
        "4 December 2026",
        "4 Dec 2026",
        "4 dec. 2026",
        "4th December, 2026",
        "Friday 4 December 2026",
        "Fri, 4 December 2026",
        "4/12/2026",
        "04.12.2026",
        "2026-12-04",
        "  4   December 2026 ",
    ],
)
def test_a_date_written_any_usual_way(typed):
    assert read_date(typed) == dt.date(2026, 12, 4)


def test_slashes_put_the_day_first_as_the_un_writes_dates():
    assert read_date("3/4/2027") == dt.date(2027, 4, 3)
    assert read_date("4 sept 2026") == dt.date(2026, 9, 4)


@pytest.mark.parametrize("typed", ["", "tomorrow", "12/2026", "4 Decembre 2026", "2026/12/04", "32 May 2026"])
def test_what_is_not_a_date_is_refused_with_what_to_write(typed):
    with pytest.raises(NotADate):
        read_date(typed)


def test_a_day_that_is_not_in_the_calendar_is_named():
    with pytest.raises(NotADate, match="“31/2/2026” is not a day of the calendar"):
        read_date("31/2/2026")


@pytest.mark.parametrize(
    "typed",
    [
        "4 December 2026 18:00",
        "4 December 2026, 18:00",
        "4 December 2026 at 18:00",
        "4 December 2026 18.00",
        "4 December 2026 18h00",
        "4 December 2026 18:00 UTC",
        "4/12/2026 18:00",
        "2026-12-04 18:00",
        "2026-12-04T18:00",
        "2026-12-04T19:00+01:00",
        "2026-12-04T18:00Z",
    ],
)
def test_a_moment_written_any_usual_way_is_read_in_utc(typed):
    assert read_when(typed) == dt.datetime(2026, 12, 4, 18, 0, tzinfo=UTC)


def test_a_date_alone_is_the_start_of_the_day():
    assert read_when("4 December 2026") == dt.datetime(2026, 12, 4, tzinfo=UTC)


@pytest.mark.parametrize("typed", ["4 December 2026 25:00", "4 December 2026 18:75"])
def test_a_time_off_the_24_hour_clock_is_refused(typed):
    with pytest.raises(NotADate, match="24-hour clock"):
        read_when(typed)


@pytest.mark.parametrize("typed", ["soon", "18:00", "12/04 18:00", "next Friday 18:00"])
def test_what_is_not_a_moment_is_refused_with_an_example(typed):
    with pytest.raises(NotADate, match="4 December 2026 18:00"):
        read_when(typed)


def test_the_forms_show_a_moment_in_words_that_read_back():
    when = dt.datetime(2026, 3, 9, 7, 5, tzinfo=UTC)
    assert typed_when(when) == "9 March 2026 07:05"
    assert read_when(typed_when(when)) == when
    assert read_date(typed_date(when.date())) == when.date()
    # a moment in another zone is shown in UTC
    assert typed_when(dt.datetime(2026, 3, 9, 8, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))) == "9 March 2026 07:05"
