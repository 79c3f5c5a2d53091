"""Staff-only time in the configuration pages: the office head and IT keep time back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from amtstermin.booking.models import Counter, Office, StaffMembership, StaffOnlyTime
from tests.factories import WEEKDAY_MORNINGS, make_counter, make_office, small_office

ADD = "/admin/booking/staffonlytime/add/"


def _staff(group: str, office: Office) -> User:
    user = User.objects.create_user(f"user-{group}", password="irrelevant-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    StaffMembership.objects.create(user=user, office=office)
    return user


def _form(counter: Counter, **fields: str) -> dict[str, str]:
    return {"counter": str(counter.pk), "weekday": "2", **fields}


@pytest.fixture
def counters(db: None) -> tuple[Counter, Counter]:
    _office, _services, own = small_office()
    other = make_office(name="Bürgerbüro Nachbarort")
    foreign = make_counter(other, "Fremder Schalter", [], WEEKDAY_MORNINGS)
    return own[0], foreign


def test_the_office_head_keeps_a_range_back(client: Client, counters: tuple[Counter, ...]) -> None:
    own, _foreign = counters
    client.force_login(_staff("Leitung", own.office))
    page = client.get(ADD)
    assert page.status_code == 200 and 'name="_save"' in page.content.decode()
    response = client.post(ADD, _form(own, start="08:00", end="09:00"))
    assert response.status_code == 302
    entry = StaffOnlyTime.objects.get()
    assert (entry.counter, entry.weekday, f"{entry.start:%H:%M}") == (own, 2, "08:00")


def test_the_office_head_chooses_only_own_counters(
    client: Client, counters: tuple[Counter, ...]
) -> None:
    own, foreign = counters
    client.force_login(_staff("Leitung", own.office))
    assert "Fremder Schalter" not in client.get(ADD).content.decode()
    response = client.post(ADD, _form(foreign, share_percent="20"))
    assert response.status_code == 200  # the form again, with the error
    assert not StaffOnlyTime.objects.exists()


def test_a_range_with_a_share_is_shown_as_an_error(
    client: Client, counters: tuple[Counter, ...]
) -> None:
    own, _foreign = counters
    client.force_login(_staff("Leitung", own.office))
    response = client.post(
        ADD,
        _form(own, start="08:00", end="09:00", share_percent="20"),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert not StaffOnlyTime.objects.exists()


def test_it_keeps_time_back_on_the_counter_page(
    client: Client, counters: tuple[Counter, ...]
) -> None:
    own, _foreign = counters
    client.force_login(_staff("IT-Administration", own.office))
    page = client.get(f"/admin/booking/counter/{own.pk}/change/").content.decode()
    assert 'name="staff_only_times-TOTAL_FORMS"' in page
    assert "Nur intern buchbare Zeiten" in page and "Anteil am Tag (%)" in page


def test_a_clerk_cannot_keep_time_back(client: Client, counters: tuple[Counter, ...]) -> None:
    own, _foreign = counters
    client.force_login(_staff("Sachbearbeitung", own.office))
    assert client.get(ADD).status_code == 403
