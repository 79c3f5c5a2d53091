"""Writes of the statistics: applying a suggested duration."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from amtstermin.booking import audit
from amtstermin.booking.locking import office_lock
from amtstermin.booking.models import AuditAction, Office, Service
from amtstermin.booking.office_texts import german
from amtstermin.reports import durations


class NoSuggestion(Exception):
    """The data no longer suggests a change for this service."""


def apply_duration_suggestion(
    *, office: Office, service_id: int, staff_user: User, now: datetime | None = None
) -> Service:
    """Set the service's durations to what the measured visits suggest, recomputed under the
    office's lock (the page may be old), with an audit entry. Saving the service raises the
    office's configuration version (booking.signals), so cached free times are outdated in
    the same commit."""
    now = now or timezone.now()
    with office_lock(office):
        service = Service.objects.filter(office=office, pk=service_id).first()
        if service is None:
            raise Service.DoesNotExist(service_id)
        visits = durations.cached_visits(office, now=now).get(service.pk, [])
        suggestion = durations.fit_for(service, visits)
        if not suggestion.suggests:
            raise NoSuggestion
        before = {
            "service": german(service, "name"),
            "first_person_minutes": service.first_person_minutes,
            "per_person_minutes": service.per_person_minutes,
        }
        service.first_person_minutes = suggestion.new_first
        service.per_person_minutes = suggestion.new_per
        service.save(update_fields=["first_person_minutes", "per_person_minutes"])
        audit.record(
            staff_user=staff_user,
            action=AuditAction.DURATION_SUGGESTION,
            now=now,
            office_id=office.pk,
            before=before,
            after={
                "service": german(service, "name"),
                "first_person_minutes": service.first_person_minutes,
                "per_person_minutes": service.per_person_minutes,
                "visits": suggestion.visits,
            },
        )
    return service
