"""Thirty clients keep booking while the server's master and workers are SIGKILLed and restarted.

Afterwards every 201 a client saw is an active appointment, no two active appointments overlap
on a counter, and every booking has its e-mail queued. The control queues the e-mail after the
commit instead of inside it and shows the message check then finds bookings without one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.concurrency.conftest import RaceOffice, race_office
from tests.concurrency.crashes import CUT, REFUSED, TIMEOUT, Rush, Wanted, rush
from tests.concurrency.invariants import overlapping, seen_but_not_active, without_their_message

KILLS = 3
DAYS = 10  # of quarter-hour starts from RaceOffice.day on
SEED = 10
# Hundreds of bookings come from one address; the API's limit per address would refuse them.
SERVER = {"AMTSTERMIN_API_BOOKING_LIMIT_PER_HOUR": "0"}
EXPECTED = {"201", "409", CUT, REFUSED, TIMEOUT}


def offices() -> list[RaceOffice]:
    """Two offices, so that both e-mails are checked: "confirmed" and "please confirm"."""
    # Each client books from one address again and again: the per-person limit would refuse it.
    unlimited = {"appointments_per_person": 10_000}
    return [
        race_office(2, **unlimited),
        race_office(2, require_email_confirmation=True, **unlimited),
    ]


def wanted(places: list[RaceOffice]) -> Wanted:
    """One or two persons (15 or 30 minutes) at every quarter hour 8:00-17:30 on open days;
    earlier days are wanted more, like in real life, so that clients fight over times (409)."""
    found: Wanted = []
    for place in places:
        closed = place.office.public_holidays(range(place.day.year, place.day.year + 2))
        for later in range(DAYS):
            if place.day + timedelta(days=later) in closed:
                continue
            for quarter in range(39):
                start = place.at(8, days_later=later) + timedelta(minutes=15 * quarter)
                found += [
                    (place.payload(start, quarter % 30, persons), 0.5**later) for persons in (1, 2)
                ]
    return found


def assert_real_work(run: Rush, bookings_per_life: int) -> None:
    """Every kill caught requests in flight and every life of the server booked."""
    assert set(run.outcomes()) <= EXPECTED, run.outcomes()
    assert len(run.kills) == KILLS
    assert all(run.cut_by_each_kill()), run.cut_by_each_kill()
    assert len(run.booked()) >= bookings_per_life * (KILLS + 1)


@pytest.mark.django_db(transaction=True)
def test_sigkills_mid_rush_lose_no_booking_double_no_time_and_drop_no_email() -> None:
    places = offices()

    run = rush(SERVER, wanted(places), kills=KILLS, bookings_per_life=20, seed=SEED)

    print(f"crash: {run.outcomes()}, cut by each kill {run.cut_by_each_kill()}")
    assert_real_work(run, 20)
    assert run.outcomes()["409"], "no client lost a race: the overlap check proved nothing"
    booked = [place.office for place in places]
    assert seen_but_not_active(run.booked()) == []
    assert overlapping(booked) == []
    assert without_their_message(booked) == []


@pytest.mark.django_db(transaction=True)
def test_control_mail_queued_after_the_commit_leaves_bookings_without_their_message() -> None:
    # If the e-mail were queued outside the booking's transaction, a kill between the two
    # would leave a booking without it; the control widens that gap so the kills land there.
    places = offices()
    control = {**SERVER, "AMTSTERMIN_UNSAFE_MAIL_AFTER_COMMIT_MS": "500", "DEBUG": "1"}

    # Fewer clients: on SQLite the gap is spent holding the write lock, two bookings a second.
    run = rush(control, wanted(places), kills=KILLS, bookings_per_life=4, seed=SEED, clients=8)

    print(f"control: {run.outcomes()}, cut by each kill {run.cut_by_each_kill()}")
    assert_real_work(run, 4)
    unmailed = without_their_message([place.office for place in places])
    print(f"control: {len(unmailed)} bookings without their e-mail")
    assert unmailed
