"""The busy times the slot engine needs: active appointments on counters in a range.

Plain SQL: it runs under the booking lock and for every availability answer that is not
cached, and the ORM spends about fifteen times the query's own time building it
(docs/benchmarks.md). The ORM's equivalent is checked against it in the tests.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone

from amtstermin.booking.models import ACTIVE_STATUSES, LONGEST_APPOINTMENT

BusyRow = tuple[int, int, str, str, datetime, datetime, datetime | None, datetime | None]

_ACTIVE_SQL = (
    'SELECT id, counter_id, status, channel, start, "end", held_until, pending_until'
    " FROM booking_appointment WHERE counter_id IN ({counters}) AND status IN ({statuses})"
    ' AND start < %s AND "end" > %s AND start > %s AND id <> %s'
)


def active_appointments(
    counter_ids: list[int], start: datetime, end: datetime, ignore_id: int | None
) -> list[BusyRow]:
    """Active appointments on these counters overlapping [start, end), but ``ignore_id``:
    ``(id, counter_id, status, channel, start, end, held_until, pending_until)``."""
    if not counter_ids:
        return []
    sql = _ACTIVE_SQL.format(
        counters=", ".join(["%s"] * len(counter_ids)),
        statuses=", ".join(["%s"] * len(ACTIVE_STATUSES)),
    )
    adapt = connection.ops.adapt_datetimefield_value
    earliest = adapt(start - LONGEST_APPOINTMENT)
    params = [*counter_ids, *ACTIVE_STATUSES, adapt(end), adapt(start), earliest, ignore_id or 0]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # SQLite hands back naive datetimes in UTC, PostgreSQL aware ones.
    return [
        (
            pk,
            counter,
            status,
            channel,
            _aware(start),
            _aware(end),
            held and _aware(held),
            pend and _aware(pend),
        )
        for pk, counter, status, channel, start, end, held, pend in rows
    ]


def _aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)
