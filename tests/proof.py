"""A proof-of-work solution as the pages' widget would send it (tests run with the cheapest
cost, so solving takes milliseconds)."""

from __future__ import annotations

from typing import Any

import altcha
from django.test import Client


def solved(challenge: dict[str, Any]) -> str:
    """What the widget sends: the challenge with its solution, as base64 JSON."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed)
    assert solution is not None
    return str(altcha.Payload(parsed, solution).to_base64())


def proof(client: Client) -> dict[str, str]:
    """The form field with a fresh solution, fetched and solved as the browser does."""
    response = client.get("/api/v1/challenge")
    assert response.status_code == 200
    return {"altcha": solved(response.json())}
