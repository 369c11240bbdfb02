"""A valid act of the file, in plain values that survive the round trip through the confirmation page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from supervisione.funding.models import Stage


@dataclass(frozen=True)
class ParsedRow:
    """One act of the file, its cells read (what the confirmation carries, signed)."""

    row: int
    stage: str
    act: str
    day: datetime.date
    amount: Decimal
    cig: str = ""
    year: int | None = None
    parent: str = ""
    note: str = ""

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    def as_data(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "stage": self.stage,
            "act": self.act,
            "day": self.day.isoformat(),
            "amount": str(self.amount),
            "cig": self.cig,
            "year": self.year,
            "parent": self.parent,
            "note": self.note,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> ParsedRow:
        return cls(
            row=int(data["row"]),
            stage=str(data["stage"]),
            act=str(data["act"]),
            day=datetime.date.fromisoformat(data["day"]),
            amount=Decimal(data["amount"]),
            cig=str(data["cig"]),
            year=None if data["year"] is None else int(data["year"]),
            parent=str(data["parent"]),
            note=str(data["note"]),
        )
