"""Loaded with ``-p tests.environment`` before pytest-django imports the settings.

Settings read the environment once, at import, so the test defaults must be set first.
"""

import os
import tempfile

from amtstermin.catalogues import compile_all

# The compiled catalogues are built, not committed: a run straight after a change to a .po file
# (or in a fresh clone, without make) uses the current translations.
compile_all()

os.environ.setdefault("AMTSTERMIN_DATA_DIR", tempfile.mkdtemp(prefix="amtstermin-test-"))
os.environ.setdefault("AMTSTERMIN_HTTPS", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
# Limits per client address are off: every test client is 127.0.0.1. tests/test_ratelimit.py
# switches them on where they are the point.
os.environ.setdefault("AMTSTERMIN_API_BOOKING_LIMIT_PER_HOUR", "0")
os.environ.setdefault("AMTSTERMIN_HOLD_LIMIT_PER_HOUR", "0")
# Proof of work: test clients send none unless the test is about it (tests/test_proof_of_work.py),
# and where one is solved (the browser tests) it is the cheapest.
os.environ.setdefault("AMTSTERMIN_HOLD_LIMIT_WITHOUT_PROOF_PER_HOUR", "0")
os.environ.setdefault("AMTSTERMIN_API_REQUIRE_PROOF_OF_WORK", "0")
os.environ.setdefault("AMTSTERMIN_POW_COST", "1")
