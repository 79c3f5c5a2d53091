"""What each statistics page shows: sections of a chart and the table of its data.

The page and its CSV downloads are built by the same function, so a download always holds
the numbers of the table beside the chart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Sum
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amtstermin import scheduling
from amtstermin.booking.models import Office
from amtstermin.reports import charts, durations, forecast
from amtstermin.reports.figures import percentile
from amtstermin.reports.models import (
    DailyCounterFigures,
    DailyServiceFigures,
    HourlyWaits,
    NextFreeSample,
)
from amtstermin.reports.periods import Period

Cell = str | int | float | None


@dataclass
class Section:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    chart: SafeString | None = None
    note: str = ""

    @property
    def chart_id(self) -> str:
        return "chart-" + self.key.replace("_", "-")


@dataclass
class Page:
    sections: list[Section]
    extra: dict[str, object] = field(default_factory=dict)


def _week_label(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _number(cell: Cell) -> float | None:
    return float(cell) if isinstance(cell, int | float) else None


def _median(values: list[float]) -> float | None:
    found = percentile(values, 0.5)
    return None if found is None else round(found, 1)


def _service_rows(office: Office, period: Period) -> list[DailyServiceFigures]:
    return list(
        DailyServiceFigures.objects.filter(
            office=office, day__gte=period.first, day__lte=period.last
        )
    )


def overview(office: Office, period: Period, *, now: datetime) -> Page:
    weeks: dict[date, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    medians: dict[date, list[float]] = defaultdict(list)
    for row in _service_rows(office, period):
        week = weeks[scheduling.monday_of(row.day)]
        for name in (
            "booked_online",
            "booked_phone",
            "booked_counter",
            "cancelled_by_citizen",
            "cancelled_by_office",
            "no_shows",
            "lapsed_holds",
            "unconfirmed",
            "walk_ins",
            "refused_limit",
            "refused_nothing_free",
            "waitlist_signups",
        ):
            week[name] += getattr(row, name)
        if row.wait_median is not None:
            medians[scheduling.monday_of(row.day)].append(row.wait_median)
    mondays = sorted(weeks)
    rows: list[list[Cell]] = []
    for monday in mondays:
        week = weeks[monday]
        bookings = int(week["booked_online"] + week["booked_phone"] + week["booked_counter"])
        kept = bookings - int(week["cancelled_by_citizen"] + week["cancelled_by_office"])
        rows.append(
            [
                _week_label(monday),
                int(week["booked_online"]),
                int(week["booked_phone"]),
                int(week["booked_counter"]),
                int(week["cancelled_by_citizen"]),
                int(week["cancelled_by_office"]),
                int(week["no_shows"]),
                _rate(int(week["no_shows"]), kept),
                int(week["lapsed_holds"]),
                int(week["unconfirmed"]),
                int(week["walk_ins"]),
                _median(medians[monday]),
                int(week["refused_limit"] + week["refused_nothing_free"]),
                int(week["waitlist_signups"]),
            ]
        )
    labels = [str(row[0]) for row in rows]
    chart = charts.bar(
        title=_("Bookings per week by channel"),
        labels=labels,
        series=[
            (_("online"), [float(row[1] or 0) for row in rows]),
            (_("phone"), [float(row[2] or 0) for row in rows]),
            (_("counter"), [float(row[3] or 0) for row in rows]),
        ],
        chart_id="chart-weeks",
        stacked=True,
    )
    return Page(
        sections=[
            Section(
                key="weeks",
                title=_("Week by week"),
                columns=[
                    _("Week"),
                    _("Booked online"),
                    _("Booked by phone"),
                    _("Booked at the counter"),
                    _("Cancelled by the citizen"),
                    _("Cancelled by the office"),
                    _("No-shows"),
                    _("No-show rate (%)"),
                    _("Lapsed holds"),
                    _("Unconfirmed bookings"),
                    _("Walk-in numbers"),
                    _("Median wait at the office (minutes)"),
                    _("Refused searches"),
                    _("Waitlist sign-ups"),
                ],
                rows=rows,
                chart=chart,
                note=_(
                    "A booking counts in the week of its appointment, also when it was "
                    "cancelled later. The no-show rate is of the bookings not cancelled. The "
                    "median wait of a week is the median of its days' medians."
                ),
            )
        ]
    )


def services(office: Office, period: Period, *, now: datetime) -> Page:
    fits = durations.duration_fits(office, now=now)
    per: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    medians: dict[str, list[float]] = defaultdict(list)
    for row in _service_rows(office, period):
        name = row.service_name or _("(no service named)")
        values = per[name]
        values["bookings"] += row.bookings
        values["cancelled"] += row.cancelled_by_citizen + row.cancelled_by_office
        values["no_shows"] += row.no_shows
        values["completed"] += row.completed
        values["walk_ins"] += row.walk_ins
        values["served"] += row.served_minutes
        values["refused"] += row.refused_limit + row.refused_nothing_free
        values["waitlist"] += row.waitlist_signups
        if row.wait_median is not None:
            medians[name].append(row.wait_median)
    rows: list[list[Cell]] = []
    for name in sorted(per):
        values = per[name]
        kept = int(values["bookings"] - values["cancelled"])
        visits = int(values["completed"] + values["walk_ins"])
        rows.append(
            [
                name,
                int(values["bookings"]),
                int(values["cancelled"]),
                int(values["no_shows"]),
                _rate(int(values["no_shows"]), kept),
                int(values["completed"]),
                int(values["walk_ins"]),
                _median(medians[name]),
                round(values["served"] / visits, 1) if visits else None,
                int(values["refused"]),
                int(values["waitlist"]),
            ]
        )
    chart = charts.bar(
        title=_("Bookings per service"),
        labels=[str(row[0]) for row in rows],
        series=[
            (_("Bookings"), [float(row[1] or 0) for row in rows]),
            (_("No-shows"), [float(row[3] or 0) for row in rows]),
        ],
        chart_id="chart-services",
        horizontal=True,
    )
    return Page(
        sections=[
            Section(
                key="services",
                title=_("Per service"),
                columns=[
                    _("Service"),
                    _("Bookings"),
                    _("Cancelled"),
                    _("No-shows"),
                    _("No-show rate (%)"),
                    _("Served appointments"),
                    _("Walk-in numbers"),
                    _("Median wait at the office (minutes)"),
                    _("Minutes served per visit"),
                    _("Refused searches"),
                    _("Waitlist sign-ups"),
                ],
                rows=rows,
                chart=chart,
            ),
            next_free_section(office, period),
            durations_section(fits),
        ],
        extra={"fits": [fit for fit in fits if fit.suggests]},
    )


def next_free_section(office: Office, period: Period) -> Section:
    """Days to the next free appointment (one person, online), the mean of each week's samples."""
    samples: dict[str, dict[date, list[int]]] = defaultdict(lambda: defaultdict(list))
    for name, day, ahead in NextFreeSample.objects.filter(
        office=office, day__gte=period.first, day__lte=period.last, days_ahead__isnull=False
    ).values_list("service__name_de", "day", "days_ahead"):
        if ahead is not None:
            samples[name][scheduling.monday_of(day)].append(ahead)
    mondays = sorted({monday for weeks in samples.values() for monday in weeks})
    names = sorted(samples)
    rows: list[list[Cell]] = [
        [
            _week_label(monday),
            *[
                round(sum(values) / len(values), 1)
                if (values := samples[name].get(monday))
                else None
                for name in names
            ],
        ]
        for monday in mondays
    ]
    chart = charts.line(
        title=_("Days to the next free appointment"),
        labels=[str(row[0]) for row in rows],
        series=[(name, [_number(row[i + 1]) for row in rows]) for i, name in enumerate(names)],
        chart_id="chart-next-free",
    )
    return Section(
        key="next_free",
        title=_("Days to the next free appointment"),
        columns=[_("Week"), *names],
        rows=rows,
        chart=chart,
        note=_(
            "Several times a day the system looks up the first free online time for one "
            "person, per service; the table shows the mean of each week's samples in days."
        ),
    )


def durations_section(fits: list[durations.DurationFit]) -> Section:
    rows: list[list[Cell]] = [
        [
            fit.service.name,
            fit.service.first_person_minutes,
            fit.measured_first,
            fit.suggested_first,
            fit.service.per_person_minutes,
            fit.measured_per,
            fit.suggested_per,
            fit.single_visits,
            fit.multi_visits,
        ]
        for fit in fits
    ]
    return Section(
        key="durations",
        title=_("Configured and measured durations"),
        columns=[
            _("Service"),
            _("First person, configured (minutes)"),
            _("First person, measured (median)"),
            _("First person, suggested"),
            _("Each further person, configured (minutes)"),
            _("Each further person, measured (median)"),
            _("Each further person, suggested"),
            _("Visits for one person"),
            _("Visits for several persons"),
        ],
        rows=rows,
        note=_(
            "Measured: completed appointments of one service in the last %(days)s days, from "
            "the call (or check-in) to completion. First person: the median of the visits "
            "for one person. Each further person: the median of (duration − first person) ÷ "
            "(persons − 1) of the visits for several persons. A change is suggested when at "
            "least %(visits)s visits back it and it differs by %(change)s minutes or more."
        )
        % {
            "days": durations.LOOK_BACK_DAYS,
            "visits": durations.MIN_VISITS,
            "change": durations.MIN_CHANGE,
        },
    )


def counters(office: Office, period: Period, *, now: datetime) -> Page:
    rows_by_name = (
        DailyCounterFigures.objects.filter(
            office=office, day__gte=period.first, day__lte=period.last
        )
        .values("counter_name")
        .annotate(
            open=Sum("open_minutes"), booked=Sum("booked_minutes"), served=Sum("served_minutes")
        )
        .order_by("counter_name")
    )
    rows: list[list[Cell]] = [
        [
            row["counter_name"],
            round((row["open"] or 0) / 60, 1),
            round((row["booked"] or 0) / 60, 1),
            round((row["served"] or 0) / 60, 1),
            _rate(row["booked"] or 0, row["open"] or 0),
            _rate(round(row["served"] or 0), row["open"] or 0),
        ]
        for row in rows_by_name
    ]
    chart = charts.bar(
        title=_("Utilisation of the counters (%)"),
        labels=[str(row[0]) for row in rows],
        series=[
            (_("booked"), [row[4] if isinstance(row[4], float) else None for row in rows]),
            (_("served"), [row[5] if isinstance(row[5], float) else None for row in rows]),
        ],
        chart_id="chart-counters",
    )
    return Page(
        sections=[
            Section(
                key="counters",
                title=_("Counters"),
                columns=[
                    _("Counter"),
                    _("Open hours"),
                    _("Booked hours"),
                    _("Served hours"),
                    _("Booked (percent of open time)"),
                    _("Served (percent of open time)"),
                ],
                rows=rows,
                chart=chart,
                note=_(
                    "Open hours: opening hours minus public holidays, closures and absences. "
                    "Booked: appointments not cancelled. Served: from the call to completion, "
                    "walk-ins included."
                ),
            )
        ]
    )


def walk_ins(office: Office, period: Period, *, now: datetime) -> Page:
    by_hour: dict[int, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    by_weekday: dict[int, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for day, hour, walk, waits, minutes in HourlyWaits.objects.filter(
        office=office, day__gte=period.first, day__lte=period.last
    ).values_list("day", "hour", "walk_ins", "waits", "wait_minutes"):
        for bucket in (by_hour[hour], by_weekday[day.weekday()]):
            bucket[0] += walk
            bucket[1] += waits
            bucket[2] += minutes

    def rows_of(buckets: dict[int, list[float]], label: Callable[[int], str]) -> list[list[Cell]]:
        return [
            [
                label(key),
                int(buckets[key][0]),
                int(buckets[key][1]),
                round(buckets[key][2] / buckets[key][1], 1) if buckets[key][1] else None,
            ]
            for key in sorted(buckets)
        ]

    hour_rows = rows_of(by_hour, lambda hour: f"{hour:02d}:00")
    day_rows = rows_of(
        by_weekday,
        lambda weekday: str(formats.date_format(date(2024, 1, 1) + timedelta(days=weekday), "l")),
    )
    columns = [_("Walk-in numbers"), _("Waiting times recorded"), _("Average wait (minutes)")]

    def chart_of(rows: list[list[Cell]], title: str, chart_id: str) -> SafeString:
        return charts.bar(
            title=title,
            labels=[str(row[0]) for row in rows],
            series=[
                (
                    _("Average wait (minutes)"),
                    [row[3] if isinstance(row[3], float) else None for row in rows],
                )
            ],
            chart_id=chart_id,
        )

    return Page(
        sections=[
            Section(
                key="hours",
                title=_("Waiting time by hour of day"),
                columns=[_("Hour"), *columns],
                rows=hour_rows,
                chart=chart_of(hour_rows, _("Waiting time by hour of day"), "chart-hours"),
                note=_(
                    "Walk-ins from drawing a number to the first call, appointments from "
                    "check-in to the call, by the hour of drawing or check-in."
                ),
            ),
            Section(
                key="weekdays",
                title=_("Waiting time by weekday"),
                columns=[_("Weekday"), *columns],
                rows=day_rows,
                chart=chart_of(day_rows, _("Waiting time by weekday"), "chart-weekdays"),
            ),
        ]
    )


def forecast_page(office: Office, period: Period, *, now: datetime) -> Page:
    today = now.astimezone(office.zone).date()
    weeks = forecast.forecast(office, today=today, now=now)
    methods = {
        forecast.LAST_YEAR: _("same week last year"),
        forecast.RECENT: _("mean of recent weeks"),
        forecast.NONE: _("no figures yet"),
    }
    rows: list[list[Cell]] = [
        [
            _week_label(week.monday),
            methods[week.method],
            round(week.demand_minutes / 60, 1),
            round(week.capacity_minutes / 60, 1),
            week.shortfall_hours,
            _("yes") if week.exceeds else _("no"),
        ]
        for week in weeks
    ]
    chart = charts.bar(
        title=_("Expected demand and capacity (counter-hours)"),
        labels=[str(row[0]) for row in rows],
        series=[
            (_("expected demand"), [float(row[2] or 0) for row in rows]),
            (_("capacity"), [float(row[3] or 0) for row in rows]),
        ],
        chart_id="chart-forecast",
    )
    return Page(
        sections=[
            Section(
                key="forecast",
                title=_("Forecast for the next eight weeks"),
                columns=[
                    _("Week"),
                    _("Based on"),
                    _("Expected demand (counter-hours)"),
                    _("Capacity (counter-hours)"),
                    _("Missing counter-hours"),
                    _("Demand exceeds capacity"),
                ],
                rows=rows,
                chart=chart,
            )
        ],
        extra={"weeks": weeks},
    )


PAGES: dict[str, Callable[..., Page]] = {
    "overview": overview,
    "services": services,
    "counters": counters,
    "walk-ins": walk_ins,
    "forecast": forecast_page,
}
