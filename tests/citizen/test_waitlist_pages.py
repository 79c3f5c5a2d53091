"""The waitlist's pages: leave a wish from the time page, confirm it, accept or decline an
offer, withdraw; the e-mails' link opens a page and changes nothing by itself."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from amtstermin.booking.models import AppointmentStatus, WaitlistEntry, WaitlistStatus
from amtstermin.notifications.models import Message
from amtstermin.notifications.tasks import send_message
from tests.booking.waitlist_cast import NOW, OneTime, book_the_time, leave_wish, one_time_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def place() -> Iterator[OneTime]:
    with time_machine.travel(NOW, tick=False):
        yield one_time_office()


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


def wish_form(place: OneTime, **overrides: str) -> dict[str, str]:
    return {
        "services": place.demand.key(),
        "first_day": "2026-12-07",
        "last_day": "2026-12-07",
        "name": "Erika Mustermann",
        "email": "erika@example.org",
        "consent": "on",
        **overrides,
    }


def sent_links() -> list[str]:
    """Send the queued e-mails as the worker would; the links of the last one."""
    for message in Message.objects.filter(status="queued"):
        send_message.call(message.pk)
    return re.findall(r"https?://\S+", str(mail.outbox[-1].body))


def test_the_time_page_offers_the_waitlist_when_nothing_is_free(client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        place = one_time_office(horizon_days=6)  # the one Monday only
        book_the_time(place)
        page = client.get(f"/o/{place.office.pk}/time/", {"services": place.demand.key()})

    text = page.content.decode()
    assert 'id="nothing-free"' in text
    assert 'id="waitlist-link"' in text
    assert f"/o/{place.office.pk}/waitlist/?services=" in text


def test_the_time_page_offers_the_waitlist_beside_free_times(
    client: Client, place: OneTime
) -> None:
    page = client.get(f"/o/{place.office.pk}/time/", {"services": place.demand.key()})

    text = page.content.decode()
    assert 'id="nothing-free"' not in text
    assert 'id="waitlist-hint"' in text


def test_a_wish_left_on_the_page_waits_for_the_button_behind_the_e_mails_one_link(
    client: Client, place: OneTime
) -> None:
    response = client.post(f"/o/{place.office.pk}/waitlist/", wish_form(place))
    assert response.status_code == 302
    [link] = sent_links()
    path = (
        link.split("testserver", 1)[-1]
        if "testserver" in link
        else re.sub(r"^https?://[^/]+", "", link)
    )

    assert client.get(path).status_code == 200  # a link scanner opens it
    assert WaitlistEntry.objects.get().status == WaitlistStatus.PENDING

    client.post(path + "confirm/")
    # In the line now, and offered at once the free time that fits it.
    assert WaitlistEntry.objects.get().status == WaitlistStatus.OFFERED


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "nope", "valid e-mail address"),
        ("last_day", "2026-12-06", "must not be before the first day"),
        ("first_day", "7.12.2026", "YYYY-MM-DD"),
    ],
)
def test_the_form_names_the_field_at_fault(
    client: Client, place: OneTime, field: str, value: str, message: str
) -> None:
    page = client.post(f"/o/{place.office.pk}/waitlist/", wish_form(place, **{field: value}))

    assert page.status_code == 422
    text = page.content.decode()
    assert 'role="alert"' in text
    assert message in text
    assert 'aria-invalid="true"' in text
    assert not WaitlistEntry.objects.exists()


def test_the_limit_is_said_on_the_form(client: Client, place: OneTime) -> None:
    leave_wish(place, "erika@example.org")
    leave_wish(place, "erika@example.org")

    page = client.post(f"/o/{place.office.pk}/waitlist/", wish_form(place))

    assert page.status_code == 422
    assert "2 wishes" in page.content.decode()


def test_opening_the_offer_changes_nothing_and_accepting_books(
    client: Client, place: OneTime
) -> None:
    entry, token = leave_wish(place, "erika@example.org")
    [link] = sent_links()
    assert link.endswith(f"/waitlist/{token}/")

    for _scan in range(2):
        page = client.get(f"/waitlist/{token}/")
        assert 'id="offer-accept"' in page.content.decode()
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED

    response = client.post(f"/waitlist/{token}/accept/")

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED
    assert entry.offer is not None and entry.offer.status == AppointmentStatus.CONFIRMED
    assert response.status_code == 302 and response["Location"].startswith("/manage/")


def test_declining_on_the_page_passes_the_time_on(client: Client, place: OneTime) -> None:
    entry, token = leave_wish(place, "erika@example.org")
    DBTaskResult.objects.all().delete()

    client.post(f"/waitlist/{token}/decline/")

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.CANCELLED
    assert entry.offer is not None
    entry.offer.refresh_from_db()
    assert entry.offer.status == AppointmentStatus.EXPIRED


def test_withdrawing_on_the_page(client: Client, place: OneTime) -> None:
    entry, token = leave_wish(place, "erika@example.org")

    client.post(f"/waitlist/{token}/withdraw/")

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.CANCELLED
    # The wish was left in German: its page speaks German whatever the browser asks.
    assert "zurückgezogen" in client.get(f"/waitlist/{token}/").content.decode()


def test_buttons_only_answer_posts(client: Client, place: OneTime) -> None:
    entry, token = leave_wish(place, "erika@example.org", activate=False)

    for action in ("confirm", "accept", "decline", "withdraw"):
        assert client.get(f"/waitlist/{token}/{action}/").status_code == 405
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.PENDING


def test_posting_without_the_csrf_token_is_refused(place: OneTime) -> None:
    entry, token = leave_wish(place, "erika@example.org", activate=False)
    client = Client(enforce_csrf_checks=True)

    assert client.post(f"/waitlist/{token}/confirm/").status_code == 403
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.PENDING


def test_an_unknown_wish_is_not_found(client: Client, place: OneTime) -> None:
    assert client.get("/waitlist/unknown/").status_code == 404


def test_the_form_suggests_its_days_in_the_form_date_inputs_take_in_german_too(
    place: OneTime,
) -> None:
    page = Client(headers={"Accept-Language": "de"}).get(
        f"/o/{place.office.pk}/waitlist/", {"services": place.demand.key()}
    )

    text = page.content.decode()
    assert 'value="2026-12-01"' in text  # today
    assert 'value="2026-12-28"' in text  # four weeks on
    assert "Terminwunsch" in text
