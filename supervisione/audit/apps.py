from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "supervisione.audit"
    verbose_name = "Registro delle modifiche"
