"""Login, group rights and the office boundary: staff see only their own offices' data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amtstermin.booking import desk, services
from amtstermin.booking.models import Appointment, AppointmentStatus, Ticket

from .conftest import DAY, Cast, at, book, client_for


def test_staff_pages_need_a_login(cast: Cast) -> None:
    response = Client().get(f"/backoffice/{cast.office_a.pk}/day/")
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/login/?next=")


def test_a_clerk_sees_own_office_day_plan_with_citizen_names(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    response = client_for(cast.clerk_a).get(f"/backoffice/{cast.office_a.pk}/day/{DAY}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert appointment.code in body and "Erika Mustermann" in body


def test_a_clerk_of_office_a_cannot_see_or_change_office_b(cast: Cast) -> None:
    other = book(cast.office_b, cast.service_b, at(9), name="Max Fremd")
    client = client_for(cast.clerk_a)
    b = cast.office_b.pk
    for url in (
        f"/backoffice/{b}/day/",
        f"/backoffice/{b}/day/{DAY}/",
        f"/backoffice/{b}/book/",
        f"/backoffice/{b}/queue/",
        f"/backoffice/{b}/appointment/{other.pk}/move/",
        f"/backoffice/{b}/appointment/{other.pk}/confirmation/",
    ):
        assert client.get(url).status_code == 404, url
    # Actions through either office's address are refused and change nothing.
    for office_id in (b, cast.office_a.pk):
        response = client.post(f"/backoffice/{office_id}/appointment/{other.pk}/check-in/")
        assert response.status_code == 404
    assert Appointment.objects.get(pk=other.pk).status == AppointmentStatus.CONFIRMED
    # The search of office A does not find office B's citizen, by name or by code.
    for query in ("Fremd", other.code):
        response = client.get(f"/backoffice/{cast.office_a.pk}/day/", {"q": query})
        assert response.status_code == 200
        body = response.content.decode()
        assert "Max Fremd" not in body
        assert f'<span class="code">{other.code}</span>' not in body
        assert "results-title" in body and 'class="plain results"' not in body


def test_a_clerk_cannot_call_or_handle_another_offices_ticket(cast: Cast) -> None:
    ticket = desk.ticket_issue(office=cast.office_b, services=[cast.service_b])
    client = client_for(cast.clerk_a)
    response = client.post(
        f"/backoffice/{cast.office_a.pk}/queue/",
        {"action": "call-next", "counter": cast.counters_a[0].pk},
    )
    assert response.status_code == 302
    response = client.post(
        f"/backoffice/{cast.office_a.pk}/queue/",
        {"action": "set-aside", "ticket": ticket.pk},
    )
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == "waiting" and ticket.counter is None
    # Office B's counter cannot be used from office A either.
    client.post(
        f"/backoffice/{cast.office_a.pk}/queue/",
        {"action": "call-next", "counter": cast.counter_b.pk},
    )
    assert Ticket.objects.get(pk=ticket.pk).status == "waiting"


def test_the_admin_appointment_list_shows_only_the_staff_users_offices(cast: Cast) -> None:
    own = book(cast.office_a, cast.services_a["id_card"], at(9))
    other = book(cast.office_b, cast.service_b, at(9))
    response = client_for(cast.clerk_a).get(reverse("admin:booking_appointment_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert own.code in body and other.code not in body
    detail = client_for(cast.clerk_a).get(
        reverse("admin:booking_appointment_change", args=[other.pk])
    )
    assert detail.status_code == 302  # "does not exist" -> back to the list
    assert other.code not in client_for(cast.clerk_a).get(detail["Location"]).content.decode()


@pytest.mark.parametrize("page", ["absences/", "audit/", "statistics/"])
def test_planning_pages_are_for_office_heads_only(cast: Cast, page: str) -> None:
    url = f"/backoffice/{cast.office_a.pk}/{page}"
    assert client_for(cast.clerk_a).get(url).status_code == 403
    assert client_for(cast.head_a).get(url).status_code == 200


def test_it_administration_configures_but_does_no_desk_work(cast: Cast) -> None:
    client = client_for(cast.it_admin)
    assert client.get(f"/backoffice/{cast.office_a.pk}/day/").status_code == 403
    assert client.get(reverse("admin:booking_staffmembership_changelist")).status_code == 200


def test_the_public_api_has_no_staff_endpoints_and_never_shows_names(cast: Cast) -> None:
    from amtstermin.booking.demand import resolve_demand
    from amtstermin.booking.services import CitizenDetails

    demand = resolve_demand(office=cast.office_a, pairs=[(cast.services_a["id_card"].pk, 1)])
    _appointment, token = services.appointment_book(
        demand=demand,
        start=at(11),
        citizen=CitizenDetails(name="Geheim Name", email="g@example.org", phone="0123 45"),
    )
    schema = Client().get("/api/v1/openapi.json").json()
    paths = " ".join(schema["paths"])
    assert "staff" not in paths and "backoffice" not in paths and "ticket" not in paths
    assert "citizen_name" not in str(schema) and "booked_for" not in str(schema)
    body = Client().get(f"/api/v1/appointments/{token}").content.decode()
    assert "Geheim" not in body and "0123 45" not in body and "g@example.org" not in body


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account(cast: Cast) -> None:
    from django.contrib.auth.models import User

    user = User.objects.get(username="clerk-a")
    user.set_password("correct horse battery staple")
    user.save()
    client = Client(REMOTE_ADDR="192.0.2.10")
    for _attempt in range(5):
        response = client.post(
            "/backoffice/login/", {"username": "clerk-a", "password": "wrong password!"}
        )
        assert response.status_code in (200, 429)
    response = client.post(
        "/backoffice/login/",
        {"username": "clerk-a", "password": "correct horse battery staple"},
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(f"/backoffice/{cast.office_a.pk}/day/").status_code == 302


def test_a_correct_login_leads_to_the_day_plan(cast: Cast) -> None:
    from django.contrib.auth.models import User

    user = User.objects.get(username="clerk-a")
    user.set_password("correct horse battery staple")
    user.save()
    client = Client()
    page = client.get("/backoffice/login/")
    assert page.status_code == 200 and b'autocomplete="current-password"' in page.content
    response = client.post(
        "/backoffice/login/",
        {"username": "clerk-a", "password": "correct horse battery staple"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/backoffice/{cast.office_a.pk}/day/"


def test_it_cannot_make_anyone_superuser_and_sees_only_its_offices_memberships(cast: Cast) -> None:
    from amtstermin.booking.models import StaffMembership

    it = client_for(cast.it_admin)
    response = it.get(f"/admin/auth/user/{cast.it_admin.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="username"' in page and 'name="is_superuser"' not in page
    listing = it.get("/admin/booking/staffmembership/").content.decode()
    assert "clerk-a" in listing and "clerk-b" not in listing
    assert StaffMembership.objects.filter(user=cast.clerk_b).exists()
