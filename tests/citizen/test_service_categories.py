"""The start page groups the services by the office's categories and keeps the persons field
compact; the office head configures the categories (issue 16)."""

from __future__ import annotations

import re

from django.contrib.auth.models import Group, User
from django.test import Client

from amtstermin.booking.models import Office, Service, ServiceCategory, StaffMembership
from tests.citizen.conftest import Cast
from tests.factories import make_office, make_service


def _categorise(cast: Cast) -> tuple[ServiceCategory, ServiceCategory]:
    """ "Meldewesen" listed before "Ausweise" by position; copies left without a category."""
    ids = ServiceCategory.objects.create(office=cast.office, name="Ausweise", position=20)
    registry = ServiceCategory.objects.create(office=cast.office, name="Meldewesen", position=10)
    Service.objects.filter(pk=cast.services["id_card"].pk).update(category=ids)
    Service.objects.filter(pk=cast.services["registration"].pk).update(category=registry)
    return ids, registry


def _legends(html: str) -> list[str]:
    return re.findall(r'<legend><h3 class="service-group-title">([^<]*)</h3></legend>', html)


def _service_names(html: str) -> list[str]:
    return re.findall(r'class="service-name" id="service-\d+">([^<]*)<', html)


def test_services_are_grouped_by_category_in_the_offices_order(client: Client, cast: Cast) -> None:
    _categorise(cast)
    html = client.get(f"/o/{cast.office.pk}/").content.decode()
    assert _legends(html) == ["Meldewesen", "Ausweise", "Weitere Anliegen"]
    assert _service_names(html) == ["Anmeldung", "Personalausweis", "Beglaubigung"]
    # Each group is a fieldset whose legend names it; the service names are headings below it.
    assert html.count('<fieldset class="service-group" data-service-group>') == 3
    assert '<h4 class="service-name"' in html


def test_a_service_without_category_goes_into_further_services_in_english(
    client: Client, cast: Cast
) -> None:
    _categorise(cast)
    html = client.get(f"/o/{cast.office.pk}/", headers={"Accept-Language": "en"}).content
    assert _legends(html.decode())[-1] == "Further services"


def test_an_office_without_categories_lists_its_services_without_groups(
    client: Client, cast: Cast
) -> None:
    html = client.get(f"/o/{cast.office.pk}/").content.decode()
    assert _legends(html) == []
    assert _service_names(html) == ["Personalausweis", "Anmeldung", "Beglaubigung"]
    assert '<h3 class="service-name"' in html  # no group heading above them


def test_deleting_a_category_keeps_its_services_as_further_services(
    client: Client, cast: Cast
) -> None:
    ids, _registry = _categorise(cast)
    ids.delete()
    assert Service.objects.get(pk=cast.services["id_card"].pk).category is None
    html = client.get(f"/o/{cast.office.pk}/").content.decode()
    assert _legends(html) == ["Meldewesen", "Weitere Anliegen"]
    assert _service_names(html) == ["Anmeldung", "Personalausweis", "Beglaubigung"]


def test_the_filter_is_hidden_until_the_script_shows_it_and_knows_each_services_words(
    client: Client, cast: Cast
) -> None:
    _categorise(cast)
    html = client.get(f"/o/{cast.office.pk}/").content.decode()
    assert re.search(r'<div class="service-filter" data-service-filter hidden>', html)
    assert '<label for="service-filter">Anliegen suchen</label>' in html
    assert 'role="status" data-filter-status' in html  # announces the number, politely
    # Name and category are matched (the script folds case and umlauts).
    assert 'data-search="Personalausweis Ausweise"' in html


def test_without_script_the_persons_field_is_the_select_with_the_stepper_names_ready(
    client: Client, cast: Cast
) -> None:
    html = client.get(f"/o/{cast.office.pk}/").content.decode()
    field = cast.services["registration"].pk
    assert f'<select name="persons_{field}"' in html
    assert 'data-fewer="Weniger Personen für Anmeldung"' in html
    assert 'data-more="Mehr Personen für Anmeldung"' in html


def test_an_empty_persons_field_counts_as_none(client: Client, cast: Cast) -> None:
    id_card, registration = cast.services["id_card"], cast.services["registration"]
    response = client.post(
        f"/o/{cast.office.pk}/", {f"persons_{id_card.pk}": "", f"persons_{registration.pk}": "2"}
    )
    assert response.status_code == 302
    assert f"services={registration.pk}%3A2" in response["Location"]


def test_too_many_persons_typed_is_named_at_the_field(client: Client, cast: Cast) -> None:
    id_card = cast.services["id_card"]
    response = client.post(f"/o/{cast.office.pk}/", {f"persons_{id_card.pk}": "9"})
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        f'<a href="#id_persons_{id_card.pk}">Personalausweis: Bitte geben Sie eine Zahl '
        "von 0 bis 4 ein.</a>"
    ) in html


# --- Configuration ----------------------------------------------------------------------------


def _office_head(*offices: Office) -> User:
    user = User.objects.create_user("leitung-test", password="irrelevant-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Leitung"))
    for office in offices:
        StaffMembership.objects.create(user=user, office=office)
    return user


def test_the_office_head_adds_a_category_and_files_a_service_under_it(
    client: Client, cast: Cast
) -> None:
    client.force_login(_office_head(cast.office))
    response = client.post(
        "/admin/booking/servicecategory/add/",
        {"office": cast.office.pk, "name_de": "Meldewesen", "position": "10"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    category = ServiceCategory.objects.get(office=cast.office, name="Meldewesen")
    page = client.get(f"/admin/booking/service/{cast.services['registration'].pk}/change/")
    assert f'<option value="{category.pk}">Meldewesen</option>' in page.content.decode()


def test_the_office_head_sees_and_offers_only_its_own_offices_categories(
    client: Client, cast: Cast
) -> None:
    other = make_office(name="Bürgerbüro Nachbarort")
    foreign = ServiceCategory.objects.create(office=other, name="Fremde Gruppe")
    ServiceCategory.objects.create(office=cast.office, name="Eigene Gruppe")
    client.force_login(_office_head(cast.office))
    listing = client.get("/admin/booking/servicecategory/").content.decode()
    assert "Eigene Gruppe" in listing and "Fremde Gruppe" not in listing
    assert client.get(f"/admin/booking/servicecategory/{foreign.pk}/change/").status_code == 302
    page = client.get(f"/admin/booking/service/{cast.services['id_card'].pk}/change/")
    assert "Eigene Gruppe" in page.content.decode()
    assert "Fremde Gruppe" not in page.content.decode()


def test_a_service_cannot_join_another_offices_category(client: Client, cast: Cast) -> None:
    other = make_office(name="Bürgerbüro Nachbarort")
    foreign = ServiceCategory.objects.create(office=other, name="Fremde Gruppe")
    make_service(other, "Fremd", 10)
    admin = User.objects.create_superuser("root", password="irrelevant-pass-123")
    client.force_login(admin)
    response = client.post(
        "/admin/booking/service/add/",
        {
            "office": cast.office.pk,
            "name": "Neues Anliegen",
            "first_person_minutes": "10",
            "per_person_minutes": "0",
            "max_persons": "1",
            "online_bookable": "on",
            "fee_per_person": "on",
            "sort_order": "100",
            "active": "on",
            "category": foreign.pk,
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Wählen Sie eine Kategorie des Bürgerbüros dieses Anliegens." in (
        response.content.decode()
    )
    assert not Service.objects.filter(name="Neues Anliegen").exists()


def test_the_configuration_grid_lists_the_services_by_category(client: Client, cast: Cast) -> None:
    _categorise(cast)
    client.force_login(_office_head(cast.office))
    html = client.get(f"/backoffice/{cast.office.pk}/configuration/").content.decode()
    headers = re.findall(r'<th scope="rowgroup" colspan="\d+">([^<]*)</th>', html)
    assert headers == ["Meldewesen", "Ausweise", "Weitere Anliegen"]
    assert html.index(">Anmeldung<") < html.index(">Personalausweis<")
