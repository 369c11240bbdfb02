from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "supervisione.funding"
    verbose_name = "Fondi FNPS e contabilità"

    def ready(self) -> None:
        # The plan page shows what the FNPS allocations of the plan's ATS would add (planning/fnps_allocations.py):
        # planning sits below this app and never imports it; it is told where the allocations are.
        from supervisione.funding.queries import plan_allocations  # noqa: PLC0415  (models are loaded now)
        from supervisione.planning.fnps_allocations import register_allocation_finder  # noqa: PLC0415  (models are loaded now)

        register_allocation_finder(plan_allocations)
        # A closed PNRR project's records are kept to the end of the audit period, whatever deletes them.
        from supervisione.funding import retention  # noqa: PLC0415  (models are loaded now)

        retention.connect()
        # An ATS's decision on co-financing with its FNPS quota, recorded in a meeting's minutes, updates its
        # allocation (meetings/decision_hooks.py): meetings sits below this app and never imports it.
        from supervisione.funding.cofinancing import record_cofinancing  # noqa: PLC0415  (models are loaded now)
        from supervisione.meetings.decision_hooks import register_decision_hook  # noqa: PLC0415  (models are loaded now)
        from supervisione.meetings.models import DecisionTopic  # noqa: PLC0415  (models are loaded now)

        register_decision_hook(DecisionTopic.FNPS_COFINANCING, record_cofinancing)
