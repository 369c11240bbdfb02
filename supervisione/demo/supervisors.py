"""Demo supervisors and contracts (PRODUCT.md section 6).

- Poggiardo-Maglie-Casarano: the co-progettazione with Raggio di Sole Onlus (table opened 23/10/2024, final
  meeting 14/01/2025, proposal approved for group, individual and organisational supervision of 56 AS), and
  four supervisors of the cooperative: one eligible for every type (linked to the demo user
  ``supervisore.demo``), the others not eligible for some or all types, each for a different reason. The
  two the annual plan assigns (Longo for A1 and A2, Russo for the équipes' A3) have signed declarations.
- Treviso VEN_09: the MePA tender (SIMOG 9030232, MePA 3534973), offers due 26/05/2023 23:59 after a
  postponement for faults of the platform.

The people are fictional. Amounts, hourly rates, hours, the original deadline of the Treviso tender and
the documents are not in the sources: they are illustrative, and the data say so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from supervisione.accounts.models import User
from supervisione.demo.loading import Counter, ensure
from supervisione.demo.present import FIRST_YEAR, PNRR_END, Present, christmas_leave
from supervisione.leps.choices import ProfessionChoices, SupervisionTypeChoices
from supervisione.supervisors.models import (
    Absence,
    CoDesignMeeting,
    CoDesignMember,
    CoDesignTable,
    Contract,
    ContractFunding,
    ContractLine,
    ContractStatus,
    DeadlineKind,
    Declaration,
    Document,
    DocumentKind,
    Postponement,
    Procedure,
    Supervisor,
    TenderDeadline,
    Training,
    Weekday,
    WeeklyAvailability,
)
from supervisione.territory.models import Ambito, FundingMeasure, Organisation, Partnership, Region

ROME = ZoneInfo("Europe/Rome")
PNRR_AMOUNT = Decimal("27000.00")
FNPS_YEARLY = Decimal("13000.00")
A2_NOTE = "monte ore di 15 ore per gruppo A1, integrato secondo l'uso"
ILLUSTRATIVE = "Importi, tariffe orarie e ore sono illustrativi: le fonti del progetto non li riportano."
FICTIONAL = "Persona e dati fittizi (dati dimostrativi)."


@dataclass(frozen=True)
class DemoSupervisor:
    surname: str
    name: str
    profession: ProfessionChoices
    albo_section: str
    albo_number: str
    years_social_work: int
    years_supervising_as: int
    training: tuple[str, str, int, int] | None  # title, institution, hours, year
    username: str = ""
    note: str = ""


SUPERVISORS = (
    DemoSupervisor(
        "Longo",
        "Chiara",
        ProfessionChoices.ASSISTENTE_SOCIALE_SPECIALISTA,
        "A",
        "1287",
        18,
        7,
        ("Corso di formazione per supervisori professionali di servizio sociale", "Università del Salento", 120, 2016),
        username="supervisore.demo",
    ),
    DemoSupervisor(
        "Russo",
        "Davide",
        ProfessionChoices.PSICOLOGO,
        "A",
        "4410",
        12,
        0,
        ("Alta formazione in supervisione delle équipe dei servizi", "Scuola di psicoterapia (Lecce)", 80, 2019),
        note="Iscritto all'Ordine degli Psicologi della Puglia: idoneo solo per la supervisione organizzativa (A3).",
    ),
    DemoSupervisor(
        "Perrone",
        "Anna",
        ProfessionChoices.ASSISTENTE_SOCIALE,
        "",
        "",
        10,
        3,
        ("Corso di formazione per supervisori professionali di servizio sociale", "Università del Salento", 120, 2021),
        note="Iscrizione all'Albo da verificare: finché manca non può condurre supervisione A1 e A2.",
    ),
    DemoSupervisor(
        "Caputo",
        "Roberto",
        ProfessionChoices.ASSISTENTE_SOCIALE,
        "B",
        "3356",
        6,
        0,
        None,
        note="In attesa di completare la formazione come supervisore.",
    ),
)


def demo_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with these lines of text, built by hand (Helvetica, WinAnsi encoding)."""

    def escape(text: str) -> bytes:
        raw = text.encode("cp1252", errors="replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    text = b"BT /F1 11 Tf 56 780 Td 16 TL " + b" T* ".join(b"(" + escape(line) + b") Tj" for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _demo_document(
    counter: Counter, name: str, kind: DocumentKind, title: str, lines: list[str], **owner: object
) -> Document:
    """A demo document at a fixed storage name, written only when missing."""
    path = f"demo/{name}"
    content = demo_pdf(["Documento dimostrativo - Supervisione", "", *lines])
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    return ensure(
        Document,
        {**owner, "kind": kind, "title": title},
        {
            "file": path,
            "original_name": name,
            "content_type": "application/pdf",
            "size": len(content),
        },
        counter=counter,
    )


def load_supervisors(counter: Counter, present: Present) -> None:
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    treviso = Partnership.objects.get(code="TREVISO-114")
    raggio = Organisation.objects.get(name="Raggio di Sole Onlus")
    puglia = Region.objects.get(istat_code="16")
    supervisors = [_load_supervisor(spec, poggiardo, raggio, puglia, counter) for spec in SUPERVISORS]
    _load_longo_details(supervisors[0], present, counter)
    _load_russo_declaration(supervisors[1], present, counter)
    _load_raggio_contract(poggiardo, raggio, present, counter)
    _load_treviso_tender(treviso, counter)


def _load_supervisor(
    spec: DemoSupervisor, partnership: Partnership, provider: Organisation, region: Region, counter: Counter
) -> Supervisor:
    user = User.objects.filter(username=spec.username).first() if spec.username else None
    supervisor = ensure(
        Supervisor,
        {"partnership": partnership, "surname": spec.surname, "name": spec.name},
        {
            "profession": spec.profession.value,
            "albo_region": region if spec.albo_number else None,
            "albo_section": spec.albo_section,
            "albo_number": spec.albo_number,
            "years_social_work": spec.years_social_work,
            "years_supervising_as": spec.years_supervising_as,
            "provider": provider,
            "external": True,
            "active": True,
            "user": user,
            "email": f"{spec.name.lower()}.{spec.surname.lower()}@raggiodisole.example.it",
            "notes": " ".join(filter(None, [spec.note, FICTIONAL])),
        },
        counter=counter,
    )
    if spec.training is not None:
        title, institution, hours, year = spec.training
        ensure(
            Training,
            {"supervisor": supervisor, "title": title},
            {"institution": institution, "hours": hours, "year": year},
            counter=counter,
        )
    return supervisor


def _load_longo_details(longo: Supervisor, present: Present, counter: Counter) -> None:
    """The eligible supervisor: availability, documents and a signed declaration."""
    for weekday, start, end in ((Weekday.TUESDAY, "09:00", "13:00"), (Weekday.THURSDAY, "14:30", "18:30")):
        ensure(
            WeeklyAvailability,
            {"supervisor": longo, "weekday": weekday},
            {"start_time": datetime.time.fromisoformat(start), "end_time": datetime.time.fromisoformat(end)},
            counter=counter,
        )
    for year in (FIRST_YEAR - 1, *present.plan_years):
        first_day, last_day = christmas_leave(year)
        ensure(
            Absence,
            {"supervisor": longo, "start_date": first_day},
            {"end_date": last_day, "reason": "ferie"},
            counter=counter,
        )
    _demo_document(
        counter,
        "curriculum-longo.pdf",
        DocumentKind.CV,
        "Curriculum vitae",
        ["Curriculum vitae di Chiara Longo (persona fittizia)."],
        supervisor=longo,
    )
    _demo_document(
        counter,
        "attestato-supervisione-longo.pdf",
        DocumentKind.TRAINING,
        "Attestato del corso per supervisori (2016)",
        ["Attestato di frequenza del corso di formazione per supervisori.", "120 ore, anno 2016 (illustrativo)."],
        supervisor=longo,
    )
    declaration = ensure(
        Declaration,
        {"supervisor": longo, "signed_on": datetime.date(2025, 1, 28)},
        {
            "subject": "Gruppi A1, supervisione individuale A2 e équipe A3 dei tre ATS, per la durata della "
            "convenzione",
            "no_hierarchy": True,
            "no_conflict": True,
            "valid_until": _contract_end(present),
        },
        counter=counter,
    )
    _demo_document(
        counter,
        "dichiarazione-longo-2025.pdf",
        DocumentKind.DECLARATION,
        "Dichiarazione firmata il 28/01/2025",
        [
            "La sottoscritta dichiara di non avere rapporti gerarchici con le persone supervisionate",
            "e di non trovarsi in situazioni di conflitto di interessi, anche potenziale.",
        ],
        supervisor=longo,
        declaration=declaration,
    )


def _load_russo_declaration(russo: Supervisor, present: Present, counter: Counter) -> None:
    """The psychologist leads the équipes' organisational supervision (A3): his signed declaration."""
    declaration = ensure(
        Declaration,
        {"supervisor": russo, "signed_on": datetime.date(2025, 1, 28)},
        {
            "subject": "Supervisione organizzativa (A3) delle équipe dei tre ATS, per la durata della convenzione",
            "no_hierarchy": True,
            "no_conflict": True,
            "valid_until": _contract_end(present),
        },
        counter=counter,
    )
    _demo_document(
        counter,
        "dichiarazione-russo-2025.pdf",
        DocumentKind.DECLARATION,
        "Dichiarazione firmata il 28/01/2025",
        [
            "Il sottoscritto dichiara di non avere rapporti gerarchici con i componenti delle équipe",
            "e di non trovarsi in situazioni di conflitto di interessi, anche potenziale.",
        ],
        supervisor=russo,
        declaration=declaration,
    )


def _contract_end(present: Present) -> datetime.date:
    """The convention is renewed year by year: it runs to the end of the last year with a plan."""
    return datetime.date(present.plan_years[-1], 12, 31)


def _fnps_amounts(present: Present) -> dict[int, Decimal]:
    """From 01/07/2026 the convention is paid by the FNPS quotas of the three ATS: half a year in 2026."""
    return {
        year: FNPS_YEARLY / 2 if year == PNRR_END.year else FNPS_YEARLY
        for year in present.plan_years
        if year >= PNRR_END.year
    }


def _load_raggio_contract(partnership: Partnership, provider: Organisation, present: Present, counter: Counter) -> None:
    years = len(present.plan_years)
    fnps = _fnps_amounts(present)
    contract = ensure(
        Contract,
        {"partnership": partnership, "procedure": Procedure.CO_DESIGN, "provider": provider},
        {
            "title": "Supervisione professionale degli assistenti sociali di Poggiardo, Maglie e Casarano",
            "status": ContractStatus.ACTIVE,
            "cup": partnership.cup,
            "amount": PNRR_AMOUNT + sum(fnps.values(), Decimal(0)),
            "start_date": datetime.date(2025, 2, 1),
            "end_date": _contract_end(present),
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
            {"amount": amount, "note": "Quote FNPS per la supervisione dei tre ATS (importo illustrativo)"},
            counter=counter,
        )
    _demo_document(
        counter,
        "convenzione-raggio-di-sole.pdf",
        DocumentKind.CONTRACT,
        "Convenzione con Raggio di Sole Onlus",
        ["Convenzione per il servizio di supervisione professionale (testo dimostrativo)."],
        contract=contract,
    )
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
    ensure(
        CoDesignMeeting,
        {"table": table, "held_on": datetime.date(2024, 10, 23)},
        {
            "title": "Seduta di insediamento",
            "minutes": "Apertura del tavolo. Fabbisogno: 56 assistenti sociali dei tre ATS. Invito alla cooperativa "
            "a presentare una proposta di supervisione di gruppo, individuale e organizzativa.",
            "is_final": False,
        },
        counter=counter,
    )
    final = ensure(
        CoDesignMeeting,
        {"table": table, "held_on": datetime.date(2025, 1, 14)},
        {
            "title": "Seduta conclusiva",
            "minutes": "Approvata la proposta di Raggio di Sole Onlus per la supervisione di gruppo, individuale e "
            "organizzativa di 56 assistenti sociali. Si dà mandato di stipulare la convenzione.",
            "is_final": True,
        },
        counter=counter,
    )
    _demo_document(
        counter,
        "verbale-tavolo-2025-01-14.pdf",
        DocumentKind.MINUTES,
        "Verbale: Seduta conclusiva del 14/01/2025",
        ["Verbale della seduta conclusiva del tavolo di co-progettazione (testo dimostrativo)."],
        contract=contract,
        meeting=final,
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
