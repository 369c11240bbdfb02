"""What the demo must show of the end of POGGIARDO-114's PNRR project (issue 16); called by
demo/tests/test_demo.py."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.demo.present import PNRR_END
from supervisione.funding.pnrr.queries import after_end, projects_of
from supervisione.planning.models import Plan, PlanStatus
from supervisione.planning.plan_page import plan_page
from supervisione.territory.models import Partnership


def check_pnrr_demo() -> None:
    """Nothing is charged to the project after 30/06/2026: the sessions after it are on the FNPS quota, and the
    2026 plan's groups name that quota for after the end (its costs split, none left without a source)."""
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    [project] = projects_of(poggiardo)
    assert project.end.last_day == PNRR_END
    assert after_end(project).is_empty
    plan = Plan.objects.filter(partnership=poggiardo, year=PNRR_END.year).exclude(status=PlanStatus.SUPERSEDED).first()
    if plan is not None:
        keys = {line.key for line in plan_page(plan).costs}
        assert "none" not in keys, keys
        assert any(key.startswith("fnps:") for key in keys), keys
    client = Client()
    client.force_login(User.objects.get(username="coordinatore.poggiardo"))
    page = client.get(reverse("funding:pnrr_after_end", args=[poggiardo.code, project.cup]))
    assert page.status_code == 200
    assert "Nulla da consegnare" in page.content.decode()
