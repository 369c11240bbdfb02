"""The end of POGGIARDO-114's PNRR project on its plan of 2026 (issue 16).

The project ended its activities on 30/06/2026: the sessions after it are already charged to the FNPS quota of
2026 (``demo/sessions.py``); here the groups of the 2026 plan, charged to the project, name that quota as the row
that pays their hours after the end (``PlanGroup.funding_after``), so that the plan's costs split at the end as
the sessions do. Kept apart from ``demo/planning.py``, and run after it.

The project's close-out (``funding.pnrr.closeout``) then shows one thing missing, on any day after the end: the
registers confirmed in the demo were never issued as final PDFs (the demo writes sessions in bulk, as registers
confirmed before final registers were stored). The coordinator's evidence pack issues them from the confirmed
data, after which the project can be closed. The project's target (50 social workers supervised, as its
application stated it) is recorded, unless someone changed it.
"""

from __future__ import annotations

from supervisione.demo.loading import Counter
from supervisione.demo.present import PNRR_END
from supervisione.planning.models import PlanGroup
from supervisione.procurement.models import Contract
from supervisione.territory.models import FundingMeasure, Partnership

PNRR_TARGET = ("Operatori sociali supervisionati", 50)  # illustrative: the demo's project application


def load_pnrr_end(counter: Counter) -> None:
    poggiardo = Partnership.objects.filter(code="POGGIARDO-114").first()
    contract = Contract.objects.filter(partnership=poggiardo, provider__name="Raggio di Sole Onlus").first()
    if poggiardo is None or contract is None:
        return
    pnrr = contract.fundings.filter(measure=FundingMeasure.PNRR_114).order_by("pk").first()
    fnps = contract.fundings.filter(measure=FundingMeasure.FNPS, year=PNRR_END.year).order_by("pk").first()
    if pnrr is None or fnps is None:
        return
    if not pnrr.target_indicator and pnrr.target_value is None:
        pnrr.target_indicator, pnrr.target_value = PNRR_TARGET
        pnrr.save(update_fields=["target_indicator", "target_value"])
        counter.updated += 1
    counter.updated += PlanGroup.objects.filter(
        plan__partnership=poggiardo, plan__year=PNRR_END.year, funding=pnrr, funding_after__isnull=True
    ).update(funding_after=fnps)
