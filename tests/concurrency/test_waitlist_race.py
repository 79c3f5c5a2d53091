"""Two waiting citizens, one freed time, separate processes: exactly one offer, to the first.

Two races, each with a control that switches the guards off and shows the failure the race
test would catch, two offers for one time:

1. Four workers run the office's pass at once over a time nobody was offered yet (opening
   hours added outside the application's writers, whose pass is the worker's). The office's
   lock, the database's overlap guard and the offer's conditional update (only a waiting wish
   is offered) each stand between the processes and a second offer; the control switches all
   three off (``AMTSTERMIN_UNSAFE_NO_BOOKING_GUARD``, ``AMTSTERMIN_UNSAFE_NO_WAITLIST_GUARD``,
   both refused without ``DEBUG``, and the overlap guard dropped): the one time is then offered
   several times.
2. A cancellation frees the one time, and its own transaction offers it to the first wish; at
   the same moment the second citizen confirms her wish, whose transaction offers her what is
   free. The office's lock serialises the two. The control switches the lock (and transaction)
   and the overlap guard off: then both citizens are offered the one time.

Each process is a Python interpreter of its own with Django set up on the test database; it
reads what it needs, says it is ready and waits for a start file. A window between the check
and the insert (``AMTSTERMIN_RACE_WINDOW_MS``) lets the processes meet inside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import pytest
from django.utils import timezone

from amtstermin.booking import services, waitlist
from amtstermin.booking.demand import Demand, resolve_demand
from amtstermin.booking.models import (
    Appointment,
    AppointmentStatus,
    Channel,
    Office,
    OpeningHours,
    WaitlistEntry,
    WaitlistStatus,
)
from amtstermin.booking.services import CitizenDetails
from amtstermin.notifications.models import Message, MessageKind
from tests.factories import make_counter, make_office, make_service
from tests.live_server import SERVER_ONLY, url_of_the_test_database

WINDOW_MS = 500  # between the check of the time and its hold
CONFIRM_DELAY = WINDOW_MS / 2 / 1000  # the second citizen presses her button inside the window
START_SECONDS = 60.0
SCRIPT = """
import os, sys, time
import django
django.setup()
from amtstermin.booking import selectors, services, waitlist, waitlist_matching
from amtstermin.booking.models import Appointment, WaitlistEntry
role, office_id, target, folder = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
selectors.office_configuration(office_id)  # connected, the configuration read
if role == "cancel":
    appointment = Appointment.objects.select_related("office").get(pk=target)
elif role == "confirm":
    entry = WaitlistEntry.objects.select_related("office").get(pk=target)
open(os.path.join(folder, f"ready-{os.getpid()}"), "w").close()
go = os.path.join(folder, "go")
deadline = time.monotonic() + 60
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.001)
if role == "match":
    waitlist_matching.offer_free_times(office_id=office_id)
elif role == "cancel":
    services.appointment_cancel(appointment=appointment, staff=True)
else:
    time.sleep(float(os.environ["CONFIRM_DELAY"]))
    waitlist.waitlist_activate(entry=entry)
print("done")
"""


def a_working_day(office: Office) -> date:
    day = timezone.now().astimezone(office.zone).date() + timedelta(days=3)
    closed = office.public_holidays(range(day.year, day.year + 2))
    while day in closed:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Place:
    office: Office
    demand: Demand
    day: date
    start: datetime  # the one time of the day: 8:00-8:15 at the only counter


def one_time_place(*, with_hours: bool) -> Place:
    office = make_office(name="Bürgerbüro Warteliste im Wettlauf", slot_minutes=15)
    service = make_service(office, "Reisepass", 15)
    day = a_working_day(office)
    # Open on another weekday too, so that the service is offered online without that day.
    other = (day.weekday() + 1) % 7
    hours = [(other, clock(13, 0), clock(13, 15))]
    if with_hours:
        hours.append((day.weekday(), clock(8, 0), clock(8, 15)))
    make_counter(office, "Schalter 1", [service], hours)
    start = datetime.combine(day, clock(8, 0), tzinfo=office.zone)
    demand = resolve_demand(office=office, pairs=[(service.pk, 1)])
    return Place(office=office, demand=demand, day=day, start=start)


def sign_up(place: Place, email: str, *, activate: bool = True) -> WaitlistEntry:
    entry, _token = waitlist.waitlist_sign_up(
        wish=waitlist.Wish(
            demand=place.demand, first_day=place.day, last_day=place.day, name="Wish", email=email
        )
    )
    if activate:
        entry = waitlist.waitlist_activate(entry=entry)
        time.sleep(0.01)  # confirmed one after the other: the first is first in line
    return entry


def run(roles: list[tuple[str, int]], place: Place, env_overrides: dict[str, str]) -> None:
    """Start one process per (role, target), wait until all are ready, and let them go."""
    env = {key: value for key, value in os.environ.items() if key not in SERVER_ONLY}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "amtstermin.settings",
            "DATABASE_URL": url_of_the_test_database(),
            "AMTSTERMIN_RACE_WINDOW_MS": str(WINDOW_MS),
            "CONFIRM_DELAY": str(CONFIRM_DELAY),
            **env_overrides,
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", SCRIPT, role, str(place.office.pk), str(target), folder],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for role, target in roles
        ]
        deadline = time.monotonic() + START_SECONDS
        while len(list(Path(folder).glob("ready-*"))) < len(roles):
            assert time.monotonic() < deadline, "the processes did not start"
            assert all(process.poll() is None for process in processes), [
                process.communicate() for process in processes
            ]
            time.sleep(0.05)
        (Path(folder) / "go").touch()
        outputs = [process.communicate(timeout=START_SECONDS) for process in processes]
    assert [process.returncode for process in processes] == [0] * len(roles), outputs


@dataclass(frozen=True)
class Outcome:
    offers: int  # offer e-mails queued, each for the one time
    holds: int  # holds of the one time
    offered: list[str]  # e-mail addresses of the wishes now offered the time


def outcome(place: Place) -> Outcome:
    holds = Appointment.objects.filter(
        office=place.office, start=place.start, status=AppointmentStatus.HELD
    )
    offered = WaitlistEntry.objects.filter(
        office=place.office, status=WaitlistStatus.OFFERED, offer__start=place.start
    ).order_by("email")
    return Outcome(
        offers=Message.objects.filter(
            kind=MessageKind.WAITLIST_OFFER, wish__office=place.office
        ).count(),
        holds=holds.count(),
        offered=[entry.email for entry in offered],
    )


# --- 1. Four workers run the office's pass at once -------------------------------------------


def four_passes(env_overrides: dict[str, str]) -> Outcome:
    place = one_time_place(with_hours=False)
    sign_up(place, "first@example.org")
    sign_up(place, "second@example.org")
    # Hours added outside the application's writers (the shell): nobody was offered the time;
    # the pass is the worker's.
    [counter] = place.office.counters.all()
    OpeningHours.objects.create(
        counter=counter, weekday=place.day.weekday(), start=clock(8, 0), end=clock(8, 15)
    )
    assert outcome(place) == Outcome(offers=0, holds=0, offered=[])
    run([("match", 0)] * 4, place, env_overrides)
    return outcome(place)


@pytest.mark.django_db(transaction=True)
def test_four_passes_at_once_offer_the_one_time_once_to_the_first_wish() -> None:
    assert four_passes({}) == Outcome(offers=1, holds=1, offered=["first@example.org"])


@pytest.mark.django_db(transaction=True)
def test_control_without_lock_guard_and_waiting_check_the_time_is_offered_several_times(
    without_database_guard: None,
) -> None:
    result = four_passes(
        {
            "AMTSTERMIN_UNSAFE_NO_BOOKING_GUARD": "1",
            "AMTSTERMIN_UNSAFE_NO_WAITLIST_GUARD": "1",
            "DEBUG": "1",
        }
    )

    assert result.offers > 1, result
    assert result.holds > 1, result


# --- 2. A cancellation and a confirmation at once ---------------------------------------------


def cancel_and_confirm(env_overrides: dict[str, str]) -> Outcome:
    place = one_time_place(with_hours=True)
    booked, _token = services.appointment_book(
        demand=place.demand,
        start=place.start,
        citizen=CitizenDetails(name="Max Muster", email="", phone="0221 123456"),
        channel=Channel.PHONE,
        staff=True,
    )
    sign_up(place, "first@example.org")
    second = sign_up(place, "second@example.org", activate=False)
    assert outcome(place) == Outcome(offers=0, holds=0, offered=[])
    run([("cancel", booked.pk), ("confirm", second.pk)], place, env_overrides)
    assert WaitlistEntry.objects.get(pk=second.pk).status != WaitlistStatus.PENDING
    return outcome(place)


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_and_a_confirmation_at_once_offer_the_time_once_to_the_first() -> None:
    assert cancel_and_confirm({}) == Outcome(offers=1, holds=1, offered=["first@example.org"])


@pytest.mark.django_db(transaction=True)
def test_control_without_lock_and_guard_both_citizens_are_offered_the_one_time(
    without_database_guard: None,
) -> None:
    result = cancel_and_confirm({"AMTSTERMIN_UNSAFE_NO_BOOKING_GUARD": "1", "DEBUG": "1"})

    assert result == Outcome(
        offers=2, holds=2, offered=["first@example.org", "second@example.org"]
    ), result
