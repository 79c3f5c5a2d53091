"""The citizen pages' formats: those of ``amtstermin.languages.formatting``, the one module for
dates, times and money that pages, e-mails and the .ics share (kept here under its old name for
the citizen package's imports)."""

from amtstermin.languages.formatting import (
    clock_time,
    date_time,
    date_time_range,
    day_label,
    hhmm,
    isolate,
    language,
    local,
    long_date,
    money,
    time_range,
)

__all__ = [
    "clock_time",
    "date_time",
    "date_time_range",
    "day_label",
    "hhmm",
    "isolate",
    "language",
    "local",
    "long_date",
    "money",
    "time_range",
]
