"""The PNRR evidence pack of a CUP for a period, as a ZIP file with its manifest."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from supervisione.lib.italian import ItalianParseError, counted, parse_date
from supervisione.monitoring.evidence import build_pack
from supervisione.territory.models import cup_validator


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_date(text)
    except ItalianParseError as error:
        raise CommandError(f"Data non valida «{text}»: {error}") from None


class Command(BaseCommand):
    help = (
        "Pacchetto di evidenze PNRR per un CUP e un periodo: registri finali e fogli firmati degli incontri "
        "confermati, fogli ore dei supervisori, dati dei contratti, indicatori e manifesto con le impronte SHA-256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cup", required=True, help="CUP del progetto (15 caratteri).")
        parser.add_argument("--from", dest="start", required=True, help="Dal giorno (AAAA-MM-GG o GG/MM/AAAA).")
        parser.add_argument("--to", dest="end", required=True, help="Al giorno (AAAA-MM-GG o GG/MM/AAAA).")
        parser.add_argument("-o", "--output", required=True, help="File ZIP da scrivere.")

    def handle(self, *args: Any, **options: Any) -> None:
        cup = options["cup"].strip().upper()
        try:
            cup_validator(cup)
        except Exception as error:
            raise CommandError(f"CUP non valido: {cup}.") from error
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("La data finale viene prima di quella iniziale.")
        output = Path(options["output"])
        if not output.parent.exists():
            raise CommandError(f"La cartella {output.parent} non esiste.")
        pack = build_pack(cup, start, end)
        output.write_bytes(pack.content)
        self.stdout.write(
            f"Scritto {output}: {counted(pack.sessions, 'incontro', 'incontri')}, {len(pack.files)} file più il "
            "manifesto"
            + (
                f"; {counted(pack.missing_registers, 'incontro', 'incontri')} senza registro finale emesso."
                if pack.missing_registers
                else "."
            )
        )
