"""The booking code as a QR code, for check-in at the kiosk."""

from __future__ import annotations

import io

import segno


def qr_png(code: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()
