"""One parser each for dates, wall times and languages, for pages, back office and API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from django.test import override_settings
from django.utils import translation

from amtstermin.booking.errors import InvalidDetails
from amtstermin.booking.parsing import (
    ParseError,
    date_or_none,
    parse_date,
    parse_start,
    parse_wall_time,
    supported_language,
)
from amtstermin.booking.services import CitizenDetails, validate_citizen


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_a_date_is_read_in_its_one_form() -> None:
    assert parse_date("2026-12-07") == date(2026, 12, 7)


@pytest.mark.parametrize("text", ["20261207", "2026-12-7", "2026-W50-1", "２０２６-１２-０７", ""])
def test_other_forms_of_a_date_are_refused_with_the_form_to_use(text: str) -> None:
    with pytest.raises(ParseError, match="YYYY-MM-DD"):
        parse_date(text)


def test_a_day_not_in_the_calendar_is_refused_by_name() -> None:
    with pytest.raises(ParseError, match="2026-02-30 is not a date in the calendar"):
        parse_date("2026-02-30")


def test_a_day_outside_the_asked_years_is_refused() -> None:
    with pytest.raises(ParseError):
        parse_date("9999-12-31", years=range(2000, 3000))


def test_a_malformed_or_implausible_day_in_a_link_is_no_day() -> None:
    assert date_or_none("2026-12-07") == date(2026, 12, 7)
    assert date_or_none("9999-12-31") is None  # its next day would leave the calendar
    assert date_or_none("2026-13-01") is None
    assert date_or_none(None) is None


@pytest.mark.parametrize("text, wall", [("08:00", time(8)), ("23:59:30", time(23, 59, 30))])
def test_a_wall_time_is_read(text: str, wall: time) -> None:
    assert parse_wall_time(text) == wall


@pytest.mark.parametrize("text", ["0800", "8:00", "08", "08:00+01:00", "08:00:00.5", "T08:00"])
def test_other_forms_of_a_wall_time_are_refused(text: str) -> None:
    with pytest.raises(ParseError, match="HH:MM"):
        parse_wall_time(text)


def test_a_time_of_day_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ParseError, match="not a time of day"):
        parse_wall_time("24:30")


def test_a_start_is_a_wall_time_or_with_an_offset_an_instant() -> None:
    assert parse_start("2026-12-01T08:00") == datetime(2026, 12, 1, 8)  # noqa: DTZ001
    aware = parse_start("2026-12-01t08:00+01:00")
    assert aware == datetime(2026, 12, 1, 7, tzinfo=UTC)
    assert aware.utcoffset() == timedelta(hours=1)
    assert parse_start("2026-12-01T07:00Z").tzinfo == timezone.utc  # noqa: UP017


@pytest.mark.parametrize(
    "text, refusal",
    [
        ("2026-12-01 08:00", "e.g. 2026-12-01T08:00"),
        ("2026-02-30T08:00", "not a date and time in the calendar"),
        ("1999-12-31T08:00", "in the past"),
        ("3000-01-01T08:00", "too far in the future"),
    ],
)
def test_a_start_out_of_form_or_range_is_refused(text: str, refusal: str) -> None:
    with pytest.raises(ParseError, match=refusal):
        parse_start(text)


@pytest.mark.parametrize(
    "code, language", [("en", "en"), ("en-gb", "en"), ("de", "de"), ("fr", "de"), (None, "de")]
)
def test_a_language_the_site_does_not_speak_becomes_the_default(
    code: str | None, language: str
) -> None:
    assert supported_language(code) == language


@override_settings(LANGUAGES=[("de", "Deutsch"), ("en", "English"), ("tr", "Türkçe")])
def test_the_languages_are_those_of_the_settings() -> None:
    assert supported_language("tr") == "tr"


@override_settings(LANGUAGES=[("de", "Deutsch"), ("en", "English"), ("tr", "Türkçe")])
def test_a_booking_may_be_in_any_language_of_the_settings() -> None:
    citizen = CitizenDetails(name="Ayşe", email="a@example.org", language="tr")
    assert validate_citizen(citizen, email_required=True).language == "tr"


def test_a_booking_in_a_language_the_site_does_not_speak_is_refused() -> None:
    citizen = CitizenDetails(name="Amélie", email="a@example.org", language="fr")
    with pytest.raises(InvalidDetails):
        validate_citizen(citizen, email_required=True)
