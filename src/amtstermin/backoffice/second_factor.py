"""Writes of the second factor (TOTP devices of django-otp); the pages in security.py call them.

A staff user has at most one confirmed authenticator app. While it is being set up, one
unconfirmed device keeps the secret, so the QR code stays the same until a code confirms it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def device_being_set_up(user: Any) -> TOTPDevice:
    """The user's unconfirmed device, created on first use (the same one until confirmed)."""
    with transaction.atomic():
        device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def device_confirm(device: TOTPDevice) -> None:
    """A correct code was entered: from now on the user needs one at every login."""
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True


def devices_remove(user: Any) -> None:
    """Remove the authenticator app (and any half set-up one)."""
    TOTPDevice.objects.devices_for_user(user).delete()
