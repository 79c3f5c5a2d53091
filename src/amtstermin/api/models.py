from __future__ import annotations

from django.db import models

from amtstermin.booking.models import Appointment


class IdempotencyKey(models.Model):
    """A booking made with an ``Idempotency-Key`` header, kept a day so a retry gets its answer.

    Holds no personal data and no token: keyed HMACs of the client's key and of its request, and
    the appointment, from which the answer is rendered again (see api/idempotency.py). Not shown
    in the admin.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    request_hash = models.CharField(max_length=64)
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key_hash[:12]}… ({self.created_at:%Y-%m-%d %H:%M})"
