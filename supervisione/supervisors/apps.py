from django.apps import AppConfig


class SupervisorsConfig(AppConfig):
    name = "supervisione.supervisors"
    verbose_name = "Supervisori e contratti"
