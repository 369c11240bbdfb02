from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "supervisione.scheduling"
    verbose_name = "Attività pianificate"
