from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "supervisione.census"
    verbose_name = "Censimento del personale e referenti"

    def ready(self) -> None:
        # Employers of census positions are organisations their ATS use (territory/organisation_use.py).
        from supervisione.census.access import employers_used_by  # noqa: PLC0415  (models are loaded now)
        from supervisione.territory.organisation_use import register_use  # noqa: PLC0415  (models are loaded now)

        register_use("census_employers", employers_used_by)
