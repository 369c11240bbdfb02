"""The end of POGGIARDO-114's PNRR project on its plan of 2026 (issue 16).

The project ended its activities on 30/06/2026: the sessions after it are already charged to the FNPS quota of
2026 (``demo/sessions.py``); here the groups of the 2026 plan, charged to the project, name that quota as the row
that pays their hours after the end (``PlanGroup.funding_after``), so that the plan's costs split at the end as
the sessions do. Kept apart from ``demo/planning.py``, and run after it.
"""

from __future__ import annotations

from supervisione.demo.loading import Counter
from supervisione.demo.present import PNRR_END
from supervisione.planning.models import PlanGroup
from supervisione.procurement.models import Contract
from supervisione.territory.models import FundingMeasure, Partnership


def load_pnrr_end(counter: Counter) -> None:
    poggiardo = Partnership.objects.filter(code="POGGIARDO-114").first()
    contract = Contract.objects.filter(partnership=poggiardo, provider__name="Raggio di Sole Onlus").first()
    if poggiardo is None or contract is None:
        return
    pnrr = contract.fundings.filter(measure=FundingMeasure.PNRR_114).order_by("pk").first()
    fnps = contract.fundings.filter(measure=FundingMeasure.FNPS, year=PNRR_END.year).order_by("pk").first()
    if pnrr is None or fnps is None:
        return
    counter.updated += PlanGroup.objects.filter(
        plan__partnership=poggiardo, plan__year=PNRR_END.year, funding=pnrr, funding_after__isnull=True
    ).update(funding_after=fnps)
