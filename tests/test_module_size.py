"""No module outgrows one sitting: every Python file under src/ stays within 600 lines
(migrations and the demo office's data aside). Split along the seams before adding more."""

from __future__ import annotations

from pathlib import Path

import amtstermin

MAX_LINES = 600
PACKAGE = Path(amtstermin.__file__).parent


def test_no_module_is_longer_than_600_lines() -> None:
    too_long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and path.name != "demo.py"
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}
