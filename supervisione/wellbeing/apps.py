from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "supervisione.wellbeing"
    verbose_name = "Benessere degli operatori"

    def ready(self) -> None:
        from supervisione.wellbeing import checks  # noqa: F401, PLC0415  (registers the system checks once models are loaded)
