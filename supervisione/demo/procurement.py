"""Demo contracts and procedures (PRODUCT.md section 6).

- Poggiardo-Maglie-Casarano: the co-progettazione with Raggio di Sole Onlus (table opened 23/10/2024, final
  meeting 14/01/2025, proposal approved for group, individual and organisational supervision of 56 AS), whose
  supervisors are in ``demo/supervisors.py``.
  From 01/07/2026 its FNPS rows name the capofila as the ATS that pays and the convention among the three ATS
  shares the cost by quotas proportional to their AS (the demo's quotas: the sources do not give them). The
  convention is renewed year by year to the end of the next year, whose POA is in preparation on its FNPS row.
- Treviso VEN_09: the MePA tender (SIMOG 9030232, MePA 3534973), offers due 26/05/2023 23:59 after a
  postponement for faults of the platform.

Amounts, hourly rates, hours, the original deadline of the Treviso tender and the documents are not in the
sources: they are illustrative, and the data say so.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from supervisione.demo.census import SOCIAL_WORKERS_PER_AMBITO
from supervisione.demo.loading import Counter, ensure
from supervisione.demo.present import PNRR_END, Present
from supervisione.demo.supervisors import demo_document
from supervisione.leps.choices import SupervisionTypeChoices
from supervisione.leps.fnps import head_count_shares
from supervisione.procurement.models import (
    AgreementShare,
    CoDesignMember,
    CoDesignTable,
    Contract,
    ContractDocument,
    ContractDocumentKind,
    ContractFunding,
    ContractLine,
    ContractStatus,
    DeadlineKind,
    FundingAgreement,
    Postponement,
    Procedure,
    TenderDeadline,
)
from supervisione.territory.models import Ambito, FundingMeasure, Organisation, Partnership

ROME = ZoneInfo("Europe/Rome")
PNRR_AMOUNT = Decimal("27000.00")
FNPS_YEARLY = Decimal("13000.00")
A2_NOTE = "monte ore di 15 ore per gruppo A1, integrato secondo l'uso"
ILLUSTRATIVE = "Importi, tariffe orarie e ore sono illustrativi: le fonti del progetto non li riportano."


def load_procurement(counter: Counter, present: Present) -> None:
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    treviso = Partnership.objects.get(code="TREVISO-114")
    raggio = Organisation.objects.get(name="Raggio di Sole Onlus")
    _load_raggio_contract(poggiardo, raggio, present, counter)
    _load_treviso_tender(treviso, counter)


def _fnps_amounts(present: Present) -> dict[int, Decimal]:
    """From 01/07/2026 the convention is paid by the FNPS quotas of the three ATS: half a year in 2026."""
    return {
        year: FNPS_YEARLY / 2 if year == PNRR_END.year else FNPS_YEARLY
        for year in present.plan_years
        if year >= PNRR_END.year
    }


def _load_raggio_contract(partnership: Partnership, provider: Organisation, present: Present, counter: Counter) -> None:
    """Poggiardo's convention with Raggio di Sole Onlus, after a co-design table: the contract, its lines and
    funding, its document, then the table that led to it. In this order: the rows' keys follow it."""
    fnps = _fnps_amounts(present)
    contract = _raggio_convention(partnership, provider, present, fnps, counter)
    _raggio_lines_and_funding(contract, partnership, present, fnps, counter)
    _load_agreement(partnership, contract, counter)
    demo_document(
        ContractDocument,
        counter,
        "convenzione-raggio-di-sole.pdf",
        ContractDocumentKind.CONTRACT,
        "Convenzione con Raggio di Sole Onlus",
        ["Convenzione per il servizio di supervisione professionale (testo dimostrativo)."],
        contract=contract,
    )
    _raggio_co_design(contract, provider, counter)


def _raggio_convention(
    partnership: Partnership, provider: Organisation, present: Present, fnps: dict[int, Decimal], counter: Counter
) -> Contract:
    return ensure(
        Contract,
        {"partnership": partnership, "procedure": Procedure.CO_DESIGN, "provider": provider},
        {
            "title": "Supervisione professionale degli assistenti sociali di Poggiardo, Maglie e Casarano",
            "status": ContractStatus.ACTIVE,
            "cup": partnership.cup,
            "amount": PNRR_AMOUNT + sum(fnps.values(), Decimal(0)),
            "start_date": datetime.date(2025, 2, 1),
            "end_date": present.convention_end,
            "signed_on": datetime.date(2025, 1, 28),
            "notes": (
                "Convenzione con Raggio di Sole Onlus (Lecce) a seguito della co-progettazione ai sensi dell'art. 55 "
                "del D.Lgs. 117/2017: supervisione di gruppo (A1), individuale (A2) e organizzativa (A3) per 56 "
                "assistenti sociali dei tre ATS. La co-progettazione non è un appalto: nessun CIG. "
                "Finanziata dal PNRR (CUP del progetto) fino al 30/06/2026, fine delle attività del PNRR; dal "
                "01/07/2026 rinnovata di anno in anno sulle quote FNPS per la supervisione dei tre ATS. "
                f"{ILLUSTRATIVE} La quota non ripartita sulle ore copre coordinamento e monitoraggio."
            ),
        },
        counter=counter,
    )


def _raggio_lines_and_funding(
    contract: Contract, partnership: Partnership, present: Present, fnps: dict[int, Decimal], counter: Counter
) -> None:
    """Hours bought per type, and the PNRR row then the FNPS quotas that pay for them."""
    years = len(present.plan_years)
    # A2 hours: the demo's sessions loader sets them to what the calendar uses (nearly used up).
    for kind, rate, hours, note in (
        (SupervisionTypeChoices.A1, "65.00", 96 * years, f"4 gruppi x 24 ore x {years} anni"),
        (SupervisionTypeChoices.A3, "70.00", 36 * years, f"3 équipe x 12 ore x {years} anni"),
    ):
        ensure(
            ContractLine,
            {"contract": contract, "kind": kind},
            {"hourly_rate": Decimal(rate), "hours": Decimal(hours), "note": note},
            counter=counter,
        )
    line = ContractLine.objects.filter(contract=contract, kind=SupervisionTypeChoices.A2).first()
    if line is None:
        ensure(
            ContractLine,
            {"contract": contract, "kind": SupervisionTypeChoices.A2},
            {"hourly_rate": Decimal("60.00"), "hours": Decimal(15 * 4 * years), "note": A2_NOTE},
            counter=counter,
        )
    ensure(
        ContractFunding,
        {"contract": contract, "measure": FundingMeasure.PNRR_114},
        {
            "amount": PNRR_AMOUNT,
            "cup": partnership.cup,
            "note": "Avviso 1/2022, sub-investimento 1.1.4: incontri fino al 30/06/2026",
        },
        counter=counter,
    )
    for year, amount in fnps.items():
        ensure(
            ContractFunding,
            {"contract": contract, "measure": FundingMeasure.FNPS, "year": year},
            {
                "amount": amount,
                "ambito": partnership.capofila,
                "payer_to_confirm": False,
                "note": "Quote FNPS per la supervisione dei tre ATS, ripartite secondo la convenzione tra gli ATS "
                "(importo illustrativo)",
            },
            counter=counter,
        )


def _raggio_co_design(contract: Contract, provider: Organisation, counter: Counter) -> None:
    """The co-design table (art. 55 D.Lgs. 117/2017) that led to the convention: its members and the signed
    minutes of the final sitting (the sittings themselves are meetings, ``demo/meetings.py``)."""
    table = ensure(
        CoDesignTable,
        {"contract": contract},
        {
            "opened_on": datetime.date(2024, 10, 23),
            "purpose": "Co-progettazione del servizio di supervisione professionale degli assistenti sociali dei "
            "tre ATS del partenariato (LEPS 2.7.2, PNRR M5C2 1.1.4).",
            "proposal_title": "Supervisione di gruppo, individuale e organizzativa per 56 assistenti sociali",
            "proposer": provider,
            "proposal_approved_on": datetime.date(2025, 1, 14),
            "proposal_summary": "Supervisione di gruppo monoprofessionale (A1), individuale (A2) e organizzativa "
            "delle équipe (A3) per i 56 assistenti sociali degli ATS di Poggiardo, Maglie e Casarano, "
            "con supervisori della cooperativa Raggio di Sole Onlus.",
        },
        counter=counter,
    )
    for key, values in (
        ({"ambito": Ambito.objects.get(code="PUG_POGGIARDO")}, ("Lucia Martella", "Ufficio di Piano capofila, RUP")),
        ({"ambito": Ambito.objects.get(code="PUG_MAGLIE")}, ("Paolo Greco", "Referente dell'ATS")),
        ({"ambito": Ambito.objects.get(code="PUG_CASARANO")}, ("Giulia Ferrari", "Referente dell'ATS")),
        ({"organisation": provider}, ("", "Ente del terzo settore proponente")),
    ):
        person, role = values
        ensure(CoDesignMember, {"table": table, **key}, {"person_name": person, "role": role}, counter=counter)
    demo_document(
        ContractDocument,
        counter,
        "verbale-tavolo-2025-01-14.pdf",
        ContractDocumentKind.MINUTES,
        "Verbale: Seduta conclusiva del 14/01/2025",
        ["Verbale della seduta conclusiva del tavolo di co-progettazione (testo dimostrativo)."],
        contract=contract,
    )


def _load_agreement(partnership: Partnership, contract: Contract, counter: Counter) -> None:
    """From 01/07/2026 the capofila's FNPS rows pay for the AS of the three ATS, whose groups mix them: the
    convention among the ATS shares the cost, here by quotas proportional to the AS of the census (20, 18 and 18
    of 56: 35,72 %, 32,14 %, 32,14 %). The real convention shares the cost among the three ATS; its act, date
    and quotas are not in the sources, so these are the demo's and say so."""
    agreement = ensure(
        FundingAgreement,
        {"partnership": partnership, "contract": contract, "valid_from": PNRR_END + datetime.timedelta(days=1)},
        {
            "act": "Convenzione tra gli ATS di Poggiardo, Maglie e Casarano per la supervisione sulle quote FNPS",
            "number": "",
            "act_date": datetime.date(2026, 6, 15),
            "valid_to": None,
            "note": "Quote di riparto proporzionali agli assistenti sociali del censimento (20, 18 e 18 di 56). "
            "Atto, data e quote sono dimostrativi: le fonti del progetto non li riportano.",
        },
        counter=counter,
    )
    ambiti = {ambito.code: ambito for ambito in Ambito.objects.filter(code__in=SOCIAL_WORKERS_PER_AMBITO)}
    for part in head_count_shares(SOCIAL_WORKERS_PER_AMBITO):
        ensure(
            AgreementShare,
            {"agreement": agreement, "ambito": ambiti[part.ambito]},
            {"percent": part.percent},
            counter=counter,
        )


def _load_treviso_tender(partnership: Partnership, counter: Counter) -> None:
    contract = ensure(
        Contract,
        {"partnership": partnership, "procedure": Procedure.MEPA, "simog_code": "9030232"},
        {
            "title": "Servizio di supervisione professionale degli assistenti sociali dell'ATS VEN_09 (gara MePA)",
            "status": ContractStatus.PROCEDURE,
            "mepa_code": "3534973",
            "amount": Decimal("60000.00"),
            "notes": (
                "Obiettivi: prevenire il burn-out, migliorare la circolazione delle informazioni nell'équipe, "
                "rafforzare l'azione professionale, chiarire la divisione delle competenze. Offerte entro il "
                "26/05/2023 alle 23:59, termine prorogato per malfunzionamenti della piattaforma. "
                f"{ILLUSTRATIVE} Anche il termine originario (19/05/2023) è illustrativo."
            ),
        },
        counter=counter,
    )
    for kind, rate, hours in (
        (SupervisionTypeChoices.A1, "65.00", "400"),
        (SupervisionTypeChoices.A2, "60.00", "300"),
        (SupervisionTypeChoices.A3, "70.00", "160"),
    ):
        ensure(
            ContractLine,
            {"contract": contract, "kind": kind},
            {"hourly_rate": Decimal(rate), "hours": Decimal(hours), "note": "a base di gara"},
            counter=counter,
        )
    original = datetime.datetime(2023, 5, 19, 12, 0, tzinfo=ROME)
    due = datetime.datetime(2023, 5, 26, 23, 59, tzinfo=ROME)
    deadline = ensure(
        TenderDeadline,
        {"contract": contract, "kind": DeadlineKind.OFFERS},
        {"description": "Presentazione delle offerte su MePA", "original_due_at": original, "due_at": due},
        counter=counter,
    )
    ensure(
        Postponement,
        {"deadline": deadline, "new_due_at": due},
        {
            "previous_due_at": original,
            "reason": "Malfunzionamenti della piattaforma MePA",
            "act": "Avviso di proroga dei termini (riferimento illustrativo)",
        },
        counter=counter,
    )
