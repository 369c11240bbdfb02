"""Moving unused A2 hours to an A1 group or A3 équipe from the pools page, through the planning action."""

from __future__ import annotations

import datetime
from typing import Any

from supervisione.audit.models import AuditEntry
from supervisione.planning.models import A2Transfer, PlanStatus

from .conftest import Year


def _post(client: Any, year: Year, **values: str) -> Any:
    data = {
        "source": str(year.cal.group.pk),
        "target": str(year.cal.equipe_group.pk),
        "hours": "2,5",
        "reason": "Richieste individuali inferiori al previsto.",
        **values,
    }
    return client.post(f"/monitoraggio/piani/{year.plan.pk}/monte-ore-a2/", data)


def test_it_moves_unused_hours_with_the_reason_and_records_it(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    client = client_for("coordinator")
    response = _post(client, year)
    assert response.status_code == 302
    transfer = A2Transfer.objects.get()
    assert (transfer.source, transfer.target, str(transfer.hours)) == (year.cal.group, year.cal.equipe_group, "2.5")
    assert AuditEntry.objects.filter(message__startswith="Spostate 2,5 ore A2 da Gruppo A1 Casarano").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Spostate 2,5 ore A2 da Gruppo A1 Casarano a Équipe PUA Casarano" in page
    assert "Richieste individuali inferiori al previsto." in page
    # The équipe now has 8.5 h planned; the pool 12.5 h.
    found = client.get("/monitoraggio/partenariati/POGGIARDO-114/", {"tabella": "gruppi", "formato": "csv"})
    assert "Équipe PUA Casarano;A3;2;6;8,5;4" in found.getvalue().decode()


def test_it_refuses_more_than_the_free_hours_the_same_group_or_no_reason(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    client = client_for("coordinator")
    # Pool 15 h, 3 h of individual sessions booked: 12 free.
    too_many = _post(client, year, hours="12,5")
    assert too_many.status_code == 200
    assert "ha 12 ore libere (non usate né prenotate)" in too_many.content.decode()
    same = _post(client, year, target=str(year.cal.group.pk))
    assert "Scegli un gruppo diverso" in same.content.decode()
    no_reason = _post(client, year, reason="  ")
    assert no_reason.status_code == 200
    assert not A2Transfer.objects.exists()


def test_it_lets_only_the_plan_s_editors_move_hours_of_an_approved_plan(
    year: Year, on_today: datetime.date, client_for: Any
) -> None:
    for persona in ("referent", "supervisor", "observer"):
        assert _post(client_for(persona), year).status_code == 403, persona
    assert (
        "Sposta ore non usate"
        not in client_for("referent").get(f"/monitoraggio/piani/{year.plan.pk}/monte-ore-a2/").content.decode()
    )
    year.plan.status = PlanStatus.DRAFT
    year.plan.save(update_fields=["status"])
    coordinator = client_for("coordinator")
    assert (
        "Piano non approvato" in coordinator.get(f"/monitoraggio/piani/{year.plan.pk}/monte-ore-a2/").content.decode()
    )
    refused = _post(coordinator, year)
    assert refused.status_code == 200
    assert "si spostano solo nel piano approvato" in refused.content.decode()
    assert not A2Transfer.objects.exists()
