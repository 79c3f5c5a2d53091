"""Kiosks and call displays answer only through a link the office head paired; revoked or
unknown links get 403 and change nothing."""

from __future__ import annotations

import re

from django.test import Client

from amtstermin.booking.models import AuditEntry, Device, Ticket

from .conftest import Cast, client_for, pair


def _post_kiosk(url: str, data: dict[str, object]) -> int:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(url)
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else ""
    return client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code


def test_the_old_open_kiosk_and_display_links_answer_403(cast: Cast) -> None:
    office = cast.office_a.pk
    for url in (f"/kiosk/{office}/", f"/display/{office}/", f"/display/{office}/calls.json"):
        assert Client().get(url).status_code == 403, url
    service = cast.services_a["registration"]
    assert Client().post(f"/kiosk/{office}/", {"service": service.pk}).status_code == 403
    assert not Ticket.objects.exists()


def test_an_unknown_link_answers_403_and_draws_no_number(cast: Cast) -> None:
    service = cast.services_a["registration"]
    url = "/kiosk/not-a-paired-device-token-at-all/"
    assert Client().get(url).status_code == 403
    assert _post_kiosk(url, {"action": "walk-in", "service": [service.pk]}) == 403
    assert Client().get("/display/not-a-paired-device-token/").status_code == 403
    assert not Ticket.objects.exists()


def test_the_office_head_pairs_a_kiosk_and_sees_its_link_once(cast: Cast) -> None:
    head = client_for(cast.head_a)
    url = f"/backoffice/{cast.office_a.pk}/devices/"
    response = head.post(url, {"action": "pair", "kind": "kiosk", "name": "Eingang"})
    assert response.status_code == 200
    page = response.content.decode()
    link = re.search(r'href="http://testserver(/kiosk/[A-Za-z0-9_-]{40,}/)"', page)
    assert link is not None and "<svg" in page
    device = Device.objects.get(office=cast.office_a)
    token = link.group(1).split("/")[2]
    assert device.token_hash != token and token not in device.token_hash
    # The link works on the device; the list shows the device but never the link again.
    assert Client().get(link.group(1)).status_code == 200
    listing = head.get(url).content.decode()
    assert "Eingang" in listing and token not in listing
    assert AuditEntry.objects.filter(action="device_pair", office=cast.office_a).exists()


def test_a_revoked_kiosk_answers_403(cast: Cast) -> None:
    token = pair(cast.office_a, "kiosk", cast.head_a)
    url = f"/kiosk/{token}/"
    service = cast.services_a["registration"]
    assert _post_kiosk(url, {"action": "walk-in", "service": [service.pk]}) == 200
    device = Device.objects.get()
    client_for(cast.head_a).post(
        f"/backoffice/{cast.office_a.pk}/devices/", {"action": "revoke", "device": device.pk}
    )
    device.refresh_from_db()
    assert device.revoked_at is not None
    assert Client().get(url).status_code == 403
    assert _post_kiosk(url, {"action": "walk-in", "service": [service.pk]}) == 403
    assert Ticket.objects.count() == 1
    assert AuditEntry.objects.filter(action="device_revoke", office=cast.office_a).exists()


def test_a_revoked_display_answers_403(cast: Cast) -> None:
    token = pair(cast.office_a, "display", cast.head_a)
    assert Client().get(f"/display/{token}/").status_code == 200
    assert Client().get(f"/display/{token}/calls.json").json() == {"calls": []}
    client_for(cast.head_a).post(
        f"/backoffice/{cast.office_a.pk}/devices/",
        {"action": "revoke", "device": Device.objects.get().pk},
    )
    assert Client().get(f"/display/{token}/").status_code == 403
    assert Client().get(f"/display/{token}/calls.json").status_code == 403


def test_a_display_link_does_not_open_the_kiosk(cast: Cast) -> None:
    token = pair(cast.office_a, "display", cast.head_a)
    assert Client().get(f"/kiosk/{token}/").status_code == 403


def test_clerks_cannot_pair_devices(cast: Cast) -> None:
    clerk = client_for(cast.clerk_a)
    url = f"/backoffice/{cast.office_a.pk}/devices/"
    response = clerk.post(url, {"action": "pair", "kind": "kiosk", "name": "Eingang"})
    assert response.status_code in (403, 404)
    assert not Device.objects.exists()


def test_a_head_cannot_revoke_another_offices_device(cast: Cast) -> None:
    pair(cast.office_b, "kiosk", cast.head_a)
    device = Device.objects.get()
    response = client_for(cast.head_a).post(
        f"/backoffice/{cast.office_a.pk}/devices/", {"action": "revoke", "device": device.pk}
    )
    assert response.status_code == 404
    device.refresh_from_db()
    assert device.revoked_at is None


def test_the_kiosk_refuses_numbers_outside_opening_hours_with_a_clear_message(
    cast: Cast,
) -> None:
    import time_machine

    from .conftest import at

    token = pair(cast.office_a, "kiosk", cast.head_a)
    service = cast.services_a["registration"]
    with time_machine.travel(at(12, 30), tick=False):
        client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
        url = f"/kiosk/{token}/"
        csrf = client.get(url).cookies["csrftoken"].value
        response = client.post(
            url, {"action": "walk-in", "service": [service.pk], "csrfmiddlewaretoken": csrf}
        )
    assert response.status_code == 400
    assert "No counter for this is open now" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Ticket.objects.exists()
