"""The start page's services grouped by the office's categories, in the office's order.

Presentation only: the view hands in the rows it built (each with its ``service``); a service
without a category goes into a last group, "Further services". An office that uses no
categories gets one group without a name (the page then shows a plain list).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass
class ServiceGroup:
    name: str  # "" when the office uses no categories at all
    rows: list[dict[str, Any]] = field(default_factory=list)


def group_by_category(rows: Iterable[dict[str, Any]]) -> list[ServiceGroup]:
    """The rows (in the services' order) grouped by category: categories by position, then by
    name; uncategorised services last. The order of the rows inside a group is kept."""
    groups: dict[int, ServiceGroup] = {}
    order: dict[int, tuple[int, str, int]] = {}
    further: list[dict[str, Any]] = []
    for row in rows:
        category = row["service"].category
        if category is None:
            further.append(row)
            continue
        if category.pk not in groups:
            groups[category.pk] = ServiceGroup(name=category.name)
            order[category.pk] = (category.position, category.name, category.pk)
        groups[category.pk].rows.append(row)
    result = [groups[pk] for pk in sorted(groups, key=order.__getitem__)]
    if further:
        result.append(ServiceGroup(name=_("Further services") if result else "", rows=further))
    return result


def search_text(*parts: str) -> str:
    """What the page's filter matches against (the script folds case, umlauts and ß)."""
    return " ".join(part for part in parts if part)
