"""Reads: what offices, services and free times there are. Nothing here writes."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet

from amtstermin import scheduling
from amtstermin.booking import availability_cache, capacity, release
from amtstermin.booking import busy as busy_times
from amtstermin.booking.demand import MAX_ID, Demand
from amtstermin.booking.models import (
    SERVICE_ORDER,
    Absence,
    Appointment,
    AppointmentStatus,
    Channel,
    Closure,
    Counter,
    Office,
    Service,
    documents_prefetch,
    holds_time,
)
from amtstermin.booking.tokens import hash_token
from amtstermin.booking.waitlist_selectors import has_waiting_wishes
from amtstermin.notifications.models import MessageSetting

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def office_list() -> QuerySet[Office]:
    return Office.objects.filter(active=True).order_by("name")


def office_get(office_id: int) -> Office | None:
    """An active office; None too for an id outside the database's integer range (the API's
    and the pages' ids come from the URL)."""
    if not 0 < office_id <= MAX_ID:
        return None
    return Office.objects.filter(pk=office_id, active=True).first()


@dataclass(frozen=True)
class OfficeConfiguration:
    """An office's configuration: its active services (with documents) in their configured
    order, its active counters as the slot engine sees them (hours, and all their absences, but
    no busy times), its closures and the kinds of e-mail it turned off.

    Cached under the configuration version; ``version`` is the availability version read with
    it, which keys the availability answers.
    """

    office: Office
    services: dict[int, Service]
    counters: tuple[scheduling.CounterInput, ...]  # with their staff-only time
    online_counter_ids: frozenset[int]  # the counters offered online
    closures: tuple[scheduling.Interval, ...]
    shortest_minutes: int  # the shortest bookable appointment: a gap below it is unusable
    messages_off: frozenset[str]  # notifications.models.MessageKind values
    version: int = 0  # set on every read, never cached


# Exact in every process: the key holds the version just read from the database.
_configurations: dict[str, OfficeConfiguration] = {}
# Raised when OfficeConfiguration or the engine types in it change shape (2: staff-only time,
# 3: services with their category), so that a process never unpickles an entry that another
# code version wrote.
_CONFIGURATION_FORMAT = 3


def office_configuration(
    office_id: int, *, include_inactive: bool = False
) -> OfficeConfiguration | None:
    """The office's configuration, from the cache: one small query while nothing changes.

    Every change to an office, its services, documents, counters, hours, absences or closures
    raises the configuration version (booking.signals), so what is cached is never out of
    date. Only an active office is found unless ``include_inactive`` (the back office).
    """
    versions = availability_cache.versions(office_id)
    cache_key = f"configuration:{_CONFIGURATION_FORMAT}:{office_id}:{versions.configuration}"
    configuration = _configurations.get(cache_key) or cache.get(cache_key)
    if configuration is None:
        office = Office.objects.filter(pk=office_id).first()
        if office is None:
            return None
        configuration = _load_configuration(office)
        cache.set(cache_key, configuration, availability_cache.TTL_SECONDS)
    if len(_configurations) > 64:
        _configurations.clear()
    # This process keeps it too: no unpickling per request.
    _configurations[cache_key] = configuration
    if not (configuration.office.active or include_inactive):
        return None
    return replace(configuration, version=versions.answers)


def office_configuration_uncached(office_id: int) -> OfficeConfiguration | None:
    """The office's configuration read from the database and kept nowhere: for a transaction
    that changed it and has not committed yet (the waitlist's pass after a configuration
    change). Cached under the version that transaction raised, it would outlive a rollback."""
    office = Office.objects.filter(pk=office_id).first()
    if office is None:
        return None
    return _load_configuration(office)


def _load_configuration(office: Office) -> OfficeConfiguration:
    services = {service.pk: service for service in service_list(office=office)}
    counters = list(
        Counter.objects.filter(office=office, active=True).prefetch_related(
            Prefetch("services", queryset=Service.objects.only("id")), "opening_hours"
        )
    )
    absences: dict[int, list[scheduling.Interval]] = defaultdict(list)
    for counter_id, start, end in (
        Absence.objects.filter(counter__office=office, counter__active=True)
        .order_by("start")
        .values_list("counter_id", "start", "end")
    ):
        absences[counter_id].append(scheduling.Interval(_instant(start), _instant(end)))
    reserved = capacity.reserved_times(office)
    engine_counters = tuple(
        scheduling.CounterInput(
            counter_id=counter.pk,
            service_ids=frozenset(service.pk for service in counter.services.all()),
            weekly_hours=tuple(
                scheduling.WeeklyHours(
                    weekday=hours.weekday,
                    start=hours.start,
                    end=hours.end,
                    valid_from=hours.valid_from,
                    valid_until=hours.valid_until,
                )
                for hours in counter.opening_hours.all()
            ),
            absences=tuple(absences[counter.pk]),
            reserved=reserved.get(counter.pk, ()),
        )
        for counter in counters
    )
    closures = tuple(
        scheduling.Interval(_instant(start), _instant(end))
        for start, end in Closure.objects.filter(office=office)
        .order_by("start")
        .values_list("start", "end")
    )
    grid = office.slot_minutes
    shortest = min((service.first_person_minutes for service in services.values()), default=grid)
    return OfficeConfiguration(
        office=office,
        services=services,
        counters=engine_counters,
        online_counter_ids=frozenset(c.pk for c in counters if c.online_bookable),
        closures=closures,
        shortest_minutes=max(grid, -(-shortest // grid) * grid),
        messages_off=frozenset(
            MessageSetting.objects.filter(office=office, enabled=False).values_list(
                "kind", flat=True
            )
        ),
    )


def service_list(*, office: Office) -> QuerySet[Service]:
    """The office's active services in their configured order, with their category, their
    documents and whether counters offer them (``Service.bookable_online``)."""
    return (
        Service.objects.filter(office=office, active=True)
        .select_related("category")
        .with_counter_offer()
        .order_by(*SERVICE_ORDER)
        .prefetch_related(documents_prefetch())
    )


# --- Availability ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingWindow:
    """When a booking may lie: from ``earliest`` (an instant) and local days first..last."""

    earliest: datetime
    first_day: date
    last_day: date

    def as_engine(self) -> scheduling.SearchWindow:
        return scheduling.SearchWindow(
            earliest=math.ceil(self.earliest.timestamp()),  # not a start a second too early
            first_day=self.first_day,
            last_day=self.last_day,
        )

    def clipped(self, first_day: date, last_day: date) -> BookingWindow:
        return BookingWindow(
            earliest=self.earliest,
            first_day=max(self.first_day, first_day),
            last_day=min(self.last_day, last_day),
        )


STAFF_HORIZON_DAYS = 366


def booking_window(
    office: Office, *, now: datetime, staff: bool = False, waitlist: bool = False
) -> BookingWindow:
    """Citizens: lead time, "bookable from" and the horizon apply. Staff: from now, a year ahead.
    The waitlist: as citizens, but it sees a day released ``release.WAITLIST_LEAD`` before
    they do, so that its offers are held when the day opens (docs/decisions.md)."""
    today = now.astimezone(office.zone).date()
    if staff:
        return BookingWindow(
            earliest=now, first_day=today, last_day=today + timedelta(days=STAFF_HORIZON_DAYS)
        )
    first_day = max(today, office.bookable_from) if office.bookable_from else today
    return BookingWindow(
        earliest=now + timedelta(minutes=office.lead_time_minutes),
        first_day=first_day,
        last_day=release.last_bookable_day(
            office, now + release.WAITLIST_LEAD if waitlist else now
        ),
    )


def _instant(value: datetime) -> int:
    return int(value.timestamp())


def _utc(instant: int) -> datetime:
    return datetime.fromtimestamp(instant, UTC)


@dataclass(frozen=True)
class EngineInputs:
    calendar: scheduling.OfficeCalendar
    counters: list[scheduling.CounterInput]
    next_lapse: datetime | None  # the first hold or unconfirmed booking that will lapse
    # Lapsed ones in the range, on these counters, not yet marked expired, that are free. While
    # wishes wait, none: a lapsed one keeps its time until the worker marks it expired, under
    # the lock, and offers it to the waitlist first (``housekeeping.release_lapsed``).
    lapsed_ids: list[int]
    shortest_minutes: int  # the shortest bookable appointment: a gap below it is unusable


@dataclass(frozen=True)
class OpeningInputs:
    """What the opening hours of some days need, without the busy times: the office's calendar
    and its active counters, each with its services and the absences on those days."""

    configuration: OfficeConfiguration
    calendar: scheduling.OfficeCalendar
    counters: list[scheduling.CounterInput]


def opening_inputs(
    office: Office,
    *,
    first_day: date,
    last_day: date,
    staff: bool,
    configuration: OfficeConfiguration | None = None,
) -> OpeningInputs:
    """The office's calendar and counters (every active one for ``staff``, else those offered
    online) for these local days: its configuration from its cache (current: one version query),
    or as given (``configuration``). No busy times: the queue and the forecast need when
    counters are open, not what is booked."""
    if configuration is None:
        configuration = office_configuration(office.pk, include_inactive=True)
    if configuration is None:
        raise Office.DoesNotExist(office.pk)
    first = scheduling.day_bounds(first_day, office.zone).start
    end = scheduling.day_bounds(last_day, office.zone).end

    def overlapping(intervals: tuple[scheduling.Interval, ...]) -> tuple[scheduling.Interval, ...]:
        return tuple(found for found in intervals if found.start < end and found.end > first)

    calendar = scheduling.OfficeCalendar(
        tz=office.zone,
        grid_minutes=office.slot_minutes,
        closed_days=frozenset(office.public_holidays(range(first_day.year, last_day.year + 1))),
        closures=overlapping(configuration.closures),
    )
    counters = [
        replace(counter, absences=overlapping(counter.absences))
        for counter in configuration.counters
        if staff or counter.counter_id in configuration.online_counter_ids
    ]
    return OpeningInputs(configuration=configuration, calendar=calendar, counters=counters)


def engine_inputs(
    office: Office,
    *,
    first_day: date,
    last_day: date,
    now: datetime,
    staff: bool = False,
    ignore_appointment_id: int | None = None,
    configuration: OfficeConfiguration | None = None,
) -> EngineInputs:
    """Everything the slot engine needs for these local days: the opening inputs
    (``opening_inputs``) and the busy times from one query."""
    opening = opening_inputs(
        office,
        first_day=first_day,
        last_day=last_day,
        staff=staff,
        configuration=configuration,
    )
    first = scheduling.day_bounds(first_day, office.zone).start
    end = scheduling.day_bounds(last_day, office.zone).end

    busy: dict[int, list[scheduling.Interval]] = defaultdict(list)
    lapses: list[datetime] = []
    lapsed_ids: list[int] = []
    online: dict[int, list[scheduling.Interval]] = defaultdict(list)
    rows = busy_times.active_appointments(
        [counter.counter_id for counter in opening.counters],
        _utc(first),
        _utc(end),
        ignore_appointment_id,
    )
    keep_lapsed: bool | None = None  # asked only when a lapsed one is found
    for pk, counter_id, status, channel, start, stop, held_until, pending_until in rows:
        if not holds_time(status, held_until, pending_until, now):
            if keep_lapsed is None:
                keep_lapsed = has_waiting_wishes(office.pk)
            if not keep_lapsed:
                lapsed_ids.append(pk)
                continue
        interval = scheduling.Interval(_instant(start), _instant(stop))
        busy[counter_id].append(interval)
        if channel == Channel.ONLINE:
            online[counter_id].append(interval)
        lapses.extend(d for d in (held_until, pending_until) if d is not None and d > now)

    inputs = [
        capacity.for_search(
            replace(counter, busy=tuple(busy[counter.counter_id])),
            staff=staff,
            online_bookings=online[counter.counter_id],
        )
        for counter in opening.counters
    ]
    return EngineInputs(
        calendar=opening.calendar,
        counters=inputs,
        next_lapse=min(lapses, default=None),
        lapsed_ids=lapsed_ids,
        shortest_minutes=opening.configuration.shortest_minutes,
    )


def availability(
    demand: Demand,
    *,
    first_day: date,
    last_day: date,
    now: datetime,
    staff: bool = False,
    ignore_appointment_id: int | None = None,
    known_version: int | None = None,
) -> list[scheduling.DayAvailability]:
    """The free start times for a demand on local days first..last, inside the booking window.

    Answers are cached, keyed by the office's availability version (raised in the same
    transaction as every change) and by the first start the lead time allows, and kept only
    until the next hold lapses: a cached answer is always the answer the database would give.
    """
    days, _valid_until = availability_until(
        demand,
        first_day=first_day,
        last_day=last_day,
        now=now,
        staff=staff,
        ignore_appointment_id=ignore_appointment_id,
        known_version=known_version,
    )
    return days


def availability_until(
    demand: Demand,
    *,
    first_day: date,
    last_day: date,
    now: datetime,
    staff: bool = False,
    ignore_appointment_id: int | None = None,
    known_version: int | None = None,
) -> tuple[list[scheduling.DayAvailability], datetime | None]:
    """``availability``, and until when it holds without any write: the moment the next hold
    lapses (None: until the next change). A caller that caches the answer in a form of its own
    (the API's JSON) keeps it that long, under ``availability_key``."""
    window = booking_window(demand.office, now=now, staff=staff).clipped(first_day, last_day)
    if window.first_day > window.last_day:
        return [], None
    if ignore_appointment_id is not None:  # a move: the appointment's own time counts as free
        return _free_days(demand, window, now, staff, ignore_appointment_id)
    key = _availability_key(demand, window, staff, known_version)
    return availability_cache.remember(
        key, now=now, compute=lambda: _free_days(demand, window, now, staff)
    )


def availability_key(
    demand: Demand,
    *,
    first_day: date,
    last_day: date,
    now: datetime,
    staff: bool = False,
    known_version: int | None = None,
) -> str | None:
    """The cache key of this availability answer (None: the days lie outside the booking
    window, so the answer is empty). It changes with every change of the office's free times;
    a caller caching a form of its own adds a suffix of its own."""
    window = booking_window(demand.office, now=now, staff=staff).clipped(first_day, last_day)
    if window.first_day > window.last_day:
        return None
    return _availability_key(demand, window, staff, known_version)


def _availability_key(
    demand: Demand, window: BookingWindow, staff: bool, known_version: int | None
) -> str:
    return availability_cache.key(
        office_id=demand.office.pk,
        demand_key=demand.key(),
        first_day=window.first_day,
        last_day=window.last_day,
        earliest=_grid_ceiling(window.earliest, demand.office.slot_minutes),
        staff=staff,
        known_version=known_version,
    )


def _free_days(
    demand: Demand,
    window: BookingWindow,
    now: datetime,
    staff: bool,
    ignore_appointment_id: int | None = None,
) -> tuple[list[scheduling.DayAvailability], datetime | None]:
    """Computed from the database: the days, and when the first hold in them lapses."""
    inputs = engine_inputs(
        demand.office,
        first_day=window.first_day,
        last_day=window.last_day,
        now=now,
        staff=staff,
        ignore_appointment_id=ignore_appointment_id,
    )
    days = scheduling.find_free_starts(
        office=inputs.calendar,
        counters=inputs.counters,
        demand=demand.engine_lines(),
        window=window.as_engine(),
        shortest_minutes=inputs.shortest_minutes,
    )
    return days, inputs.next_lapse


def _grid_ceiling(moment: datetime, grid_minutes: int) -> int:
    """The first grid instant at or after ``moment``: answers only change when this moves."""
    step = grid_minutes * 60
    return -(-math.ceil(moment.timestamp()) // step) * step


def appointment_by_token(token: str) -> Appointment | None:
    """The appointment behind a manage link; only the token's hash is stored. Its office comes
    from the cached configuration (a cancellation through the API is a hot path)."""
    if not token or len(token) > 100:
        return None
    try:
        appointment = Appointment.objects.get(token_hash=hash_token(token))
    except Appointment.DoesNotExist:
        return None
    configuration = office_configuration(appointment.office_id, include_inactive=True)
    if configuration is not None:
        appointment.office = configuration.office
    return appointment


# --- Back office ----------------------------------------------------------------------------


def staff_offices(user: User | AnonymousUser) -> QuerySet[Office]:
    """The offices a staff user works for; a superuser sees all, anyone else none."""
    if not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    if user.is_superuser:
        return Office.objects.all().order_by("name")
    return Office.objects.filter(memberships__user=user).distinct().order_by("name")


def affected_appointments(
    office: Office, *, start: datetime, end: datetime, counter: Counter | None = None
) -> list[Appointment]:
    """Active appointments inside a planned absence (one counter) or closure (whole office)."""
    found = Appointment.objects.overlapping(start, end).filter(
        office=office,
        status__in=[AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED],
    )
    if counter is not None:
        found = found.filter(counter=counter)
    return list(
        found.select_related("counter").prefetch_related("lines__service").order_by("start")
    )


def open_counter_ids(office: Office, *, now: datetime) -> list[int]:
    """Counters open at this moment (hours, no absence, no closure)."""
    day = now.astimezone(office.zone).date()
    inputs = opening_inputs(office, first_day=day, last_day=day, staff=True)
    moment = _instant(now)
    return [
        counter.counter_id
        for counter in inputs.counters
        if any(
            opening.start <= moment < opening.end
            for opening in scheduling.open_intervals(counter, inputs.calendar, day, day)
        )
    ]
