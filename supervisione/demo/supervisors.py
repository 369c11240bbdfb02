"""Demo supervisors (PRODUCT.md section 6); their contracts are in ``demo/procurement.py``.

- Poggiardo-Maglie-Casarano: four supervisors of the cooperative Raggio di Sole Onlus: one eligible for every
  type (linked to the demo user ``supervisore.demo``), the others not eligible for some or all types, each
  for a different reason. The two the annual plan assigns (Longo for A1 and A2, Russo for the équipes' A3)
  have signed declarations.

The people are fictional, and so are the documents.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from supervisione.accounts.models import User
from supervisione.demo.loading import Counter, ensure
from supervisione.demo.present import FIRST_YEAR, Present, christmas_leave
from supervisione.leps.choices import ProfessionChoices
from supervisione.procurement.models import ContractDocument
from supervisione.supervisors.models import (
    Absence,
    Declaration,
    Document,
    DocumentKind,
    Supervisor,
    Training,
    Weekday,
    WeeklyAvailability,
)
from supervisione.territory.models import Organisation, Partnership, Region

# A supervisor's or a contract's document: what ``demo_document`` writes.
DocumentModel = TypeVar("DocumentModel", Document, ContractDocument)
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


def demo_document(
    model: type[DocumentModel],
    counter: Counter,
    name: str,
    kind: models.TextChoices,
    title: str,
    lines: list[str],
    **owner: object,
) -> DocumentModel:
    """A demo document (a supervisor's or a contract's) at a fixed storage name, written only when missing."""
    path = f"demo/{name}"
    content = demo_pdf(["Documento dimostrativo - Supervisione", "", *lines])
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    return ensure(
        model,
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
    raggio = Organisation.objects.get(name="Raggio di Sole Onlus")
    puglia = Region.objects.get(istat_code="16")
    supervisors = [_load_supervisor(spec, poggiardo, raggio, puglia, counter) for spec in SUPERVISORS]
    _load_longo_details(supervisors[0], present, counter)
    _load_russo_declaration(supervisors[1], present, counter)


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
    demo_document(
        Document,
        counter,
        "curriculum-longo.pdf",
        DocumentKind.CV,
        "Curriculum vitae",
        ["Curriculum vitae di Chiara Longo (persona fittizia)."],
        supervisor=longo,
    )
    demo_document(
        Document,
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
            "valid_until": present.convention_end,
        },
        counter=counter,
    )
    demo_document(
        Document,
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
            "valid_until": present.convention_end,
        },
        counter=counter,
    )
    demo_document(
        Document,
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
