"""Limits per client address: holds, API bookings; the address behind trusted proxies; the
counters in the database when there is no Redis (across processes: tests/concurrency/)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from amtstermin.booking.tasks import purge_daily
from amtstermin.ratelimit import allow, client_address
from amtstermin.ratelimit.models import Counter
from tests.factories import small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@override_settings(API_BOOKING_LIMIT_PER_HOUR=2)
@pytest.mark.django_db
def test_the_api_refuses_a_third_booking_from_one_address_within_the_hour(client: Client) -> None:
    office, svc, _counters = small_office()
    statuses = []
    with time_machine.travel(NOW, tick=False):
        for minute in ("08:00", "08:15", "08:30"):
            body = {
                "office_id": office.pk,
                "services": [{"service_id": svc["id_card"].pk, "persons": 1}],
                "start": f"2026-12-07T{minute}",
                "name": "Erika Mustermann",
                "email": "erika@example.org",
            }
            response = client.post(
                "/api/v1/appointments", json.dumps(body), content_type="application/json"
            )
            statuses.append(response.status_code)
    assert statuses == [201, 201, 429]
    assert response["Retry-After"] == "3600"
    assert "detail" in response.json()


@override_settings(HOLD_LIMIT_PER_HOUR=1)
@pytest.mark.django_db
def test_holding_time_after_time_from_one_device_is_stopped(client: Client) -> None:
    office, svc, _counters = small_office()
    with time_machine.travel(NOW, tick=False):
        demand = f"{svc['id_card'].pk}:1"
        start = int(datetime(2026, 12, 7, 7, 0, tzinfo=UTC).timestamp())
        first = client.post(f"/o/{office.pk}/hold/", {"services": demand, "start": start})
        second = client.post(f"/o/{office.pk}/hold/", {"services": demand, "start": start + 900})
    assert first["Location"].endswith("/booking/details/")
    assert second["Location"].endswith(f"/o/{office.pk}/")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the proxy appended the client
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    proxies: int, forwarded: str, expected: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXIES=proxies):
        assert client_address(request) == expected


@override_settings(REDIS_URL=None)
@pytest.mark.django_db
def test_without_redis_the_count_is_kept_in_the_database_not_in_the_process() -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    answers = []
    with time_machine.travel(NOW, tick=False):
        for _ in range(3):
            answers.append(allow(request, "kiosk", limit=2, window_seconds=60))
            cache.clear()  # what another process would see of this one's cache: nothing
    assert answers == [True, True, False]


@override_settings(REDIS_URL=None)
@pytest.mark.django_db
def test_without_redis_the_nightly_purge_deletes_the_counters_of_past_days() -> None:
    with time_machine.travel(NOW, tick=False):
        allow(
            RequestFactory().post("/", REMOTE_ADDR="203.0.113.9"),
            "hold",
            limit=5,
            window_seconds=60,
        )
    with time_machine.travel(NOW + timedelta(days=1, minutes=1), tick=False):
        allow(
            RequestFactory().post("/", REMOTE_ADDR="198.51.100.7"),
            "hold",
            limit=5,
            window_seconds=60,
        )
        assert Counter.objects.count() == 2  # no request tidies up: that is the purge's work
        purge_daily.call()
    assert Counter.objects.count() == 1


@pytest.mark.parametrize(
    ("remote", "counted_as"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),  # the same client as IPv4
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::"),  # a host's /64 is one client
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::"),
    ],
)
def test_a_client_is_counted_by_its_ipv4_address_or_its_ipv6_network(
    remote: str, counted_as: str
) -> None:
    assert client_address(RequestFactory().get("/", REMOTE_ADDR=remote)) == counted_as
