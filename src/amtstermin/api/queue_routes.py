"""The public waiting time of an office's walk-in queue, for the town's web site."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from amtstermin.api.constraints import ObjectId
from amtstermin.api.errors import ErrorOut, error_messages
from amtstermin.booking import queue_selectors, selectors


class QueueOut(Schema):
    waiting: int
    estimated_wait_minutes: int | None
    open: bool
    updated_at: datetime


def office_queue(request: HttpRequest, office_id: ObjectId) -> QueueOut:
    office = selectors.office_get(office_id)
    if office is None:
        raise HttpError(404, str(error_messages["no_office"]))
    return QueueOut(**queue_selectors.public_queue(office, now=timezone.now()))


def install(api: NinjaAPI) -> None:
    """Register the route on the API (before its catch-all 404)."""
    api.get(
        "/offices/{office_id}/queue",
        response={200: QueueOut, 404: ErrorOut, 422: ErrorOut},
        tags=["offices"],
        summary="The office's walk-in queue now: numbers waiting and the estimated wait",
        description="No login and no personal data. `estimated_wait_minutes` is for someone "
        "who draws a number now; null while the office is closed. Cached for a few seconds.",
    )(office_queue)
