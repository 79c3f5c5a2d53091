"""One queue for booked and walk-in citizens: check-in gives a place in line, the calling
order with the gap rule, and the times kept of calls, no-shows and service."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from amtstermin.booking import desk
from amtstermin.booking.models import Ticket, TicketStatus

from .conftest import Cast, at, book, client_for


def test_checking_in_at_the_counter_puts_the_citizen_in_the_queue(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    desk.appointment_check_in(appointment=appointment, staff_user=cast.clerk_a, now=at(8, 50))
    ticket = Ticket.objects.get(appointment=appointment)
    assert ticket.label == "T-001"
    assert ticket.status == TicketStatus.WAITING
    assert set(ticket.services.all()) == {cast.services_a["id_card"]}


def test_the_queue_page_lists_a_citizen_checked_in_by_the_clerk(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    desk.appointment_check_in(appointment=appointment, staff_user=cast.clerk_a)
    page = client_for(cast.clerk_a).get(f"/backoffice/{cast.office_a.pk}/queue/")
    assert "T-001" in page.content.decode()


def test_the_booked_citizen_due_at_the_counter_is_called_before_earlier_walk_ins(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    registration = cast.services_a["registration"]
    walk_ins = [desk.ticket_issue(office=cast.office_a, services=[registration]) for _ in range(3)]
    appointment = book(cast.office_a, cast.services_a["id_card"], at(8, 45))
    frozen.move_to(at(8, 44))
    desk.appointment_check_in(appointment=appointment, staff_user=cast.clerk_a)
    counter = appointment.counter
    called = desk.ticket_call_next(office=cast.office_a, counter=counter, staff_user=cast.clerk_a)
    assert called is not None and called.appointment_id == appointment.pk
    assert all(Ticket.objects.get(pk=t.pk).status == "waiting" for t in walk_ins)


def test_a_walk_in_is_not_called_into_a_gap_too_short_for_the_next_booking(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    copies, registration = cast.services_a["copies"], cast.services_a["registration"]
    first = cast.counters_a[0]  # the only counter for copies
    booked = book(cast.office_a, cast.services_a["id_card"], at(8, 45))
    assert booked.counter_id == first.pk
    # W-001 needs 20 minutes, but the booking at 08:45 leaves 15: W-002 (10 minutes) goes first.
    long_one = desk.ticket_issue(office=cast.office_a, services=[copies, registration])
    short_one = desk.ticket_issue(office=cast.office_a, services=[registration])
    called = desk.ticket_call_next(office=cast.office_a, counter=first, staff_user=cast.clerk_a)
    assert called is not None and called.pk == short_one.pk
    # With nobody else who fits, the counter stays free for the booked citizen.
    assert (
        desk.ticket_call_next(office=cast.office_a, counter=first, staff_user=cast.clerk_a) is None
    )
    assert Ticket.objects.get(pk=long_one.pk).status == "waiting"


def test_calls_recalls_no_shows_and_service_are_kept_with_their_times(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    ticket = desk.ticket_issue(office=cast.office_a, services=[cast.services_a["registration"]])
    assert ticket.estimated_wait_minutes == 0
    counter = cast.counters_a[1]
    frozen.shift(timedelta(minutes=7))
    desk.ticket_call_next(office=cast.office_a, counter=counter, staff_user=cast.clerk_a)
    first_call = at(8, 37)
    frozen.shift(timedelta(minutes=1))
    desk.ticket_call_again(ticket=ticket, staff_user=cast.clerk_a)
    frozen.shift(timedelta(minutes=1))
    desk.ticket_set_aside(ticket=ticket, staff_user=cast.clerk_a)
    ticket.refresh_from_db()
    assert ticket.first_called_at == first_call
    assert ticket.called_at == at(8, 38)
    assert ticket.call_count == 2
    assert ticket.actual_wait_minutes == 7
    assert ticket.set_aside_at == at(8, 39)
    desk.ticket_return(ticket=ticket, staff_user=cast.clerk_a)
    desk.ticket_call_next(office=cast.office_a, counter=counter, staff_user=cast.clerk_a)
    frozen.shift(timedelta(minutes=9))
    desk.ticket_finish(ticket=ticket, staff_user=cast.clerk_a)
    ticket.refresh_from_db()
    assert ticket.status == "done" and ticket.finished_at == at(8, 48)
    assert ticket.first_called_at == first_call and ticket.actual_wait_minutes == 7


def test_the_estimate_is_never_zero_while_every_counter_is_busy(cast: Cast) -> None:
    registration = cast.services_a["registration"]
    for _ in range(2):
        desk.ticket_issue(office=cast.office_a, services=[registration])
    for counter in cast.counters_a:
        desk.ticket_call_next(office=cast.office_a, counter=counter, staff_user=cast.clerk_a)
    third = desk.ticket_issue(office=cast.office_a, services=[registration])
    assert third.estimated_wait_minutes is not None and third.estimated_wait_minutes >= 1


def test_the_kiosk_service_refuses_numbers_while_no_counter_is_open(cast: Cast) -> None:
    from amtstermin.booking.errors import LimitReached

    registration = cast.services_a["registration"]
    for moment in (at(7, 30), at(12, 5)):
        try:
            desk.ticket_issue(office=cast.office_a, services=[registration], now=moment)
        except LimitReached as exc:
            assert "No counter for this is open now" in exc.message
        else:
            raise AssertionError(f"a number was issued at {moment}")
    assert not Ticket.objects.exists()


def test_serving_from_the_day_plan_takes_the_citizen_out_of_the_queue(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    desk.appointment_check_in(appointment=appointment, staff_user=cast.clerk_a, now=at(8, 50))
    desk.appointment_start_service(appointment=appointment, staff_user=cast.clerk_a, now=at(8, 55))
    ticket = Ticket.objects.get(appointment=appointment)
    assert ticket.status == TicketStatus.CALLED and ticket.counter_id == appointment.counter_id
    desk.appointment_complete(appointment=appointment, staff_user=cast.clerk_a, now=at(9, 10))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE and ticket.finished_at == at(9, 10)
    for counter in cast.counters_a:
        assert (
            desk.ticket_call_next(
                office=cast.office_a, counter=counter, staff_user=cast.clerk_a, now=at(9, 11)
            )
            is None
        )
