"""The rules of the API's input as JSON Schema, for the OpenAPI document.

Each fragment is built from the constant or regular expression the check itself uses; where
pydantic would answer with a vaguer message than the check, the fragment only documents and the
check (in schemas.py, routes.py, booking.demand, booking.services) decides. Patterns are
written to mean the same in Python and in ECMA-262, the dialect JSON Schema prescribes:
``[0-9]``, not ``\\d``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Annotated

from pydantic import BeforeValidator, Strict, WithJsonSchema
from pydantic.json_schema import JsonDict

from amtstermin.api.errors import error_messages
from amtstermin.booking import contact
from amtstermin.booking.demand import MAX_ID, MAX_SERVICES, DemandError
from amtstermin.booking.models import MAX_PERSONS

ID: JsonDict = {"type": "integer", "minimum": 1, "maximum": MAX_ID}

_PERSONS = "|".join(str(n) for n in range(MAX_PERSONS, 0, -1))  # 20|19|...|1, longest first
_PAIR = rf"[1-9][0-9]{{0,18}}(?::(?:{_PERSONS}))?"
DEMAND_TEXT = re.compile(rf"{_PAIR}(?:,{_PAIR}){{0,{MAX_SERVICES - 1}}}", re.ASCII)


def _character_class(wanted: Callable[[str], bool]) -> str:
    """The characters that are ``wanted``, as ranges for a character class.
    Astral characters are written as characters, which Python and ECMA-262 (with the "u" flag
    JSON Schema asks for) both read as code points."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if not wanted(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(
        _in_class(first) if first == last else f"{_in_class(first)}-{_in_class(last)}"
        for first, last in ranges
    )


def _in_class(code: int) -> str:
    char = chr(code)
    return f"\\{char}" if char in "\\]^-[" else char


@cache
def name_pattern() -> str:
    """``contact.clean_name``'s rule as a pattern: no forbidden character, at least one letter.
    Built from the Unicode database the check itself reads, so the two cannot drift apart. Lone
    surrogates (Cs), refused by the check too, are left out: they are not text, and validators
    built on UTF-8 strings (Schemathesis's among them) reject a pattern naming them."""
    forbidden = _character_class(
        lambda char: unicodedata.category(char) in contact.FORBIDDEN_CATEGORIES - {"Cs"}
    )
    letters = _character_class(contact.is_visible_letter)
    return f"^[^{forbidden}]*[{letters}][^{forbidden}]*$"


def name_schema(schema: JsonDict) -> None:
    """The name's JSON Schema, built when the document is (a few hundred ms, once)."""
    schema.update(minLength=1, maxLength=contact.NAME_MAX, pattern=name_pattern())


def anchored(pattern: re.Pattern[str]) -> str:
    """A JSON Schema pattern (which may match anywhere) for ``pattern.fullmatch``."""
    return f"^(?:{pattern.pattern})$"


def check_demand_text(text: str) -> None:
    """Raise DemandError unless ``text`` has the documented form, which is stricter than what
    ``parse_demand_text`` reads (no spaces, signs, leading zeros or empty parts)."""
    if not DEMAND_TEXT.fullmatch(text):
        raise DemandError(str(error_messages["demand_form"]))


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
