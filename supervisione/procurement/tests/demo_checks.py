"""What the demo must contain for the procurement app; called by demo/tests/test_demo.py (one demo load)."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.procurement.models import Contract
from supervisione.supervisors.models import Supervisor


def check_procurement_demo() -> None:
    """The Raggio di Sole contract, whose provider employs the demo supervisor, and the Treviso tender."""
    raggio = Contract.objects.get(provider__name="Raggio di Sole Onlus")
    assert raggio.procedure == "co_design"
    assert raggio.cup == "J81H22000130006"
    assert "illustrativi" in raggio.notes
    assert raggio.codesign.opened_on == datetime.date(2024, 10, 23)
    assert raggio.codesign.proposal_approved_on == datetime.date(2025, 1, 14)
    assert "56 assistenti sociali" in raggio.codesign.proposal_title
    assert raggio.codesign.meetings.get(is_final=True).held_on == datetime.date(2025, 1, 14)
    assert {line.kind for line in raggio.lines.all()} == {"A1", "A2", "A3"}
    assert Supervisor.objects.get(user__username="supervisore.demo").provider == raggio.provider
    treviso = Contract.objects.get(simog_code="9030232")
    assert treviso.mepa_code == "3534973"
    deadline = treviso.deadlines.get()
    assert timezone.localtime(deadline.due_at).strftime("%d/%m/%Y %H:%M") == "26/05/2023 23:59"
    assert "piattaforma" in deadline.postponements.get().reason
    # The Treviso tender, past its postponed deadline, is on its coordinator's home page.
    client = Client()
    client.force_login(User.objects.get(username="coordinatore.treviso"))
    page = client.get(reverse("home:home")).content.decode()
    assert "gara MePA): registra l&#x27;esito della procedura" in page
    assert "26/05/2023 alle 23:59 (dopo una proroga)" in page
