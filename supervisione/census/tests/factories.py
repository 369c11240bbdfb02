"""Small builders for census tests: campaigns, people with valid codici fiscali, census files."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from stdnum.it import codicefiscale

from supervisione.census.importing.columns import HEADERS
from supervisione.census.models import Census, CensusCampaign, Contract, Person, Position, Profession, Service
from supervisione.territory.models import Ambito, Organisation, OrganisationKind, Partnership, Region
from supervisione.testing.world import World

REFERENCE_DATE = datetime.date(2024, 9, 30)


def tax_code(number: int, *, female: bool = False) -> str:
    """A valid codice fiscale for a fictional person numbered ``number`` (born in Lecce)."""
    letters = "BCDFGHLMNPRSTVZ"
    surname = letters[number % 15] + letters[(number // 15) % 15] + letters[(number // 225) % 15]
    name = letters[(number // 3375) % 15] + "RC"
    year = 60 + number % 40
    month = "ABCDEHLMPRST"[number % 12]
    day = 1 + number % 28 + (40 if female else 0)
    body = f"{surname}{name}{year:02d}{month}{day:02d}E506"
    return body + codicefiscale.calc_check_digit(body)


def campaign(partnership: Partnership, **values: Any) -> CensusCampaign:
    data = {
        "title": "Ricognizione 2024",
        "reference_date": REFERENCE_DATE,
        "deadline": datetime.date(2024, 10, 31),
    }
    data.update(values)
    created = CensusCampaign.objects.create(partnership=partnership, **data)
    for ambito in Ambito.objects.filter(partnership_memberships__partnership=partnership):
        Census.objects.create(campaign=created, ambito=ambito)
    return created


def census_of(world: World, ambito: Ambito | None = None, **values: Any) -> Census:
    made = campaign(world.partnership, **values)
    return Census.objects.get(campaign=made, ambito=ambito or world.maglie)


def organisation(name: str = "Comune di Maglie", kind: str = OrganisationKind.COMUNE) -> Organisation:
    found, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind})
    return found


def person(number: int, profession: str = Profession.SOCIAL_WORKER, **values: Any) -> Person:
    data: dict[str, Any] = {
        "surname": f"Cognome{number}",
        "name": f"Nome{number}",
        "tax_code": tax_code(number),
        "profession": profession,
    }
    if profession in (Profession.SOCIAL_WORKER, Profession.SPECIALIST_SOCIAL_WORKER):
        data.update(albo_region=Region.objects.get(istat_code="16"), albo_section="A", albo_number=str(1000 + number))
    data.update(values)
    return Person.objects.create(**data)


def position(census: Census, who: Person, **values: Any) -> Position:
    data: dict[str, Any] = {
        "employer": organisation(),
        "service": Service.SSP,
        "contract": Contract.PERMANENT,
        "weekly_hours": Decimal(36),
    }
    data.update(values)
    return Position.objects.create(census=census, person=who, **data)


def row(number: int, **values: str) -> dict[str, str]:
    """A valid row of the census file for person ``number`` (an AS of Maglie, full time, permanent)."""
    data = {
        "Cognome": f"Rossi{number}",
        "Nome": f"Anna{number}",
        "Codice fiscale": tax_code(number),
        "Profilo professionale": "Assistente sociale",
        "Albo regione": "Puglia",
        "Albo sezione": "B",
        "Albo numero": str(2000 + number),
        "Ente datore di lavoro": "Comune di Maglie",
        "Servizio": "Servizio sociale professionale",
        "Tipo contratto": "Tempo indeterminato",
        "Ore settimanali": "36",
        "Data inizio": "01/09/2020",
        "Data fine": "",
        "Finanziamento posto": "Bilancio comunale",
        "Comuni di servizio": "Maglie",
        "E-mail": f"anna{number}@example.it",
    }
    data.update(values)
    return data


def csv_file(
    rows: Sequence[dict[str, str]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8",
    headers: Sequence[str] | None = None,
) -> bytes:
    headers = list(headers or HEADERS)
    lines = [delimiter.join(headers)]
    lines.extend(delimiter.join(_quote(data.get(header, ""), delimiter) for header in headers) for data in rows)
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _quote(value: str, delimiter: str) -> str:
    if delimiter in value or '"' in value or "\n" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def xlsx_file(rows: Sequence[Sequence[Any]], headers: Sequence[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headers or HEADERS))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_rows(rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    return [[data.get(header) for header in HEADERS] for data in rows]
