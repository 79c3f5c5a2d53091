"""Configuration changes raise the office's configuration version (and its answers version),
and what can free a time is announced to the waitlist (``booking.events``).

Writes under an office's lock raise the answers version (booking.locking); these handlers cover
the configuration pages, including the e-mail settings that the cached configuration holds.
A change that can free a time first takes the office's lock in its transaction (before its
first write, so always before any row, as the booking does), so that the waitlist's pass at
the end of the admin's transaction holds it (``booking.admin``).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from amtstermin.booking import availability_cache, events
from amtstermin.booking.locking import lock_in_transaction
from amtstermin.booking.models import (
    Absence,
    Closure,
    Counter,
    Document,
    DocumentType,
    Office,
    OpeningHours,
    Service,
    ServiceCategory,
    StaffOnlyTime,
)
from amtstermin.notifications.models import MessageSetting


def _office_id(instance: Any) -> int | None:
    if isinstance(instance, Office):
        return instance.pk
    if isinstance(instance, OpeningHours | Absence | StaffOnlyTime):
        return instance.counter.office_id
    if isinstance(instance, Document):
        return instance.service.office_id
    return getattr(instance, "office_id", None)


# What can free a time for the waitlist; documents and e-mail texts only outdate the cache.
_FREES_TIME = (Office, Service, Counter, OpeningHours, Absence, Closure, StaffOnlyTime)


def _bump(sender: Any, instance: Any, **kwargs: Any) -> None:
    office_id = _office_id(instance)
    if office_id is None or kwargs.get("raw") or kwargs.get("action", "post").startswith("pre_"):
        return  # a many-to-many change signals before and after: the after is enough
    availability_cache.bump(office_id, configuration=True)  # in the change's transaction
    if _may_free_time(instance, kwargs):
        # A new counter or hours may suit the waitlist: offered before the commit.
        events.announce_free_times(office_id, configuration=True)


def _may_free_time(instance: Any, kwargs: dict[str, Any]) -> bool:
    """Whether the change may free a time (a new absence or closure only takes times away;
    the office's walk-in limit is no time of the calendar)."""
    if not isinstance(instance, _FREES_TIME):
        return False
    if isinstance(instance, Absence | Closure) and kwargs.get("created"):
        return False
    fields = kwargs.get("update_fields")
    return fields is None or not set(fields) <= {"walk_in_daily_limit"}


def _lock_first(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or not kwargs.get("action", "pre_").startswith("pre_"):
        return  # a fixture being loaded, or a many-to-many change done
    office_id = _office_id(instance)
    if office_id is not None:
        lock_in_transaction(office_id)


def connect() -> None:
    for model in (
        Office,
        Service,
        Document,
        DocumentType,
        Counter,
        OpeningHours,
        Absence,
        Closure,
        MessageSetting,
        StaffOnlyTime,
        ServiceCategory,
    ):
        post_save.connect(_bump, sender=model, dispatch_uid=f"availability-{model.__name__}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"availability-{model.__name__}-del")
    m2m_changed.connect(_bump, sender=Counter.services.through, dispatch_uid="availability-m2m")
    for model in _FREES_TIME:
        pre_save.connect(_lock_first, sender=model, dispatch_uid=f"lock-{model.__name__}-save")
        pre_delete.connect(_lock_first, sender=model, dispatch_uid=f"lock-{model.__name__}-del")
    m2m_changed.connect(_lock_first, sender=Counter.services.through, dispatch_uid="lock-m2m")
