from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatelimitConfig(AppConfig):
    name = "amtstermin.ratelimit"
    verbose_name = _("Rate limits")
