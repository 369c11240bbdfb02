"""What the demo must contain for the supervisors app; called by demo/tests/test_demo.py (one demo load)."""

from __future__ import annotations

from supervisione.leps.parameters import DEFAULT_RULES
from supervisione.supervisors.eligibility import eligibility_table, with_qualifications
from supervisione.supervisors.models import Supervisor


def check_supervisors_demo() -> None:
    """Supervisors of Raggio di Sole with and without eligibility."""
    longo = Supervisor.objects.get(user__username="supervisore.demo")
    assert (longo.surname, longo.name, str(longo.provider)) == ("Longo", "Chiara", "Raggio di Sole Onlus")
    eligible = {
        supervisor.surname: [item.eligible for item in row]
        for supervisor in with_qualifications(Supervisor.objects.all())
        for row in [eligibility_table([supervisor], DEFAULT_RULES)[supervisor.pk]]
    }
    assert eligible == {
        "Longo": [True, True, True],
        "Russo": [False, False, True],
        "Perrone": [False, False, True],
        "Caputo": [False, False, False],
    }
