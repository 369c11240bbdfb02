"""What the demo must contain for the procurement app; called by demo/tests/test_demo.py (one demo load)."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.procurement.codesign_sittings import table_sittings
from supervisione.procurement.models import Contract, FundingAgreement
from supervisione.procurement.payers import Payers
from supervisione.sessions.models import Attendance, Session
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
    # The table's sittings are meetings (meetings/tests/demo_checks.py), listed on the contract page by its finder.
    sittings = table_sittings(raggio.codesign)
    assert [(s.date, s.is_final, s.minutes) for s in sittings] == [
        (datetime.date(2024, 10, 23), False, "verbale approvato"),
        (datetime.date(2025, 1, 14), True, "verbale approvato"),
    ]
    assert raggio.documents.get(kind="minutes").title == "Verbale: Seduta conclusiva del 14/01/2025"
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
    check_payers_demo()


def check_payers_demo() -> None:
    """After the PNRR the Raggio di Sole convention runs on the capofila's FNPS rows, shared among the three ATS
    by the convention's quotas (proportional to their AS): every session charged to an FNPS row is allowed by the
    rule of who pays, and the contract and agreement pages show it."""
    raggio = Contract.objects.get(provider__name="Raggio di Sole Onlus")
    fnps = list(raggio.fundings.filter(measure="fnps").select_related("ambito"))
    assert fnps
    assert {(row.ambito.code if row.ambito else None, row.payer_to_confirm) for row in fnps} == {
        ("PUG_POGGIARDO", False)
    }
    agreement = FundingAgreement.objects.get(partnership=raggio.partnership, contract=raggio)
    assert agreement.valid_from == datetime.date(2026, 7, 1)
    assert {s.ambito.code: s.percent for s in agreement.shares.select_related("ambito")} == {
        "PUG_POGGIARDO": Decimal("35.72"),
        "PUG_MAGLIE": Decimal("32.14"),
        "PUG_CASARANO": Decimal("32.14"),
    }
    sessions = Session.objects.filter(funding__in=fnps).select_related("funding__contract")
    expected: dict[int, Counter[int]] = {}
    for session_id, ambito_id in Attendance.objects.filter(session__in=sessions).values_list("session", "ambito"):
        expected.setdefault(session_id, Counter())[ambito_id] += 1
    payers = Payers([raggio.partnership_id or 0])
    checked = [payers.check(s.funding, expected.get(s.pk, Counter()), s.date, s.date) for s in sessions]
    assert checked
    assert all(check.allowed for check in checked), [c.message for c in checked if not c.allowed][:3]
    assert any(check.shared for check in checked)  # groups mixing the three ATS
    client = Client()
    client.force_login(User.objects.get(username="coordinatore.poggiardo"))
    page = client.get(raggio.get_absolute_url()).content.decode()
    assert "Accordo di ripartizione FNPS tra gli ATS" in page
    assert "Convenzione tra gli ATS di Poggiardo, Maglie e Casarano" in page
    reader = Client()
    reader.force_login(User.objects.get(username="referente.maglie"))
    assert "35,72 %" in reader.get(agreement.get_absolute_url()).content.decode()
