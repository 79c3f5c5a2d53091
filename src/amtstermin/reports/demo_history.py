"""Months of invented history for the demo (and the benchmark), so the statistics pages show
real charts: past appointments and walk-in numbers with plausible times, their daily figures
and samples of the time to the next free appointment. No person's data: names stay empty."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from amtstermin.booking.localtime import instant_from_wall
from amtstermin.booking.models import (
    Appointment,
    AppointmentLine,
    AppointmentStatus,
    Channel,
    Office,
    Service,
    Ticket,
    TicketStatus,
)
from amtstermin.reports import figures
from amtstermin.reports.models import NextFreeSample

CODE_PREFIX = "H"  # booking codes of invented history: H + 7 digits
HISTORY_TOKEN = "history-"  # noqa: S105 - not a secret: marks the invented rows
_STATUSES = (
    [AppointmentStatus.COMPLETED] * 80
    + [AppointmentStatus.NO_SHOW] * 7
    + [AppointmentStatus.CANCELLED] * 9
    + [AppointmentStatus.EXPIRED] * 4
)
_CHANNELS = [Channel.ONLINE] * 7 + [Channel.PHONE] * 2 + [Channel.COUNTER]


def _wall(day: date, at: time, office: Office) -> datetime:
    return instant_from_wall(datetime.combine(day, at), office.zone)


def invent(
    office: Office, *, first: date, last: date, fill: float = 0.6, seed: int = 15
) -> tuple[int, int]:
    """Past appointments and walk-in numbers on first..last; returns how many of each."""
    rng = random.Random(seed)
    counters = list(office.counters.filter(active=True).prefetch_related("services"))
    hours = {
        counter.pk: [(h.weekday, h.start, h.end) for h in counter.opening_hours.all()]
        for counter in counters
    }
    start_code = Appointment.objects.filter(token_hash__startswith=HISTORY_TOKEN).count()
    appointments: list[Appointment] = []
    services_of: list[tuple[Service, int]] = []
    tickets: list[Ticket] = []
    day = first
    while day <= last:
        number = 0
        for counter in counters:
            offered = list(counter.services.all())
            if not offered:
                continue
            for weekday, opens, closes in hours[counter.pk]:
                if weekday != day.weekday():
                    continue
                moment = _wall(day, opens, office)
                end_of_day = _wall(day, closes, office)
                while True:
                    service = rng.choice(offered)
                    persons = (
                        1 if rng.random() < 0.8 else rng.randint(2, max(service.max_persons, 2))
                    )
                    minutes = service.minutes_for(min(persons, service.max_persons))
                    if moment + timedelta(minutes=minutes) > end_of_day:
                        break
                    if rng.random() < fill:
                        appointments.append(
                            _appointment(rng, office, counter.pk, moment, minutes, start_code)
                        )
                        start_code += 1
                        services_of.append((service, min(persons, service.max_persons)))
                    elif rng.random() < 0.4:
                        number += 1
                        tickets.append(_walk_in(rng, office, counter.pk, day, moment, number))
                    moment += timedelta(minutes=minutes)
        day += timedelta(days=1)
    created = Appointment.objects.bulk_create(appointments, batch_size=2000)
    AppointmentLine.objects.bulk_create(
        (
            AppointmentLine(appointment=appointment, service=service, persons=persons)
            for appointment, (service, persons) in zip(created, services_of, strict=True)
        ),
        batch_size=2000,
    )
    Ticket.objects.bulk_create(tickets, batch_size=2000)
    return len(created), len(tickets)


def _appointment(
    rng: random.Random, office: Office, counter_id: int, start: datetime, minutes: int, n: int
) -> Appointment:
    status = rng.choice(_STATUSES)
    code = f"{CODE_PREFIX}{n:07d}"
    times: dict[str, datetime | None] = {}
    if status == AppointmentStatus.COMPLETED:
        checked_in = start - timedelta(minutes=rng.randint(0, 10))
        called = start + timedelta(minutes=max(rng.gauss(4, 4), 0))
        done = called + timedelta(minutes=max(rng.gauss(minutes * 1.1, minutes * 0.25), 2))
        times = {"checked_in_at": checked_in, "in_service_at": called, "completed_at": done}
    elif status == AppointmentStatus.NO_SHOW:
        times = {"no_show_at": start + timedelta(minutes=15)}
    elif status == AppointmentStatus.CANCELLED:
        times = {"cancelled_at": start - timedelta(days=rng.randint(1, 10))}
    else:
        times = {
            "pending_until": start - timedelta(days=5),
            "expired_at": start - timedelta(days=5),
        }
    return Appointment(
        office=office,
        counter_id=counter_id,
        start=start,
        end=start + timedelta(minutes=minutes),
        status=status,
        code=code,
        token_hash=f"{HISTORY_TOKEN}{code}",
        channel=rng.choice(_CHANNELS),
        personal_data_erased_at=timezone.now(),
        **times,
    )


def _walk_in(
    rng: random.Random, office: Office, counter_id: int, day: date, moment: datetime, number: int
) -> Ticket:
    drawn = moment - timedelta(minutes=rng.randint(5, 40))
    called = drawn + timedelta(minutes=rng.randint(2, 45))
    return Ticket(
        office=office,
        day=day,
        prefix=Ticket.WALK_IN_PREFIX,
        number=number,
        status=TicketStatus.DONE,
        counter_id=counter_id,
        created_at=drawn,
        called_at=called,
        finished_at=called + timedelta(minutes=rng.randint(4, 15)),
    )


def invent_next_free(office: Office, *, first: date, last: date, seed: int = 15) -> int:
    rng = random.Random(seed)
    samples = []
    for service in office.services.filter(online_bookable=True, active=True):
        ahead = rng.randint(3, 12)
        day = first
        while day <= last:
            ahead = max(0, ahead + rng.randint(-2, 2))
            for hour in (7, 11, 15):
                samples.append(
                    NextFreeSample(
                        office=office,
                        service=service,
                        day=day,
                        taken_at=datetime.combine(day, time(hour), tzinfo=UTC),
                        days_ahead=ahead,
                    )
                )
            day += timedelta(days=1)
    NextFreeSample.objects.bulk_create(samples, batch_size=2000)
    return len(samples)


def load_history(office: Office, *, weeks: int = 16, now: datetime | None = None) -> bool:
    """Invent ``weeks`` weeks up to yesterday, once; False if the office has history already."""
    if Appointment.objects.filter(office=office, token_hash__startswith=HISTORY_TOKEN).exists():
        return False
    now = now or timezone.now()
    last = now.astimezone(office.zone).date() - timedelta(days=1)
    first = last - timedelta(weeks=weeks)
    invent(office, first=first, last=last)
    invent_next_free(office, first=first, last=last)
    day = first
    while day <= last:
        figures.store_day(office, day, now=now)
        day += timedelta(days=1)
    return True
