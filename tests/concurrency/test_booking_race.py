"""Thirty citizens press "book" at the same moment against a live multi-process server.

Each client is its own process; a barrier releases them together; gunicorn serves them with four
worker processes on the real test database. The control turns every guard off (lock,
transaction, constraint or triggers) and shows the same race then gives one time twice, so the
guarded tests are shown able to fail. See docs/locking.md.
"""

from __future__ import annotations

from collections import Counter as Tally
from datetime import datetime, timedelta

import pytest

from amtstermin.booking.models import Appointment, AppointmentStatus
from tests.concurrency.clients import Result, race
from tests.concurrency.conftest import RaceOffice, race_office
from tests.live_server import StartServer

CLIENTS = 30
WINDOW_MS = "300"  # between availability check and insert: wide enough for every worker
CONTROL_ROUNDS = 3
ACTIVE = [
    AppointmentStatus.HELD,
    AppointmentStatus.PENDING,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.CHECKED_IN,
]


def book_all(base_url: str, place: RaceOffice, starts: list[datetime]) -> list[Result]:
    payloads: list[object] = [place.payload(start, n) for n, start in enumerate(starts)]
    return race(base_url + "/api/v1/appointments", payloads)


def statuses(results: list[Result]) -> Tally[int]:
    return Tally(status for status, _body in results)


def active_at(place: RaceOffice, start: datetime) -> list[Appointment]:
    return list(Appointment.objects.filter(office=place.office, start=start, status__in=ACTIVE))


def assert_only_201_and_409(results: list[Result]) -> None:
    unexpected = [(status, body) for status, body in results if status not in (201, 409)]
    assert not unexpected, f"answers other than 201/409: {unexpected[:5]}"


def _race_for_one_counter(start_server: StartServer, env: dict[str, str]) -> None:
    place = race_office(counter_count=1)
    start = place.at(8, 0)
    base_url = start_server(env)

    results = book_all(base_url, place, [start] * CLIENTS)

    assert_only_201_and_409(results)
    assert statuses(results) == {201: 1, 409: CLIENTS - 1}
    [(_status, won)] = [(status, body) for status, body in results if status == 201]
    booked = active_at(place, start)
    assert [(appointment.code, appointment.status) for appointment in booked] == [
        (won["code"], won["status"])
    ]


@pytest.mark.django_db(transaction=True)
def test_thirty_clients_racing_for_the_last_counter_get_one_booking_and_29_conflicts(
    start_server: StartServer,
) -> None:
    _race_for_one_counter(start_server, {})


@pytest.mark.django_db(transaction=True)
def test_the_lock_alone_holds_with_a_wide_race_window_and_no_database_guard(
    without_database_guard: None, start_server: StartServer
) -> None:
    # The control's conditions with the lock on: 300 ms between check and insert, and no
    # constraint or trigger that could turn a lost race into a 409 behind the lock's back.
    _race_for_one_counter(start_server, {"AMTSTERMIN_RACE_WINDOW_MS": WINDOW_MS})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("free_counters", [2, 3])
def test_with_k_free_counters_exactly_k_clients_win_each_on_another_counter(
    start_server: StartServer, free_counters: int
) -> None:
    place = race_office(counter_count=free_counters)
    start = place.at(9, 30)
    base_url = start_server({"AMTSTERMIN_RACE_WINDOW_MS": WINDOW_MS})

    results = book_all(base_url, place, [start] * CLIENTS)

    assert_only_201_and_409(results)
    assert statuses(results) == {201: free_counters, 409: CLIENTS - free_counters}
    booked = active_at(place, start)
    assert len(booked) == free_counters
    assert {appointment.counter_id for appointment in booked} == {
        counter.pk for counter in place.counters
    }
    won = {body["code"] for status, body in results if status == 201}
    assert {appointment.code for appointment in booked} == won


@pytest.mark.django_db(transaction=True)
def test_thirty_clients_booking_thirty_different_times_all_succeed(
    start_server: StartServer,
) -> None:
    place = race_office(counter_count=1)
    # 15 consecutive quarter hours from 8:00 on each of two days; none overlaps another.
    starts = [
        place.at(8, 0, days_later=day) + timedelta(minutes=15 * n)
        for day in (0, 1)
        for n in range(CLIENTS // 2)
    ]
    base_url = start_server({})

    results = book_all(base_url, place, starts)

    assert [status for status, _body in results] == [201] * CLIENTS, results
    booked = Appointment.objects.filter(office=place.office, status=AppointmentStatus.CONFIRMED)
    assert sorted(appointment.start for appointment in booked) == sorted(starts)


@pytest.mark.django_db(transaction=True)
def test_control_without_lock_and_database_guard_the_same_race_books_one_time_twice(
    without_database_guard: None, start_server: StartServer
) -> None:
    # Everything that keeps a time single is off: the booking runs without transaction or lock,
    # and the constraint / triggers are dropped. If no round of this race gave one time twice,
    # the race tests above could not catch a double booking. A round needs two workers to check
    # within one race window; a machine busy with other work may miss that once, so up to
    # CONTROL_ROUNDS rounds run, each on a fresh start time.
    place = race_office(counter_count=1)
    base_url = start_server(
        {
            "AMTSTERMIN_UNSAFE_NO_BOOKING_GUARD": "1",
            "DEBUG": "1",
            "AMTSTERMIN_RACE_WINDOW_MS": WINDOW_MS,
        },
        share=False,
    )

    rounds: list[int] = []
    for n in range(CONTROL_ROUNDS):
        start = place.at(8, 0) + timedelta(minutes=15 * n)
        results = book_all(base_url, place, [start] * CLIENTS)

        assert_only_201_and_409(results)
        winners = statuses(results)[201]
        booked = active_at(place, start)
        assert len(booked) == winners
        assert len({appointment.counter_id for appointment in booked}) == 1
        rounds.append(winners)
        if winners > 1:
            break
    print(f"control: {rounds[-1]} of {CLIENTS} clients got 201 for one counter and time")
    assert rounds[-1] > 1, f"no double booking in {len(rounds)} unguarded rounds: {rounds}"
