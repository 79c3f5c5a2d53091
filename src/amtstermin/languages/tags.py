"""The template library ``languages`` (``{% load languages %}``, registered in settings).

- ``{% language_switch next %}``: every language in its own name, a POST form that works
  without JavaScript (``templates/languages/switch.html``).
- ``{{ value|ltr }}``: a left-to-right value (time, code, number, phone, e-mail address, link)
  isolated inside right-to-left text: ``<bdi dir="ltr">`` in HTML, LRI … PDI in plain text
  (a template whose autoescaping is off, as the e-mails' text parts).
- Formats in the active language and time zone (``formatting``): ``long_date``, ``clock_time``,
  ``date_time``, ``date_time_range:end``, ``numeric_date_time``, ``money``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template

from amtstermin.languages import choices, formatting

register = template.Library()


@register.inclusion_tag("languages/switch.html", takes_context=True)
def language_switch(
    context: template.Context, next_url: str, kiosk: bool = False
) -> dict[str, Any]:
    return {
        "choices": choices(),
        "next_url": next_url,
        "kiosk": kiosk,
        "csrf_token": context.get("csrf_token"),
        # A booking's or a wish's page changes the record's language (views.record_language).
        "action": getattr(context.get("request"), "language_switch_url", ""),
    }


@register.filter(needs_autoescape=True)
def ltr(value: object, autoescape: bool = True) -> str:
    return formatting.isolate(str(value), html=autoescape)


@register.filter
def long_date(value: date | datetime) -> str:
    day = formatting.local(value).date() if isinstance(value, datetime) else value
    return formatting.long_date(day)


@register.filter(needs_autoescape=True)
def clock_time(value: datetime, autoescape: bool = True) -> str:
    return formatting.clock_time(value, html=autoescape)


@register.filter(needs_autoescape=True)
def date_time(value: datetime, autoescape: bool = True) -> str:
    return formatting.date_time(value, html=autoescape)


@register.filter(needs_autoescape=True)
def date_time_range(value: datetime, end: datetime, autoescape: bool = True) -> str:
    return formatting.date_time_range(value, end, html=autoescape)


@register.filter(needs_autoescape=True)
def numeric_date_time(value: datetime, autoescape: bool = True) -> str:
    return formatting.isolate(formatting.numeric_date_time(value), html=autoescape)


@register.filter
def money(value: Decimal | int) -> str:
    return formatting.money(value)
