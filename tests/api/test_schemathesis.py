"""Schemathesis, with all its checks, against a live server on this run's database.

Every request the OpenAPI document calls valid must be accepted (or refused only as documented:
a taken time, an unknown token), every invalid one refused, and every answer must have a
documented status, content type and shape. Requests generated as valid get the test office's
real ids and free times (tests/api/schemathesis_hooks.py). A fixed seed and a bounded number of
examples per operation keep the run reproducible and short.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from amtstermin.booking.models import Appointment, Office, Service
from tests.factories import make_counter, make_document, make_office, make_service
from tests.live_server import StartServer

HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
SEED = "20261201"
EXAMPLES_PER_OPERATION = "25"
RUN_SECONDS = 300  # a hung run fails the test instead of CI
STARTS = 2000
EVERY_DAY_6_TO_22 = [(weekday, time(6, 0), time(22, 0)) for weekday in range(7)]


def contract_office() -> tuple[Office, list[Service]]:
    """An office open long hours every day, whose online services last 5 minutes whatever the
    number of persons: any demand fits any free start, so valid bookings can succeed."""
    office = make_office(
        name="Bürgerbüro Vertragstest",
        lead_time_minutes=0,
        cancel_deadline_hours=0,
        horizon_days=21,
    )
    online = [
        make_service(office, "Personalausweis", 5, 0, max_persons=20, fee_amount=Decimal("37.00")),
        make_service(office, "Anmeldung", 5, 0, max_persons=8),
        make_service(office, "Führungszeugnis", 5, 0, max_persons=1),
    ]
    make_document(online[0], "Passfoto", "Photo", per_person=True)
    staff_only = make_service(office, "Beglaubigung", 5, 0, online_bookable=False)
    for number in (1, 2):
        make_counter(office, f"Schalter {number}", [*online, staff_only], EVERY_DAY_6_TO_22)
    return office, online


def free_starts(base_url: str, office: Office, services: list[Service]) -> list[str]:
    """Free starts for every online service at once, from tomorrow (none can pass meanwhile)."""
    tomorrow = timezone.now().astimezone(office.zone).date() + timedelta(days=1)
    demand = ",".join(str(service.pk) for service in services)
    url = f"{base_url}/api/v1/offices/{office.pk}/availability?services={demand}&from={tomorrow}"
    with urllib.request.urlopen(url, timeout=30) as response:
        days = json.load(response)["days"]
    return [f"{day['date']}T{start}" for day in days for start in day["times"]][:STARTS]


@pytest.mark.django_db(transaction=True)
def test_schemathesis_with_all_checks_finds_no_failure(
    start_server: StartServer, tmp_path: Path
) -> None:
    office, services = contract_office()
    base_url = start_server()
    data = tmp_path / "schemathesis-data.json"
    data.write_text(
        json.dumps(
            {
                "office_id": office.pk,
                "services": [[service.pk, service.max_persons] for service in services],
                "starts": free_starts(base_url, office, services),
            }
        )
    )
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--no-color",
        "run",
        f"{base_url}/api/v1/openapi.json",
        "--checks=all",
        f"--seed={SEED}",
        f"--max-examples={EXAMPLES_PER_OPERATION}",
        "--workers=1",
        "--generation-database=none",
    ]
    environment = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": str(HOOKS),
        "AMTSTERMIN_SCHEMATHESIS_DATA": str(data),
    }
    result = subprocess.run(
        command,
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    # The hooks gave valid requests real references: bookings were made, not only refused.
    assert Appointment.objects.filter(office=office).exists()
