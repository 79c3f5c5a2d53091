"""A bot against the limits (issue 14): one address and one person trying to take many times.

In process, on a fresh demo office (SQLite), with Django's test client, the real proof of work
(the base cost of ``AMTSTERMIN_POW_COST``, default 1000) solved by the ``altcha`` library, as a
script would solve it:

1. **API, one e-mail address in variants** (``+tags``, case, Gmail dots): how many of 40
   bookings are accepted, each with a fresh proof-of-work solution.
2. **Pages without JavaScript, one address**: how many of 40 holds are accepted (the stricter
   per-address limit for holds without a solution).
3. **Pages with proof of work, one address**: 60 holds in a row, each with a fresh challenge;
   the cost the server asks for and the CPU seconds the solving took, against one citizen's.
4. **Hold extensions**: how many of 5 are granted.

Run: ``.venv/bin/python benchmarks/bench_bot.py`` (about a minute).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo


def main() -> None:
    os.environ.update(
        AMTSTERMIN_DATA_DIR=tempfile.mkdtemp(prefix="amtstermin-bot-"),
        AMTSTERMIN_HTTPS="0",
        DJANGO_SETTINGS_MODULE="amtstermin.settings",
    )
    import django

    django.setup()
    import altcha
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from amtstermin.booking.models import Appointment

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    Appointment.objects.all().delete()  # the demo's sample bookings would take times
    client = Client(HTTP_HOST="127.0.0.1")

    def solve(challenge: dict[str, Any]) -> tuple[str, float]:
        parsed = altcha.Challenge.from_dict(challenge)
        started = time.process_time()
        solution = altcha.solve_challenge(parsed)
        assert solution is not None
        return str(altcha.Payload(parsed, solution).to_base64()), time.process_time() - started

    office = client.get("/api/v1/offices").json()[0]["id"]
    service = client.get(f"/api/v1/offices/{office}/services").json()[0]["id"]
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    days = client.get(
        f"/api/v1/offices/{office}/availability?services={service}:1"
        f"&from={today + timedelta(days=3)}&to={today + timedelta(days=40)}"
    ).json()["days"]
    starts = [(day["date"], t) for day in days for t in day["times"][::2]]
    print(f"base cost {settings.POW_COST}, {len(starts)} free times to aim at")

    # 1. The API, one person in variants of the address.
    variants = ["bot@example.org", "Bot+1@example.org", "BOT@Example.org", "bot+x@example.org"]
    outcomes: dict[int, int] = {}
    for number in range(40):
        payload, _cpu = solve(client.get("/api/v1/challenge").json())
        date, clock = starts[number]
        response = client.post(
            "/api/v1/appointments",
            {
                "office_id": office,
                "services": [{"service_id": service, "persons": 1}],
                "start": f"{date}T{clock}",
                "name": "Bot",
                "email": variants[number % len(variants)],
            },
            content_type="application/json",
            headers={"X-Altcha": payload},
        )
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1
    print(f"1. API, 40 bookings with one address in variants: {dict(sorted(outcomes.items()))}")

    # 2. Holds through the pages without a solution (no JavaScript, or a script).
    demand = f"{service}:1"
    zone = ZoneInfo("Europe/Berlin")

    def instant(date: str, clock: str) -> int:
        return int(datetime.fromisoformat(f"{date}T{clock}").replace(tzinfo=zone).timestamp())

    held = 0
    for number in range(40):
        bot = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="203.0.113.50")
        date, clock = starts[100 + number]
        answer = bot.post(f"/o/{office}/hold/", {"services": demand, "start": instant(date, clock)})
        held += answer.status_code == 302 and answer["Location"] == "/booking/details/"
    print(f"2. pages without a solution, 40 holds from one address: {held} held")

    # 3. Holds with a solution, one address: the cost rises.
    costs, seconds = [], []
    bot = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="203.0.113.60")
    for number in range(60):
        challenge = bot.get("/api/v1/challenge").json()
        payload, cpu = solve(challenge)
        costs.append(challenge["parameters"]["cost"])
        seconds.append(cpu)
        date, clock = starts[number % 40]
        bot.post(
            f"/o/{office}/hold/",
            {"services": demand, "start": instant(date, clock), "altcha": payload},
        )
    print("3. pages with a solution, 60 holds from one address:")
    for first, last in ((0, 2), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60)):
        print(
            f"   challenges {first + 1:>2}-{last:>2}: cost {costs[first]:>6},"
            f" mean {statistics.mean(seconds[first:last]):.3f} s CPU each"
            " (the number of tries is random: about 256 on average)"
        )
    print(
        f"   all 60: {sum(seconds):.1f} s CPU; a citizen (2 challenges): {sum(seconds[:2]):.3f} s"
    )

    # 4. Extensions of one hold.
    citizen = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="198.51.100.70")
    payload, _cpu = solve(citizen.get("/api/v1/challenge").json())
    date, clock = starts[-1]
    citizen.post(
        f"/o/{office}/hold/", {"services": demand, "start": instant(date, clock), "altcha": payload}
    )
    granted = 0
    for _ in range(5):
        answer = citizen.post("/booking/extend/", {"next": "details"}, follow=True)
        granted += "You have more time now" in answer.content.decode() or "mehr Zeit" in (
            answer.content.decode()
        )
    print(f"4. extensions of one hold: {granted} of 5 granted")


if __name__ == "__main__":
    main()
