"""Demo territory: the three partnerships of PRODUCT.md section 6, with their ATS and municipalities.

Institutions and facts are real; where a list of municipalities is best knowledge rather than a source
document, the ATS says "composizione indicativa". Population figures: ISTAT census 2011 (CC BY 3.0 IT),
Casarano's from its Piano Sociale di Zona 2022-2024 (31/12/2021).
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from supervisione.demo.loading import Counter, ensure
from supervisione.territory.loaders import ensure_regions
from supervisione.territory.models import (
    Ambito,
    AmbitoMembership,
    FundingMeasure,
    Municipality,
    MunicipalityPopulation,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipMember,
)

DATA = Path(__file__).parent / "data" / "demo_municipalities.csv"
PROVINCE_CODES = {"Lecce": "LE", "Foggia": "FG", "Treviso": "TV"}
# The start of the municipality memberships is not in the sources: a conventional date, said on each ATS.
MEMBERSHIP_START = datetime.date(2021, 1, 1)
CONVENTIONAL_START_NOTE = (
    "La data di inizio dell'appartenenza dei comuni (01/01/2021) è convenzionale: le fonti non la riportano."
)


@dataclass(frozen=True)
class DemoAmbito:
    code: str
    csv_name: str
    name: str
    capofila: str
    managing_body: str = ""
    email: str = ""
    pec: str = ""
    note: str = ""


AMBITI = (
    DemoAmbito(
        "PUG_POGGIARDO",
        "Poggiardo",
        "Ambito di Poggiardo",
        "Poggiardo",
        "Consorzio per la realizzazione del sistema integrato di welfare ambito-zona di Poggiardo",
        "ufficiodipiano@ambitopoggiardo.example.it",
        "ambitopoggiardo@pec.example.it",
    ),
    DemoAmbito(
        "PUG_MAGLIE",
        "Maglie",
        "Ambito di Maglie",
        "Maglie",
        email="ufficiodipiano@ambitomaglie.example.it",
        pec="ambitomaglie@pec.example.it",
    ),
    DemoAmbito(
        "PUG_CASARANO",
        "Casarano",
        "Ambito di Casarano",
        "Casarano",
        email="ufficiodipiano@ambitocasarano.example.it",
        pec="ambitocasarano@pec.example.it",
        note="Popolazione al 31/12/2021 dal Piano Sociale di Zona 2022-2024: 70.275 residenti secondo il Piano, "
        "70.274 dalla somma dei comuni della sua tabella 1.",
    ),
    DemoAmbito("PUG_SANSEVERO", "San Severo - Alto Tavoliere", "Ambito Alto Tavoliere (San Severo)", "San Severo"),
    DemoAmbito("PUG_LUCERA", "Lucera", "Ambito di Lucera", "Lucera"),
    DemoAmbito("PUG_SANMARCO", "San Marco in Lamis", "Ambito di San Marco in Lamis", "San Marco in Lamis"),
    DemoAmbito("PUG_TROIA", "Troia", "Ambito di Troia", "Troia"),
    DemoAmbito(
        "VEN_09",
        "VEN_09 Treviso",
        "ATS VEN_09 Treviso",
        "Treviso",
        note="L'ATS comprende 37 comuni; nei dati dimostrativi è elencato solo Treviso.",
    ),
)


def load_territory(counter: Counter) -> dict[str, Ambito]:
    regions, _ = ensure_regions()
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    municipalities: dict[str, Municipality] = {}
    verified: dict[str, bool] = {}
    for row in rows:
        # The national list (load_municipalities) is authoritative for names; the CSV only fills gaps.
        municipality = Municipality.objects.filter(istat_code=row["istat_code"]).first() or ensure(
            Municipality,
            {"istat_code": row["istat_code"]},
            {
                "name": row["municipality"],
                "province": row["province"],
                "province_code": PROVINCE_CODES[row["province"]],
                "region": regions[row["region"]],
            },
            counter=counter,
        )
        municipalities[row["municipality"]] = municipality
        ensure(
            MunicipalityPopulation,
            {
                "municipality": municipality,
                "reference_date": datetime.date.fromisoformat(row["population_date"]),
            },
            {"population": int(row["population"]), "source": row["population_source"]},
            counter=counter,
        )
        verified[row["ats"]] = row["membership_verified"].startswith("yes")

    ambiti: dict[str, Ambito] = {}
    for spec in AMBITI:
        capofila = municipalities[spec.capofila]
        ambito = ensure(
            Ambito,
            {"code": spec.code},
            {
                "name": spec.name,
                "region": capofila.region,
                "capofila_municipality": capofila,
                "managing_body": spec.managing_body,
                "email": spec.email,
                "pec": spec.pec,
                "composition_verified": verified[spec.csv_name],
                "notes": "\n".join(filter(None, [spec.note, CONVENTIONAL_START_NOTE])),
            },
            counter=counter,
        )
        ambiti[spec.code] = ambito
        for row in rows:
            if row["ats"] == spec.csv_name:
                ensure(
                    AmbitoMembership,
                    {
                        "ambito": ambito,
                        "municipality": municipalities[row["municipality"]],
                        "valid_from": MEMBERSHIP_START,
                    },
                    counter=counter,
                )
    return ambiti


@dataclass(frozen=True)
class DemoPartnership:
    code: str
    name: str
    capofila: str
    partners: tuple[str, ...]
    cup: str
    start: datetime.date
    end: datetime.date | None  # None: the partnership goes on (after the PNRR, on the FNPS quotas)
    budget: Decimal
    notes: str


PARTNERSHIPS = (
    DemoPartnership(
        "POGGIARDO-114",
        "Supervisione Poggiardo, Maglie e Casarano",
        "PUG_POGGIARDO",
        ("PUG_MAGLIE", "PUG_CASARANO"),
        "J81H22000130006",
        datetime.date(2022, 9, 1),
        None,
        Decimal("210000.00"),
        "Tavolo di co-progettazione aperto il 23/10/2024, seduta conclusiva il 14/01/2025: approvata la proposta "
        "della cooperativa Raggio di Sole Onlus (Lecce) per la supervisione di gruppo, individuale e organizzativa "
        "di 56 assistenti sociali dei tre ATS. Le attività del progetto PNRR si sono concluse il 30/06/2026; da "
        "allora il partenariato prosegue con le quote FNPS per la supervisione di ciascun ATS. CUP dimostrativo.",
    ),
    DemoPartnership(
        "SANSEVERO-114",
        "Supervisione Alto Tavoliere, Lucera, San Marco in Lamis e Troia",
        "PUG_SANSEVERO",
        ("PUG_LUCERA", "PUG_SANMARCO", "PUG_TROIA"),
        "",
        datetime.date(2023, 3, 1),
        datetime.date(2026, 6, 30),
        Decimal("210000.00"),
        "Fase di avvio: referenti (Allegato 1) e ricognizione del personale (Allegato 2) da trasmettere entro il "
        "17/04/2023; riunione di coordinamento il 19/04/2023 alle 09:00 in videoconferenza; da decidere se "
        "aggiungere la quota FNPS (circa 3%) come cofinanziamento.",
    ),
    DemoPartnership(
        "TREVISO-114",
        "Supervisione ATS VEN_09 Treviso",
        "VEN_09",
        (),
        "",
        datetime.date(2023, 1, 1),
        datetime.date(2026, 6, 30),
        Decimal("210000.00"),
        "Gara MePA per il servizio di supervisione (codice SIMOG 9030232, codice MePA 3534973): offerte entro il "
        "26/05/2023 alle 23:59, termine prorogato per malfunzionamenti della piattaforma.",
    ),
)


def load_partnerships(ambiti: dict[str, Ambito], counter: Counter) -> dict[str, Partnership]:
    partnerships: dict[str, Partnership] = {}
    for spec in PARTNERSHIPS:
        partnership = ensure(
            Partnership,
            {"code": spec.code},
            {
                "name": spec.name,
                "capofila": ambiti[spec.capofila],
                "measure": FundingMeasure.PNRR_114,
                "cup": spec.cup,
                "start_date": spec.start,
                "end_date": spec.end,
                "budget": spec.budget,
                "notes": spec.notes,
            },
            counter=counter,
        )
        partnerships[spec.code] = partnership
        for code in (spec.capofila, *spec.partners):
            ensure(
                PartnershipMember,
                {"partnership": partnership, "ambito": ambiti[code]},
                {"joined_on": spec.start},
                counter=counter,
            )
    return partnerships


ORGANISATIONS = (
    ("Raggio di Sole Onlus", OrganisationKind.COOPERATIVE, "Lecce"),
    (
        "Consorzio per la realizzazione del sistema integrato di welfare ambito-zona di Poggiardo",
        OrganisationKind.ATS,
        "Poggiardo",
    ),
    ("Comune di Poggiardo", OrganisationKind.COMUNE, "Poggiardo"),
    ("Comune di Maglie", OrganisationKind.COMUNE, "Maglie"),
    ("Comune di Casarano", OrganisationKind.COMUNE, "Casarano"),
    ("Comune di Matino", OrganisationKind.COMUNE, "Matino"),
    ("Comune di San Severo", OrganisationKind.COMUNE, "San Severo"),
    ("Comune di Lucera", OrganisationKind.COMUNE, "Lucera"),
    ("Comune di Treviso", OrganisationKind.COMUNE, "Treviso"),
    ("ASL Lecce", OrganisationKind.ASL, "Lecce"),
)


def load_organisations(counter: Counter) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for name, kind, town in ORGANISATIONS:
        municipality = Municipality.objects.filter(name=town).first()
        organisations[name] = ensure(
            Organisation, {"name": name}, {"kind": kind, "municipality": municipality}, counter=counter
        )
    return organisations
