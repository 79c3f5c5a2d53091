"""The office head's "Counters and services" page: one grid of counters and services, saved
in one step under the office's lock, audited, and followed at once by what citizens see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amtstermin.booking import selectors
from amtstermin.booking.configuration import CounterOffer, counter_offers_set
from amtstermin.booking.errors import InvalidDetails
from amtstermin.booking.models import AuditAction, AuditEntry, Counter
from tests.factories import A_MONDAY, make_service

from .conftest import NOW, Cast, client_for


def _url(cast: Cast) -> str:
    return f"/backoffice/{cast.office_a.pk}/configuration/"


def _grid(cast: Cast, **overrides: Any) -> dict[str, Any]:
    """The page's form as it stands: every counter's services and online flag."""
    data: dict[str, Any] = {}
    for counter in cast.counters_a:
        data[f"services_{counter.pk}"] = [s.pk for s in counter.services.all()]
        if counter.online_bookable:
            data[f"online_{counter.pk}"] = "on"
    data.update(overrides)
    return data


def test_only_the_office_head_and_it_open_the_page(cast: Cast) -> None:
    assert client_for(cast.head_a).get(_url(cast)).status_code == 200
    assert client_for(cast.it_admin).get(_url(cast)).status_code == 200
    assert client_for(cast.clerk_a).get(_url(cast)).status_code == 403
    assert client_for(cast.clerk_a).post(_url(cast), _grid(cast)).status_code == 403
    # Another office's page is not found, as every page of another office.
    other = f"/backoffice/{cast.office_b.pk}/configuration/"
    assert client_for(cast.head_a).get(other).status_code == 404
    assert Client().get(_url(cast)).status_code == 302


def test_the_navigation_links_the_page_for_the_office_head_only(cast: Cast) -> None:
    day = f"/backoffice/{cast.office_a.pk}/day/"
    assert _url(cast) in client_for(cast.head_a).get(day).content.decode()
    assert _url(cast) not in client_for(cast.clerk_a).get(day).content.decode()


def test_it_administration_lands_on_the_page_and_sees_no_desk_links(cast: Cast) -> None:
    client = client_for(cast.it_admin)
    response = client.get("/backoffice/")
    assert response.status_code == 302 and response["Location"] == _url(cast)
    page = client.get(_url(cast)).content.decode()
    navigation = page.split("<main")[0].split("staff-nav")[1]
    assert f"/backoffice/{cast.office_a.pk}/day/" not in navigation
    assert f"/backoffice/{cast.office_a.pk}/statistics/" in navigation  # IT reads the figures
    # Clerks and office heads still start with the day plan.
    assert client_for(cast.head_a).get("/backoffice/")["Location"].endswith("/day/")


def test_every_checkbox_has_a_label_naming_counter_and_service(cast: Cast) -> None:
    page = client_for(cast.head_a).get(_url(cast)).content.decode()
    counter = cast.counters_a[1]
    copies = cast.services_a["copies"]
    assert f'<label for="offer-{counter.pk}-{copies.pk}">' in page
    assert "Schalter 2 offers Beglaubigung (en)" in page
    assert "Schalter 2 is offered online" in page
    # Schalter 2 does not offer copies: its box is not ticked.
    assert (
        f'id="offer-{counter.pk}-{copies.pk}" name="services_{counter.pk}" value="{copies.pk}">'
        in page
    )


def test_saving_the_grid_changes_the_counters_and_what_citizens_can_book(cast: Cast) -> None:
    first, second = cast.counters_a
    registration = cast.services_a["registration"]
    id_card = cast.services_a["id_card"]
    head = client_for(cast.head_a)
    response = head.post(
        _url(cast),
        _grid(
            cast,
            **{
                f"services_{first.pk}": [id_card.pk],
                f"services_{second.pk}": [id_card.pk, registration.pk],
                f"online_{second.pk}": "",
            },
        ),
    )
    assert response.status_code == 302
    assert set(first.services.all()) == {id_card}
    assert not Counter.objects.get(pk=second.pk).online_bookable
    entry = AuditEntry.objects.get(action=AuditAction.COUNTER_SERVICES)
    assert entry.before["Schalter 2: online_bookable"] is True
    assert entry.after["Schalter 2: online_bookable"] is False
    # The cached configuration followed: registration is no longer offered online.
    configuration = selectors.office_configuration(cast.office_a.pk)
    assert configuration is not None
    assert not configuration.services[registration.pk].bookable_online
    assert configuration.online_counter_ids == frozenset({first.pk})
    page = head.get(_url(cast)).content.decode()
    assert "Saved." in page
    assert "“Anmeldung (en)” is offered by no counter that is bookable online" in page


def test_saving_is_recorded_in_the_audit_log_with_before_and_after(cast: Cast) -> None:
    first, _second = cast.counters_a
    id_card = cast.services_a["id_card"]
    client_for(cast.head_a).post(_url(cast), _grid(cast, **{f"services_{first.pk}": [id_card.pk]}))
    entry = AuditEntry.objects.get(action=AuditAction.COUNTER_SERVICES)
    assert entry.office == cast.office_a and entry.actor == cast.head_a
    # Only what changed, as "<counter>: <field>": before → after.
    assert entry.before == {"Schalter 1: services": "Anmeldung, Beglaubigung, Personalausweis"}
    assert entry.after == {"Schalter 1: services": "Personalausweis"}


def test_saving_without_a_change_writes_nothing(cast: Cast) -> None:
    response = client_for(cast.head_a).post(_url(cast), _grid(cast))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=AuditAction.COUNTER_SERVICES).exists()


def test_another_offices_service_is_refused(cast: Cast) -> None:
    first, _second = cast.counters_a
    response = client_for(cast.head_a).post(
        _url(cast), _grid(cast, **{f"services_{first.pk}": [cast.service_b.pk]})
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert set(first.services.all()) == set(cast.services_a.values())


def test_the_service_refuses_a_counter_of_another_office(cast: Cast) -> None:
    with pytest.raises(InvalidDetails):
        counter_offers_set(
            office=cast.office_a,
            offers={cast.counter_b.pk: CounterOffer(online_bookable=True, service_ids=frozenset())},
            staff_user=cast.head_a,
        )
    assert set(cast.counter_b.services.all()) == {cast.service_b}


def test_a_switched_off_service_stays_with_its_counter(cast: Cast) -> None:
    first, _second = cast.counters_a
    copies = cast.services_a["copies"]
    copies.active = False
    copies.save()
    id_card = cast.services_a["id_card"]
    counter_offers_set(
        office=cast.office_a,
        offers={first.pk: CounterOffer(online_bookable=True, service_ids=frozenset({id_card.pk}))},
        staff_user=cast.head_a,
    )
    assert set(first.services.all()) == {id_card, copies}


def test_free_times_follow_the_grid_at_once(cast: Cast) -> None:
    """The cached availability is outdated by the change, not served from before it."""
    from amtstermin.booking.demand import resolve_demand

    id_card = cast.services_a["id_card"]
    demand = resolve_demand(office=cast.office_a, pairs=[(id_card.pk, 1)])
    before = selectors.availability(demand, first_day=A_MONDAY, last_day=A_MONDAY, now=NOW)
    assert before
    counter_offers_set(
        office=cast.office_a,
        offers={
            counter.pk: CounterOffer(online_bookable=False, service_ids=frozenset({id_card.pk}))
            for counter in cast.counters_a
        },
        staff_user=cast.head_a,
    )
    assert selectors.availability(demand, first_day=A_MONDAY, last_day=A_MONDAY, now=NOW) == []


def test_the_page_warns_about_counters_without_hours_and_services_without_documents(
    cast: Cast,
) -> None:
    lonely = make_service(cast.office_a, "Fischereischein", 10)
    Counter.objects.create(office=cast.office_a, name="Schalter 9")
    page = client_for(cast.head_a).get(_url(cast)).content.decode()
    assert "“Fischereischein (en)” is offered by no active counter" in page
    assert "“Fischereischein (en)” lists no documents to bring." in page
    assert "“Beglaubigung (en)” lists no documents to bring." in page
    assert "“Schalter 9” has no opening hours valid today" in page
    assert "“Schalter 9” offers no active service." in page
    assert f"/admin/booking/service/{lonely.pk}/change/" in page
