"""Without Redis, a rate limit holds across every server process.

Forty kiosk numbers are drawn at once from one address against a limit of twelve a minute,
through the four gunicorn workers of the live server (tests/live_server.py). Counted per
process, each worker would allow its own twelve.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import User

from amtstermin.booking import devices
from amtstermin.booking.models import Ticket
from tests.factories import make_counter, small_office
from tests.live_server import StartServer

LIMIT = 12
ALL_DAY = [(day, dt.time(0, 0), dt.time(23, 59, 59)) for day in range(7)]
REQUESTS = 40


def kiosk_form(url: str) -> tuple[str, str]:
    """The CSRF cookie and form token of the kiosk page."""
    with urllib.request.urlopen(url, timeout=15) as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page
    return cookie, token.group(1)


def draw_number(url: str, cookie: str, form: dict[str, str]) -> int:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(form).encode(), headers={"Cookie": cookie}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def wait_for_a_fresh_minute() -> None:
    """The limit counts per calendar minute; all requests should fall into one."""
    left = 60 - time.time() % 60
    if left < 20:
        time.sleep(left + 0.2)


@pytest.mark.django_db(transaction=True)
def test_kiosk_numbers_are_limited_across_all_server_processes(start_server: StartServer) -> None:
    office, svc, _counters = small_office()
    # Open around the clock (the kiosk gives no numbers while no counter is open).
    make_counter(office, "Tag und Nacht", [svc["id_card"]], ALL_DAY)
    head = User.objects.create_user(username="head", is_staff=True)
    kiosk = devices.device_pair(office=office, kind="kiosk", name="Eingang", staff_user=head)
    base = start_server({"REDIS_URL": "", "AMTSTERMIN_KIOSK_LIMIT_PER_MINUTE": str(LIMIT)})
    url = f"{base}/kiosk/{kiosk.token}/"
    cookie, token = kiosk_form(url)
    form = {"csrfmiddlewaretoken": token, "service": str(svc["id_card"].pk)}

    wait_for_a_fresh_minute()
    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        statuses = list(pool.map(lambda _: draw_number(url, cookie, form), range(REQUESTS)))

    # The limit is counted before anything else: exactly LIMIT requests pass it, in whichever
    # process (on a public holiday the kiosk then refuses them as closed, 400, not 429).
    assert collections.Counter(status == 429 for status in statuses) == {
        True: REQUESTS - LIMIT,
        False: LIMIT,
    }
    assert Ticket.objects.filter(office=office).count() == statuses.count(200)
