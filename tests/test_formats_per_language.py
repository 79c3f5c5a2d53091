"""Dates, times and money in each of the seven languages (amtstermin.languages.formatting): a few
literal expectations, CLDR's (babel's) output where the point is that the module used the
language it was given, and bidi isolation only where the text runs right to left."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from babel.numbers import format_currency
from django.template import engines
from django.utils import translation

from amtstermin.languages import formatting

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 11, 24)  # a Tuesday
START = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)  # 08:30 in Berlin
END = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
AFTERNOON = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)  # 14:05 in Berlin
CODES = ["de", "en", "tr", "ar", "uk", "ru", "pl"]
LOCALES = {"en": "en_GB"}

LONG_DATES = {
    "de": "Dienstag, 24. November 2026",
    "en": "Tuesday, 24 November 2026",
    "tr": "24 Kasım 2026 Salı",
    "ar": "الثلاثاء، 24 نوفمبر 2026",
    "uk": "вівторок, 24 листопада 2026\u202fр.",
    "ru": "вторник, 24 ноября 2026\u202fг.",  # CLDR: narrow no-break space before the abbreviation
    "pl": "wtorek, 24 listopada 2026",
}


@pytest.mark.parametrize("code", CODES)
def test_the_long_date_is_the_languages_own(code: str) -> None:
    with translation.override(code):
        assert formatting.long_date(DAY) == LONG_DATES[code]
        assert formatting.long_date(DAY) == format_date(DAY, "full", locale=LOCALES.get(code, code))


@pytest.mark.parametrize("code", CODES)
def test_money_is_written_as_the_language_writes_it(code: str) -> None:
    with translation.override(code):
        expected = format_currency(Decimal("145"), "EUR", locale=LOCALES.get(code, code))
        assert formatting.money(Decimal("145")) == expected


@pytest.mark.parametrize("code", CODES)
def test_every_language_reads_the_clock_in_24_hours(code: str) -> None:
    with translation.override(code):
        assert formatting.hhmm(AFTERNOON, BERLIN) == "14:05"
        assert formatting.hhmm(int(AFTERNOON.timestamp()), BERLIN) == "14:05"


def test_german_formats() -> None:
    with translation.override("de"):
        assert formatting.clock_time(START, BERLIN) == "08:30 Uhr"
        assert formatting.time_range(START, END, BERLIN) == "08:30–09:00 Uhr"
        assert formatting.date_time(START, BERLIN) == "Dienstag, 24. November 2026, 08:30 Uhr"
        assert formatting.day_label(DAY) == "Dienstag, 24. November"
        assert formatting.money(Decimal("145")) == "145,00\u00a0€"
        assert formatting.numeric_date_time(START, BERLIN) == "24.11.2026, 08:30"


def test_english_formats_are_british_english() -> None:
    with translation.override("en"):
        assert formatting.clock_time(START, BERLIN) == "08:30"
        assert formatting.date_time_range(START, END, BERLIN) == (
            "Tuesday, 24 November 2026, 08:30–09:00"
        )
        assert formatting.day_label(DAY) == "Tuesday 24 November"
        assert formatting.money(Decimal("145")) == "€145.00"


@pytest.mark.parametrize(
    "code, label",
    [
        ("tr", "24 Kasım Salı"),
        ("ar", "الثلاثاء، 24 نوفمبر"),
        ("uk", "вівторок, 24 листопада"),
        ("ru", "вторник, 24 ноября"),
        ("pl", "wtorek, 24 listopada"),
    ],
)
def test_the_week_views_day_label_names_the_whole_weekday(code: str, label: str) -> None:
    with translation.override(code):
        assert formatting.day_label(DAY) == label


def test_arabic_keeps_latin_digits_and_isolates_times_in_plain_text() -> None:
    with translation.override("ar"):
        text = formatting.date_time_range(START, END, BERLIN)
    assert text == "الثلاثاء، 24 نوفمبر 2026، \u206608:30–09:00\u2069"


def test_arabic_isolates_times_in_html_with_bdi() -> None:
    with translation.override("ar"):
        html = formatting.date_time(START, BERLIN, html=True)
    assert html == 'الثلاثاء، 24 نوفمبر 2026، <bdi dir="ltr">08:30</bdi>'


@pytest.mark.parametrize("code", ["de", "en", "tr", "uk", "ru", "pl"])
def test_left_to_right_languages_get_no_isolation(code: str) -> None:
    with translation.override(code):
        assert formatting.isolate("ABCDEFGH") == "ABCDEFGH"
        assert formatting.isolate("<b>", html=True) == "&lt;b&gt;"
        assert "\u2066" not in formatting.date_time(START, BERLIN)


def test_the_ltr_filter_picks_markup_by_the_templates_autoescaping() -> None:
    engine = engines["django"]
    page = engine.from_string("{% load languages %}{{ code|ltr }}")
    text = engine.from_string(
        "{% load languages %}{% autoescape off %}{{ code|ltr }}{% endautoescape %}"
    )
    with translation.override("ar"):
        assert page.render({"code": "W-002"}) == '<bdi dir="ltr">W-002</bdi>'
        assert text.render({"code": "W-002"}) == "\u2066W-002\u2069"
        assert page.render({"code": "<x>"}) == '<bdi dir="ltr">&lt;x&gt;</bdi>'


def test_opening_hours_from_wall_times() -> None:
    with translation.override("de"):
        assert formatting.hours_range(time(8), time(12, 30)) == "08:00–12:30 Uhr"
    with translation.override("en"):
        assert formatting.hours_range(time(8), time(12, 30)) == "08:00–12:30"
