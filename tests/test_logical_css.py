"""Right-to-left pages mirror: our style sheets use logical properties only (margin-inline-start,
not margin-left), so one sheet lays out German and Arabic. Third-party files under vendor/ are
not ours (altcha's sheet handles [dir=rtl] itself)."""

from __future__ import annotations

import re
from pathlib import Path

import amtstermin

PACKAGE = Path(amtstermin.__file__).resolve().parent
PHYSICAL = re.compile(
    r"margin-left|margin-right|padding-left|padding-right|(?<![-\w])left\s*:|(?<![-\w])right\s*:"
    r"|text-align:\s*(left|right)|float:\s*(left|right)|border-left|border-right"
    # four values: top, right, bottom, left
    r"|(?<![-\w])(margin|padding)\s*:\s*[^\s;}]+\s+[^\s;}]+\s+[^\s;}]+\s+[^\s;}]+\s*[;}]"
)


def _style_sheets() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.css") if "vendor" not in path.parts)


def test_no_physical_left_or_right_property_remains() -> None:
    assert {"citizen.css", "backoffice.css", "charts.css"} <= {p.name for p in _style_sheets()}
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in _style_sheets()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PHYSICAL.search(line)
    ]
    assert found == []
