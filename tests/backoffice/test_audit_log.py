"""The audit log people can read: office-local times, actions in words, what changed as
"field: before → after", filters, pages, a CSV export, and entries nobody can change."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from amtstermin.backoffice.audit_display import present
from amtstermin.booking import audit, desk, planning, services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import (
    Appointment,
    AuditAction,
    AuditEntry,
    Channel,
    Office,
    Ticket,
)
from amtstermin.booking.services import CitizenDetails
from amtstermin.spreadsheet import safe_cell

from .conftest import NOW, Cast, at, book, client_for

# Everything that gives away stored data instead of words: JSON, dictionaries, ISO instants.
RAW = re.compile(r"\{['\"]|\d{4}-\d{2}-\d{2}T\d|\+00:00|\bNone\b|\bTrue\b|\bFalse\b")
ACTIONS_TODAY = {
    "book",
    "cancel",
    "move",
    "check_in",
    "start_service",
    "complete",
    "no_show",
    "absence",
    "closure",
    "walk_in_limit",
    "ticket_call",
    "ticket_call_again",
    "ticket_set_aside",
    "ticket_return",
    "ticket_done",
}


def _german(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(user)
    return client


def _audit_url(office: Office, view: str = "audit") -> str:
    return reverse(f"backoffice:{view}", args=[office.pk])


def _table(body: str) -> str:
    """The page's table of entries (the filters list every action's name anyway)."""
    return body[body.index("<table") : body.index("</table>")]


def _every_action_through_the_services(cast: Cast) -> None:
    """One entry of every kind recorded today, each written by the service that records it."""
    office, clerk, head = cast.office_a, cast.clerk_a, cast.head_a
    id_card = cast.services_a["id_card"]
    demand = resolve_demand(office=office, pairs=[(id_card.pk, 1)], staff=True)

    def phone_booking(start: datetime) -> Appointment:
        appointment, _token = services.appointment_book(
            demand=demand,
            start=start,
            citizen=CitizenDetails(name="Karl Anrufer", email="", phone="0221 12345"),
            channel=Channel.PHONE,
            staff=True,
            now=NOW,
            staff_user=clerk,
        )
        return appointment

    served = phone_booking(at(9))
    services.appointment_move(
        appointment=served, start=at(9, 15), staff=True, now=NOW, staff_user=clerk
    )
    served = desk.appointment_check_in(appointment=served, staff_user=clerk, now=at(9))
    served = desk.appointment_start_service(appointment=served, staff_user=clerk, now=at(9, 15))
    desk.appointment_complete(appointment=served, staff_user=clerk, now=at(9, 30))
    missed = phone_booking(at(10))
    desk.appointment_mark_no_show(appointment=missed, staff_user=clerk, now=at(10, 20))
    services.appointment_cancel(
        appointment=phone_booking(at(11)), staff=True, now=NOW, staff_user=clerk, reason="krank"
    )
    planning.absence_create(
        counter=cast.counters_a[1], start=at(11), end=at(12), reason="Schulung", staff_user=head
    )
    planning.closure_create(
        office=office,
        start=at(12) + timedelta(days=1),
        end=at(13) + timedelta(days=1),
        reason="Betriebsausflug",
        staff_user=head,
    )
    planning.office_set_walk_in_limit(office=office, limit=25, staff_user=head)
    for _ in range(2):
        desk.ticket_issue(office=office, services=[cast.services_a["registration"]])
    counter = cast.counters_a[0]
    first = desk.ticket_call_next(office=office, counter=counter, staff_user=clerk)
    assert first is not None
    desk.ticket_call_again(ticket=first, staff_user=clerk)
    desk.ticket_set_aside(ticket=first, staff_user=clerk)
    desk.ticket_return(ticket=Ticket.objects.get(pk=first.pk), staff_user=clerk)
    desk.ticket_call_next(office=office, counter=counter, staff_user=clerk)  # calls the second
    desk.ticket_call_next(office=office, counter=counter, staff_user=clerk)  # second done


def test_every_action_of_today_reads_in_words_without_raw_data(cast: Cast) -> None:
    _every_action_through_the_services(cast)
    recorded = set(AuditEntry.objects.values_list("action", flat=True))
    assert recorded == ACTIONS_TODAY
    for language, client in (("de", _german(cast.head_a)), ("en", client_for(cast.head_a))):
        table = _table(client.get(_audit_url(cast.office_a)).content.decode())
        assert not RAW.findall(table), language
        with translation.override(language):
            for action in ACTIONS_TODAY:
                assert str(AuditAction(action).label) in table, (language, action)


def test_every_action_reads_in_words_also_those_added_later(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    for action in AuditAction:
        audit.record(
            staff_user=cast.clerk_a,
            action=action,
            appointment=appointment,
            now=NOW,
            before=audit.appointment_snapshot(appointment),
            after={**audit.appointment_snapshot(appointment), "start": at(10).isoformat()},
        )
    with translation.override("de"):
        lines = present(AuditEntry.objects.all(), cast.office_a)
        assert {line.action for line in lines} == {str(action.label) for action in AuditAction}
        assert {line.changes_text for line in lines} == {
            "Beginn: 07.12.2026 09:00 → 07.12.2026 10:00"
        }


def test_a_move_shows_local_times_and_counter_names(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    other = next(c for c in cast.counters_a if c.pk != appointment.counter_id)
    services.appointment_move(
        appointment=appointment,
        start=at(10),
        staff=True,
        now=NOW,
        staff_user=cast.clerk_a,
        counter=other,
    )
    with translation.override("de"):
        (line,) = present(AuditEntry.objects.all(), cast.office_a)
    assert line.time == "07.12.2026 08:30:00"  # 07:30 UTC is 08:30 in Berlin
    assert line.action == "verschoben"
    assert line.subject == appointment.code
    changes = [str(change) for change in line.changes]
    assert f"Schalter: {appointment.counter.name} → {other.name}" in changes
    assert "Beginn: 07.12.2026 09:00 → 07.12.2026 10:00" in changes
    assert "Ende: 07.12.2026 09:15 → 07.12.2026 10:15" in changes


def test_the_walk_in_limit_reads_as_the_fields_name_and_a_dash_for_none(cast: Cast) -> None:
    planning.office_set_walk_in_limit(office=cast.office_a, limit=25, staff_user=cast.head_a)
    planning.office_set_walk_in_limit(office=cast.office_a, limit=None, staff_user=cast.head_a)
    with translation.override("en"):
        texts = [line.changes_text for line in present(AuditEntry.objects.all(), cast.office_a)]
    assert texts == ["Walk-in tickets per day: 25 → —", "Walk-in tickets per day: — → 25"]


def test_values_read_as_words_booleans_lists_and_unknown_keys(cast: Cast) -> None:
    audit.record(
        staff_user=cast.head_a,
        action=AuditAction.WALK_IN_LIMIT,
        office_id=cast.office_a.pk,
        now=NOW,
        before={"require_second_factor": False, "services": [], "colour": "blau"},
        after={
            "require_second_factor": True,
            "services": [s.pk for s in cast.services_a.values()],
            "colour": "grün",
            "bookable_from": "2027-01-04",
        },
    )
    with translation.override("de"):
        (line,) = present(AuditEntry.objects.all(), cast.office_a)
    changes = [str(change) for change in line.changes]
    assert any(text.endswith(": Nein → Ja") for text in changes), changes
    assert "Anliegen: — → Personalausweis, Anmeldung, Beglaubigung" in changes
    assert "colour: blau → grün" in changes
    assert any(text.endswith(": — → 04.01.2027") for text in changes), changes


def test_a_kiosk_check_in_and_a_phone_booking_have_notes_in_words(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    desk.ticket_check_in_by_code(office=cast.office_a, code=appointment.code, now=at(8, 50))
    demand = resolve_demand(office=cast.office_a, pairs=[(cast.services_a["id_card"].pk, 1)])
    services.appointment_book(
        demand=demand,
        start=at(10),
        citizen=CitizenDetails(name="Karl", email="", phone="0221 1"),
        channel=Channel.PHONE,
        staff=True,
        now=NOW,
        staff_user=cast.clerk_a,
    )
    with translation.override("de"):
        lines = present(AuditEntry.objects.all(), cast.office_a)
    assert [(line.staff, line.note) for line in lines] == [
        ("Nummernautomat", "am Nummernautomaten"),  # 08:50, after the booking at 08:30
        ("clerk-a", "Buchungsweg: Telefon"),
    ]


# --- The page: filters and pages ----------------------------------------------------------


def _entry(cast: Cast, *, when: datetime, user: User | None, action: AuditAction) -> None:
    audit.record(
        staff_user=user,
        action=action,
        office_id=cast.office_a.pk,
        now=when,
        before={"walk_in_daily_limit": None},
        after={"walk_in_daily_limit": 7},
        note="kiosk" if user is None else "",
    )


def _codes(response: Any) -> list[tuple[str, str, str]]:
    return [(line.time, line.staff, line.action) for line in response.context["lines"]]


def test_filters_by_local_day_staff_member_and_action(cast: Cast) -> None:
    # 23:30 UTC on Sunday is already Monday 00:30 in Berlin.
    monday_early = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    _entry(cast, when=monday_early, user=cast.clerk_a, action=AuditAction.WALK_IN_LIMIT)
    _entry(cast, when=at(9), user=cast.head_a, action=AuditAction.CLOSURE)
    _entry(cast, when=at(9) - timedelta(days=1), user=cast.head_a, action=AuditAction.CLOSURE)
    _entry(cast, when=at(10), user=None, action=AuditAction.CHECK_IN)
    client = client_for(cast.head_a)
    url = _audit_url(cast.office_a)

    monday = client.get(url, {"day": "2026-12-07"})
    assert [line[0] for line in _codes(monday)] == [
        "07.12.2026 10:00:00",
        "07.12.2026 09:00:00",
        "07.12.2026 00:30:00",
    ]
    head = client.get(url, {"staff": "head-a", "action": "closure"})
    assert [line[1:] for line in _codes(head)] == [("head-a", "office closed")] * 2
    kiosk = client.get(url, {"staff": "(none)"})
    assert [line[1] for line in _codes(kiosk)] == ["kiosk"]
    body = client.get(url).content.decode()
    assert '<option value="clerk-a">clerk-a</option>' in body
    assert '<option value="head-a">head-a</option>' in body
    assert "clerk-b" not in body  # only those with entries in this office


def test_a_wrong_filter_is_reported_and_ignored(cast: Cast) -> None:
    _entry(cast, when=at(9), user=cast.head_a, action=AuditAction.CLOSURE)
    response = client_for(cast.head_a).get(
        _audit_url(cast.office_a), {"day": "7.12.", "action": "closure", "staff": "nobody"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert 'aria-describedby="day-error"' in body and 'aria-describedby="staff-error"' in body
    assert len(_codes(response)) == 1  # the valid action filter still applies


def test_the_log_is_paged_by_a_hundred_and_pages_keep_the_filters(cast: Cast) -> None:
    for minute in range(101):
        _entry(
            cast,
            when=at(9) + timedelta(seconds=minute),
            user=cast.head_a,
            action=AuditAction.CLOSURE,
        )
    client = client_for(cast.head_a)
    first = client.get(_audit_url(cast.office_a), {"action": "closure"})
    assert len(first.context["lines"]) == 100
    assert "?action=closure&amp;page=2" in first.content.decode()
    second = client.get(_audit_url(cast.office_a), {"action": "closure", "page": "2"})
    assert [line[0] for line in _codes(second)] == ["07.12.2026 09:00:00"]


# --- The CSV export -------------------------------------------------------------------------


def _download(client: Client, office: Office, **query: str) -> tuple[StreamingHttpResponse, str]:
    response = client.get(_audit_url(office, "audit_csv"), query)
    assert isinstance(response, StreamingHttpResponse)
    return response, response.getvalue().decode("utf-8")


def test_csv_for_german_spreadsheets_has_semicolons_a_bom_and_a_header(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    services.appointment_cancel(
        appointment=appointment,
        staff=True,
        now=NOW,
        staff_user=cast.clerk_a,
        reason='=HYPERLINK("http://evil.example")',
    )
    response, text = _download(_german(cast.head_a), cast.office_a)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-{cast.office_a.pk}-all.csv"'
    )
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == [
        "Uhrzeit",
        "Mitarbeiter/in",
        "Aktion",
        "Termin oder Nummer",
        "Änderungen",
        "Notiz",
    ]
    (row,) = rows[1:]
    assert row[:4] == ["07.12.2026 08:30:00", "clerk-a", "abgesagt", appointment.code]
    assert "Status: bestätigt → abgesagt" in row[4]
    assert row[5] == '\'=HYPERLINK("http://evil.example")'
    assert not RAW.findall(text)


def test_csv_with_commas_and_the_pages_filters(cast: Cast) -> None:
    _entry(cast, when=at(9), user=cast.head_a, action=AuditAction.CLOSURE)
    _entry(cast, when=at(9) + timedelta(days=1), user=cast.head_a, action=AuditAction.CLOSURE)
    response, text = _download(
        client_for(cast.head_a), cast.office_a, day="2026-12-08", separator="comma"
    )
    assert not text.startswith("\ufeff")
    assert response["Content-Disposition"].endswith('-2026-12-08.csv"')
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Time" and len(rows) == 2
    assert rows[1][:3] == ["08.12.2026 09:00:00", "head-a", "office closed"]
    assert rows[1][4] == "Walk-in tickets per day: — → 7"


@pytest.mark.parametrize("text", ["=1+1", "+49 221", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_a_spreadsheet_would_run_are_escaped(text: str) -> None:
    assert safe_cell(text) == f"'{text}"


def test_ordinary_cells_are_left_alone() -> None:
    assert safe_cell("— → 7") == "— → 7" and safe_cell("Schalter 1") == "Schalter 1"


def test_the_page_links_the_csv_with_the_same_filters(cast: Cast) -> None:
    _entry(cast, when=at(9), user=cast.head_a, action=AuditAction.CLOSURE)
    body = (
        client_for(cast.head_a)
        .get(_audit_url(cast.office_a), {"action": "closure", "page": "1"})
        .content.decode()
    )
    csv_url = _audit_url(cast.office_a, "audit_csv")
    assert f'href="{csv_url}?action=closure"' in body
    assert f'href="{csv_url}?action=closure&amp;separator=comma"' in body


# --- Who may read it, and nobody may change it ----------------------------------------------


@pytest.mark.parametrize("view", ["audit", "audit_csv"])
def test_only_office_heads_of_the_office_read_the_log(cast: Cast, view: str) -> None:
    assert client_for(cast.clerk_a).get(_audit_url(cast.office_a, view)).status_code == 403
    assert client_for(cast.head_a).get(_audit_url(cast.office_b, view)).status_code == 404
    assert Client().get(_audit_url(cast.office_a, view)).status_code == 302
    assert client_for(cast.head_a).get(_audit_url(cast.office_a, view)).status_code == 200


def test_the_page_and_the_admin_change_nothing(cast: Cast) -> None:
    _entry(cast, when=at(9), user=cast.head_a, action=AuditAction.CLOSURE)
    entry = AuditEntry.objects.get()
    client = client_for(cast.head_a)
    assert client.post(_audit_url(cast.office_a), {"note": "x"}).status_code == 405
    assert client.post(_audit_url(cast.office_a, "audit_csv")).status_code == 405
    change = reverse("admin:booking_auditentry_change", args=[entry.pk])
    delete = reverse("admin:booking_auditentry_delete", args=[entry.pk])
    assert client.post(change, {"note": "changed", "after": "{}"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:booking_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    with transaction.atomic():
        assert AuditEntry.objects.get(pk=entry.pk).note == ""
        assert AuditEntry.objects.get(pk=entry.pk).after == {"walk_in_daily_limit": 7}


def test_the_admin_shows_local_time_and_readable_changes(cast: Cast) -> None:
    _entry(cast, when=at(9), user=cast.head_a, action=AuditAction.CLOSURE)
    entry = AuditEntry.objects.get()
    client = client_for(cast.head_a)
    detail = client.get(reverse("admin:booking_auditentry_change", args=[entry.pk]))
    body = detail.content.decode()
    assert "Walk-in tickets per day: — → 7" in body
    assert "07.12.2026 09:00:00" in body
    assert "walk_in_daily_limit" not in body
    listing = client.get(reverse("admin:booking_auditentry_changelist")).content.decode()
    assert "07.12.2026 09:00:00" in listing


def test_days_are_office_local_at_the_change_of_clocks(cast: Cast) -> None:
    # 2027-03-28: Berlin moves from UTC+1 to UTC+2 at 01:00 UTC; the local day has 23 hours.
    _entry(
        cast, when=datetime(2027, 3, 27, 22, 59, tzinfo=UTC), user=None, action=AuditAction.CHECK_IN
    )
    _entry(
        cast, when=datetime(2027, 3, 28, 21, 59, tzinfo=UTC), user=None, action=AuditAction.CHECK_IN
    )
    _entry(
        cast, when=datetime(2027, 3, 28, 22, 0, tzinfo=UTC), user=None, action=AuditAction.CHECK_IN
    )
    response = client_for(cast.head_a).get(
        _audit_url(cast.office_a), {"day": date(2027, 3, 28).isoformat()}
    )
    assert [line[0] for line in _codes(response)] == ["28.03.2027 23:59:00"]


def test_the_page_asks_the_database_as_often_for_many_entries_as_for_one(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    client = client_for(cast.head_a)

    def queries_with(entries: int) -> int:
        while AuditEntry.objects.count() < entries:
            audit.record(
                staff_user=cast.clerk_a,
                action=AuditAction.MOVE,
                appointment=appointment,
                now=NOW,
                before={"counter": cast.counters_a[0].pk, "start": at(9).isoformat()},
                after={"counter": cast.counters_a[1].pk, "start": at(10).isoformat()},
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_audit_url(cast.office_a)).status_code == 200
        return len(queries)

    assert queries_with(1) == queries_with(30)
