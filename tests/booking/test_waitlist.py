"""The waitlist: a freed time is held for the earliest waiting wish that fits and offered with
a deadline; declined or lapsed, it goes to the next; the same per-person limits apply."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from amtstermin.booking import services, waitlist, waitlist_matching
from amtstermin.booking.errors import InvalidDetails, PersonLimitReached, WrongState
from amtstermin.booking.housekeeping import purge_personal_data, release_lapsed
from amtstermin.booking.models import (
    Appointment,
    AppointmentStatus,
    PartOfDay,
    WaitlistEntry,
    WaitlistStatus,
)
from amtstermin.booking.tasks import release_lapsed as release_lapsed_task
from amtstermin.booking.waitlist_selectors import waitlist_lengths, wish_by_token
from amtstermin.booking.waitlist_tasks import (
    ensure_waitlist_sweep,
    offer_free_times,
    waitlist_sweep,
)
from amtstermin.notifications.models import Message, MessageKind
from tests.booking.waitlist_cast import (
    EIGHT,
    NOW,
    OneTime,
    book_the_time,
    leave_wish,
    one_time_office,
)
from tests.factories import A_MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def place() -> OneTime:
    return one_time_office()


def freed(appointment: Appointment) -> None:
    """The booked time is cancelled."""
    services.appointment_cancel(appointment=appointment, staff=True, now=NOW)


def status(entry: WaitlistEntry) -> str:
    entry.refresh_from_db()
    return entry.status


def test_a_wish_waits_for_its_e_mail_confirmation_and_is_offered_nothing_before(
    place: OneTime,
) -> None:
    booked = book_the_time(place)
    entry, _token = leave_wish(place, "erika@example.org", activate=False)
    freed(booked)

    assert waitlist_matching.offer_free_times(office_id=place.office.pk, now=NOW) == 0
    assert status(entry) == WaitlistStatus.PENDING
    [message] = Message.objects.filter(wish=entry)
    assert message.kind == MessageKind.WAITLIST_OPT_IN


def test_a_cancellation_holds_its_time_for_the_earliest_wish_in_its_own_transaction(
    place: OneTime,
) -> None:
    booked = book_the_time(place)
    first, _t1 = leave_wish(place, "first@example.org")
    second, _t2 = leave_wish(place, "second@example.org", now=NOW + timedelta(minutes=1))
    assert status(first) == WaitlistStatus.ACTIVE
    DBTaskResult.objects.all().delete()

    freed(booked)  # no worker runs

    first.refresh_from_db()
    assert first.status == WaitlistStatus.OFFERED
    assert first.offer_expires_at == NOW + timedelta(hours=2)
    assert first.offer is not None
    assert (first.offer.start, first.offer.status) == (EIGHT, AppointmentStatus.HELD)
    assert first.offer.held_until == first.offer_expires_at
    assert status(second) == WaitlistStatus.ACTIVE
    assert Message.objects.filter(wish=first, kind=MessageKind.WAITLIST_OFFER).count() == 1
    assert not DBTaskResult.objects.filter(task_path=offer_free_times.module_path).exists()


def test_a_wish_for_other_weekdays_or_afternoons_is_passed_over(place: OneTime) -> None:
    booked = book_the_time(place)
    tuesdays, _t = leave_wish(place, "tue@example.org", weekdays=frozenset({2}))
    afternoons, _t = leave_wish(place, "pm@example.org", part_of_day=PartOfDay.AFTERNOON)
    mondays, _t = leave_wish(
        place, "mon@example.org", weekdays=frozenset({1}), part_of_day=PartOfDay.MORNING
    )

    freed(booked)

    assert [status(tuesdays), status(afternoons), status(mondays)] == [
        WaitlistStatus.ACTIVE,
        WaitlistStatus.ACTIVE,
        WaitlistStatus.OFFERED,
    ]


def test_a_wish_confirmed_while_a_fitting_time_is_free_is_offered_it_at_once(
    place: OneTime,
) -> None:
    entry, _token = leave_wish(place, "erika@example.org")

    assert status(entry) == WaitlistStatus.OFFERED
    assert entry.offer is not None and entry.offer.start == EIGHT


def test_accepting_books_the_time_confirmed_with_the_booked_e_mail(place: OneTime) -> None:
    entry, _token = leave_wish(place, "erika@example.org")  # offered the free time at once

    entry, appointment, manage = waitlist.waitlist_accept(entry=entry, now=NOW)

    assert entry.status == WaitlistStatus.BOOKED
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert (appointment.email, appointment.citizen_name) == (
        "erika@example.org",
        "Erika Mustermann",
    )
    assert manage
    assert Message.objects.filter(appointment=appointment, kind=MessageKind.CONFIRMED).exists()


def test_a_declined_offer_goes_to_the_next_in_line_in_the_same_transaction(
    place: OneTime,
) -> None:
    first, _t = leave_wish(place, "first@example.org")
    second, _t = leave_wish(place, "second@example.org", now=NOW + timedelta(minutes=1))

    waitlist.waitlist_decline(entry=first, now=NOW)

    assert status(first) == WaitlistStatus.CANCELLED
    second.refresh_from_db()
    assert second.status == WaitlistStatus.OFFERED
    assert second.offer is not None and second.offer.start == EIGHT
    assert Appointment.objects.filter(status=AppointmentStatus.HELD).count() == 1


def test_a_lapsed_offer_goes_to_the_next_in_line_when_the_worker_marks_it(
    place: OneTime,
) -> None:
    first, _t = leave_wish(place, "first@example.org")
    second, _t = leave_wish(place, "second@example.org", now=NOW + timedelta(minutes=1))
    deadline = NOW + timedelta(hours=2)

    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        with pytest.raises(WrongState):
            waitlist.waitlist_accept(entry=first)
        assert release_lapsed(office_id=place.office.pk) == 1  # the task queued for then

    assert status(first) == WaitlistStatus.EXPIRED
    second.refresh_from_db()
    assert second.status == WaitlistStatus.OFFERED
    assert second.offer is not None and second.offer.start == EIGHT


def test_the_sweep_ends_a_lapsed_offer_and_passes_its_time_on(place: OneTime) -> None:
    first, _t = leave_wish(place, "first@example.org")
    second, _t = leave_wish(place, "second@example.org", now=NOW + timedelta(minutes=1))

    with time_machine.travel(NOW + timedelta(hours=2, seconds=1), tick=False):
        waitlist_matching.offer_free_times(office_id=place.office.pk)

    assert status(first) == WaitlistStatus.EXPIRED
    assert status(second) == WaitlistStatus.OFFERED


def test_an_offer_is_open_until_its_last_second(place: OneTime) -> None:
    entry, _t = leave_wish(place, "erika@example.org")

    with time_machine.travel(NOW + timedelta(hours=2) - timedelta(seconds=1), tick=False):
        _entry, appointment, _m = waitlist.waitlist_accept(entry=entry)

    assert appointment.status == AppointmentStatus.CONFIRMED


def test_withdrawing_an_offered_wish_gives_the_time_back(place: OneTime) -> None:
    entry, _t = leave_wish(place, "erika@example.org")

    waitlist.waitlist_withdraw(entry=entry, now=NOW)

    assert status(entry) == WaitlistStatus.CANCELLED
    assert not Appointment.objects.filter(status=AppointmentStatus.HELD).exists()


def test_the_wishes_of_one_address_are_limited_like_its_appointments(place: OneTime) -> None:
    leave_wish(place, "Erika@example.org")
    leave_wish(place, "erika+zwei@example.org", activate=False)

    with pytest.raises(PersonLimitReached, match="2 wishes"):
        leave_wish(place, "erika@Example.org")
    leave_wish(place, "someone.else@example.org")


def test_a_withdrawn_wish_no_longer_counts_against_the_limit(place: OneTime) -> None:
    entry, _t = leave_wish(place, "erika@example.org")
    leave_wish(place, "erika@example.org")
    waitlist.waitlist_withdraw(entry=entry, now=NOW)

    leave_wish(place, "erika@example.org")


def test_accepting_is_refused_when_the_address_holds_its_appointments_already(
    place: OneTime,
) -> None:
    entry, _t = leave_wish(place, "erika@example.org")
    place.office.appointments_per_person = 1
    place.office.save()
    # Another appointment of the office with the same address.
    services.appointment_book(
        demand=place.demand,
        start=EIGHT + timedelta(days=7),
        citizen=services.CitizenDetails(name="Erika", email="erika@example.org"),
        now=NOW,
    )

    with pytest.raises(PersonLimitReached):
        waitlist.waitlist_accept(entry=entry, now=NOW)
    assert status(entry) == WaitlistStatus.OFFERED


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [
        (A_MONDAY, A_MONDAY - timedelta(days=1), "to"),
        (A_MONDAY, A_MONDAY + timedelta(days=92), "to"),
    ],
)
def test_a_wish_needs_its_days_in_order_and_not_too_many(
    place: OneTime, first: date, last: date, field: str
) -> None:
    with pytest.raises(InvalidDetails) as refused:
        leave_wish(place, "erika@example.org", first_day=first, last_day=last)
    assert refused.value.field == field


def test_wishes_past_their_last_day_expire_and_their_personal_data_is_erased(
    place: OneTime,
) -> None:
    entry, token = leave_wish(place, "erika@example.org")
    later = NOW + timedelta(days=6 + place.office.retention_days + 2)

    purge_personal_data(now=later)

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.EXPIRED
    assert (entry.citizen_name, entry.email, entry.email_identity) == ("", "", "")
    assert entry.personal_data_erased_at == later
    assert wish_by_token(token) == entry


def test_an_open_wish_keeps_its_personal_data_through_the_purge(place: OneTime) -> None:
    entry, _t = leave_wish(place, "erika@example.org")

    purge_personal_data(now=NOW + timedelta(days=1))

    entry.refresh_from_db()
    assert entry.email == "erika@example.org"


def test_staff_see_the_waitlist_length_per_service(place: OneTime) -> None:
    leave_wish(place, "a@example.org")
    leave_wish(place, "b@example.org")
    leave_wish(place, "c@example.org", activate=False)  # not on the list before the opt-in

    [service] = [item.service for item in place.demand.items]
    assert waitlist_lengths(place.office) == {service.pk: 2}


def test_marking_a_lapsed_hold_expired_offers_its_time_in_the_same_transaction(
    place: OneTime,
) -> None:
    services.appointment_hold(demand=place.demand, start=EIGHT, now=NOW)
    entry, _t = leave_wish(place, "erika@example.org")
    assert status(entry) == WaitlistStatus.ACTIVE  # the time is held

    assert release_lapsed(office_id=place.office.pk, now=NOW + timedelta(hours=1)) == 1

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert entry.offer is not None and entry.offer.start == EIGHT


def test_one_sweep_stays_queued_and_it_offers_what_the_events_missed(place: OneTime) -> None:
    booked = book_the_time(place)
    entry, _t = leave_wish(place, "erika@example.org")
    # Freed outside the application's writers (the shell): nobody offered it yet.
    Appointment.objects.filter(pk=booked.pk).update(status=AppointmentStatus.CANCELLED)
    DBTaskResult.objects.all().delete()
    ensure_waitlist_sweep()
    ensure_waitlist_sweep()  # the worker calls it at every start: still one
    assert DBTaskResult.objects.filter(task_path=waitlist_sweep.module_path).count() == 1

    with time_machine.travel(NOW, tick=False):
        assert waitlist_sweep.call() == 1

    assert status(entry) == WaitlistStatus.OFFERED
    queued = DBTaskResult.objects.filter(task_path=waitlist_sweep.module_path, status="READY")
    assert queued.count() == 2  # the one ensured, and the next one the sweep queued


def test_an_offer_queues_the_release_of_its_hold_for_its_deadline(place: OneTime) -> None:
    booked = book_the_time(place)
    leave_wish(place, "erika@example.org")
    DBTaskResult.objects.all().delete()

    freed(booked)

    [task] = DBTaskResult.objects.filter(task_path=release_lapsed_task.module_path)
    assert task.run_after == NOW + timedelta(hours=2)
