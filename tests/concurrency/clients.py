"""Booking clients as separate processes, released together by a barrier.

Standard library only: each client process imports this module, never Django, so the clients
start fast and share nothing with the server but the network.
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import urllib.error
import urllib.request
from typing import Any

# Fork is quick on this small machine; a forked client never touches the parent's database
# connection (it only speaks HTTP) and leaves through os._exit, so nothing of it is closed.
CONTEXT = multiprocessing.get_context("fork")
BARRIER_SECONDS = 60.0
REQUEST_SECONDS = 120.0

Result = tuple[int, Any]


def post_json(
    url: str,
    payload: object,
    timeout: float = REQUEST_SECONDS,
    headers: dict[str, str] | None = None,
) -> Result:
    """POST ``payload`` as JSON to a loopback URL; return (status, parsed body or text)."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"race clients talk to the loopback server only, not {url}")
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            **(headers or {}),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def _client(
    index: int, barrier: Any, results: Any, url: str, payload: object, headers: dict[str, str]
) -> None:
    try:
        barrier.wait(BARRIER_SECONDS)
        status, body = post_json(url, payload, headers=headers)
    except Exception as exc:  # reported to the test, which fails on it
        status, body = -1, f"{type(exc).__name__}: {exc}"
    results.put((index, status, body))


def race(url: str, payloads: list[object], headers: dict[str, str] | None = None) -> list[Result]:
    """Send one POST per payload, each from its own process, all released at once.

    Returns (status, body) in payload order. A client that could not send gets status -1.
    """
    barrier = CONTEXT.Barrier(len(payloads))
    results = CONTEXT.Queue()
    processes = [
        CONTEXT.Process(
            target=_client, args=(i, barrier, results, url, payload, headers or {}), daemon=True
        )
        for i, payload in enumerate(payloads)
    ]
    for process in processes:
        process.start()
    collected: dict[int, Result] = {}
    try:
        for _ in processes:
            index, status, body = results.get(timeout=BARRIER_SECONDS + REQUEST_SECONDS)
            collected[index] = (status, body)
    except queue.Empty:
        pass
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
    missing = [i for i in range(len(payloads)) if i not in collected]
    if missing:
        raise AssertionError(f"race clients {missing} never answered")
    return [collected[i] for i in range(len(payloads))]
