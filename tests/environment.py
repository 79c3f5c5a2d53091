"""Loaded with ``-p tests.environment`` before pytest-django imports the settings.

Settings read the environment once, at import, so the test defaults must be set first.
"""

import os
import tempfile

os.environ.setdefault("AMTSTERMIN_DATA_DIR", tempfile.mkdtemp(prefix="amtstermin-test-"))
os.environ.setdefault("AMTSTERMIN_HTTPS", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
# Limits per client address are off: every test client is 127.0.0.1. tests/test_ratelimit.py
# switches them on where they are the point.
os.environ.setdefault("AMTSTERMIN_API_BOOKING_LIMIT_PER_HOUR", "0")
os.environ.setdefault("AMTSTERMIN_HOLD_LIMIT_PER_HOUR", "0")
