"""The rules of the API's input as JSON Schema, for the OpenAPI document.

Each fragment is built from the constant or regular expression the check itself uses; where
pydantic would answer with a vaguer message than the check, the fragment only documents and the
check (in routes.py, booking.demand, booking.services) decides. Patterns are written to mean the
same in Python and in ECMA-262, the dialect JSON Schema prescribes: ``[0-9]``, not ``\\d``.
"""

from __future__ import annotations

import re
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import BeforeValidator, Strict, WithJsonSchema
from pydantic.json_schema import JsonDict

from amtstermin.booking.demand import MAX_ID, MAX_SERVICES, DemandError
from amtstermin.booking.models import MAX_PERSONS

ID: JsonDict = {"type": "integer", "minimum": 1, "maximum": MAX_ID}

_PERSONS = "|".join(str(n) for n in range(MAX_PERSONS, 0, -1))  # 20|19|...|1, longest first
_PAIR = rf"[1-9][0-9]{{0,18}}(?::(?:{_PERSONS}))?"
DEMAND_TEXT = re.compile(rf"{_PAIR}(?:,{_PAIR}){{0,{MAX_SERVICES - 1}}}", re.ASCII)


# Characters a name may not contain, as the check in routes.py refuses them by category; the
# ranges of these categories are fixed by Unicode's stability policy. The astral ranges are
# written as characters, which Python and ECMA-262 (with the "u" flag JSON Schema asks for) both
# read as code points. Lone surrogates (Cs), refused too, are left out: they are not text, and
# validators built on UTF-8 strings (Schemathesis's among them) reject a pattern naming them.
_NOT_IN_A_LINE = (
    r"\x00-\x1f\x7f-\x9f"  # Cc: controls, line breaks
    r"\u2028\u2029"  # Zl, Zp
    r"\u202a-\u202e\u2066-\u2069"  # bidi controls
    r"\ue000-\uf8ff"  # Co: private use in the BMP
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd"  # Co beyond it
)
# One line with at least one character that is not a space.
ONE_LINE = re.compile(f"[^{_NOT_IN_A_LINE}]*[^{_NOT_IN_A_LINE}\\s][^{_NOT_IN_A_LINE}]*")


def anchored(pattern: re.Pattern[str]) -> str:
    """A JSON Schema pattern (which may match anywhere) for ``pattern.fullmatch``."""
    return f"^(?:{pattern.pattern})$"


def check_demand_text(text: str) -> None:
    """Raise DemandError unless ``text`` has the documented form, which is stricter than what
    ``parse_demand_text`` reads (no spaces, signs, leading zeros or empty parts)."""
    if not DEMAND_TEXT.fullmatch(text):
        raise DemandError(
            _("Give the services as SERVICE:PERSONS, separated by commas, e.g. 3:1,7:4.")
        )


def _whole(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


# JSON Schema counts 1.0 as an integer, and so does the API; "1" and true are not numbers.
WholeNumber = Annotated[int, Strict(), BeforeValidator(_whole)]

# Path and query parameters: ninja's Path() and Query() take no json_schema_extra.
ObjectId = Annotated[int, WithJsonSchema(ID)]
DemandText = Annotated[str, WithJsonSchema({"type": "string", "pattern": anchored(DEMAND_TEXT)})]
# An empty value counts as not given.
OptionalDay = Annotated[
    str | None,
    WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]}
    ),
]
