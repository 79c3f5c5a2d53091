"""New times for the appointments of an absence or closure: the nearest free time at or after
each one's own start, never inside the lead time, never two on the same time; applied only
for the rows the clerk confirmed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import translation

from amtstermin.booking import relocation, roles
from amtstermin.booking.models import Appointment, Counter, Office, Service
from amtstermin.booking.planning import (
    Resolution,
    blocked_appointments_move,
    blocked_appointments_resolve,
    blocked_time_create,
)
from tests.backoffice.conftest import NOW, at, book, make_staff
from tests.factories import small_office

Setup = tuple[Office, dict[str, Service], list[Counter], User]


@pytest.fixture
def office(db: None) -> Iterator[Setup]:
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        roles.ensure_staff_groups()
        the_office, svc, counters = small_office()
        head = make_staff("head", roles.OFFICE_HEAD, the_office)
        yield the_office, svc, counters, head


def tuesday(hour: int, minute: int = 0) -> datetime:
    return at(hour, minute) + timedelta(days=1)


def wednesday(hour: int, minute: int = 0) -> datetime:
    return at(hour, minute) + timedelta(days=2)


def test_a_blocked_counter_moves_its_appointment_to_the_same_time_at_another_counter(
    office: Setup,
) -> None:
    """Monday has free times earlier than Tuesday 11:00; the move must not go back to them."""
    the_office, svc, _counters, head = office
    appointment = book(the_office, svc["id_card"], tuesday(11))
    absence = blocked_time_create(
        scope=Counter.objects.get(pk=appointment.counter_id),
        start=tuesday(8),
        end=tuesday(12),
        reason="krank",
        staff_user=head,
    )
    [outcome] = blocked_appointments_resolve(
        office=the_office,
        blocked=absence,
        appointment_ids=[appointment.pk],
        resolution=Resolution.MOVE,
        staff_user=head,
        now=NOW,
    )
    assert outcome.error == "" and outcome.moved_to == tuesday(11)
    moved = Appointment.objects.get(pk=appointment.pk)
    assert moved.start == tuesday(11) and moved.counter_id != appointment.counter_id


def test_a_closed_day_moves_to_the_first_time_of_the_next_open_day(office: Setup) -> None:
    the_office, svc, _counters, head = office
    appointment = book(the_office, svc["id_card"], tuesday(9))
    closure = blocked_time_create(
        scope=the_office, start=tuesday(8), end=tuesday(12), reason="Umzug", staff_user=head
    )
    [proposal] = relocation.propose_times(the_office, [appointment], now=NOW)
    assert closure.start <= appointment.start < closure.end
    assert proposal.start == wednesday(8)


def test_a_proposal_is_never_inside_the_lead_time(office: Setup) -> None:
    """08:30 now, two hours' lead time: 09:00 moves to 10:30 at the earliest."""
    the_office, svc, _counters, head = office
    appointment = book(the_office, svc["id_card"], at(9))
    blocked_time_create(
        scope=Counter.objects.get(pk=appointment.counter_id),
        start=at(8),
        end=at(10),
        reason="krank",
        staff_user=head,
    )
    [proposal] = relocation.propose_times(the_office, [appointment], now=NOW)
    assert proposal.start == at(10, 30)


def test_two_proposals_never_share_a_counters_time(office: Setup) -> None:
    """Certifications are served at one counter only: two of them cannot both get 08:00."""
    the_office, svc, _counters, head = office
    first = book(the_office, svc["copies"], tuesday(9))
    second = book(the_office, svc["copies"], tuesday(9, 10))
    blocked_time_create(
        scope=the_office, start=tuesday(8), end=tuesday(12), reason="Umzug", staff_user=head
    )
    proposals = relocation.propose_times(the_office, [first, second], now=NOW)
    assert [p.start for p in proposals] == [wednesday(8), wednesday(8, 10)]


def test_a_proposed_time_taken_meanwhile_leaves_the_appointment_where_it_was(
    office: Setup,
) -> None:
    the_office, svc, _counters, head = office
    appointment = book(the_office, svc["copies"], tuesday(9))
    closure = blocked_time_create(
        scope=the_office, start=tuesday(8), end=tuesday(12), reason="Umzug", staff_user=head
    )
    [proposal] = relocation.propose_times(the_office, [appointment], now=NOW)
    assert proposal.start is not None
    book(the_office, svc["copies"], proposal.start, name="Schneller", email="s@example.org")
    [outcome] = blocked_appointments_move(
        office=the_office,
        blocked=closure,
        moves={appointment.pk: proposal.start},
        staff_user=head,
        now=NOW,
    )
    assert outcome.moved_to is None and "taken meanwhile" in outcome.error
    assert Appointment.objects.get(pk=appointment.pk).start == tuesday(9)


def test_only_the_confirmed_rows_are_moved_and_the_citizen_is_told_the_reason(
    office: Setup,
) -> None:
    the_office, svc, _counters, head = office
    kept = book(the_office, svc["id_card"], tuesday(9))
    moved = book(the_office, svc["id_card"], tuesday(10))
    closure = blocked_time_create(
        scope=the_office,
        start=tuesday(8),
        end=tuesday(12),
        reason="Personalversammlung",
        staff_user=head,
    )
    proposals = {
        p.appointment.pk: p.start
        for p in relocation.propose_times(the_office, [kept, moved], now=NOW)
        if p.start is not None
    }
    [outcome] = blocked_appointments_move(
        office=the_office,
        blocked=closure,
        moves={moved.pk: proposals[moved.pk]},
        staff_user=head,
        now=NOW,
    )
    assert outcome.appointment.pk == moved.pk
    assert Appointment.objects.get(pk=kept.pk).start == tuesday(9)
    after = Appointment.objects.get(pk=moved.pk)
    assert after.start == proposals[moved.pk] and after.moved_from == tuesday(10)
    assert after.changed_by_office and after.office_reason == "Personalversammlung"
