"""Two matchings run at once, in separate processes, for one freed time and two waiting wishes:
exactly one offer is made, to the earlier wish.

The control turns lock, transaction and the database's guard off and shows the same race then
holds the one time more than once.

Each process is a Python interpreter of its own with Django set up on the test database; they
wait for a start file, so both read the free time before either holds it, and a race window
of 300 ms between check and insert lets both reach the lock together. The lock and the hold's
conditional update decide; the database's guard is the last line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

import pytest
from django.utils import timezone

from amtstermin.booking import waitlist
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import (
    Appointment,
    AppointmentStatus,
    Office,
    WaitlistEntry,
    WaitlistStatus,
)
from amtstermin.notifications.models import Message, MessageKind
from tests.factories import make_counter, make_office, make_service
from tests.live_server import SERVER_ONLY, url_of_the_test_database

PROCESSES = 4
START_SECONDS = 60.0
SCRIPT = """
import os, sys, time
import django
django.setup()
from amtstermin.booking import waitlist
go = sys.argv[2]
deadline = time.monotonic() + 60
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.002)
print(waitlist_matching.offer_free_times(office_id=int(sys.argv[1])))
"""


def a_working_day(office: Office) -> date:
    day = timezone.now().astimezone(office.zone).date() + timedelta(days=3)
    closed = office.public_holidays(range(day.year, day.year + 2))
    while day in closed:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Race:
    offers: int  # as the processes count them
    held: int  # holds of the one time
    first: WaitlistEntry
    second: WaitlistEntry


def race(env_overrides: dict[str, str]) -> Race:
    office = make_office(name="Bürgerbüro Warteliste im Wettlauf", slot_minutes=15)
    service = make_service(office, "Reisepass", 15)
    day = a_working_day(office)
    # One time that day: 8:00-8:15 at the only counter.
    make_counter(office, "Schalter 1", [service], [(day.weekday(), clock(8, 0), clock(8, 15))])
    demand = resolve_demand(office=office, pairs=[(service.pk, 1)])
    entries = []
    for n, email in enumerate(["first@example.org", "second@example.org"]):
        entry, _token = waitlist.waitlist_sign_up(
            wish=waitlist.Wish(
                demand=demand, first_day=day, last_day=day, name=f"Wish {n}", email=email
            )
        )
        entries.append(waitlist.waitlist_activate(entry=entry))
        time.sleep(0.01)  # confirmed one after the other: the first is first in line

    env = {key: value for key, value in os.environ.items() if key not in SERVER_ONLY}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "amtstermin.settings",
            "DATABASE_URL": url_of_the_test_database(),
            "AMTSTERMIN_RACE_WINDOW_MS": "300",
            **env_overrides,
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        go = Path(folder) / "go"
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", SCRIPT, str(office.pk), str(go)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(PROCESSES)
        ]
        time.sleep(3)  # Django set up in every process
        go.touch()
        outputs = [process.communicate(timeout=START_SECONDS) for process in processes]
    assert [process.returncode for process in processes] == [0] * PROCESSES, outputs
    first, second = entries
    first.refresh_from_db()
    second.refresh_from_db()
    return Race(
        offers=sum(int(out.strip().splitlines()[-1]) for out, _err in outputs),
        held=Appointment.objects.filter(office=office, status=AppointmentStatus.HELD).count(),
        first=first,
        second=second,
    )


@pytest.mark.django_db(transaction=True)
def test_matchings_in_four_processes_offer_one_freed_time_once_to_the_first_wish() -> None:
    result = race({})

    assert (result.offers, result.held) == (1, 1)
    assert (result.first.status, result.second.status) == (
        WaitlistStatus.OFFERED,
        WaitlistStatus.ACTIVE,
    )
    assert result.first.offer is not None and result.first.offer.status == AppointmentStatus.HELD
    assert Message.objects.filter(kind=MessageKind.WAITLIST_OFFER).count() == 1


@pytest.mark.django_db(transaction=True)
def test_control_without_lock_and_database_guard_one_time_is_held_more_than_once(
    without_database_guard: None,
) -> None:
    # Without transaction, lock and guard the same race holds the one time in several
    # processes: the test above could catch it.
    result = race({"AMTSTERMIN_UNSAFE_NO_BOOKING_GUARD": "1", "DEBUG": "1"})

    assert result.held > 1, result
