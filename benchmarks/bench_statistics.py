"""Statistics at scale: a year of a 10-counter office (about 50,000 appointments).

Measures, on a fresh SQLite database in a temporary directory (or the PostgreSQL database
named by ``DATABASE_URL``): inventing the year, computing its daily figures (the backfill), the
nightly computation of one day, and each statistics page (median of five requests, rendered
with its charts). Run: ``.venv/bin/python benchmarks/bench_statistics.py``; the figures go to
docs/benchmarks.md by hand.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as wall_time


def main() -> None:
    directory = tempfile.mkdtemp(prefix="amtstermin-bench-stats-")
    os.environ.setdefault("AMTSTERMIN_DATA_DIR", directory)
    os.environ.setdefault("AMTSTERMIN_HTTPS", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtstermin.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from amtstermin.booking.models import Counter, Office, OpeningHours, Service
    from amtstermin.reports import figures
    from amtstermin.reports.demo_history import invent, invent_next_free

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", interactive=False, verbosity=0)
    office = Office.objects.create(
        name="Bench", street="x", postal_code="1", city="x", federal_state="NW"
    )
    services = [
        Service.objects.create(office=office, name=f"Service {n}", first_person_minutes=m,
                               per_person_minutes=m // 2, max_persons=3)
        for n, m in enumerate((15, 20, 30, 10, 15), start=1)
    ]  # fmt: skip
    for n in range(10):
        counter = Counter.objects.create(office=office, name=f"Schalter {n + 1:02d}")
        counter.services.set(services)
        OpeningHours.objects.bulk_create(
            OpeningHours(counter=counter, weekday=day, start=wall_time(8), end=wall_time(16))
            for day in range(5)
        )
    now = datetime.now(UTC)
    last = now.astimezone(office.zone).date() - timedelta(days=1)
    first = last - timedelta(days=364)
    started = time.perf_counter()
    appointments, tickets = invent(office, first=first, last=last, fill=0.85)
    samples = invent_next_free(office, first=first, last=last)
    invented = time.perf_counter() - started
    started = time.perf_counter()
    day = first
    while day <= last:
        figures.store_day(office, day, now=now)
        day += timedelta(days=1)
    backfill = time.perf_counter() - started
    nightly = []
    for _ in range(5):
        started, cpu = time.perf_counter(), time.process_time()
        figures.store_day(office, last, now=now)
        nightly.append((time.perf_counter() - started, time.process_time() - cpu))

    head = User.objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(head)
    pages = {}
    month = f"?first={(last - timedelta(days=90)).isoformat()}&last={last.isoformat()}"
    year = f"?first={first.isoformat()}&last={last.isoformat()}"
    for page in ("overview", "services", "counters", "walk-ins", "forecast"):
        for label, query in (("13 weeks", month), ("a year", year)):
            times = []
            for _ in range(5):
                started, cpu = time.perf_counter(), time.process_time()
                response = client.get(f"/backoffice/{office.pk}/statistics/{page}/{query}")
                times.append((time.perf_counter() - started, time.process_time() - cpu))
                assert response.status_code == 200, response.status_code
            pages[f"{page} ({label})"] = (
                times[0],
                (
                    statistics.median(wall for wall, _cpu in times),
                    statistics.median(cpu for _wall, cpu in times),
                ),
            )
    print(f"database: {str(settings.DATABASES['default']['ENGINE']).rsplit('.', 1)[-1]}")
    print(f"appointments: {appointments}, walk-in numbers: {tickets}, days: 365, counters: 10")
    print(f"inventing the year: {invented:.1f} s; backfill of 365 days: {backfill:.1f} s")
    print(
        "nightly computation of one day: median "
        f"{statistics.median(wall for wall, _cpu in nightly) * 1000:.0f} ms wall, "
        f"{statistics.median(cpu for _wall, cpu in nightly) * 1000:.0f} ms CPU"
    )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"next-free samples: {samples}")
    for name, (first_time, (elapsed, cpu)) in pages.items():
        print(
            f"page {name}: first {first_time[0] * 1000:.0f} ms wall; median of 5: "
            f"{elapsed * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
