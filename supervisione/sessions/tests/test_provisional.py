"""Sessions of a plan not approved yet are provisional on the calendar and session pages, which say what the plan
still lacks (its transmission, then the record of its approval)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from supervisione.planning.models import Plan, PlanStatus
from supervisione.sessions.actions import scheduling as actions
from supervisione.sessions.tests.conftest import Cal

D = datetime.date
TITLE = "Incontri provvisori: il POA non è ancora approvato"


def _pages(cal: Cal, client_for: Any, session_pk: int, persona: str = "coordinator") -> tuple[str, str, str]:
    client = client_for(persona)
    month = client.get(
        reverse("sessions:group_calendar", args=[cal.group.pk]) + "?vista=mese&giorno=2026-03-15"
    ).content.decode()
    listing = client.get(
        reverse("sessions:ambito_calendar", args=["PUG_CASARANO"]) + "?vista=elenco&giorno=2026-03-01"
    ).content.decode()
    detail = client.get(reverse("sessions:session_detail", args=[session_pk])).content.decode()
    return month, listing, detail


def test_sessions_of_an_approved_plan_are_not_provisional(cal: Cal, client_for: Any) -> None:
    session = cal.one(D(2026, 3, 3))
    for page in _pages(cal, client_for, session.pk):
        assert "provvisori" not in page


def test_sessions_of_a_draft_or_submitted_plan_are_provisional_and_the_pages_say_what_is_missing(
    cal: Cal, client_for: Any
) -> None:
    session = cal.one(D(2026, 3, 3))
    Plan.objects.filter(pk=cal.plan.pk).update(
        status=PlanStatus.DRAFT, approved_at=None, deadline=D(2026, 3, 31), submitted_at=None
    )
    missing = (
        "il piano è in bozza e va trasmesso (entro il 31/03/2026), poi registrata l&#x27;approvazione con il suo atto"
    )
    for persona in ("coordinator", "supervisee", "supervisor"):
        month, listing, detail = _pages(cal, client_for, session.pk, persona)
        for page in (month, listing):
            assert TITLE in page, persona
            assert f"POA 2026 di Partenariato POGGIARDO-114</a> sono provvisori: {missing}." in page
            assert '<span class="badge bg-light text-dark border">provvisorio</span>' in page
        assert "Incontro provvisorio: il POA non è ancora approvato" in detail
        assert missing in detail
    Plan.objects.filter(pk=cal.plan.pk).update(status=PlanStatus.SUBMITTED, submitted_at=timezone.now())
    month, _listing, detail = _pages(cal, client_for, session.pk)
    submitted = "il piano è trasmesso e manca la registrazione dell&#x27;approvazione con il suo atto"
    assert submitted in month
    assert submitted in detail


def test_a_cancelled_session_is_not_called_provisional(cal: Cal, client_for: Any) -> None:
    session = cal.one(D(2026, 3, 3))
    actions.cancel_session(session, reason="Maltempo", version=session.version, by=cal.world.coordinator)
    Plan.objects.filter(pk=cal.plan.pk).update(status=PlanStatus.DRAFT, approved_at=None, submitted_at=None)
    _month, _listing, detail = _pages(cal, client_for, session.pk)
    assert "Incontro annullato" in detail
    assert "Incontro provvisorio" not in detail
