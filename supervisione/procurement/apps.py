from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "supervisione.procurement"
    verbose_name = "Contratti e procedure"

    def ready(self) -> None:
        # Providers, co-design members and proposers: organisations their tenants use
        # (territory/organisation_use.py); the contracts of a supervisor's provider, on the supervisor's page
        # (supervisors/provider_contracts.py). Both apps sit below this one and never import it.
        from supervisione.procurement.access import ORGANISATION_USES  # noqa: PLC0415  (models are loaded now)
        from supervisione.procurement.queries import provider_contracts_in_force  # noqa: PLC0415  (models are loaded now)
        from supervisione.supervisors.provider_contracts import register_provider_contracts  # noqa: PLC0415  (models are loaded now)
        from supervisione.territory.organisation_use import register_use  # noqa: PLC0415  (models are loaded now)

        for name, finder in ORGANISATION_USES.items():
            register_use(name, finder)
        register_provider_contracts(provider_contracts_in_force)
