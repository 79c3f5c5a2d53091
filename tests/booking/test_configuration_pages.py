"""Staff groups and what each may do in the configuration pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from amtstermin.booking.models import Office, StaffMembership
from amtstermin.notifications.models import MessageKind, MessageSetting
from tests.factories import make_office, make_service, small_office


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
def test_office_head_edits_services_but_not_counters(client: Client) -> None:
    _office, services, counters = small_office()
    client.force_login(_staff("Leitung"))
    assert client.get(f"/admin/booking/service/{services['id_card'].pk}/change/").status_code == 200
    assert client.get("/admin/booking/closure/add/").status_code == 200
    # Counters are IT's: the office head may look but not change them.
    page = client.get(f"/admin/booking/counter/{counters[0].pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


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
