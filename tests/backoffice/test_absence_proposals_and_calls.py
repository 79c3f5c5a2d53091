"""The pages of an absence: the affected appointments with contact details, the proposal of new
times applied only for the ticked rows, and the call list for citizens without e-mail."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Absence, Appointment, AuditEntry, Channel, Closure
from amtstermin.booking.services import CitizenDetails

from .conftest import NOW, Cast, at, book, client_for


def _close_tuesday(cast: Cast, reason: str = "Personalversammlung") -> str:
    tuesday = (at(8) + timedelta(days=1)).date().isoformat()
    response = client_for(cast.head_a).post(
        f"/backoffice/{cast.office_a.pk}/absences/",
        {
            "scope": "office",
            "start_day": tuesday,
            "start_time": "08:00",
            "end_day": tuesday,
            "end_time": "12:00",
            "reason": reason,
        },
    )
    assert response.status_code == 302
    return str(response["Location"])


def _phone_only(cast: Cast, hour: int) -> Appointment:
    """Booked by phone, with a phone number and no e-mail address."""
    demand = resolve_demand(office=cast.office_a, pairs=[(cast.services_a["id_card"].pk, 1)])
    appointment, _token = services.appointment_book(
        demand=demand,
        start=at(hour) + timedelta(days=1),
        citizen=CitizenDetails(name="Karl Anrufer", email="", phone="0221 98765"),
        channel=Channel.PHONE,
        staff=True,
        now=NOW,
    )
    return appointment


def test_the_affected_list_shows_name_phone_e_mail_and_services(cast: Cast) -> None:
    caller = _phone_only(cast, 9)
    writer = book(cast.office_a, cast.services_a["registration"], at(10) + timedelta(days=1))
    page = client_for(cast.head_a).get(_close_tuesday(cast)).content.decode()
    assert "Karl Anrufer" in page and "0221 98765" in page
    # The page is in English: the services' English names.
    assert writer.email in page and "Anmeldung (en) (1)" in page
    assert "Personalausweis (en) (1)" in page
    assert caller.code in page


def test_the_proposal_lists_each_appointment_with_a_ticked_box_and_a_later_time(
    cast: Cast,
) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9) + timedelta(days=1))
    url = _close_tuesday(cast)
    page = client_for(cast.head_a).get(f"{url}move/")
    assert page.status_code == 200
    [row] = page.context["rows"]
    assert row["proposal"].start == at(8) + timedelta(days=2)  # Wednesday, not Monday
    html = page.content.decode()
    assert f'id="move-{appointment.pk}" checked' in html
    assert "Wed 09.12.2026 08:00" in html


def test_only_the_ticked_rows_are_moved(cast: Cast) -> None:
    ticked = book(cast.office_a, cast.services_a["id_card"], at(9) + timedelta(days=1))
    unticked = book(cast.office_a, cast.services_a["id_card"], at(10) + timedelta(days=1))
    url = _close_tuesday(cast)
    client = client_for(cast.head_a)
    rows = {r["proposal"].appointment.pk: r for r in client.get(f"{url}move/").context["rows"]}
    proposed = rows[ticked.pk]["proposal"].start
    response = client.post(
        f"{url}move/",
        {
            "appointment": [ticked.pk],
            f"start_{ticked.pk}": proposed.isoformat(),
            f"start_{unticked.pk}": rows[unticked.pk]["proposal"].start.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.get(pk=ticked.pk).start == proposed
    assert Appointment.objects.get(pk=unticked.pk).start == at(10) + timedelta(days=1)
    entry = AuditEntry.objects.get(appointment=ticked, action="move")
    assert entry.note == "Personalversammlung" and entry.actor == cast.head_a


def test_a_phone_only_citizen_who_was_moved_is_on_the_call_list_and_ticked_off(
    cast: Cast,
) -> None:
    caller = _phone_only(cast, 9)
    writer = book(cast.office_a, cast.services_a["id_card"], at(10) + timedelta(days=1))
    url = _close_tuesday(cast)
    client = client_for(cast.head_a)
    rows = client.get(f"{url}move/").context["rows"]
    response = client.post(
        f"{url}move/",
        {
            "appointment": [caller.pk, writer.pk],
            **{
                f"start_{r['proposal'].appointment.pk}": r["proposal"].start.isoformat()
                for r in rows
            },
        },
    )
    assert response["Location"].endswith("/calls/")
    clerk = client_for(cast.clerk_a)
    page = clerk.get(response["Location"])
    assert [a.pk for a in page.context["calls"]] == [caller.pk]
    html = page.content.decode()
    assert "0221 98765" in html and "Personalversammlung" in html
    assert "Tue 08.12.2026 09:00" in html and "Wed 09.12.2026 08:00" in html
    clerk.post(response["Location"], {"appointment": caller.pk})
    called = Appointment.objects.get(pk=caller.pk)
    assert called.called_back_at is not None and called.called_back_by == cast.clerk_a
    entry = AuditEntry.objects.get(appointment=caller, action="citizen_called")
    assert entry.actor == cast.clerk_a
    assert "called" in clerk.get(response["Location"]).content.decode()


def test_a_cancelled_phone_only_citizen_is_on_the_call_list_as_cancelled(cast: Cast) -> None:
    caller = _phone_only(cast, 9)
    url = _close_tuesday(cast)
    client_for(cast.head_a).post(
        url, {"appointment": [caller.pk], "action": "cancel", "reason": "Wasserschaden"}
    )
    page = client_for(cast.head_a).get(f"{url}calls/")
    html = page.content.decode()
    assert [a.pk for a in page.context["calls"]] == [caller.pk]
    assert "Wasserschaden" in html and "<strong>cancelled</strong>" in html


def test_a_citizen_not_on_the_call_list_cannot_be_ticked_off(cast: Cast) -> None:
    writer = book(cast.office_a, cast.services_a["id_card"], at(9) + timedelta(days=1))
    url = _close_tuesday(cast)
    client = client_for(cast.head_a)
    client.post(url, {"appointment": [writer.pk], "action": "cancel", "reason": "x"})
    response = client.post(f"{url}calls/", {"appointment": writer.pk}, follow=True)
    assert "This citizen is not on the call list." in response.content.decode()
    assert Appointment.objects.get(pk=writer.pk).called_back_at is None


def test_the_call_list_of_another_office_is_not_found(cast: Cast) -> None:
    url = _close_tuesday(cast)
    closure = Closure.objects.get(office=cast.office_a)
    assert client_for(cast.clerk_b).get(f"{url}calls/").status_code == 404
    assert closure.reason == "Personalversammlung"
    assert not Absence.objects.exists()


def test_the_absence_page_counts_its_call_list_in_the_database(cast: Cast) -> None:
    callers = [_phone_only(cast, hour) for hour in (9, 10)]
    url = _close_tuesday(cast)
    client = client_for(cast.head_a)
    client.post(url, {"appointment": [a.pk for a in callers], "action": "cancel", "reason": "x"})
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    assert "Call list: 2 citizens without an e-mail address" in page
    needed = '"office_call_needed_at" IS NOT NULL'
    reads = [q["sql"] for q in captured.captured_queries if needed in q["sql"]]
    assert len(reads) == 1 and reads[0].startswith("SELECT COUNT(*)")
