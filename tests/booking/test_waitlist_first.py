"""The waitlist comes first: a time that fits a waiting wish is offered to it before any citizen
can book it, whatever freed it. No worker runs in these tests unless a test says so: the offer
is made in the transaction that freed the time, and the public's availability and booking never
see the time in between."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django_tasks_db.models import DBTaskResult

from amtstermin.booking import configuration, selectors, services, waitlist_matching
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.errors import SlotTaken
from amtstermin.booking.housekeeping import release_lapsed
from amtstermin.booking.models import (
    AppointmentStatus,
    Closure,
    Counter,
    WaitlistEntry,
    WaitlistStatus,
)
from amtstermin.booking.services import CitizenDetails
from amtstermin.booking.waitlist_tasks import offer_free_times, waitlist_sweep
from tests.booking.waitlist_cast import (
    EIGHT,
    NOW,
    OneTime,
    book_the_time,
    leave_wish,
    one_time_office,
)
from tests.factories import A_MONDAY, make_counter, make_office, make_service

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
CITIZEN = CitizenDetails(name="Schnell Bucher", email="schnell@example.org")


@pytest.fixture
def place() -> OneTime:
    return one_time_office()


def public_times(place: OneTime, now: datetime = NOW) -> list[int]:
    """The starts a citizen sees on A_MONDAY."""
    days = selectors.availability(place.demand, first_day=A_MONDAY, last_day=A_MONDAY, now=now)
    return [start for day in days for start in day.starts]


def offered_start(entry: WaitlistEntry) -> datetime | None:
    entry.refresh_from_db()
    if entry.status != WaitlistStatus.OFFERED or entry.offer is None:
        return None
    assert entry.offer.status == AppointmentStatus.HELD
    return entry.offer.start


def a_citizen_holds_the_time(place: OneTime, now: datetime = NOW) -> None:
    services.appointment_hold(demand=place.demand, start=EIGHT, now=now)


def test_the_public_never_sees_a_cancelled_time_that_a_waiting_wish_fits(place: OneTime) -> None:
    booked = book_the_time(place)
    entry, _token = leave_wish(place, "erika@example.org")

    services.appointment_cancel(appointment=booked, staff=True, now=NOW)

    assert public_times(place) == []
    with pytest.raises(SlotTaken):
        a_citizen_holds_the_time(place)
    assert offered_start(entry) == EIGHT


def test_without_a_fitting_wish_the_cancelled_time_is_free_and_nothing_is_left_to_do(
    place: OneTime,
) -> None:
    booked = book_the_time(place)
    tuesdays, _token = leave_wish(place, "tue@example.org", weekdays=frozenset({2}))
    DBTaskResult.objects.all().delete()

    services.appointment_cancel(appointment=booked, staff=True, now=NOW)

    assert public_times(place) == [int(EIGHT.timestamp())]
    assert offered_start(tuesdays) is None
    # The waitlist had its pass in the cancellation: no task waits for the worker.
    assert not DBTaskResult.objects.filter(task_path=offer_free_times.module_path).exists()


def test_a_moved_appointment_s_old_time_goes_to_the_waitlist_first(place: OneTime) -> None:
    booked = book_the_time(place)
    entry, _token = leave_wish(place, "erika@example.org")

    services.appointment_move(
        appointment=booked, start=EIGHT + timedelta(days=7), staff=True, now=NOW
    )

    assert public_times(place) == []
    assert offered_start(entry) == EIGHT


@pytest.mark.parametrize("replacing", [False, True], ids=["given back", "another time chosen"])
def test_a_hold_given_back_goes_to_the_waitlist_first(place: OneTime, replacing: bool) -> None:
    hold, _token = services.appointment_hold(demand=place.demand, start=EIGHT, now=NOW)
    entry, _t = leave_wish(place, "erika@example.org")
    assert offered_start(entry) is None  # held

    if replacing:
        services.appointment_hold(
            demand=place.demand, start=EIGHT + timedelta(days=7), now=NOW, replacing=hold
        )
    else:
        services.appointment_release_hold(appointment=hold, now=NOW)

    assert public_times(place) == []
    assert offered_start(entry) == EIGHT


def test_a_lapsed_hold_keeps_its_time_from_the_public_and_its_owner_may_still_complete_it(
    place: OneTime,
) -> None:
    hold, _token = services.appointment_hold(demand=place.demand, start=EIGHT, now=NOW)
    entry, _t = leave_wish(place, "erika@example.org")
    lapsed = NOW + timedelta(minutes=place.office.hold_minutes, seconds=1)

    # Past the hold's deadline, before the worker has marked it expired.
    assert public_times(place, lapsed) == []
    with pytest.raises(SlotTaken):
        a_citizen_holds_the_time(place, lapsed)
    booked = services.appointment_complete_hold(appointment=hold, citizen=CITIZEN, now=lapsed)

    assert booked.status == AppointmentStatus.CONFIRMED
    assert offered_start(entry) is None


def test_a_lapsed_hold_goes_to_the_waitlist_when_the_worker_marks_it(place: OneTime) -> None:
    a_citizen_holds_the_time(place)
    entry, _token = leave_wish(place, "erika@example.org")
    lapsed = NOW + timedelta(minutes=place.office.hold_minutes, seconds=1)

    assert release_lapsed(office_id=place.office.pk, now=lapsed) == 1  # the worker's task

    assert offered_start(entry) == EIGHT
    assert public_times(place, lapsed) == []


def test_a_lapsed_unconfirmed_booking_keeps_its_time_until_the_waitlist_had_it() -> None:
    place = one_time_office(require_email_confirmation=True)
    booked, _token = services.appointment_book(
        demand=place.demand, start=EIGHT, citizen=CITIZEN, now=NOW
    )
    assert booked.status == AppointmentStatus.PENDING
    entry, _t = leave_wish(place, "erika@example.org")
    lapsed = NOW + timedelta(minutes=place.office.confirm_minutes, seconds=1)

    assert public_times(place, lapsed) == []

    release_lapsed(office_id=place.office.pk, now=lapsed)
    assert offered_start(entry) == EIGHT


# --- A released day: the waitlist sees it first --------------------------------------------


def berlin(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=BERLIN)


RELEASE = berlin(date(2026, 12, 2), 7, 30)  # Wednesday 07:30 releases Monday 7 December


@pytest.fixture
def released_place() -> OneTime:
    # Each working day at 07:30 the day five days ahead opens: Wednesday 2 December opens
    # Monday 7 December (A_MONDAY), the only day with the office's one time.
    return one_time_office(release_time=time(7, 30), horizon_days=5)


def test_a_released_day_is_offered_to_the_waitlist_before_citizens_see_it(
    released_place: OneTime,
) -> None:
    place = released_place
    entry, _token = leave_wish(place, "erika@example.org")
    assert offered_start(entry) is None  # Monday is not released yet

    with time_machine.travel(RELEASE - timedelta(minutes=14), tick=False):
        waitlist_sweep.call()  # the worker's sweep, every ten minutes

    assert offered_start(entry) == EIGHT
    just_before = RELEASE - timedelta(seconds=1)
    assert selectors.booking_window(place.office, now=just_before).last_day < A_MONDAY
    assert selectors.booking_window(place.office, now=RELEASE).last_day == A_MONDAY
    assert public_times(place, RELEASE) == []  # opened to the second, its time already held
    with pytest.raises(SlotTaken):
        a_citizen_holds_the_time(place, RELEASE)


# --- Configuration changes: offered in the change's own transaction --------------------------


def test_a_closure_deleted_in_the_admin_is_offered_to_the_waitlist_in_the_same_request(
    place: OneTime, client: Client
) -> None:
    closure = Closure.objects.create(
        office=place.office, start=EIGHT, end=EIGHT + timedelta(hours=1), reason="Betriebsausflug"
    )
    entry, _token = leave_wish(place, "erika@example.org")
    assert offered_start(entry) is None  # closed
    client.force_login(User.objects.create_superuser("it", password="irrelevant-pass-123"))

    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/admin/booking/closure/{closure.pk}/delete/", {"post": "yes"}, HTTP_HOST="testserver"
        )

    assert response.status_code == 302
    assert not Closure.objects.exists()
    assert offered_start(entry) == EIGHT
    assert public_times(place) == []


def test_a_counter_offered_online_on_the_counters_page_gives_its_times_to_the_waitlist() -> None:
    office = make_office(name="Bürgerbüro mit Schalter für Anrufe", slot_minutes=30)
    service = make_service(office, "Reisepass", 30)
    make_counter(office, "Schalter 1", [service], [(1, time(8, 0), time(8, 30))])  # Tuesdays
    kept = make_counter(office, "Telefon", [service], [(0, time(8, 0), time(8, 30))])  # Mondays
    kept.online_bookable = False
    kept.save()
    place = OneTime(office=office, demand=resolve_demand(office=office, pairs=[(service.pk, 1)]))
    entry, _token = leave_wish(place, "erika@example.org", weekdays=frozenset({1}))
    assert offered_start(entry) is None  # Monday's only counter is kept for callers
    head = User.objects.create_superuser("leitung", password="irrelevant-pass-123")

    configuration.counter_offers_set(
        office=office,
        offers={
            kept.pk: configuration.CounterOffer(
                online_bookable=True, service_ids=frozenset({service.pk})
            )
        },
        staff_user=head,
        now=NOW,
    )

    assert offered_start(entry) == EIGHT


def test_a_wish_is_matched_by_the_one_rule_for_booking_online(place: OneTime) -> None:
    entry, _token = leave_wish(place, "erika@example.org", activate=False)
    online = selectors.office_configuration_uncached(place.office.pk)
    Counter.objects.filter(office=place.office).update(online_bookable=False)
    kept_back = selectors.office_configuration_uncached(place.office.pk)
    assert online is not None and kept_back is not None

    # The service is still meant for online booking, but no counter offered online offers it
    # (Service.bookable_online): citizens cannot book it, so the wish is offered nothing.
    assert waitlist_matching.demand_of_wish(entry, online) is not None
    assert waitlist_matching.demand_of_wish(entry, kept_back) is None
