"""A valid row of the file, in plain values, and the Italian names of what it sets on a person and a position."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any


@dataclass(slots=True)  # a region's file holds tens of thousands: slots save a third of their memory
class ParsedRow:
    """One valid row, in plain values that survive a round trip through JSON."""

    row: int
    surname: str
    name: str
    tax_code: str
    email: str
    profession: str
    albo_region_id: int | None
    albo_section: str
    albo_number: str
    employer_key: str
    employer_name: str
    service: str
    equipe_key: str
    equipe_name: str
    contract: str
    weekly_hours: str
    start_date: str
    end_date: str
    funding: str
    municipality_ids: list[int]
    # None: the file has no such column, and the stored positions keep their answer. Last, with a default, so that
    # the rows of a job saved before it was added still load.
    on_behalf_of_ambito: bool | None = None
    # A service the vocabulary does not know, as written: imported as "Altro" with this text (issue 17.4).
    service_detail: str = ""

    def to_json(self) -> list[Any]:
        """The values in the order of the fields: a list is a fifth of a dict's memory, for 50,000 rows."""
        return [getattr(self, name) for name in _PARSED_FIELDS]

    @classmethod
    def from_json(cls, data: list[Any] | dict[str, Any]) -> ParsedRow:
        """From ``to_json``'s list (or the dict jobs saved before it)."""
        return cls(**data) if isinstance(data, dict) else cls(*data)

    @property
    def hours(self) -> Decimal:
        return Decimal(self.weekly_hours)

    @property
    def start(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.start_date) if self.start_date else None

    @property
    def end(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.end_date) if self.end_date else None

    def person_values(self) -> dict[str, Any]:
        return {
            "surname": self.surname,
            "name": self.name,
            "profession": self.profession,
            "email": self.email,
            "albo_region_id": self.albo_region_id,
            "albo_section": self.albo_section,
            "albo_number": self.albo_number,
        }


_PARSED_FIELDS = [item.name for item in fields(ParsedRow)]

# The fields a row sets, as the preview and the audit log name them.
PERSON_FIELD_LABELS = {
    "surname": "cognome",
    "name": "nome",
    "profession": "profilo",
    "email": "e-mail",
    "albo_region_id": "regione dell'Albo",
    "albo_section": "sezione dell'Albo",
    "albo_number": "numero dell'Albo",
}
POSITION_LABELS = {
    "contract": "contratto",
    "weekly_hours": "ore",
    "funding": "finanziamento",
    "start_date": "data di inizio",
    "end_date": "data di fine",
    "equipe_id": "équipe",
    "on_behalf_of_ambito": "in servizio per conto dell'ATS",
    "service_detail": "servizio (come indicato)",
}
