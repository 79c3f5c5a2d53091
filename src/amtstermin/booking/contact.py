"""The one rule for a citizen's name, e-mail address and phone number.

The booking pages, the API and the staff's phone booking call these functions, and the booking
services call them once more before anything is stored, so every way in accepts the same
details. Each returns the value as it is stored (NFC, spaces tidied) or raises a
``ValidationError`` with a message for people.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

NAME_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 50
PHONE_MIN_DIGITS = 5

# Control characters (Cc), invisible format characters such as zero-width spaces and bidi
# overrides (Cf), line and paragraph separators (Zl, Zp), private use (Co) and lone surrogates
# (Cs): they break mail headers and one-line displays, hide text, or show it reversed.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})
# Letters that show nothing (Hangul fillers, category Lo): they do not make a name visible.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
_SPACES = re.compile(r"\s+")
PHONE_FORM = re.compile(r"[0-9 +\-/()]*", re.ASCII)
# The same rule for the API's schema: only spaces, or at least PHONE_MIN_DIGITS digits.
PHONE_PATTERN = re.compile(
    rf"(?: *|(?:[ +\-/()]*[0-9]){{{PHONE_MIN_DIGITS}}}[0-9 +\-/()]*)", re.ASCII
)


def _has_forbidden_characters(value: str) -> bool:
    return any(unicodedata.category(char) in FORBIDDEN_CATEGORIES for char in value)


def is_visible_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L") and char not in INVISIBLE_LETTERS


def _tidy(value: str) -> str:
    """NFC, runs of spaces as one space, no spaces at the ends. Forbidden characters (line
    breaks among them) must have been refused before: this would turn them into spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def _too_long(maximum: int) -> ValidationError:
    return ValidationError(_("Use at most %(max)d characters.") % {"max": maximum}, code="too_long")


def clean_name(value: str, *, required: bool = True) -> str:
    """A person's name: one line of visible text with at least one letter."""
    if len(value) > NAME_MAX:
        raise _too_long(NAME_MAX)
    if _has_forbidden_characters(value):
        raise ValidationError(
            _("Please enter the name on one line, without special characters."),
            code="characters",
        )
    name = _tidy(value)
    if not name:
        if required:
            raise ValidationError(_("Please enter your name."), code="required")
        return ""
    if len(name) > NAME_MAX:  # NFC lengthens a few letters; the stored name must fit too
        raise _too_long(NAME_MAX)
    if not any(is_visible_letter(char) for char in name):
        raise ValidationError(_("Please enter a name with at least one letter."), code="letter")
    return name


def clean_email(value: str, *, required: bool = True) -> str:
    """An e-mail address Django's validator accepts, on one line."""
    invalid = ValidationError(
        _("Please enter a valid e-mail address, like name@example.org."), code="invalid"
    )
    if len(value) > EMAIL_MAX:
        raise _too_long(EMAIL_MAX)
    if _has_forbidden_characters(value):
        raise invalid
    email = _tidy(value)
    if not email:
        if required:
            raise ValidationError(_("Please enter your e-mail address."), code="required")
        return ""
    if len(email) > EMAIL_MAX:
        raise _too_long(EMAIL_MAX)
    try:
        validate_email(email)
    except ValidationError:
        raise invalid from None
    return email


def clean_phone(value: str) -> str:
    """An optional phone number: digits, spaces and + - / ( ), enough digits to dial.

    Lengths count what was typed, and only ASCII spaces are allowed, so that the API's
    documented pattern and maximum say exactly the same."""
    if len(value) > PHONE_MAX:
        raise _too_long(PHONE_MAX)
    if not PHONE_FORM.fullmatch(value):
        raise ValidationError(_("Use only digits, spaces and + - / ( )."), code="characters")
    phone = " ".join(value.split())
    if phone and sum(char.isdigit() for char in phone) < PHONE_MIN_DIGITS:
        raise ValidationError(
            _("Please enter the whole phone number, with at least %(min)d digits.")
            % {"min": PHONE_MIN_DIGITS},
            code="too_short",
        )
    return phone


def clean_details(
    *, name: str, email: str, phone: str, booked_for: str, email_required: bool
) -> dict[str, str]:
    """All of a booking's details at once; the ValidationError names every field at fault.
    Where no e-mail address is required (staff bookings), a phone number or an e-mail address
    is: the office must be able to reach the citizen if it has to move or cancel."""
    cleaners = {
        "name": lambda: clean_name(name),
        "email": lambda: clean_email(email, required=email_required),
        "phone": lambda: clean_phone(phone),
        "booked_for": lambda: clean_name(booked_for, required=False),
    }
    cleaned: dict[str, str] = {}
    problems: dict[str, ValidationError] = {}
    for field, clean in cleaners.items():
        try:
            cleaned[field] = clean()
        except ValidationError as exc:
            problems[field] = exc
    if not problems and not email_required:
        try:
            require_phone_or_email(email=cleaned["email"], phone=cleaned["phone"])
        except ValidationError as exc:
            problems["phone"] = exc
    if problems:
        raise ValidationError(problems)
    return cleaned


_GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def email_identity(email: str) -> str:
    """The person behind an address, for the per-person limits: case does not count, nor a
    ``+tag``, nor, at Gmail (which ignores them), dots in the local part. "" for no address."""
    local, _at, domain = email.strip().lower().rpartition("@")
    if not local:
        return ""
    local = local.split("+", 1)[0]
    if domain in _GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def phone_identity(phone: str) -> str:
    """The line behind a number, for the per-person limits: digits only, German numbers in
    national form (+49 171 …, 0049 171 … and 0171 … are one line). "" for no number."""
    digits = "".join(char for char in phone if char.isdigit())
    if phone.strip().startswith("+"):
        digits = "00" + digits
    if digits.startswith("0049"):
        national = digits[4:]
        return "0" + national.removeprefix("0")  # +49 (0)221 … is written, too
    return digits


def require_phone_or_email(*, email: str, phone: str) -> None:
    """Phone and counter bookings need a way to reach the citizen if the office must move or
    cancel: a phone number or an e-mail address (cleaned), one of the two."""
    if not email and not phone:
        raise ValidationError(
            _("Please enter a phone number or an e-mail address: one of the two is needed."),
            code="unreachable",
        )
