from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "supervisione.demo"
    verbose_name = "Dati dimostrativi"
