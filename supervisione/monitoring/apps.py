from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "supervisione.monitoring"
    verbose_name = "Monitoraggio, cruscotti e rendicontazione"
