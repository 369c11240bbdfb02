"""What the demo must contain for the FNPS allocations and ledgers; called by demo/tests/test_demo.py (loaded on
23/11/2026) and, for what holds on any day, by demo/tests/test_demo_any_day.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.demo.present import PNRR_END
from supervisione.funding import ledger
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.lib import clock

D = Decimal
LEDGERS = ("PUG_POGGIARDO", "PUG_MAGLIE", "PUG_CASARANO")


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def check_funding_present() -> None:
    """On any day: the ledgers add up, no act is dated after today, and from 01/07/2026 each ATS of Poggiardo's
    partnership has committed its share of the convention."""
    today = clock.today()
    for code in LEDGERS:
        allocations = [a.as_ledger() for a in FnpsAllocation.objects.filter(ambito__code=code)]
        entries = [e.as_ledger() for e in LedgerEntry.objects.filter(ambito__code=code)]
        assert ledger.problems(allocations, entries) == [], code
        assert all(entry.day <= today or entry.stage == Stage.PROGRAMMED for entry in entries), code
        if today > PNRR_END:
            assert any(entry.stage == Stage.COMMITTED for entry in entries), code
    casarano = {
        (a.first_year, a.last_year): a.amount for a in FnpsAllocation.objects.filter(ambito__code="PUG_CASARANO")
    }
    assert casarano[2022, 2022] == D("14648.66")
    assert casarano[2023, 2024] == D("29297.33")
    assert (2023, 2023) not in casarano  # one allocation for the two years, never two


def check_funding_demo() -> None:
    """Loaded on 23/11/2026: the ledger of the first months on the FNPS quotas."""
    check_funding_present()
    # Each ATS commits its convention quota of the half year's 6,500 EUR: 35,72 %, 32,14 %, 32,14 %.
    for code, base, committed, quarter in (
        ("PUG_POGGIARDO", 210, "2321.80", "1160.90"),
        ("PUG_MAGLIE", 340, "2089.10", "1044.55"),
        ("PUG_CASARANO", 112, "2089.10", "1044.55"),
    ):
        acts = {e.stage: e for e in LedgerEntry.objects.filter(ambito__code=code).exclude(stage=Stage.PROGRAMMED)}
        commitment = acts[Stage.COMMITTED]
        assert (commitment.act_number, commitment.date, commitment.amount) == (
            f"{base}/2026",
            datetime.date(2026, 7, 1),
            D(committed),
        )
        # The third quarter's invoice, liquidated on 25/10 and paid on 09/11; the fourth's not yet.
        assert (acts[Stage.LIQUIDATED].date, acts[Stage.LIQUIDATED].amount) == (
            datetime.date(2026, 10, 25),
            D(quarter),
        )
        assert (acts[Stage.PAID].date, acts[Stage.PAID].parent) == (datetime.date(2026, 11, 9), acts[Stage.LIQUIDATED])
        assert LedgerEntry.objects.filter(ambito__code=code, stage=Stage.PROGRAMMED, plan__year=2026).exists()
    assert "illustrativi" in FnpsAllocation.objects.get(ambito__code="PUG_SANSEVERO").note

    funds = reverse("funding:ambito_funds", args=["PUG_CASARANO"])
    html = _client("referente.casarano").get(funds).content.decode()
    assert "Stanziamento FNPS 2023-2024 · 29.297,33 €" in html
    assert "Registra un impegno" in html
    coordinator = _client("coordinatore.poggiardo").get(funds).content.decode()
    assert "Impegno n. 112/2026 del 01/07/2026" in coordinator
    assert "Registra un impegno" not in coordinator  # Casarano keeps its own ledger
    observer = _client("osservatore.puglia").get(funds).content.decode()
    assert "Solo i totali" in observer
    assert "112/2026" not in observer

    html = _client("coordinatore.sansevero").get(reverse("funding:fnps", args=["SANSEVERO-114"])).content.decode()
    assert "Assistenti sociali oggi senza gruppo A1: <strong>23</strong>" in html
    assert "Servono 2 nuovi gruppi per 23 assistenti sociali oggi senza gruppo" in html
    assert "(quota 3 %)" in html
    dashboard = _client("coordinatore.poggiardo").get(reverse("monitoring:partnership", args=["POGGIARDO-114"]))
    assert "Contabilità FNPS degli ATS" in dashboard.content.decode()
