"""Blocking a counter or the office, and moving or cancelling the appointments inside."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import translation

from amtstermin.booking import roles
from amtstermin.booking.models import (
    Absence,
    Appointment,
    AppointmentStatus,
    AuditEntry,
    Closure,
    Counter,
    Office,
    Service,
)
from amtstermin.booking.planning import (
    Resolution,
    blocked_appointments_resolve,
    blocked_time_create,
)
from tests.backoffice.conftest import NOW, at, book, make_staff
from tests.factories import small_office


@pytest.fixture
def office(db: None) -> Iterator[tuple[Office, dict[str, Service], list[Counter], User]]:
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        roles.ensure_staff_groups()
        the_office, svc, counters = small_office()
        head = make_staff("head", roles.OFFICE_HEAD, the_office)
        yield the_office, svc, counters, head


Setup = tuple[Office, dict[str, Service], list[Counter], User]


def _block(
    scope: Office | Counter, head: User, hours: tuple[int, int] = (8, 12)
) -> Absence | Closure:
    return blocked_time_create(
        scope=scope, start=at(hours[0]), end=at(hours[1]), reason="krank", staff_user=head
    )


def test_blocking_a_counter_is_an_absence_in_the_audit_log(office: Setup) -> None:
    _office, _svc, counters, head = office
    blocked = _block(counters[0], head)
    assert isinstance(blocked, Absence) and blocked.counter == counters[0]
    assert AuditEntry.objects.get(action="absence").actor == head


def test_blocking_the_office_is_a_closure(office: Setup) -> None:
    the_office, _svc, _counters, head = office
    blocked = _block(the_office, head)
    assert isinstance(blocked, Closure) and blocked.office == the_office
    assert AuditEntry.objects.filter(action="closure").exists()


def test_appointments_of_an_absence_move_to_the_first_free_time(office: Setup) -> None:
    the_office, svc, _counters, head = office
    appointment = book(the_office, svc["registration"], at(9))
    blocked = _block(Counter.objects.get(pk=appointment.counter_id), head)
    [outcome] = blocked_appointments_resolve(
        office=the_office,
        blocked=blocked,
        appointment_ids=[appointment.pk],
        resolution=Resolution.MOVE,
        staff_user=head,
        now=NOW,
    )
    appointment.refresh_from_db()
    assert isinstance(blocked, Absence)
    assert outcome.error == "" and outcome.moved_to == appointment.start
    assert appointment.counter_id != blocked.counter_id
    assert AuditEntry.objects.filter(appointment=appointment, action="move").exists()


def test_appointments_of_a_closure_are_cancelled_with_the_reason(office: Setup) -> None:
    the_office, svc, _counters, head = office
    first = book(the_office, svc["id_card"], at(9))
    second = book(the_office, svc["id_card"], at(10))
    outcomes = blocked_appointments_resolve(
        office=the_office,
        blocked=_block(the_office, head),
        appointment_ids=[first.pk, second.pk],
        resolution=Resolution.CANCEL,
        reason="Stromausfall",
        staff_user=head,
        now=NOW,
    )
    assert [(o.appointment.pk, o.error) for o in outcomes] == [(first.pk, ""), (second.pk, "")]
    for appointment in (first, second):
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.CANCELLED
        assert appointment.cancel_reason == "Stromausfall"


def test_only_appointments_inside_the_blocked_time_are_touched(office: Setup) -> None:
    the_office, svc, _counters, head = office
    inside = book(the_office, svc["id_card"], at(9))
    outside = book(the_office, svc["id_card"], at(11))
    outcomes = blocked_appointments_resolve(
        office=the_office,
        blocked=_block(the_office, head, hours=(8, 10)),
        appointment_ids=[inside.pk, outside.pk],
        resolution=Resolution.CANCEL,
        staff_user=head,
        now=NOW,
    )
    assert [outcome.appointment.pk for outcome in outcomes] == [inside.pk]
    outside.refresh_from_db()
    assert outside.status == AppointmentStatus.CONFIRMED


def test_an_appointment_without_a_free_time_in_four_weeks_stays_with_the_reason(
    office: Setup,
) -> None:
    the_office, svc, _counters, head = office
    appointment = book(the_office, svc["id_card"], at(9))
    closure = blocked_time_create(
        scope=the_office,
        start=at(8),
        end=at(8) + timedelta(weeks=5),
        reason="Umbau",
        staff_user=head,
    )
    [outcome] = blocked_appointments_resolve(
        office=the_office,
        blocked=closure,
        appointment_ids=[appointment.pk],
        resolution=Resolution.MOVE,
        staff_user=head,
        now=NOW,
    )
    assert outcome.moved_to is None and "No free time" in outcome.error
    assert Appointment.objects.get(pk=appointment.pk).start == at(9)
