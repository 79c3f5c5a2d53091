"""Schemathesis hooks for tests/api/test_schemathesis.py, loaded by its CLI (SCHEMATHESIS_HOOKS).

The OpenAPI document states the form of every input; it cannot state which offices and
services exist, which times are free, or that ``from`` comes before ``to``. So just before a
request is sent, in every phase, the ids in it become real ones and the days come in order:
the test office, its online services (each once, persons at most what the service allows), a
start the office offers. Only values of the documented type are replaced; names, e-mail
addresses, phone numbers, list lengths and every malformed value stay as generated.
Schemathesis then checks again whether the request is valid, so a request generated as
invalid is still sent invalid, now refused for its own fault rather than for an unknown office.

A wish's days are moved to start on the first free start's day (a wish's last day must lie
ahead), in order and at most a wish's length apart.

One failure is dropped: a cancelled appointment (or withdrawn wish) stays readable (GET answers
it with status ``cancelled``, as documented), which Schemathesis reports as a read after a
delete.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from datetime import date, timedelta
from functools import cache
from typing import Any

import schemathesis

DATA_ENV = "AMTSTERMIN_SCHEMATHESIS_DATA"  # a JSON file written by the test
MAX_DAYS = 93
DEMAND = re.compile(r"[0-9]+(?::[0-9]+)?(?:,[0-9]+(?::[0-9]+)?)*")
KEY = re.compile(r"[!-~]{1,255}")
_next = itertools.count()


@cache
def data() -> dict[str, Any]:
    with open(os.environ[DATA_ENV], encoding="utf-8") as handle:
        return json.load(handle)


def _is_int(value: object) -> bool:
    """A JSON Schema integer: 3 or 3.0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return float(value).is_integer()


def _real_lines(lines: list[Any]) -> list[Any]:
    """Whole-number ids become the office's online services (a service once, persons at most
    its own limit); lines of another shape stay as they are."""
    services: list[list[int]] = data()["services"]  # [id, most persons]
    result: list[Any] = []
    seen: set[int] = set()
    for line in lines:
        if not (isinstance(line, dict) and _is_int(line.get("service_id"))):
            result.append(line)
            continue
        real_id, most = services[int(line["service_id"]) % len(services)]
        if real_id in seen:
            continue
        seen.add(real_id)
        real = {**line, "service_id": real_id}
        if _is_int(line.get("persons")):
            real["persons"] = min(int(line["persons"]), most)
        result.append(real)
    return result


def _ordered_days(query: dict[str, Any]) -> dict[str, Any]:
    try:
        first, last = date.fromisoformat(query["from"]), date.fromisoformat(query["to"])
    except (KeyError, TypeError, ValueError):
        return query
    first, last = min(first, last), max(first, last)
    if (last - first).days >= MAX_DAYS:
        try:
            last = first + timedelta(days=MAX_DAYS - 1)
        except OverflowError:
            first = last - timedelta(days=MAX_DAYS - 1)
    return {**query, "from": first.isoformat(), "to": last.isoformat()}


def _availability(case: Any) -> None:
    query = dict(case.query)
    text = query.get("services")
    if isinstance(text, str) and DEMAND.fullmatch(text):
        lines = [
            {"service_id": int(service_id), "persons": int(persons or 1)}
            for service_id, _colon, persons in (part.partition(":") for part in text.split(","))
        ]
        query["services"] = ",".join(
            f"{line['service_id']}:{line['persons']}" for line in _real_lines(lines)
        )
    case.query = _ordered_days(query)


def _booking(case: Any) -> None:
    if not isinstance(case.body, dict):
        return
    body = dict(case.body)
    number = next(_next)
    if _is_int(body.get("office_id")):
        body["office_id"] = data()["office_id"]
    if isinstance(body.get("services"), list):
        body["services"] = _real_lines(body["services"])
    if isinstance(body.get("start"), str):
        starts = data()["starts"]
        body["start"] = starts[number % len(starts)]
    case.body = body
    key = case.headers.get("Idempotency-Key") if case.headers else None
    if isinstance(key, str) and KEY.fullmatch(key):
        # Each generated request is a new booking: a key used twice would rightly be a 422.
        suffix = f"~{number}"
        case.headers = {**case.headers, "Idempotency-Key": key[: 255 - len(suffix)] + suffix}


WISH_DAYS = 92  # booking.waitlist.MAX_WISH_DAYS


def _wish(case: Any) -> None:
    """A wish: the real office and services, and its days (if both are days) from the first
    free start's day on, in order and not longer than a wish may be."""
    if not isinstance(case.body, dict):
        return
    body = dict(case.body)
    if _is_int(body.get("office_id")):
        body["office_id"] = data()["office_id"]
    if isinstance(body.get("services"), list):
        body["services"] = _real_lines(body["services"])
    try:
        first, last = date.fromisoformat(body["from"]), date.fromisoformat(body["to"])
    except (KeyError, TypeError, ValueError):
        pass
    else:
        anchor = date.fromisoformat(data()["starts"][0][:10])
        span = min(abs((last - first).days), WISH_DAYS - 1)
        body["from"], body["to"] = anchor.isoformat(), (anchor + timedelta(days=span)).isoformat()
    case.body = body


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Just before sending, in every phase (stateful links fill ids in after generation)."""
    if _is_int(case.path_parameters.get("office_id")):
        case.path_parameters = {**case.path_parameters, "office_id": data()["office_id"]}
    if case.path.endswith("/availability") and isinstance(case.query, dict):
        _availability(case)
    elif case.method.upper() == "POST" and case.path.endswith("/appointments"):
        _booking(case)
    elif case.method.upper() == "POST" and case.path.endswith("/waitlist"):
        _wish(case)


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if type(failure).__name__ != "UseAfterFree":
        return True
    try:
        return bool(response.json().get("status") != "cancelled")
    except ValueError:
        return True
