"""The demo office loads once, looks like a real Bürgerbüro and carries some bookings."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from modeltranslation.translator import translator

from amtstermin.booking import office_texts
from amtstermin.booking.configuration_checks import configuration_warnings
from amtstermin.booking.demo import load_demo
from amtstermin.booking.models import (
    Appointment,
    AppointmentStatus,
    Counter,
    Document,
    Office,
    Service,
)


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    office, created = load_demo()
    counts = [m.objects.count() for m in (Office, Service, Document, Counter, Appointment)]
    again, created_again = load_demo()
    assert (created, created_again) == (True, False)
    assert again.pk == office.pk
    assert [m.objects.count() for m in (Office, Service, Document, Counter, Appointment)] == counts


@pytest.mark.django_db
def test_demo_office_is_realistic() -> None:
    office, _created = load_demo()
    assert office.federal_state == "NW"
    assert office.counters.count() == 3
    names = set(office.services.values_list("name", flat=True))
    for expected in (
        "Personalausweis beantragen",
        "Reisepass beantragen",
        "Anmeldung bei Zuzug",
        "Kinderreisepass beantragen",
        "Meldebescheinigung",
    ):
        assert expected in names
    registration = office.services.get(name="Anmeldung bei Zuzug")
    assert registration.minutes_for(4) > registration.minutes_for(1)
    half_time = office.counters.get(name="Schalter 3")
    first_hours = office.counters.get(name="Schalter 1").opening_hours.order_by("start").first()
    assert first_hours is not None
    assert set(half_time.opening_hours.values_list("start", flat=True)) == {first_hours.start}
    booked = Appointment.objects.filter(office=office, status=AppointmentStatus.CONFIRMED)
    assert booked.count() >= 20
    assert booked.exclude(citizen_name="").count() == booked.count()


@pytest.mark.django_db
def test_the_demos_phone_bookings_can_be_reached_and_some_only_by_phone() -> None:
    office, _created = load_demo()
    booked = Appointment.objects.filter(office=office, status=AppointmentStatus.CONFIRMED)
    assert not booked.filter(phone="", email="").exists()
    assert booked.filter(email="").exclude(phone="").exists()
    assert booked.exclude(email="").exists()


@pytest.mark.django_db
def test_demo_command_creates_the_office_head_once(client: Client) -> None:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    password = out.getvalue().split("with password: ")[1].split()[0]
    head = User.objects.get(username="leitung")
    assert head.is_staff and not head.is_superuser
    assert head.groups.filter(name="Leitung").exists()
    assert head.password.startswith("argon2")
    again = io.StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert "with password" not in again.getvalue()

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "leitung", "password": password}
    )
    assert response.status_code == 302
    page = client.get("/admin/booking/service/")
    assert page.status_code == 200
    assert "Personalausweis beantragen" in page.content.decode()


@pytest.mark.django_db
def test_demo_services_are_served_by_the_api_with_documents(client: Client) -> None:
    office, _created = load_demo()
    body = client.get(f"/api/v1/offices/{office.pk}/services").json()
    id_card = next(s for s in body if s["name"] == "Personalausweis beantragen")
    assert any(d["name"] == "Aktuelles biometrisches Passfoto" for d in id_card["documents"])
    assert "Beispiel" in id_card["fee"]["note"]


@pytest.mark.django_db
def test_demo_command_creates_an_it_administrator_too(client: Client) -> None:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "Created IT administrator 'it' with password: " in out.getvalue()
    it = User.objects.get(username="it")
    assert it.is_staff and not it.is_superuser
    assert it.groups.filter(name="IT-Administration").exists()
    assert it.office_memberships.count() == 1
    client.force_login(it)
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get("/admin/booking/office/add/").status_code == 200


@pytest.mark.django_db
def test_demo_office_head_opens_counters_and_services_without_warnings(client: Client) -> None:
    call_command("demo", "--no-serve", stdout=io.StringIO())
    office = Office.objects.get()
    client.force_login(User.objects.get(username="leitung"))
    page = client.get(f"/backoffice/{office.pk}/configuration/")
    assert page.status_code == 200
    assert "Schalter 3" in page.content.decode()
    assert configuration_warnings(office) == []


@pytest.mark.django_db
def test_the_demo_groups_every_service_under_its_three_categories() -> None:
    office, _created = load_demo()
    with translation.override("de"):
        categories = list(office.service_categories.order_by("position"))
        assert [category.name for category in categories] == [
            "Ausweise und Pässe",
            "Meldewesen",
            "Bescheinigungen",
        ]
        passports = {service.name for service in categories[0].services.all()}
        certificates = {service.name for service in categories[2].services.all()}
    assert not office.services.filter(category__isnull=True).exists()
    assert {"Personalausweis beantragen", "Reisepass beantragen"} <= passports
    assert "Meldebescheinigung" in certificates
    with translation.override("tr"):
        assert categories[0].name == "Kimlik kartları ve pasaportlar"


@pytest.mark.django_db
def test_the_demo_writes_every_text_in_every_language() -> None:
    """Walks modeltranslation's registry: every translated field of every model the demo fills
    has its text in all the site's languages, and every translated field is used at least once."""
    load_demo()
    languages = [code for code, _name in settings.LANGUAGES]
    assert len(languages) == 7
    missing, unused = [], []
    for model in translator.get_registered_models(abstract=False):
        for field in office_texts.text_fields(model):
            written = 0
            for record in model._default_manager.all():
                if not office_texts.german(record, field):
                    continue
                written += 1
                missing += [
                    f"{model.__name__} {record.pk} {field}_{code}"
                    for code in languages
                    if not office_texts.text_in(record, field, code)
                ]
            if not written:
                unused.append(f"{model.__name__}.{field}")
    assert missing == [] and unused == []


@pytest.mark.django_db
def test_the_demo_names_its_services_differently_in_each_language() -> None:
    office, _created = load_demo()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names = [service.name for service in office.services.all()]
        assert len(set(names)) == len(names) == 12, code
