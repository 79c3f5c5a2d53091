"""A hand-computed day for the statistics tests: Friday 2026-12-04 in office A."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from amtstermin.booking.models import (
    Appointment,
    AppointmentLine,
    AppointmentStatus,
    AuditAction,
    AuditEntry,
    Channel,
    Counter,
    Service,
    Ticket,
    TicketStatus,
)
from tests.backoffice.conftest import Cast

DAY = date(2026, 12, 4)
_codes = itertools.count(1)


def friday(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    """A Berlin wall time on that day (UTC+1 in December)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=1)


def appointment(
    counter: Counter,
    service: Service,
    start: datetime,
    minutes: int,
    status: str,
    channel: str = Channel.ONLINE,
    persons: int = 1,
    **times: datetime,
) -> Appointment:
    code = f"ST{next(_codes):06d}"
    created = Appointment.objects.create(
        office=counter.office,
        counter=counter,
        start=start,
        end=start + timedelta(minutes=minutes),
        status=status,
        channel=channel,
        code=code,
        token_hash=code,
        **times,
    )
    AppointmentLine.objects.create(appointment=created, service=service, persons=persons)
    return created


def ticket(
    cast: Cast,
    number: int,
    drawn: datetime,
    *,
    service: Service | None = None,
    called: datetime | None = None,
    finished: datetime | None = None,
    counter: Counter | None = None,
) -> Ticket:
    created = Ticket.objects.create(
        office=cast.office_a,
        day=DAY,
        prefix=Ticket.WALK_IN_PREFIX,
        number=number,
        status=TicketStatus.DONE if finished else TicketStatus.WAITING,
        counter=counter,
        created_at=drawn,
        called_at=called,
        finished_at=finished,
    )
    if service is not None:
        created.services.add(service)
    return created


def hand_computed_day(cast: Cast) -> None:
    """The day whose figures the tests compute by hand (see test_statistics_figures)."""
    one, two = cast.counters_a
    id_card = cast.services_a["id_card"]
    C = AppointmentStatus
    appointment(
        one, id_card, friday(9), 15, C.COMPLETED,
        checked_in_at=friday(8, 55), in_service_at=friday(9, 5), completed_at=friday(9, 17),
    )  # fmt: skip
    appointment(
        one, id_card, friday(9, 15), 15, C.COMPLETED, Channel.PHONE,
        checked_in_at=friday(9, 10), in_service_at=friday(9, 30), completed_at=friday(9, 50),
    )  # fmt: skip
    appointment(two, id_card, friday(9), 15, C.NO_SHOW, no_show_at=friday(9, 20))
    appointment(two, id_card, friday(10), 15, C.CANCELLED, cancelled_at=friday(8))
    by_office = appointment(
        two, id_card, friday(10, 15), 15, C.CANCELLED, Channel.PHONE, cancelled_at=friday(8)
    )
    AuditEntry.objects.create(
        office=cast.office_a,
        actor=cast.head_a,
        created_at=friday(8),
        action=AuditAction.CANCEL,
        appointment=by_office,
        before={},
        after={},
    )
    appointment(
        one, id_card, friday(11), 15, C.EXPIRED,
        pending_until=friday(7), expired_at=friday(7),
    )  # fmt: skip
    appointment(
        one, id_card, friday(11, 15), 15, C.EXPIRED, held_until=friday(7), expired_at=friday(7)
    )
    appointment(
        two, cast.services_a["registration"], friday(11), 20, C.CONFIRMED, Channel.COUNTER, 3
    )
    ticket(
        cast, 1, friday(8, 10), service=cast.services_a["copies"],
        called=friday(8, 40), finished=friday(8, 50), counter=one,
    )  # fmt: skip
    ticket(cast, 2, friday(8, 20), called=friday(8, 25), finished=friday(8, 45), counter=two)
    ticket(cast, 3, friday(9))
