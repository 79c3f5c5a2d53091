"""``(start, end)`` tuples of instants, the engine's internal interval.

Tuples sort and unpack faster than ``Interval`` objects, and the hot loops run once per
opening interval and busy interval.
"""

from __future__ import annotations

from collections.abc import Iterable

Span = tuple[int, int]


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sort, drop empty spans and merge overlapping or touching ones."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
