"""An ATS's decision on co-financing the partnership's supervision with its FNPS quota, recorded in a meeting's
minutes, goes to the FNPS allocation it is about.

Meetings sits below funding and never imports it: it calls the hooks registered for a decision's topic
(``meetings/decision_hooks.py``), and ``FundingConfig.ready`` registers ``record_cofinancing`` for
``DecisionTopic.FNPS_COFINANCING``. The allocation is the ATS's one whose FNPS years include the decision's year;
when the ATS has none, nothing changes and the page says so (the Region's allocation is recorded in Fondi FNPS,
never made up from a meeting).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supervisione.audit.actions import save_audited
from supervisione.funding.models import Cofinancing, FnpsAllocation
from supervisione.lib.italian import euro_text
from supervisione.meetings.decision_hooks import DecisionRefusedError
from supervisione.meetings.models import Outcome

if TYPE_CHECKING:
    from supervisione.accounts.models import User
    from supervisione.meetings.models import AmbitoDecision

OUTCOMES = {Outcome.PENDING: Cofinancing.UNDECIDED, Outcome.YES: Cofinancing.YES, Outcome.NO: Cofinancing.NO}


def record_cofinancing(row: AmbitoDecision, by: User) -> str:
    """Write the ATS's decision on its allocation of the decision's FNPS year (audited); what changed."""
    decision = row.decision
    year = decision.fnps_year
    if year is None:
        return ""
    allocation = (
        FnpsAllocation.objects.select_for_update()
        .filter(ambito_id=row.ambito_id, first_year__lte=year, last_year__gte=year)
        .first()
    )
    if allocation is None:
        if row.outcome == Outcome.PENDING:
            return ""
        return (
            f"{row.ambito.name} non ha uno stanziamento FNPS {year} registrato: la decisione resta nel verbale; "
            "registra lo stanziamento in Fondi FNPS per collegarla."
        )
    if row.amount is not None and row.amount > allocation.amount:
        raise DecisionRefusedError(
            f"L'importo ({euro_text(row.amount)}) supera lo stanziamento FNPS {allocation.years_text} di "
            f"{row.ambito.name} per la supervisione ({euro_text(allocation.amount)}): correggi l'importo."
        )
    meeting = decision.minutes.meeting
    values = {
        "cofinancing": OUTCOMES[Outcome(row.outcome)],
        "cofinancing_amount": row.amount if row.outcome == Outcome.YES else None,
        "cofinancing_act": row.act if row.outcome != Outcome.PENDING else "",
        "cofinancing_source": ""
        if row.outcome == Outcome.PENDING
        else f"Verbale della riunione «{meeting.title}» del {meeting.date:%d/%m/%Y}"[:300],
    }
    if all(getattr(allocation, name) == value for name, value in values.items()):
        return ""
    for name, value in values.items():
        setattr(allocation, name, value)
    save_audited(
        allocation,
        by=by,
        message=f"Co-finanziamento: {allocation.cofinancing_text} (dal verbale del {meeting.date:%d/%m/%Y})",
        code="funding.fnpsallocation.cofinancing_recorded",
        ambito_id=allocation.ambito_id,
    )
    return f"Stanziamento FNPS {allocation.years_text} di {row.ambito.name} aggiornato: {allocation.cofinancing_text}."
