"""The day plan and the actions on an appointment: each checked, recorded, and refused when
the state does not allow it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.db import transaction

from amtstermin.booking.models import Appointment, AppointmentStatus, AuditEntry
from amtstermin.notifications.models import Message, MessageKind

from .conftest import DAY, NOW, Cast, at, book, client_for

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def test_day_plan_shows_columns_appointments_and_free_gaps(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    body = client_for(cast.clerk_a).get(f"/backoffice/{cast.office_a.pk}/day/").content.decode()
    for counter in cast.counters_a:
        assert f'id="counter-{counter.pk}"' in body
    assert appointment.code in body and "Personalausweis" in body
    assert "08:00</time>–09:00" in body  # the free gap before the appointment
    assert f"/backoffice/{cast.office_a.pk}/day/2026-12-06/" in body  # previous day


def test_search_finds_by_code_and_by_name(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9), name="Jana Sucher")
    client = client_for(cast.clerk_a)
    for query in (appointment.code.lower(), "sucher"):
        body = client.get(f"/backoffice/{cast.office_a.pk}/day/", {"q": query}).content.decode()
        assert f"#appointment-{appointment.pk}" in body, query


def test_printable_list_for_one_counter(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    counter = appointment.counter
    body = (
        client_for(cast.clerk_a)
        .get(f"/backoffice/{cast.office_a.pk}/day/{DAY}/", {"print": 1, "counter": counter.pk})
        .content.decode()
    )
    assert "<table" in body and appointment.code in body
    assert body.count("<table") == 1


def _post(cast: Cast, appointment: Appointment, action: str, **data: str) -> TestResponse:
    return client_for(cast.clerk_a).post(
        f"/backoffice/{cast.office_a.pk}/appointment/{appointment.pk}/{action}/", data, follow=True
    )


def test_check_in_start_and_complete_each_write_an_audit_entry(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    frozen.move_to(at(9, 2))
    _post(cast, appointment, "check-in")
    _post(cast, appointment, "start")
    _post(cast, appointment, "complete")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.COMPLETED
    assert appointment.checked_in_at == at(9, 2) and appointment.completed_at == at(9, 2)
    entries = list(AuditEntry.objects.filter(appointment=appointment).order_by("pk"))
    assert [e.action for e in entries] == ["check_in", "start_service", "complete"]
    assert all(e.actor == cast.clerk_a and e.actor_name == "clerk-a" for e in entries)
    assert entries[0].before["status"] == "confirmed"
    assert entries[0].after["status"] == "checked_in"
    assert entries[1].before["in_service_at"] is None and entries[1].after["in_service_at"]
    assert entries[2].after["status"] == "completed"
    assert "Erika" not in str(entries[0].before) + str(entries[0].after)


def test_no_show_after_completed_is_refused_and_changes_nothing(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    frozen.move_to(at(9, 5))
    _post(cast, appointment, "check-in")
    _post(cast, appointment, "complete")
    count = AuditEntry.objects.count()
    response = _post(cast, appointment, "no-show")
    body = response.content.decode()
    assert 'role="alert"' in body and "cannot be marked as a no-show" in body
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.COMPLETED and appointment.no_show_at is None
    assert AuditEntry.objects.count() == count


def test_no_show_before_the_start_is_refused(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(10))
    body = _post(cast, appointment, "no-show").content.decode()
    assert "once the appointment has begun" in body
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.CONFIRMED


def test_no_show_is_recorded_after_the_start(cast: Cast, frozen: time_machine.Traveller) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    frozen.move_to(at(9, 20))
    _post(cast, appointment, "no-show")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW and appointment.no_show_at == at(9, 20)
    assert AuditEntry.objects.get(appointment=appointment, action="no_show").before["status"] == (
        "confirmed"
    )


def test_staff_cancel_with_reason_mails_the_citizen_and_is_audited(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    _post(cast, appointment, "cancel", reason="Counter closed due to illness")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancel_reason == "Counter closed due to illness"
    assert Message.objects.filter(appointment=appointment, kind=MessageKind.CANCELLED).exists()
    entry = AuditEntry.objects.get(appointment=appointment, action="cancel")
    assert entry.note == "Counter closed due to illness"
    assert (entry.before["status"], entry.after["status"]) == ("confirmed", "cancelled")


def test_staff_move_to_a_chosen_counter(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    other = next(c for c in cast.counters_a if c.pk != appointment.counter_id)
    client = client_for(cast.clerk_a)
    page = client.get(f"/backoffice/{cast.office_a.pk}/appointment/{appointment.pk}/move/")
    assert page.status_code == 200 and b'value="10:00"' in page.content
    response = client.post(
        f"/backoffice/{cast.office_a.pk}/appointment/{appointment.pk}/move/",
        {"day": DAY, "time": "10:00", "counter": other.pk},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.start == at(10) and appointment.counter_id == other.pk
    entry = AuditEntry.objects.get(appointment=appointment, action="move")
    assert entry.before["start"] == at(9).isoformat()
    assert entry.after["counter"] == other.pk
    assert Message.objects.filter(appointment=appointment, kind=MessageKind.MOVED).exists()


def test_a_move_onto_a_taken_counter_is_refused(cast: Cast) -> None:
    first = book(cast.office_a, cast.services_a["id_card"], at(9))
    second = book(cast.office_a, cast.services_a["id_card"], at(10))
    response = client_for(cast.clerk_a).post(
        f"/backoffice/{cast.office_a.pk}/appointment/{second.pk}/move/",
        {"day": DAY, "time": "09:00", "counter": first.counter_id},
    )
    assert response.status_code == 400
    second.refresh_from_db()
    assert second.start == at(10)


def test_the_audit_log_cannot_be_changed_or_deleted(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    _post(cast, appointment, "check-in")
    entry = AuditEntry.objects.get(appointment=appointment)
    entry.note = "changed"
    with pytest.raises(PermissionError), transaction.atomic():
        entry.save()
    with pytest.raises(PermissionError), transaction.atomic():
        entry.delete()
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""
    # Nobody holds a change or delete permission; the head reads it on a page.
    from django.contrib.auth.models import Permission

    assert not Permission.objects.filter(
        content_type__model="auditentry", codename__in=["change_auditentry", "delete_auditentry"]
    ).exists()
    body = client_for(cast.head_a).get(f"/backoffice/{cast.office_a.pk}/audit/").content.decode()
    assert "checked in" in body and appointment.code in body and "clerk-a" in body


def test_day_navigation_defaults_to_today(cast: Cast) -> None:
    response = client_for(cast.clerk_a).get(f"/backoffice/{cast.office_a.pk}/day/")
    assert response.context["day"] == (NOW + timedelta(hours=1)).date()


def test_the_action_done_is_confirmed_in_the_staff_members_language(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    frozen.move_to(at(9, 2))
    body = _post(cast, appointment, "check-in").content.decode()
    assert f"{appointment.code} is checked in." in body
