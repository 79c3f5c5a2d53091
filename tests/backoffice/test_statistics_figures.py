"""The daily figures, the durations fit and the forecast against a hand-computed office."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from amtstermin.booking import availability_cache, housekeeping
from amtstermin.booking.models import AppointmentStatus, AuditAction, AuditEntry, Closure
from amtstermin.reports import durations, figures, forecast, next_free, recording, tasks
from amtstermin.reports.models import (
    DailyCounterFigures,
    DailyServiceFigures,
    HourlyWaits,
    NextFreeSample,
)
from tests.backoffice.conftest import NOW, Cast, client_for
from tests.backoffice.statistics_data import DAY, appointment, friday, hand_computed_day


def _row(cast: Cast, service: str | None) -> DailyServiceFigures:
    if service is None:
        return DailyServiceFigures.objects.get(office=cast.office_a, day=DAY, service__isnull=True)
    return DailyServiceFigures.objects.get(
        office=cast.office_a, day=DAY, service=cast.services_a[service]
    )


@pytest.fixture
def stored(cast: Cast) -> Cast:
    hand_computed_day(cast)
    figures.store_day(cast.office_a, DAY, now=NOW)
    return cast


def test_bookings_cancellations_and_no_shows_per_service(stored: Cast) -> None:
    row = _row(stored, "id_card")
    assert (row.booked_online, row.booked_phone, row.booked_counter) == (3, 2, 0)
    assert (row.cancelled_by_citizen, row.cancelled_by_office) == (1, 1)
    assert (row.no_shows, row.completed) == (1, 1 + 1)
    assert (row.lapsed_holds, row.unconfirmed) == (1, 1)
    assert row.booked_minutes == 45  # two served and the no-show, not the cancelled ones
    assert _row(stored, "registration").booked_counter == 1
    assert _row(stored, "registration").booked_minutes == 20


def test_waiting_and_served_times(stored: Cast) -> None:
    row = _row(stored, "id_card")
    assert row.waits == 2 and row.wait_median == 15 and row.wait_p90 == 19  # 10 and 20 minutes
    assert row.served_minutes == 12 + 20
    copies = _row(stored, "copies")
    assert (copies.walk_ins, copies.wait_median, copies.served_minutes) == (1, 30, 10)
    assert copies.walk_in_minutes == 10
    unnamed = _row(stored, None)
    assert (unnamed.walk_ins, unnamed.waits, unnamed.wait_median) == (2, 1, 5)
    assert unnamed.walk_in_minutes == 20


def test_counters_open_booked_and_served_minutes(stored: Cast) -> None:
    one, two = stored.counters_a
    rows = {
        row.counter_id: (row.open_minutes, row.booked_minutes, row.served_minutes)
        for row in DailyCounterFigures.objects.filter(office=stored.office_a, day=DAY)
    }
    assert rows == {one.pk: (240, 30, 42), two.pk: (240, 35, 20)}


def test_absences_and_closures_reduce_the_open_minutes(cast: Cast) -> None:
    one, _two = cast.counters_a
    one.absences.create(start=friday(8), end=friday(9))
    Closure.objects.create(office=cast.office_a, start=friday(11), end=friday(12))
    figures.store_day(cast.office_a, DAY, now=NOW)
    opened = dict(
        DailyCounterFigures.objects.filter(office=cast.office_a, day=DAY).values_list(
            "counter_id", "open_minutes"
        )
    )
    assert opened == {one.pk: 120, _two.pk: 180}


def test_waiting_times_by_hour(stored: Cast) -> None:
    hours = {
        row.hour: (row.walk_ins, row.waits, row.wait_minutes)
        for row in HourlyWaits.objects.filter(office=stored.office_a, day=DAY)
    }
    assert hours == {8: (2, 3, 10 + 30 + 5), 9: (1, 1, 20)}


def test_recomputing_a_day_replaces_it_and_keeps_the_live_counters(stored: Cast) -> None:
    recording.record_refusal(stored.office_a, DAY, recording.REFUSED_NOTHING_FREE)
    recording.record_refusal(
        stored.office_a, DAY, recording.REFUSED_LIMIT, service=stored.services_a["id_card"]
    )
    recording.record_waitlist_signup(stored.office_a, DAY, service=stored.services_a["id_card"])
    count = DailyServiceFigures.objects.count()
    figures.store_day(stored.office_a, DAY, now=NOW)
    assert DailyServiceFigures.objects.count() == count
    row = _row(stored, "id_card")
    assert (row.booked_online, row.refused_limit, row.waitlist_signups) == (3, 1, 1)
    assert _row(stored, None).refused_nothing_free == 1
    assert DailyCounterFigures.objects.filter(day=DAY).count() == 2


def test_the_figures_outlive_the_purge_of_personal_data(stored: Cast) -> None:
    before = list(DailyServiceFigures.objects.order_by("pk").values())
    erased = housekeeping.purge_personal_data(now=NOW + timedelta(days=400))
    assert sum(erased.values()) > 0
    assert list(DailyServiceFigures.objects.order_by("pk").values()) == before
    figures.store_day(stored.office_a, DAY, now=NOW + timedelta(days=400))  # from anonymous data
    assert list(DailyServiceFigures.objects.order_by("pk").values()) == before


def test_the_nightly_task_computes_the_last_days_of_every_office(cast: Cast) -> None:
    hand_computed_day(cast)
    assert tasks.compute_recent_figures(NOW) == 2 * tasks.DAYS_RECOMPUTED
    assert _row(cast, "id_card").booked_online == 3  # Friday is among the three days before
    assert tasks.next_figures_time(NOW).hour == 1  # before the purge at 03:00


def test_backfill_command(cast: Cast) -> None:
    from django.core.management import call_command

    hand_computed_day(cast)
    call_command("backfill_statistics", "--from", "2026-12-01", "--to", "2026-12-05")
    assert _row(cast, "id_card").booked_phone == 2


def test_fit_of_first_and_further_persons() -> None:
    first, per, singles, multis = durations.fit([(1, 10), (1, 12), (1, 14), (2, 20), (3, 26)])
    assert (first, per, singles, multis) == (12, 7.5, 3, 2)  # (20-12)/1 = 8, (26-12)/2 = 7


def test_a_fit_on_too_few_visits_suggests_nothing(cast: Cast) -> None:
    service = cast.services_a["id_card"]  # 15 + 15
    fit = durations.fit_for(service, [(1, 22.0)] * (durations.MIN_VISITS - 1))
    assert not fit.suggests
    fit = durations.fit_for(service, [(1, 22.0)] * durations.MIN_VISITS + [(2, 30.0)])
    assert (fit.suggested_first, fit.suggested_per) == (22, None)  # one multi visit: too few
    assert (fit.new_first, fit.new_per) == (22, 15)


def _twenty_visits_of_twenty_minutes(cast: Cast) -> None:
    one = cast.counters_a[0]
    for back in range(1, durations.MIN_VISITS + 1):
        start = friday(9, day=date(2026, 12, 6) - timedelta(days=back))
        appointment(
            one, cast.services_a["id_card"], start, 15, AppointmentStatus.COMPLETED,
            in_service_at=start, completed_at=start + timedelta(minutes=20),
        )  # fmt: skip


def test_the_office_head_applies_a_suggested_duration(cast: Cast) -> None:
    _twenty_visits_of_twenty_minutes(cast)
    version = availability_cache.versions(cast.office_a.pk).configuration
    url = f"/backoffice/{cast.office_a.pk}/statistics/services/"
    page = client_for(cast.head_a).get(url).content.decode()
    assert "Apply the suggestion for Personalausweis" in page
    service = cast.services_a["id_card"]
    apply = f"/backoffice/{cast.office_a.pk}/statistics/durations/{service.pk}/apply/"
    assert client_for(cast.clerk_a).post(apply).status_code == 403
    assert client_for(cast.it_admin).post(apply).status_code == 403  # IT reads, never applies
    it_page = client_for(cast.it_admin).get(url).content.decode()
    assert "Apply the suggestion" not in it_page
    assert client_for(cast.head_a).post(apply).status_code == 302
    service.refresh_from_db()
    assert (service.first_person_minutes, service.per_person_minutes) == (20, 15)
    entry = AuditEntry.objects.get(action=AuditAction.DURATION_SUGGESTION)
    assert entry.before["first_person_minutes"] == 15 and entry.after["first_person_minutes"] == 20
    assert availability_cache.versions(cast.office_a.pk).configuration > version
    client_for(cast.head_a).post(apply)  # nothing left to suggest: no second entry
    assert AuditEntry.objects.filter(action=AuditAction.DURATION_SUGGESTION).count() == 1


def test_forecast_from_last_year_and_recent_weeks(cast: Cast) -> None:
    office = cast.office_a
    DailyServiceFigures.objects.create(
        office=office, day=date(2025, 12, 16), booked_minutes=3000, booked_online=40
    )
    DailyServiceFigures.objects.create(
        office=office,
        day=date(2026, 11, 30),
        booked_minutes=300,
        booked_online=20,
        refused_nothing_free=2,
        waitlist_signups=1,
    )
    weeks = forecast.forecast(office, today=date(2026, 12, 7), now=NOW)
    assert len(weeks) == 8 and weeks[0].monday == date(2026, 12, 14)
    first, second, third = weeks[:3]
    # Same week last year: 3000 minutes = 50 h against 2 counters x 5 mornings x 4 h = 40 h.
    assert (first.method, first.demand_minutes, first.capacity_minutes) == ("last_year", 3000, 2400)
    assert first.exceeds and first.shortfall_hours == 10
    # Recent weeks: 300 minutes + 3 refused or waiting x 55 minutes (3300 / 60 bookings).
    assert (second.method, second.demand_minutes) == ("recent", 465)
    assert second.capacity_minutes == 2400 - 2 * 240  # Christmas Day, a Friday
    assert not second.exceeds and second.shortfall_hours == 0
    assert third.capacity_minutes == 2400 - 2 * 240  # New Year's Day


def test_days_to_the_next_free_appointment(cast: Cast) -> None:
    service = cast.services_a["id_card"]
    assert next_free.days_ahead(service, now=NOW) == 0  # this morning after the lead time
    Closure.objects.create(office=cast.office_a, start=friday(0, day=date(2026, 12, 7)),
                           end=friday(0, day=date(2026, 12, 12)))  # fmt: skip
    assert next_free.days_ahead(service, now=NOW) == 7
    samples = next_free.sample_office(cast.office_a, now=NOW)
    assert {sample.service_id for sample in samples} == {
        service.pk,
        cast.services_a["registration"].pk,
    }
    assert NextFreeSample.objects.filter(service=service).get().days_ahead == 7


def test_the_demo_history_gives_the_pages_real_figures(cast: Cast) -> None:
    from amtstermin.reports.demo_history import load_history

    assert load_history(cast.office_a, weeks=3, now=NOW)
    assert not load_history(cast.office_a, weeks=3, now=NOW)  # once
    weeks = DailyServiceFigures.objects.filter(office=cast.office_a).values("day")
    assert weeks.count() > 10
    assert NextFreeSample.objects.filter(office=cast.office_a).exists()
    body = client_for(cast.head_a).get(f"/backoffice/{cast.office_a.pk}/statistics/")
    assert body.context["sections"][0].rows


def test_the_worker_schedules_the_figures_before_the_purge(cast: Cast) -> None:
    from django_tasks_db.models import DBTaskResult

    from amtstermin.booking.tasks import next_purge_time

    tasks.ensure_scheduled()
    tasks.ensure_scheduled()  # once each, however often the worker starts
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == [tasks.daily_figures.module_path, tasks.sample_next_free.module_path]
    assert NOW < tasks.next_figures_time(NOW) < next_purge_time(NOW)


def test_it_switches_the_transparency_page_on_in_the_admin(cast: Cast) -> None:
    response = client_for(cast.it_admin).post(
        "/admin/reports/statisticssettings/add/",
        {"office": cast.office_a.pk, "public_page": "on"},
    )
    assert response.status_code == 302
    assert cast.office_a.statistics_settings.public_page
