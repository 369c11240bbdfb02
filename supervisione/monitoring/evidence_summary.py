"""The «Sommario» of a PNRR evidence pack: what is in it per category with counts, and what is missing and why
(a session held whose register is not confirmed, a register confirmed but never issued, a file gone from the
archive, a contract without its signed document). Written into the pack as ``Sommario.html`` and kept on the
pack's job (``as_data``) for its page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

MAX_GAPS_KEPT = 200  # gaps listed on the job's page (the pack's summary lists them all)


@dataclass(frozen=True)
class Gap:
    what: str  # "Incontro del 12/03/2025, Gruppo A1 Maglie"
    why: str  # "registro non confermato: ..."


@dataclass
class Summary:
    cup: str
    start: datetime.date
    end: datetime.date
    partnership: str = ""
    categories: dict[str, int] = field(default_factory=dict)  # label -> files (or rows) in the pack
    gaps: list[Gap] = field(default_factory=list)
    missing_registers: int = 0
    without_scan: int = 0  # confirmed sessions with no signed sheet uploaded (not required: said, not a gap)
    generated: int = 0  # final registers issued while building the pack
    generated_at: datetime.datetime | None = None

    def count(self, label: str, how_many: int) -> None:
        """Add ``how_many`` files (or rows) to the category ``label``."""
        self.categories[label] = self.categories.get(label, 0) + how_many

    def as_data(self) -> dict[str, Any]:
        return {
            "categories": [[label, count] for label, count in self.categories.items()],
            "gaps": [[gap.what, gap.why] for gap in self.gaps[:MAX_GAPS_KEPT]],
            "gap_count": len(self.gaps),
            "missing_registers": self.missing_registers,
            "without_scan": self.without_scan,
            "generated": self.generated,
        }


def summary_html(summary: Summary) -> bytes:
    return render_to_string("monitoring/evidence_summary.html", {"summary": summary}).encode("utf-8")
