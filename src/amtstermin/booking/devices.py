"""Kiosks and call displays paired with an office: pairing, revoking, and finding the device
of a link. The link's token is shown once; the database keeps its hash."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from amtstermin.booking import audit
from amtstermin.booking.errors import InvalidDetails, WrongState, error_messages
from amtstermin.booking.locking import office_lock
from amtstermin.booking.models import AuditAction, Device, DeviceKind, Office
from amtstermin.booking.tokens import hash_token

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TOKEN_BYTES = 32  # 256 bits


@dataclass(frozen=True)
class Paired:
    device: Device
    token: str  # shown once, in the device's link


def _snapshot(device: Device) -> dict[str, object]:
    return {"device": device.pk, "kind": device.kind, "name": device.name}


def device_pair(
    *, office: Office, kind: str, name: str, staff_user: User, now: datetime | None = None
) -> Paired:
    """A new kiosk or display link for the office."""
    now = now or timezone.now()
    name = name.strip()
    if kind not in DeviceKind.values:
        raise InvalidDetails(error_messages["device_kind"], field="kind")
    if not name or len(name) > 100:
        raise InvalidDetails(error_messages["device_name"], field="name")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with office_lock(office, changes_times=False):
        device = Device.objects.create(
            office=office,
            kind=kind,
            name=name,
            token_hash=hash_token(token),
            created_at=now,
            created_by=staff_user,
        )
        audit.record(
            staff_user=staff_user,
            action=AuditAction.DEVICE_PAIR,
            office_id=office.pk,
            now=now,
            before={},
            after=_snapshot(device),
        )
    return Paired(device=device, token=token)


def device_revoke(*, device: Device, staff_user: User, now: datetime | None = None) -> Device:
    """The device's link stops working at once."""
    now = now or timezone.now()
    with office_lock(device.office, changes_times=False):
        current = Device.objects.get(pk=device.pk)
        if current.revoked_at is not None:
            raise WrongState(error_messages["device_revoked"])
        current.revoked_at = now
        current.save(update_fields=["revoked_at"])
        audit.record(
            staff_user=staff_user,
            action=AuditAction.DEVICE_REVOKE,
            office_id=current.office_id,
            now=now,
            before=_snapshot(current),
            after={**_snapshot(current), "revoked": True},
        )
        return current


def device_for_token(token: str, kind: str) -> Device | None:
    """The paired, not revoked device of this link, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Device.objects.select_related("office")
        .filter(token_hash=hash_token(token), kind=kind, revoked_at__isnull=True)
        .first()
    )


def office_devices(office: Office) -> QuerySet[Device]:
    return Device.objects.filter(office=office).order_by("revoked_at", "kind", "name")
