"""What the waitlist adds to a cancellation, which now offers the freed time to a waiting wish in
its own transaction, under the office's lock (docs/decisions.md, "The waitlist comes first").

A fresh data directory (SQLite, or the empty database ``DATABASE_URL`` names), in process, no
HTTP. Three offices, each with one counter open on Mondays 8:00-8:30 only, so a Monday has one
time; ``--count`` Mondays are booked by citizens (confirmed at once, an e-mail each) and then
cancelled by them, one at a time, timed around ``services.appointment_cancel``:

- ``no wishes``: nobody waits (what a cancellation cost before);
- ``wish, no fit``: a wish waits for that Monday, but afternoons only: the pass searches the day
  and offers nothing;
- ``wish, offered``: a wish waits for that Monday: the cancellation holds the time for it and
  queues the offer e-mail.

It prints the median and the 90th percentile in ms and the statements run under the lock
(``lock_probe.py``) for one cancellation of each kind.

Run: ``.venv/bin/python benchmarks/bench_waitlist_cancel.py [--count 50]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from time import perf_counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from amtstermin.booking.demand import Demand
    from amtstermin.booking.models import Appointment

KINDS = ("no wishes", "wish, no fit", "wish, offered")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50, help="cancellations of each kind")
    args = parser.parse_args()
    os.environ.update(
        AMTSTERMIN_DATA_DIR=tempfile.mkdtemp(prefix="amtstermin-bench-"),
        AMTSTERMIN_HTTPS="0",
        DJANGO_SETTINGS_MODULE="amtstermin.settings",
    )
    sys.path.insert(0, os.path.dirname(__file__))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    places = {kind: prepare(kind, args.count) for kind in KINDS}
    locked = {kind: count_locked(places[kind].pop(0)) for kind in KINDS}  # warms up, too
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for number in range(args.count):  # in turn, so that the machine's load hits all alike
        for kind in KINDS:
            timings[kind].append(cancel(places[kind][number]))
    print(f"database {connection.vendor}, {args.count} cancellations each, ms")
    for kind in KINDS:
        values = sorted(timings[kind])
        p90 = values[int(len(values) * 0.9) - 1]
        print(
            f"{kind:14} median {statistics.median(values) * 1000:6.2f}  p90 {p90 * 1000:6.2f}"
            f"  statements under the lock {locked[kind]}"
        )
    check(places)


def prepare(kind: str, count: int) -> list[Appointment]:
    """An office with one time each Monday, ``count + 1`` Mondays booked, and their wishes."""
    from django.utils import timezone

    from amtstermin.booking import services
    from amtstermin.booking.demand import resolve_demand
    from amtstermin.booking.models import Counter, Office, OpeningHours, Service
    from amtstermin.booking.services import CitizenDetails

    office = Office.objects.create(
        name=f"Bürgerbüro {kind}",
        federal_state="NW",
        slot_minutes=30,
        horizon_days=7 * (count + 12),
        lead_time_minutes=0,
        require_email_confirmation=False,
        appointments_per_person=count + 2,
    )
    service = Service.objects.create(office=office, name="Reisepass", first_person_minutes=30)
    counter = Counter.objects.create(office=office, name="Schalter 1")
    counter.services.add(service)
    OpeningHours.objects.create(counter=counter, weekday=0, start=time(8, 0), end=time(8, 30))
    demand = resolve_demand(office=office, pairs=[(service.pk, 1)])
    now = timezone.now()
    today = now.astimezone(office.zone).date()
    first_monday = today + timedelta(days=7 - today.weekday())
    holidays = office.public_holidays(range(today.year, today.year + 3))
    mondays = [
        monday
        for monday in (first_monday + timedelta(weeks=n) for n in range(count + 10))
        if monday not in holidays
    ][: count + 1]
    booked = []
    for number, monday in enumerate(mondays):
        start = datetime.combine(monday, time(8, 0), tzinfo=office.zone)
        citizen = CitizenDetails(name="Bench Mark", email=f"b{number}@example.org")
        appointment, _token = services.appointment_book(
            demand=demand, start=start, citizen=citizen, now=now
        )
        booked.append(appointment)
        if kind != "no wishes":
            wish(demand, monday, number, afternoons=kind == "wish, no fit")
    return booked


def cancel(appointment: Appointment) -> float:
    from amtstermin.booking import services

    began = perf_counter()
    services.appointment_cancel(appointment=appointment)
    return perf_counter() - began


def count_locked(appointment: Appointment) -> int:
    from lock_probe import locked_statements

    with locked_statements() as probe:
        cancel(appointment)
    return probe.counts()[0]


def check(places: dict[str, list[Appointment]]) -> None:
    """Each cancellation of the last kind made an offer; the others none."""
    from amtstermin.booking.models import WaitlistStatus

    for kind, booked in places.items():
        offered = booked[0].office.waitlist.filter(status=WaitlistStatus.OFFERED).count()
        assert offered == (len(booked) + 1 if kind == "wish, offered" else 0), (kind, offered)


def wish(demand: Demand, day: date, number: int, *, afternoons: bool) -> None:
    from amtstermin.booking import waitlist

    entry, _token = waitlist.waitlist_sign_up(
        wish=waitlist.Wish(
            demand=demand,
            first_day=day,
            last_day=day,
            name="Erika Mustermann",
            email=f"w{number}@example.org",
            part_of_day="afternoon" if afternoons else "",
        )
    )
    waitlist.waitlist_activate(entry=entry)


if __name__ == "__main__":
    main()
