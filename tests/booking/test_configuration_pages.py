"""Staff groups and what each may do in the configuration pages."""

from __future__ import annotations

import io
from datetime import date, time
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

from amtstermin.booking import selectors
from amtstermin.booking.models import Counter, Office, OpeningHours, StaffMembership
from amtstermin.notifications.models import MessageKind, MessageSetting
from tests.factories import (
    WEEKDAY_MORNINGS,
    make_counter,
    make_office,
    make_service,
    small_office,
)


def _staff(group: str, *offices: Office) -> User:
    user = User.objects.create_user(f"user-{group}", password="irrelevant-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    for office in offices or Office.objects.all():
        StaffMembership.objects.create(user=user, office=office)
    return user


@pytest.mark.django_db
def test_the_three_groups_exist_after_migrate() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Sachbearbeitung",
        "Leitung",
        "IT-Administration",
    }


@pytest.mark.django_db
def test_office_head_edits_services_and_counters(client: Client) -> None:
    _office, services, counters = small_office()
    client.force_login(_staff("Leitung"))
    assert client.get(f"/admin/booking/service/{services['id_card'].pk}/change/").status_code == 200
    assert client.get("/admin/booking/closure/add/").status_code == 200
    page = client.get(f"/admin/booking/counter/{counters[0].pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' in page.content.decode()


@pytest.mark.django_db
def test_clerk_cannot_configure(client: Client) -> None:
    small_office()
    client.force_login(_staff("Sachbearbeitung"))
    assert client.get("/admin/booking/office/").status_code == 403
    assert client.get("/admin/booking/service/add/").status_code == 403


@pytest.mark.django_db
def test_appointments_are_read_only_in_the_configuration_pages(client: Client) -> None:
    small_office()
    client.force_login(_staff("IT-Administration"))
    assert client.get("/admin/booking/appointment/").status_code == 200
    assert client.get("/admin/booking/appointment/add/").status_code == 403


@pytest.mark.django_db
def test_configuration_pages_need_a_login(client: Client) -> None:
    response = client.get("/admin/booking/service/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_configuration_pages_speak_german(client: Client) -> None:
    small_office()
    client.force_login(_staff("IT-Administration"))
    page = client.get("/admin/booking/office/add/").content.decode()
    assert "Buchbar ab" in page
    assert "Tage im Voraus" in page


@pytest.mark.django_db
def test_staff_see_and_edit_only_their_own_offices_configuration(client: Client) -> None:
    own, _services, _counters = small_office()
    other = make_office(name="Bürgerbüro Nachbarort")
    foreign_service = make_service(other, "Fremdes Anliegen", 10)
    MessageSetting.objects.create(office=other, kind=MessageKind.REMINDER, paragraph="fremd")
    client.force_login(_staff("IT-Administration", own))
    listing = client.get("/admin/booking/service/").content.decode()
    assert "Personalausweis" in listing and "Fremdes Anliegen" not in listing
    assert client.get(f"/admin/booking/service/{foreign_service.pk}/change/").status_code == 302
    assert client.get(f"/admin/booking/office/{other.pk}/change/").status_code == 302
    assert "Nachbarort" not in client.get("/admin/booking/office/").content.decode()
    assert "fremd" not in client.get("/admin/notifications/messagesetting/").content.decode()
    # Choices offer only the own office.
    form = client.get("/admin/booking/closure/add/").content.decode()
    assert own.name in form and other.name not in form


# --- The office head configures its own offices ----------------------------------------------


@pytest.fixture
def demo_head(db: None, client: Client) -> tuple[Office, Office]:
    """The demo as ``amtstermin demo`` loads it, ``leitung`` logged in, and another office."""
    call_command("demo", "--no-serve", stdout=io.StringIO())
    client.force_login(User.objects.get(username="leitung"))
    own = Office.objects.get(memberships__user__username="leitung")
    other = make_office(name="Bürgerbüro Nachbarort")
    make_counter(other, "Fremder Schalter", [make_service(other, "Fremd", 10)], WEEKDAY_MORNINGS)
    return own, other


def _form_data(page: Any) -> dict[str, Any]:
    """What the browser would send back for the admin change page as shown."""
    context: Any = page.context
    forms = [context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{n}": management[n].value() for n in management.fields})
        forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data


def test_demo_office_head_may_add_counters_and_change_its_office_only(
    demo_head: tuple[Office, Office], client: Client
) -> None:
    own, other = demo_head
    for url in ("/admin/booking/counter/add/", f"/admin/booking/office/{own.pk}/change/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert 'name="_save"' in page.content.decode(), url
    assert client.get(f"/admin/booking/office/{other.pk}/change/").status_code in (302, 404)
    counter = Counter.objects.get(office=other)
    assert client.get(f"/admin/booking/counter/{counter.pk}/change/").status_code in (302, 404)
    assert "Nachbarort" not in client.get("/admin/booking/office/").content.decode()


def test_demo_office_head_saves_the_office_settings(
    demo_head: tuple[Office, Office], client: Client
) -> None:
    own, _other = demo_head
    url = f"/admin/booking/office/{own.pk}/change/"
    data = _form_data(client.get(url))
    data.update(
        horizon_days=60,
        lead_time_minutes=30,
        hold_minutes=15,
        confirm_minutes=90,
        cancel_deadline_hours=12,
        reminder_hours=48,
        slot_minutes=10,
        bookable_from="2027-01-04",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = Office.objects.get(pk=own.pk)
    assert (saved.horizon_days, saved.lead_time_minutes, saved.hold_minutes) == (60, 30, 15)
    assert (saved.confirm_minutes, saved.cancel_deadline_hours, saved.reminder_hours) == (
        90,
        12,
        48,
    )
    assert (saved.slot_minutes, saved.bookable_from) == (10, date(2027, 1, 4))
    # The cached configuration follows at once.
    configuration = selectors.office_configuration(own.pk)
    assert configuration is not None and configuration.office.horizon_days == 60


def test_the_office_head_leaves_it_settings_and_whole_offices_to_it(
    demo_head: tuple[Office, Office], client: Client
) -> None:
    own, _other = demo_head
    page = client.get(f"/admin/booking/office/{own.pk}/change/").content.decode()
    assert 'name="horizon_days"' in page and 'name="slot_minutes"' in page
    for it_only in ("active", "time_zone", "require_second_factor"):
        assert f'name="{it_only}"' not in page
    assert client.get("/admin/booking/office/add/").status_code == 403
    assert client.get(f"/admin/booking/office/{own.pk}/delete/").status_code == 403
    client.force_login(_staff("IT-Administration", own))
    page = client.get(f"/admin/booking/office/{own.pk}/change/").content.decode()
    assert 'name="require_second_factor"' in page


def test_demo_office_head_adds_a_counter_with_hours(
    demo_head: tuple[Office, Office], client: Client
) -> None:
    own, _other = demo_head
    id_card = own.services.get(name="Personalausweis beantragen")
    response = client.post(
        "/admin/booking/counter/add/",
        {
            "office": own.pk,
            "name": "Schalter 4",
            "active": "on",
            "online_bookable": "on",
            "services": [id_card.pk],
            "opening_hours-TOTAL_FORMS": "1",
            "opening_hours-INITIAL_FORMS": "0",
            "opening_hours-0-weekday": "0",
            "opening_hours-0-start": "08:00",
            "opening_hours-0-end": "12:00",
            "opening_hours-0-valid_from": "2027-01-01",
            "absences-TOTAL_FORMS": "0",
            "absences-INITIAL_FORMS": "0",
            "staff_only_times-TOTAL_FORMS": "0",
            "staff_only_times-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    counter = Counter.objects.get(office=own, name="Schalter 4")
    assert list(counter.services.all()) == [id_card]
    hours = OpeningHours.objects.get(counter=counter)
    assert (hours.start, hours.valid_from) == (time(8), date(2027, 1, 1))


@pytest.mark.django_db
def test_a_counter_offers_only_its_own_offices_services(client: Client) -> None:
    office_a, services_a, counters_a = small_office()
    office_b = make_office(name="Bürgerbüro Zweigstelle")
    service_b = make_service(office_b, "Zweigstellendienst", 10)
    client.force_login(_staff("Leitung", office_a, office_b))
    url = f"/admin/booking/counter/{counters_a[0].pk}/change/"
    page = client.get(url)
    assert "Zweigstellendienst" not in page.content.decode()
    data = _form_data(page)
    data["services"] = [services_a["id_card"].pk, service_b.pk]
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert set(counters_a[0].services.all()) == set(services_a.values())


@pytest.mark.django_db
def test_a_counter_is_not_created_with_another_offices_services(client: Client) -> None:
    office_a, _services_a, _counters_a = small_office()
    office_b = make_office(name="Bürgerbüro Zweigstelle")
    service_b = make_service(office_b, "Zweigstellendienst", 10)
    client.force_login(_staff("Leitung", office_a, office_b))
    response = client.post(
        "/admin/booking/counter/add/",
        {
            "office": office_a.pk,
            "name": "Schalter X",
            "services": [service_b.pk],
            "opening_hours-TOTAL_FORMS": "0",
            "opening_hours-INITIAL_FORMS": "0",
            "absences-TOTAL_FORMS": "0",
            "absences-INITIAL_FORMS": "0",
            "staff_only_times-TOTAL_FORMS": "0",
            "staff_only_times-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not Counter.objects.filter(name="Schalter X").exists()


@pytest.mark.django_db
def test_a_counter_or_service_stays_in_its_office(client: Client) -> None:
    office_a, services_a, counters_a = small_office()
    office_b = make_office(name="Bürgerbüro Zweigstelle")
    client.force_login(_staff("Leitung", office_a, office_b))
    for url in (
        f"/admin/booking/counter/{counters_a[0].pk}/change/",
        f"/admin/booking/service/{services_a['id_card'].pk}/change/",
    ):
        page = client.get(url)
        data = _form_data(page)
        assert "office" not in data, url
        data["office"] = office_b.pk
        assert client.post(url, data).status_code == 302, url
    assert Counter.objects.get(pk=counters_a[0].pk).office == office_a
    assert (
        services_a["id_card"].__class__.objects.get(pk=services_a["id_card"].pk).office == office_a
    )


@pytest.mark.django_db
def test_admin_pages_warn_about_a_service_no_online_counter_offers(client: Client) -> None:
    office, _services, _counters = small_office()
    lonely = make_service(office, "Fischereischein", 10)
    client.force_login(_staff("Leitung"))
    for url in ("/admin/booking/service/", f"/admin/booking/service/{lonely.pk}/change/"):
        page = client.get(url).content.decode()
        assert "Fischereischein" in page and "keinem aktiven Schalter" in page, url
    counters = client.get("/admin/booking/counter/").content.decode()
    assert "Fischereischein" in counters
