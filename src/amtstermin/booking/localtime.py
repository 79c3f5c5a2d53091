"""Office-local wall times at the edge: instants to ``HH:MM`` for display, wall times to instants.

Shared by the API and the citizen pages. Instants are ``int`` seconds (UTC) as the slot engine
gives them; the office's zone is a ``zoneinfo.ZoneInfo``.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import UTC, datetime, tzinfo

from amtstermin import scheduling

# "00:00" .. "23:59": one lookup per time instead of formatting thousands of datetimes.
_HHMM = [f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60)]
_MINUTES_PER_DAY = 1440


def _offset_seconds(instant: int, tz: tzinfo) -> int:
    offset = datetime.fromtimestamp(instant, tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _wall_texts(starts: tuple[int, ...] | list[int], offset: int) -> list[str]:
    table = _HHMM
    return [table[((start + offset) // 60) % _MINUTES_PER_DAY] for start in starts]


def local_times(day: scheduling.DayAvailability, tz: tzinfo) -> list[str]:
    """The day's free starts as office-local ``HH:MM``, in the engine's (ascending) order.

    The zone is asked for the offset at the day's first and last start only; a zone changes its
    offset at most once a day (see ``scheduling.calendar``), so if the two agree every start
    has that offset. On a DST day the change is found by bisection over the starts. On the
    fall-back day a wall time may therefore appear twice, once per offset.
    """
    starts = day.starts
    if not starts:
        return []
    first_offset = _offset_seconds(starts[0], tz)
    last_offset = _offset_seconds(starts[-1], tz)
    if first_offset == last_offset:
        return _wall_texts(starts, first_offset)
    split = bisect_left(
        range(len(starts)),
        True,
        key=lambda index: _offset_seconds(starts[index], tz) != first_offset,
    )
    return _wall_texts(starts[:split], first_offset) + _wall_texts(starts[split:], last_offset)


def local_isoformat(value: datetime, tz: tzinfo) -> str:
    """An aware datetime as office-local ISO 8601 with offset, e.g. 2026-12-01T08:00:00+01:00."""
    return value.astimezone(tz).isoformat(timespec="seconds")


class WallTimeError(ValueError):
    """A local wall time that names no instant, or two."""


class NonexistentWallTime(WallTimeError):
    """The wall time lies in the spring-forward gap (e.g. 02:30 on 2027-03-28 in Berlin)."""


class AmbiguousWallTime(WallTimeError):
    """The wall time occurs twice, in the fall-back overlap (e.g. 02:30 on 2027-10-31)."""


def instant_from_wall(local: datetime, tz: tzinfo) -> datetime:
    """The one aware datetime (UTC) at which the office's clock shows the naive ``local``.

    Unlike the slot engine's rule for opening hours (which maps a gap time to the end of the
    gap), input from people is refused when it is ambiguous: a start in the gap raises
    ``NonexistentWallTime``, one in the overlap ``AmbiguousWallTime``. The caller may pass an
    explicit UTC offset instead, which is never ambiguous.
    """
    if local.tzinfo is not None:
        raise ValueError("instant_from_wall expects a naive local datetime")
    earlier = local.replace(tzinfo=tz, fold=0)
    later = local.replace(tzinfo=tz, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return earlier.astimezone(UTC)
    round_trip = earlier.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != local:
        raise NonexistentWallTime(str(local))
    raise AmbiguousWallTime(str(local))
