from django.apps import AppConfig


class SupervisorsConfig(AppConfig):
    name = "supervisione.supervisors"
    verbose_name = "Supervisori"

    def ready(self) -> None:
        # Providers of supervisors: organisations their tenants use (territory/organisation_use.py).
        from supervisione.supervisors.access import ORGANISATION_USES  # noqa: PLC0415  (models are loaded now)
        from supervisione.territory.organisation_use import register_use  # noqa: PLC0415  (models are loaded now)

        for name, finder in ORGANISATION_USES.items():
            register_use(name, finder)
