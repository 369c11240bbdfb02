"""Which LEPS parameters apply at a date: the latest rule set in force, or the Scheda defaults."""

from __future__ import annotations

import datetime

from supervisione.planning.models import RuleSet
from supervisione.planning.rules import DEFAULT_RULES, LepsRules


def rules_at(when: datetime.date) -> LepsRules:
    current = RuleSet.objects.filter(valid_from__lte=when).order_by("-valid_from").first()
    return current.to_rules() if current is not None else DEFAULT_RULES


def rule_set_at(when: datetime.date) -> RuleSet | None:
    return RuleSet.objects.filter(valid_from__lte=when).order_by("-valid_from").first()
