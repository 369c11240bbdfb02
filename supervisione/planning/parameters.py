"""Which LEPS parameters apply at a date: the latest rule set in force, or the Scheda defaults.

``leps.parameters.rules_at`` is how every app asks; ``PlanningConfig.ready`` plugs ``rules_in_force`` in there,
so that the apps below planning (census, supervisors) read the rule sets without importing planning.
"""

from __future__ import annotations

import datetime

from supervisione.leps.parameters import DEFAULT_RULES, LepsRules
from supervisione.planning.models import RuleSet


def rules_in_force(when: datetime.date) -> LepsRules:
    current = rule_set_at(when)
    return current.to_rules() if current is not None else DEFAULT_RULES


def rule_set_at(when: datetime.date) -> RuleSet | None:
    return RuleSet.objects.filter(valid_from__lte=when).order_by("-valid_from").first()
