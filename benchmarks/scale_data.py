"""Offices and three years of appointments, written in bulk, for ``bench_scale.py``.

The configuration (offices, the demo's twelve services and their documents, counters, opening
hours) goes through the ORM. The appointments, their service lines and their e-mails bypass it:
PostgreSQL gets them by ``COPY``, SQLite by ``executemany`` in one transaction per office. Both
keep the schema: every column, the unique booking codes and token hashes (from a nonce as
``booking/tokens.py`` derives them), and the database guard, which checks every row as it is
written (PostgreSQL's exclusion constraint, SQLite's triggers): each counter's day is laid out
without overlaps.

What an office looks like: counters open Monday to Friday 08:00-12:30, two of every three also
Tuesday and Thursday 14:00-18:00 (the third serves the six quick services, mornings only); NRW
public holidays closed. Appointments of one or two services for one to three persons run from
``HISTORY_DAYS`` ago to ``FUTURE_DAYS`` ahead. Past ones are mostly completed, the rest
cancelled, no-shows or expired unconfirmed bookings; future ones are mostly confirmed, a few
pending or cancelled, and fewer the further ahead. Personal data older than the retention period
has been erased, as the daily purge leaves it, except for the last day's (today's purge's work).

Office 0 is the *big* office (``busy_per_day`` appointments per counter and working day), office
1 the *empty* one: the same counters and the same appointments from ``RECENT_DAYS`` ago on, but no
history. The other offices share what is left of the total evenly. Every day of every counter is
drawn from its own seeded generator (office 1 reuses office 0's), so ``history=False`` writes
exactly the same recent and future appointments without the history (the fresh database).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HISTORY_DAYS = 3 * 365 - 42  # three years up to the end of the booking horizon
FUTURE_DAYS = 42
RECENT_DAYS = 10  # the empty office has these days and the future, no history
RETENTION_DAYS = 7  # Office.retention_days' default
ZONE = ZoneInfo("Europe/Berlin")
MORNING = (8 * 60, 12 * 60 + 30)
AFTERNOON = (14 * 60, 18 * 60)
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # booking.tokens' alphabet
NAMES = ["Anna Becker", "Ben Fischer", "Clara Kaya", "Deniz Koch", "Elif Meyer", "Jonas Weber"]


@dataclass
class CounterSpec:
    office_id: int
    counter_id: int
    layout: tuple[int, int]  # (office's layout, position): the seed of its days
    windows: dict[int, list[tuple[int, int]]]  # weekday -> opening minutes
    services: list[tuple[int, int, int, int]]  # (id, first, per person, max persons)
    quota: int = 0


@dataclass
class Ids:
    appointment: int = 0
    line: int = 0
    message: int = 0


def build_configuration(offices: int, counters: int) -> list[list[CounterSpec]]:
    """Create the offices through the ORM; return their counters, office by office."""
    from amtstermin.booking import availability_cache
    from amtstermin.booking.demo import QUICK_SERVICES, SERVICES
    from amtstermin.booking.demo_service_texts import NAMES
    from amtstermin.booking.models import (
        Counter,
        Document,
        DocumentType,
        Office,
        OpeningHours,
        Service,
    )

    per_office = [counters // offices + (i < counters % offices) for i in range(offices)]
    per_office[1] = per_office[0]  # the empty office is the big one's twin
    per_office[-1] -= sum(per_office) - counters
    result = []
    for index, count in enumerate(per_office):
        label = ("big", "empty")[index] if index < 2 else f"{index:02d}"
        office = Office.objects.create(
            name=f"Bürgerbüro {label}",
            street="Marktplatz 1",
            postal_code="12345",
            city="Musterstadt",
            email="buergerbuero@example.org",
            federal_state="NW",
            horizon_days=FUTURE_DAYS,
        )
        services = Service.objects.bulk_create(
            Service(
                office=office,
                name=NAMES[spec.key]["de"],
                first_person_minutes=spec.first,
                per_person_minutes=spec.per_person,
                max_persons=spec.max_persons,
                online_bookable=spec.online,
                sort_order=order,
            )
            for order, spec in enumerate(SERVICES)
        )
        names = {doc.entry["de"] for spec in SERVICES for doc in spec.documents}
        entries = {
            entry.name: entry
            for entry in DocumentType.objects.bulk_create(
                DocumentType(office=office, name=name) for name in sorted(names)
            )
        }
        Document.objects.bulk_create(
            Document(
                service=service,
                document_type=entries[doc.entry["de"]],
                per_person=doc.per_person,
            )
            for service, spec in zip(services, SERVICES, strict=True)
            for doc in spec.documents
        )
        quick = [
            s for s, spec in zip(services, SERVICES, strict=True) if spec.key in QUICK_SERVICES
        ]
        made = Counter.objects.bulk_create(
            Counter(office=office, name=f"Schalter {n + 1:02d}") for n in range(count)
        )
        links, hours, specs = [], [], []
        for position, counter in enumerate(made):
            mornings_only = position % 3 == 2
            serves = quick if mornings_only else services
            links += [Counter.services.through(counter=counter, service=s) for s in serves]
            windows: dict[int, list[tuple[int, int]]] = {day: [MORNING] for day in range(5)}
            if not mornings_only:
                windows[1] = windows[3] = [MORNING, AFTERNOON]
            hours += [
                OpeningHours(counter=counter, weekday=day, start=_clock(a), end=_clock(b))
                for day, spans in windows.items()
                for a, b in spans
            ]
            specs.append(
                CounterSpec(
                    office_id=office.pk,
                    counter_id=counter.pk,
                    layout=(0 if index < 2 else index, position),
                    windows=windows,
                    services=[
                        (s.pk, s.first_person_minutes, s.per_person_minutes, s.max_persons)
                        for s in serves
                        if s.online_bookable
                    ]
                    or [(serves[0].pk, serves[0].first_person_minutes, 0, 1)],
                )
            )
        Counter.services.through.objects.bulk_create(links)
        OpeningHours.objects.bulk_create(hours)
        availability_cache.bump(office.pk, configuration=True)  # bulk_create sends no signals
        result.append(specs)
    return result


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def plan_quotas(
    offices: list[list[CounterSpec]], total: int, busy_per_day: float, now: datetime
) -> None:
    """Appointments per counter over the whole span: office 0 busy, the rest shared evenly."""
    days = HISTORY_DAYS + FUTURE_DAYS
    others = [counter for office in offices[2:] for counter in office]
    big, empty = offices[0], offices[1]
    if others:
        for counter in big:
            counter.quota = round(busy_per_day * days * 5 / 7)
    else:  # two offices: the big one holds the history
        for counter in big:
            counter.quota = total // len(big)
    for twin, counter in zip(empty, big, strict=True):
        twin.quota = counter.quota
    today = now.astimezone(ZONE).date()
    span = working_days(today - timedelta(days=HISTORY_DAYS), today + timedelta(days=FUTURE_DAYS))
    weights = _weights(span, today)
    recent = sum(w for day, w in zip(span, weights, strict=True) if day >= _recent_start(today))
    # A little more than needed: write_appointments trims the surplus from the history.
    left = 1.001 * (total - sum(c.quota for c in big) * (1 + recent / sum(weights)))
    for number, counter in enumerate(others):
        counter.quota = int(left // len(others)) + (number < left % len(others))


def working_days(first: date, last: date) -> list[date]:
    from amtstermin.booking.models import Office

    closed = Office(federal_state="NW").public_holidays(range(first.year, last.year + 1))
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5 and day not in closed]


def appointments(
    counter: CounterSpec, days: list[date], now: datetime, history: bool, ids: Ids
) -> Iterator[tuple[dict[str, object], list[tuple[int, int]], list[tuple[str, datetime]]]]:
    """(appointment columns, [(service, persons)], [(message kind, sent at)]) of one counter."""
    today = now.astimezone(ZONE).date()
    weights = _weights(days, today)
    scale = counter.quota / sum(weights)
    owed = 0.0
    for day, weight in zip(days, weights, strict=True):
        owed += weight * scale
        rng = random.Random(f"{counter.layout}:{day.toordinal()}")
        placed = list(_lay_out_day(rng, round(owed), counter.windows[day.weekday()], counter))
        owed -= len(placed)  # laid out even when skipped, so that later days stay identical
        if not history and day < _recent_start(today):
            continue
        for start_minute, minutes, lines in placed:
            start = datetime.combine(day, _clock(start_minute), ZONE).astimezone(UTC)
            ids.appointment += 1
            row, messages = _appointment(rng, ids.appointment, start, minutes, now, counter)
            yield row, lines, messages


def _weights(days: list[date], today: date) -> list[float]:
    """Past days are full; future ones fill up less the further ahead they lie."""
    return [
        1.0 if day <= today else max(0.15, 1 - (day - today).days / FUTURE_DAYS) for day in days
    ]


def _recent_start(today: date) -> date:
    return today - timedelta(days=RECENT_DAYS)


def _lay_out_day(
    rng: random.Random, wanted: int, windows: list[tuple[int, int]], counter: CounterSpec
) -> Iterator[tuple[int, int, list[tuple[int, int]]]]:
    demands = []
    for _ in range(wanted):
        picks = rng.sample(counter.services, k=1 if rng.random() < 0.85 else 2)
        lines = [(s, min(mx, rng.choice((1, 1, 1, 2, 2, 3)))) for s, _f, _p, mx in picks]
        minutes = sum(
            f + (p - 1) * per for (_s, f, per, _m), (_i, p) in zip(picks, lines, strict=True)
        )
        demands.append((-(-minutes // 5) * 5, lines))
    free = sum(b - a for a, b in windows) - sum(m for m, _l in demands)
    mean_gap = max(0, free) / (len(demands) + 1)
    spans = iter(windows)
    cursor, end = next(spans)
    for minutes, lines in demands:
        cursor += 5 * rng.randint(0, int(2 * mean_gap / 5))
        while cursor + minutes > end:
            span = next(spans, None)
            if span is None:
                return
            cursor, end = span
        yield cursor, minutes, lines
        cursor += minutes


def _appointment(
    rng: random.Random, pk: int, start: datetime, minutes: int, now: datetime, c: CounterSpec
) -> tuple[dict[str, object], list[tuple[str, datetime]]]:
    from amtstermin.booking.tokens import hash_token, manage_token

    end = start + timedelta(minutes=minutes)
    channel = rng.choices(("online", "phone", "counter"), (7, 2, 1))[0]
    created = min(start - timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 600)), now)
    created = min(created, now - timedelta(minutes=rng.randint(61, 600)))
    row: dict[str, object] = {"id": pk, "office_id": c.office_id, "counter_id": c.counter_id}
    row.update(start=start, end=end, created_at=created, channel=channel, revision=0)
    nonce = f"{pk:012x}{rng.getrandbits(80):020x}"  # unique: the twin office draws the same
    row.update(token_nonce=nonce, token_hash=hash_token(manage_token(nonce)), code=_code(pk))
    online = channel == "online"
    confirmed = created + timedelta(minutes=rng.randint(1, 50)) if online else created
    r = rng.random()
    if end <= now:
        status = "completed" if r < 0.8 else "cancelled" if r < 0.88 else "no_show"
        status = "expired" if r > 0.95 and online else status
    else:
        status = "confirmed" if r < 0.85 else "cancelled" if r < 0.97 or not online else "pending"
    row["status"] = status
    if online:
        row["pending_until"] = created + timedelta(minutes=60)
    if status == "pending":
        row["created_at"] = created = now - timedelta(minutes=rng.randint(5, 55))
        row["pending_until"] = created + timedelta(minutes=60)
    elif status == "expired":
        row["expired_at"] = created + timedelta(minutes=60)
    else:
        row["confirmed_at"] = confirmed
    if status == "cancelled":
        row["cancelled_at"] = confirmed + (min(start, now) - confirmed) * rng.random()
    if status in ("completed", "no_show"):
        row["checked_in_at"] = start - timedelta(minutes=5)
    if status == "completed":
        row.update(in_service_at=start, completed_at=end)
    if status == "no_show":
        row["no_show_at"] = start + timedelta(minutes=15)
    cancelled_at, expired_at = row.get("cancelled_at"), row.get("expired_at")
    due = min(
        end,
        cancelled_at if isinstance(cancelled_at, datetime) else end,
        expired_at if isinstance(expired_at, datetime) else end,
    )
    erased_at = due + timedelta(days=RETENTION_DAYS, hours=12)
    if erased_at <= now - timedelta(hours=12):
        row["personal_data_erased_at"] = erased_at
    else:
        row["citizen_name"] = rng.choice(NAMES)
        row["email"] = f"b{pk}@example.org" if online else ""
        row["phone"] = "+49 2345 6789" if channel == "phone" else ""
    messages = []
    if online:
        messages.append(("confirm_request", created))
        if "confirmed_at" in row:
            messages.append(("confirmed", confirmed))
        reminder = start - timedelta(hours=24)
        if status in ("completed", "no_show") and reminder > confirmed:
            messages.append(("reminder", reminder))
        if status == "cancelled":
            messages.append(("cancelled", row["cancelled_at"]))  # type: ignore[arg-type]
    return row, messages


def _code(pk: int) -> str:
    """Eight letters of the booking-code alphabet, different for every id (a bijection)."""
    number = (pk * 48_271 + 12_345) % len(CODE_ALPHABET) ** 8
    letters = []
    for _ in range(8):
        number, digit = divmod(number, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    return "".join(letters)


def write_appointments(
    offices: list[list[CounterSpec]], now: datetime, history: bool, total: int
) -> int:
    """Write every office's appointments, lines and e-mails; returns the number written.

    With the history, the surplus over ``total`` is deleted from the other offices' history, so
    that the recent and future appointments stay those of the fresh database.
    """
    from django.db import connection

    from amtstermin.booking.models import Appointment

    columns = [str(field.column) for field in Appointment._meta.concrete_fields]
    today = now.astimezone(ZONE).date()
    days = working_days(today - timedelta(days=HISTORY_DAYS), today + timedelta(days=FUTURE_DAYS))
    defaults: dict[str, object] = {column: "" for column in columns}
    defaults["language"] = "de"
    for column in columns:
        if column.endswith(("_at", "_until")) and column != "created_at":
            defaults[column] = None
    ids = Ids()
    for number, office in enumerate(offices):
        rows: list[tuple[object, ...]] = []
        lines: list[tuple[object, ...]] = []
        messages: list[tuple[object, ...]] = []
        for counter in office:
            office_history = history and number != 1
            for row, services, sent in appointments(counter, days, now, office_history, ids):
                rows.append(tuple((defaults | row)[column] for column in columns))
                for service, persons in services:
                    ids.line += 1
                    lines.append((ids.line, row["id"], service, persons))
                for kind, at in sent:
                    ids.message += 1
                    messages.append((ids.message, row["id"], kind, "sent", 1, "", at, at))
        message_columns = ["id", "appointment_id", "kind", "status", "attempts"]
        message_columns += ["last_error", "created_at", "sent_at"]
        with connection.cursor():  # connects
            _copy(connection, "booking_appointment", columns, rows)
            _copy(
                connection,
                "booking_appointmentline",
                ["id", "appointment_id", "service_id", "persons"],
                lines,
            )
            _copy(connection, "notifications_message", message_columns, messages)
        if number % 10 == 0:
            print(f"  office {number}: {len(rows)} appointments", flush=True)
    surplus = ids.appointment - total if history and len(offices) > 2 else 0
    if surplus > 0:
        first_office = offices[2][0].office_id
        trimmed = Appointment.objects.filter(
            office_id__gte=first_office,
            start__lt=datetime.combine(_recent_start(today), time(), UTC),
        ).order_by("-id")[:surplus]
        Appointment.objects.filter(pk__in=list(trimmed.values_list("pk", flat=True))).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "booking_appointment",
                "booking_appointmentline",
                "notifications_message",
            ):
                last = f"SELECT coalesce(max(id), 1) FROM {table}"  # noqa: S608 - our tables
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), ({last}))")
    return ids.appointment - max(0, surplus)


def _copy(
    connection: object, table: str, columns: list[str], rows: list[tuple[object, ...]]
) -> None:
    """COPY on PostgreSQL, one executemany transaction on SQLite; the guard checks each row."""
    raw = connection.connection  # type: ignore[attr-defined]
    quoted = ", ".join(f'"{column}"' for column in columns)
    if connection.vendor == "postgresql":  # type: ignore[attr-defined]
        copying = f"COPY {table} ({quoted}) FROM STDIN"
        with raw.transaction(), raw.cursor() as cursor, cursor.copy(copying) as copy:
            for row in rows:
                copy.write_row(row)
        return
    adapt = connection.ops.adapt_datetimefield_value  # type: ignore[attr-defined]
    rows = [tuple(adapt(v) if isinstance(v, datetime) else v for v in row) for row in rows]
    marks = ", ".join("?" * len(columns))
    raw.execute("BEGIN")  # Django keeps sqlite3 in autocommit: one transaction, one fsync
    try:
        raw.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)  # noqa: S608
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    raw.execute("COMMIT")
