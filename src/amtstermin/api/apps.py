from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "amtstermin.api"
    verbose_name = "API"
