from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "supervisione.planning"
    verbose_name = "Regole LEPS e piani annuali"

    def ready(self) -> None:
        # The LEPS parameters in force at a date are the rule sets kept here (RuleSet); every app asks
        # leps.parameters.rules_at, which reads them from now on (leps imports no app).
        from supervisione.leps.parameters import read_rules_from  # noqa: PLC0415  (models are loaded now)
        from supervisione.planning.parameters import rules_in_force  # noqa: PLC0415  (models are loaded now)

        read_rules_from(rules_in_force)
