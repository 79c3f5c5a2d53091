"""gunicorn settings for live-server tests: every worker is warm before it serves.

A cold worker's first request is slow (URL configuration, the API schemas, translations, a
database connection: seconds on a busy two-core machine). Cold workers would take the racing
requests one after another and hide the race the control must show. So the master imports what
every request needs before it forks (``--preload`` has loaded Django by then), each worker then
runs two harmless requests in-process and leaves a file named by its pid in
``AMTSTERMIN_LIVE_READY_DIR``; the fixture waits for one file per worker.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def when_ready(server: Any) -> None:
    """In the master, before the workers are forked: no database connection is opened here."""
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().resolve("/api/v1/appointments")
    for language in ("de", "en"):
        with translation.override(language):
            translation.gettext("Please check your input.")


def post_worker_init(worker: Any) -> None:
    from django.test import Client

    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    client.get("/api/v1/offices")
    client.post("/api/v1/appointments", data={}, content_type="application/json")
    ready = Path(os.environ["AMTSTERMIN_LIVE_READY_DIR"]) / str(os.getpid())
    ready.write_text("ready\n", encoding="utf-8")
