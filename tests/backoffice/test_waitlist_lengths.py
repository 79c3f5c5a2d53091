"""Staff see on the day plan how many wishes wait for each service of their office."""

from __future__ import annotations

from datetime import timedelta

from amtstermin.booking import waitlist
from amtstermin.booking.demand import resolve_demand
from tests.factories import A_MONDAY

from .conftest import NOW, Cast, client_for


def wish(cast: Cast, service_key: str, email: str, *, confirm: bool = True) -> None:
    demand = resolve_demand(office=cast.office_a, pairs=[(cast.services_a[service_key].pk, 1)])
    entry, _token = waitlist.waitlist_sign_up(
        wish=waitlist.Wish(
            demand=demand,
            first_day=A_MONDAY,
            last_day=A_MONDAY + timedelta(days=7),
            name="Erika Mustermann",
            email=email,
        ),
        now=NOW,
    )
    if confirm:
        waitlist.waitlist_activate(entry=entry, now=NOW)


def test_the_day_plan_shows_each_services_waitlist_length(cast: Cast) -> None:
    wish(cast, "id_card", "a@example.org")
    wish(cast, "id_card", "b@example.org")
    wish(cast, "registration", "c@example.org")
    wish(cast, "registration", "d@example.org", confirm=False)  # not waiting before the opt-in

    body = client_for(cast.clerk_a).get(f"/backoffice/{cast.office_a.pk}/day/").content.decode()

    assert 'id="waitlist-lengths"' in body
    assert "Personalausweis (en): 2 wishes waiting" in body
    assert "Anmeldung (en): 1 wish waiting" in body


def test_staff_of_another_office_see_no_waitlist_of_this_one(cast: Cast) -> None:
    wish(cast, "id_card", "a@example.org")

    body = client_for(cast.clerk_b).get(f"/backoffice/{cast.office_b.pk}/day/").content.decode()

    assert 'id="waitlist-lengths"' not in body
