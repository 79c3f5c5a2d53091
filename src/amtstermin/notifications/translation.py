"""The office's own e-mail paragraph in every language (see ``booking/translation.py``)."""

from __future__ import annotations

from modeltranslation.translator import register

from amtstermin.booking.translation import OfficeText
from amtstermin.notifications.models import MessageSetting


@register(MessageSetting)
class MessageSettingTexts(OfficeText):
    fields = ("paragraph",)
