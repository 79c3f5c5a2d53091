from django.contrib import admin

from amtstermin.booking.admin import OfficeScopedAdmin
from amtstermin.reports.models import StatisticsSettings


@admin.register(StatisticsSettings)
class StatisticsSettingsAdmin(OfficeScopedAdmin):
    list_display = ["office", "public_page"]
