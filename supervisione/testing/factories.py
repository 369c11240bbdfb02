"""Small factories for objects the world does not hold, shared by tests and the URL samples.

Each returns a saved object with plausible values; keyword arguments override them. Add one here when a
capability's URL sample (``supervisione/testing/url_samples.py``) needs an object of its own.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from supervisione.planning.models import RuleSet
from supervisione.territory.models import Organisation, OrganisationKind


def organisation(**fields: Any) -> Organisation:
    values: dict[str, Any] = {"name": "Cooperativa Sociale Esempio", "kind": OrganisationKind.COOPERATIVE}
    values.update(fields)
    return Organisation.objects.create(**values)


def future_rule_set(**fields: Any) -> RuleSet:
    """LEPS parameters in force from next year: the only kind administrators may still edit."""
    values: dict[str, Any] = {"valid_from": datetime.date(timezone.localdate().year + 1, 1, 1)}
    values.update(fields)
    return RuleSet.objects.create(**values)
