"""Logs carry no manage tokens and no query values: the demo's access log and the app's own."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from amtstermin.booking.management.commands.demo import web_server_command
from amtstermin.log_privacy import MaskingFormatter, mask
from tests.live_server import SERVER_ONLY, free_port, url_of_the_test_database

TOKEN = "kX3vQ9-secret_manage_token"


def routes(patterns: list[URLPattern | URLResolver], prefix: str = "/") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route


def test_every_url_that_takes_a_token_is_logged_without_it() -> None:
    with_token = [route for route in routes(get_resolver().url_patterns) if "token>" in route]
    assert len(with_token) >= 6  # the manage pages, the confirmation link, the API
    for route in with_token:
        path = re.sub(
            r"<[^>]*>", "1", route.replace("<str:token>", TOKEN).replace("<token>", TOKEN)
        )
        line = f'127.0.0.1 - - "GET {path}?print=1 HTTP/1.1" 200 "http://x{path}"'
        assert TOKEN not in mask(line), route


def test_query_values_are_logged_without_their_values() -> None:
    line = "GET /backoffice/1/day/?q=Erika+Mustermann&print=1 HTTP/1.1"
    assert mask(line) == "GET /backoffice/1/day/?q=***&print=*** HTTP/1.1"


def test_an_application_log_line_quoting_a_manage_url_is_masked() -> None:
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(console, logging.StreamHandler)
    written = io.StringIO()
    previous = console.setStream(written)
    try:
        logging.getLogger("django.request").error("Internal Server Error: /manage/%s/", TOKEN)
    finally:
        console.setStream(previous)
    assert "Internal Server Error: /manage/***/" in written.getvalue()
    assert TOKEN not in written.getvalue()


def test_a_traceback_quoting_a_manage_url_is_masked() -> None:
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(console, logging.StreamHandler)
    written = io.StringIO()
    previous = console.setStream(written)
    try:
        try:
            raise ValueError(f"no appointment for /manage/{TOKEN}/")
        except ValueError:
            logging.getLogger("amtstermin").exception("failed")
    finally:
        console.setStream(previous)
    assert "ValueError: no appointment for /manage/***/" in written.getvalue()
    assert TOKEN not in written.getvalue()


def test_djangos_own_logger_writes_only_through_the_masking_handler() -> None:
    """Django's default handler for its logger prints unmasked when DEBUG is on."""
    django_logger = logging.getLogger("django")
    ours = [h for h in django_logger.handlers if not type(h).__module__.startswith("_pytest")]
    assert [handler.get_name() for handler in ours] == ["console"]
    assert isinstance(ours[0].formatter, MaskingFormatter)
    assert not django_logger.propagate


@pytest.mark.django_db(transaction=True)
def test_the_demo_access_log_shows_the_paths_without_tokens() -> None:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in SERVER_ONLY}
    env.update({"DATABASE_URL": url_of_the_test_database(), "AMTSTERMIN_HTTPS": "0"})
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            web_server_command(f"127.0.0.1:{port}"), env=env, stdout=log, stderr=log
        )
        try:
            wait_until_up(base, server)
            for method in ("GET", "DELETE"):
                fetch(method, f"{base}/api/v1/appointments/{TOKEN}")
            fetch("GET", f"{base}/manage/{TOKEN}/cancel/", referer=f"{base}/manage/{TOKEN}/")
        finally:
            server.terminate()
            server.wait(30)
        log.seek(0)
        output = log.read().decode()
    assert '"DELETE /api/v1/appointments/*** HTTP/1.1" 404' in output
    assert '"GET /manage/***/cancel/ HTTP/1.1"' in output
    assert f'"{base}/manage/***/"' in output  # the referrer
    assert TOKEN not in output


def fetch(method: str, url: str, referer: str = "") -> None:
    request = urllib.request.Request(url, method=method, headers={"Referer": referer})
    # No such appointment: the answer does not matter, the log line does.
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=15).close()


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the demo's web server did not start")


def test_device_and_ticket_links_are_logged_without_their_token() -> None:
    for path in (f"/kiosk/{TOKEN}/", f"/display/{TOKEN}/calls.json", f"/t/{TOKEN}/status.json"):
        assert TOKEN not in mask(f'"GET {path} HTTP/1.1" 200'), path
