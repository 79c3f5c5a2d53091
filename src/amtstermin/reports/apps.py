from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "amtstermin.reports"
    verbose_name = "Statistics"
