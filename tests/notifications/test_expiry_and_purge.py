"""Lapsed holds and unconfirmed bookings, and the erasure of personal data.

The clock is fixed with time_machine: services, tasks and the purge read it themselves.
Availability never waits for a task: a lapsed hold or booking is free the moment it lapses; the
release task only records it. Personal data goes ``retention_days`` after the appointment (or
its cancellation or expiry); what stays is anonymous.
"""

from __future__ import annotations

import io
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amtstermin.booking import housekeeping, selectors, services
from amtstermin.booking.demand import Demand, resolve_demand
from amtstermin.booking.errors import SlotTaken, WrongState
from amtstermin.booking.models import Appointment, AppointmentStatus, Channel, Office
from amtstermin.booking.tasks import ensure_daily_purge, purge_daily, release_lapsed
from amtstermin.notifications.models import Message, MessageKind, MessageStatus
from amtstermin.notifications.tasks import send_message
from tests.factories import WEEKDAY_MORNINGS, make_counter, make_office, make_service

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday; bookings are for the Monday after
EIGHT = datetime(2026, 12, 7, 8, 0, tzinfo=BERLIN)
ERIKA = services.CitizenDetails(
    name="Erika Mustermann",
    email="erika@example.org",
    phone="0171 1234567",
    booked_for="Max Mustermann",
)
OTHER = services.CitizenDetails(name="Otto Normal", email="otto@example.org")
LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
TAKEN = "this time has just been taken"
NOT_RESERVED = "no longer reserved for you"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass(frozen=True)
class Desk:
    """An office with one counter, so that one appointment takes a time away."""

    office: Office
    demand: Demand


def one_counter_office(**overrides: object) -> Desk:
    office = make_office(require_email_confirmation=True, **overrides)
    id_card = make_service(office, "Personalausweis", 15, 15)
    make_counter(office, "Schalter 1", [id_card], WEEKDAY_MORNINGS)
    return Desk(office=office, demand=resolve_demand(office=office, pairs=[(id_card.pk, 1)]))


@pytest.fixture
def desk(db: None) -> Desk:
    return one_counter_office()


def is_free(desk: Desk, start: datetime) -> bool:
    """Whether the availability answer (the pages and the API ask the same) offers ``start``."""
    day = start.astimezone(desk.office.zone).date()
    days = selectors.availability(desk.demand, first_day=day, last_day=day, now=timezone.now())
    return int(start.timestamp()) in {instant for d in days for instant in d.starts}


def book_online(desk: Desk, start: datetime = EIGHT) -> tuple[Appointment, str]:
    return services.appointment_book(demand=desk.demand, start=start, citizen=ERIKA)


def book_by_phone(desk: Desk, start: datetime = EIGHT) -> Appointment:
    """Staff bookings are confirmed at once."""
    appointment, _token = services.appointment_book(
        demand=desk.demand, start=start, citizen=OTHER, channel=Channel.PHONE, staff=True
    )
    return appointment


def reloaded(appointment: Appointment) -> Appointment:
    return Appointment.objects.get(pk=appointment.pk)


def ready_tasks(name: str) -> list[DBTaskResult]:
    return [
        task
        for task in DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        if task.task_path.endswith(f".{name}")
    ]


# --- Unconfirmed bookings -------------------------------------------------------------------


def test_an_unconfirmed_booking_past_its_deadline_is_free_at_once_without_any_task(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    pending, _token = book_online(desk)
    assert pending.status == AppointmentStatus.PENDING
    assert pending.pending_until == NOW + timedelta(minutes=60)
    assert not is_free(desk, EIGHT)  # also fills the availability cache

    clock.move_to(pending.pending_until - timedelta(seconds=1))
    assert not is_free(desk, EIGHT)
    clock.move_to(pending.pending_until)
    assert is_free(desk, EIGHT)  # no task has run: the row still says pending
    assert reloaded(pending).status == AppointmentStatus.PENDING
    # The tidy-up task waits for exactly that moment ...
    (task,) = ready_tasks("release_lapsed")
    assert task.run_after == pending.pending_until

    # ... and only records what availability already knew.
    assert release_lapsed.call(desk.office.pk) == 1
    expired = reloaded(pending)
    assert (
        expired.status == AppointmentStatus.EXPIRED and expired.expired_at == pending.pending_until
    )
    assert is_free(desk, EIGHT)


@LOCMEM
@pytest.mark.parametrize("tidied_up", [False, True], ids=["before-the-task", "after-the-task"])
def test_a_lapsed_booking_whose_time_is_still_free_is_confirmed_by_its_link(
    desk: Desk, clock: time_machine.Traveller, tidied_up: bool
) -> None:
    pending, _token = book_online(desk)
    clock.move_to(NOW + timedelta(minutes=90))
    if tidied_up:
        assert release_lapsed.call(desk.office.pk) == 1

    confirmed = services.appointment_confirm(appointment=pending)

    assert confirmed.status == AppointmentStatus.CONFIRMED
    stored = reloaded(pending)
    assert stored.status == AppointmentStatus.CONFIRMED and stored.pending_until is None
    assert stored.confirmed_at == NOW + timedelta(minutes=90)
    assert stored.expired_at is None
    assert not is_free(desk, EIGHT)
    kinds = list(Message.objects.filter(appointment=pending).values_list("kind", flat=True))
    # Once the task marked it expired, the citizen was told it lapsed (issue 16).
    told = [MessageKind.LAPSED] if tidied_up else []
    assert sorted(kinds) == sorted([MessageKind.CONFIRM_REQUEST, MessageKind.CONFIRMED, *told])


@LOCMEM
def test_confirming_a_lapsed_booking_whose_time_was_taken_fails_and_the_other_booking_stays(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    pending, token = book_online(desk)
    clock.move_to(NOW + timedelta(minutes=90))
    other = book_by_phone(desk)  # the only counter: possible only because the first lapsed

    with pytest.raises(SlotTaken) as refused, translation.override("en"):
        services.appointment_confirm(appointment=pending)
    assert TAKEN in refused.value.message

    assert reloaded(pending).status == AppointmentStatus.EXPIRED
    stays = reloaded(other)
    assert stays.status == AppointmentStatus.CONFIRMED and stays.start == EIGHT
    assert not Message.objects.filter(appointment=pending, kind=MessageKind.CONFIRMED).exists()
    # The button behind the e-mail's link says so on the manage page, in the booking's German.
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(f"/confirm/{token}/", follow=True)
    assert response.redirect_chain == [(f"/manage/{token}/", 302)]
    assert "Diese Zeit wurde leider gerade vergeben" in response.content.decode()
    assert reloaded(pending).status == AppointmentStatus.EXPIRED


# --- Holds ----------------------------------------------------------------------------------


def test_a_hold_past_its_time_is_free_at_once_and_the_task_marks_it_expired(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    hold, _token = services.appointment_hold(demand=desk.demand, start=EIGHT)
    assert hold.held_until == NOW + timedelta(minutes=10)
    assert not is_free(desk, EIGHT)

    clock.move_to(hold.held_until - timedelta(seconds=1))
    assert not is_free(desk, EIGHT)
    clock.move_to(hold.held_until)
    assert is_free(desk, EIGHT)
    assert reloaded(hold).status == AppointmentStatus.HELD
    (task,) = ready_tasks("release_lapsed")
    assert task.run_after == hold.held_until

    assert release_lapsed.call(desk.office.pk) == 1
    expired = reloaded(hold)
    assert expired.status == AppointmentStatus.EXPIRED and expired.expired_at == hold.held_until


@LOCMEM
@pytest.mark.parametrize("tidied_up", [False, True], ids=["before-the-task", "after-the-task"])
def test_a_lapsed_hold_whose_time_is_still_free_is_completed(
    desk: Desk, clock: time_machine.Traveller, tidied_up: bool
) -> None:
    hold, _token = services.appointment_hold(demand=desk.demand, start=EIGHT)
    clock.move_to(NOW + timedelta(minutes=25))
    if tidied_up:
        assert release_lapsed.call(desk.office.pk) == 1

    booked = services.appointment_complete_hold(appointment=hold, citizen=ERIKA)

    stored = reloaded(booked)
    assert stored.status == AppointmentStatus.PENDING  # the office asks for e-mail confirmation
    assert stored.pending_until == NOW + timedelta(minutes=25 + 60)
    assert stored.held_until is None and stored.expired_at is None
    assert stored.citizen_name == ERIKA.name
    assert not is_free(desk, EIGHT)


@pytest.mark.parametrize("tidied_up", [False, True], ids=["before-the-task", "after-the-task"])
def test_extending_a_lapsed_hold_whose_time_is_still_free_keeps_it_held(
    desk: Desk, clock: time_machine.Traveller, tidied_up: bool
) -> None:
    hold, _token = services.appointment_hold(demand=desk.demand, start=EIGHT)
    clock.move_to(NOW + timedelta(minutes=25))
    if tidied_up:
        assert release_lapsed.call(desk.office.pk) == 1

    services.appointment_extend_hold(appointment=hold)

    stored = reloaded(hold)
    assert stored.status == AppointmentStatus.HELD and stored.expired_at is None
    assert stored.held_until == NOW + timedelta(minutes=35)
    assert not is_free(desk, EIGHT)


@LOCMEM
def test_completing_a_lapsed_hold_whose_time_was_taken_fails_and_the_other_booking_stays(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    hold, _token = services.appointment_hold(demand=desk.demand, start=EIGHT)
    clock.move_to(NOW + timedelta(minutes=25))
    other = book_by_phone(desk)

    with pytest.raises(WrongState) as refused, translation.override("en"):
        services.appointment_complete_hold(appointment=hold, citizen=ERIKA)
    assert NOT_RESERVED in refused.value.message
    with pytest.raises(WrongState):
        services.appointment_extend_hold(appointment=hold)

    lapsed = reloaded(hold)
    assert lapsed.status == AppointmentStatus.EXPIRED and lapsed.citizen_name == ""
    stays = reloaded(other)
    assert stays.status == AppointmentStatus.CONFIRMED and stays.start == EIGHT


# --- Erasing personal data ------------------------------------------------------------------

ANONYMOUS_FIELDS = ("office_id", "counter_id", "start", "end", "status", "channel", "code")


def anonymous_part(appointment: Appointment) -> tuple[object, ...]:
    lines = sorted(appointment.lines.values_list("service_id", "persons"))
    return (*(getattr(appointment, field) for field in ANONYMOUS_FIELDS), lines)


def personal_part(appointment: Appointment) -> tuple[str, str, str, str]:
    return (appointment.citizen_name, appointment.email, appointment.phone, appointment.booked_for)


ERIKAS_DATA = (ERIKA.name, ERIKA.email, ERIKA.phone, ERIKA.booked_for)
NOTHING = ("", "", "", "")


def book_confirmed(desk: Desk, start: datetime) -> Appointment:
    appointment, _token = services.appointment_book(
        demand=desk.demand, start=start, citizen=ERIKA, channel=Channel.PHONE, staff=True
    )
    return appointment


@LOCMEM
def test_purge_erases_personal_data_after_the_retention_period_and_keeps_the_rest(
    clock: time_machine.Traveller, db: None
) -> None:
    desk = one_counter_office()  # retention_days: 7 (the default)
    assert desk.office.retention_days == 7
    long_kept = one_counter_office(name="Bürgerbüro Langzeit", retention_days=30)
    desk.demand.office.appointments_per_person = 5  # Erika books five times here
    desk.demand.office.save()
    past = book_confirmed(desk, EIGHT)
    recent = book_confirmed(desk, EIGHT + timedelta(days=3))
    cancelled_early = book_confirmed(desk, EIGHT + timedelta(days=35))
    cancelled_late = book_confirmed(desk, EIGHT + timedelta(days=36))
    lapsed, _token = book_online(desk, EIGHT + timedelta(hours=1))
    other_office = book_confirmed(long_kept, EIGHT)
    services.appointment_cancel(appointment=cancelled_early, staff=True)  # at NOW
    clock.move_to(NOW + timedelta(hours=2))
    assert release_lapsed.call(desk.office.pk) == 1  # expired_at: NOW + 2 h
    clock.move_to(NOW + timedelta(days=7))
    services.appointment_cancel(appointment=cancelled_late, staff=True)
    everyone = [past, recent, cancelled_early, cancelled_late, lapsed, other_office]
    before = {a.pk: anonymous_part(reloaded(a)) for a in everyone}

    # Exactly seven days after the end of ``past``: not yet ("more than" retention_days).
    seven_days_after = past.end + timedelta(days=7)
    clock.move_to(seven_days_after)
    assert housekeeping.purge_personal_data() == {desk.office.name: 2, long_kept.office.name: 0}
    assert personal_part(reloaded(past)) == ERIKAS_DATA
    assert personal_part(reloaded(cancelled_early)) == NOTHING  # cancelled 13 days ago
    assert personal_part(reloaded(lapsed)) == NOTHING  # expired 13 days ago

    a_minute_later = seven_days_after + timedelta(minutes=1)
    clock.move_to(a_minute_later)
    assert housekeeping.purge_personal_data() == {desk.office.name: 1, long_kept.office.name: 0}

    erased = {past.pk: a_minute_later, cancelled_early.pk: seven_days_after}
    erased[lapsed.pk] = seven_days_after
    for appointment in everyone:
        stored = reloaded(appointment)
        assert anonymous_part(stored) == before[appointment.pk], "only personal data goes"
        if appointment.pk in erased:
            assert personal_part(stored) == NOTHING
            assert stored.personal_data_erased_at == erased[appointment.pk]
        else:  # inside the period: a recent appointment and cancellation, 30 days' retention
            assert personal_part(stored) == ERIKAS_DATA
            assert stored.personal_data_erased_at is None

    # The other office keeps its data for 30 days.
    clock.move_to(other_office.end + timedelta(days=30, minutes=1))
    assert housekeeping.purge_personal_data()[long_kept.office.name] == 1
    assert personal_part(reloaded(other_office)) == NOTHING


class RefusingBackend:
    """The mail server refuses the recipient; the error quotes the address."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: list[object]) -> int:
        raise smtplib.SMTPRecipientsRefused({"erika@example.org": (550, b"mailbox unavailable")})


@LOCMEM
def test_queued_messages_of_erased_appointments_are_skipped_and_never_sent(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    failing = book_confirmed(desk, EIGHT)
    never_tried = book_confirmed(desk, EIGHT + timedelta(hours=1))
    failed_message = Message.objects.get(appointment=failing)
    with override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend"):
        assert send_message.call(failed_message.pk) == MessageStatus.QUEUED  # retry waits
    failed_message.refresh_from_db()
    assert "erika@example.org" in failed_message.last_error

    clock.move_to(never_tried.end + timedelta(days=7, minutes=1))
    assert housekeeping.purge_personal_data() == {desk.office.name: 2}

    messages = Message.objects.filter(appointment__in=[failing, never_tried])
    assert {(m.status, m.last_error) for m in messages} == {(MessageStatus.SKIPPED, "")}
    # Every send task still waiting (first tries and the retry) runs and sends nothing.
    waiting = ready_tasks("send_message")
    assert len(waiting) == 3
    for task in waiting:
        assert send_message.call(*task.args_kwargs["args"]) == "not queued"
    assert mail.outbox == []


def test_purge_command_prints_the_count_per_office_and_the_total(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    quiet = one_counter_office(name="Bürgerbüro Nord")
    book_confirmed(desk, EIGHT)
    book_confirmed(desk, EIGHT + timedelta(hours=1))
    clock.move_to(EIGHT + timedelta(days=8))

    out = io.StringIO()
    call_command("purge", stdout=out)

    lines = out.getvalue().splitlines()
    assert f"{desk.office.name}: personal data of 2 appointment(s) erased" in lines
    assert f"{quiet.office.name}: personal data of 0 appointment(s) erased" in lines
    assert lines[-1] == "Total: 2"
    out = io.StringIO()
    call_command("purge", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Total: 0"


def test_two_offices_of_the_same_name_add_up_in_the_counts(
    clock: time_machine.Traveller, db: None
) -> None:
    for _office in range(2):
        book_confirmed(one_counter_office(name="Bürgerbüro"), EIGHT)
    clock.move_to(EIGHT + timedelta(days=8))
    assert housekeeping.purge_personal_data() == {"Bürgerbüro": 2}


def test_the_daily_purge_keeps_exactly_one_future_purge_in_the_queue(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    due = book_confirmed(desk, EIGHT)
    clock.move_to(datetime(2026, 12, 14, 12, 0, tzinfo=BERLIN))
    ensure_daily_purge()
    ensure_daily_purge()  # the worker calls it at every start: still one
    (scheduled,) = ready_tasks("purge_daily")
    assert scheduled.run_after == datetime(2026, 12, 15, 3, 0, tzinfo=BERLIN)

    # The worker claims it when due and runs it: it purges and schedules the next night's.
    clock.move_to(scheduled.run_after)
    scheduled.claim("test-worker")
    assert purge_daily.call() == {desk.office.name: 1}
    assert personal_part(reloaded(due)) == NOTHING
    (following,) = ready_tasks("purge_daily")
    assert following.run_after == datetime(2026, 12, 16, 3, 0, tzinfo=BERLIN)
    # A second run the same night (by hand, or a second worker) adds none.
    assert purge_daily.call() == {desk.office.name: 0}
    assert [t.pk for t in ready_tasks("purge_daily")] == [following.pk]


def test_the_daily_purge_deletes_old_finished_task_rows_only(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    book_confirmed(desk, EIGHT)  # queues the e-mail and the reminder
    old, recent = (send_message.enqueue(0).id for _ in range(2))
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=now - timedelta(days=15)
    )
    DBTaskResult.objects.filter(pk=recent).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=now - timedelta(days=2)
    )
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    waiting = set(ready.values_list("pk", flat=True))
    assert waiting  # the e-mail and the reminder, still to run: they stay
    purge_daily.call()
    assert not DBTaskResult.objects.filter(pk=old).exists()
    assert DBTaskResult.objects.filter(pk=recent).exists()
    assert waiting <= set(ready.values_list("pk", flat=True))
