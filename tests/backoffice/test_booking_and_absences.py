"""Phone and counter bookings by staff; absences and closures with their affected bookings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amtstermin.booking.models import (
    Absence,
    Appointment,
    AppointmentStatus,
    AuditEntry,
    Channel,
    Closure,
)
from amtstermin.notifications.models import Message, MessageKind

from .conftest import DAY, Cast, at, book, client_for

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def test_staff_see_times_inside_the_lead_time_and_staff_only_services(cast: Cast) -> None:
    copies = cast.services_a["copies"]  # not bookable online
    response = client_for(cast.clerk_a).get(
        f"/backoffice/{cast.office_a.pk}/book/", {f"persons_{copies.pk}": "1", "day": DAY}
    )
    assert response.status_code == 200
    # 08:30 now; citizens would need two hours' lead time, staff may book 08:30 at once.
    assert response.context["next_times"][0].value == f"{DAY}T08:30"


def test_a_phone_booking_is_confirmed_audited_and_printable(cast: Cast) -> None:
    id_card = cast.services_a["id_card"]
    client = client_for(cast.clerk_a)
    response = client.post(
        f"/backoffice/{cast.office_a.pk}/book/",
        {
            f"persons_{id_card.pk}": "2",
            "day": DAY,
            "time": "09:00",
            "name": "Karl Anrufer",
            "email": "",
            "phone": "0221 12345",
            "channel": "phone",
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(citizen_name="Karl Anrufer")
    assert (
        appointment.channel == Channel.PHONE and appointment.status == AppointmentStatus.CONFIRMED
    )
    assert appointment.start == at(9) and appointment.end == at(9, 30)
    assert AuditEntry.objects.get(appointment=appointment).action == "book"
    page = client.get(response["Location"])
    body = page.content.decode()
    assert appointment.code in body
    assert "74,00" in body or "74.00" in body
    assert "Photo" in body  # the checklist, in the page language


def test_a_booking_without_a_name_shows_the_error_at_the_field(cast: Cast) -> None:
    id_card = cast.services_a["id_card"]
    response = client_for(cast.clerk_a).post(
        f"/backoffice/{cast.office_a.pk}/book/",
        {f"persons_{id_card.pk}": "1", "day": DAY, "time": "09:00", "name": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-invalid="true"' in body and 'role="alert"' in body
    assert not Appointment.objects.exists()


def _block_counter(cast: Cast, counter_id: int) -> TestResponse:
    return client_for(cast.head_a).post(
        f"/backoffice/{cast.office_a.pk}/absences/",
        {
            "scope": str(counter_id),
            "start_day": DAY,
            "start_time": "08:00",
            "end_day": DAY,
            "end_time": "12:00",
            "reason": "krank",
        },
    )


def test_blocking_a_counter_lists_its_appointments_and_moves_them(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["registration"], at(9))
    blocked_counter = appointment.counter_id
    response = _block_counter(cast, blocked_counter)
    assert response.status_code == 302
    absence = Absence.objects.get(counter_id=blocked_counter)
    client = client_for(cast.head_a)
    page = client.get(response["Location"])
    assert appointment.code in page.content.decode()
    client.post(response["Location"], {"appointment": [appointment.pk], "action": "move"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert appointment.counter_id != blocked_counter
    assert absence.start <= at(9) < absence.end  # the old time lay inside the absence
    assert AuditEntry.objects.filter(action="absence").exists()
    assert AuditEntry.objects.get(appointment=appointment, action="move")


def test_closing_the_office_cancels_selected_appointments_with_a_message(cast: Cast) -> None:
    first = book(cast.office_a, cast.services_a["id_card"], at(9))
    second = book(cast.office_a, cast.services_a["id_card"], at(10))
    client = client_for(cast.head_a)
    response = client.post(
        f"/backoffice/{cast.office_a.pk}/absences/",
        {
            "scope": "office",
            "start_day": DAY,
            "start_time": "08:00",
            "end_day": DAY,
            "end_time": "12:00",
        },
    )
    assert Closure.objects.filter(office=cast.office_a).count() == 1
    client.post(
        response["Location"],
        {"appointment": [first.pk, second.pk], "action": "cancel", "reason": "Stromausfall"},
    )
    for appointment in (first, second):
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.CANCELLED
        assert appointment.cancel_reason == "Stromausfall"
        assert Message.objects.filter(appointment=appointment, kind=MessageKind.CANCELLED).exists()


def test_an_absence_ending_before_it_starts_is_refused(cast: Cast) -> None:
    response = client_for(cast.head_a).post(
        f"/backoffice/{cast.office_a.pk}/absences/",
        {
            "scope": str(cast.counters_a[0].pk),
            "start_day": DAY,
            "start_time": "12:00",
            "end_day": DAY,
            "end_time": "08:00",
        },
    )
    assert response.status_code == 400
    assert "The end must be after the start." in response.content.decode()
    assert not Absence.objects.exists()


def test_a_clerk_cannot_block_a_counter(cast: Cast) -> None:
    response = client_for(cast.clerk_a).post(
        f"/backoffice/{cast.office_a.pk}/absences/",
        {
            "scope": "office",
            "start_day": DAY,
            "start_time": "08:00",
            "end_day": DAY,
            "end_time": "12:00",
        },
    )
    assert response.status_code == 403
    assert not Closure.objects.exists()


def _close_office_at_nine(cast: Cast) -> tuple[Appointment, str]:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    response = client_for(cast.head_a).post(
        f"/backoffice/{cast.office_a.pk}/absences/",
        {
            "scope": "office",
            "start_day": DAY,
            "start_time": "08:00",
            "end_day": DAY,
            "end_time": "12:00",
        },
    )
    return appointment, response["Location"]


def test_resolving_a_closure_needs_a_chosen_appointment(cast: Cast) -> None:
    response = client_for(cast.head_a).post(
        _close_office_at_nine(cast)[1], {"action": "cancel"}, follow=True
    )
    assert "Please select at least one appointment." in response.content.decode()


def test_an_unknown_resolution_changes_no_appointment(cast: Cast) -> None:
    appointment, url = _close_office_at_nine(cast)
    response = client_for(cast.head_a).post(
        url, {"appointment": [appointment.pk], "action": "delete"}, follow=True
    )
    assert "Please choose whether to move or to cancel." in response.content.decode()
    assert Appointment.objects.get(pk=appointment.pk).start == at(9)
