from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "supervisione.planning"
    verbose_name = "Regole LEPS e piani annuali"
