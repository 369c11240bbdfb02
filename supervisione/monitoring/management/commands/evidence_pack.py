"""The PNRR evidence pack of a CUP for a period, as a ZIP file with its summary and manifest (``monitoring.evidence``).

Final registers confirmed but never issued are issued while the pack is written, unless ``--no-issue``: then the
summary lists them as missing. Runs in the foreground: at national scale a large CUP takes minutes (the web page
queues the same work for ``manage.py db_worker``)."""

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
        "confermati (emessi se mancano), fogli ore dei supervisori, documenti e dati dei contratti, indicatori, "
        "sommario e manifesto con le impronte SHA-256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cup", required=True, help="CUP del progetto (15 caratteri).")
        parser.add_argument("--from", dest="start", required=True, help="Dal giorno (AAAA-MM-GG o GG/MM/AAAA).")
        parser.add_argument("--to", dest="end", required=True, help="Al giorno (AAAA-MM-GG o GG/MM/AAAA).")
        parser.add_argument("-o", "--output", required=True, help="File ZIP da scrivere.")
        parser.add_argument(
            "--no-issue",
            action="store_true",
            help="Non emettere i registri finali mancanti degli incontri confermati: il sommario li elenca.",
        )

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
        try:
            with output.open("wb") as out:
                pack = build_pack(cup, start, end, out=out, generate=not options["no_issue"])
        except BaseException:
            output.unlink(missing_ok=True)
            raise
        summary = pack.summary
        assert summary is not None  # noqa: S101  (build_pack always fills it)
        files = counted(len(pack.files), "file", "file")
        parts = [f"Scritto {output}: {counted(pack.sessions, 'incontro', 'incontri')}, {files} più il manifesto"]
        if pack.generated:
            parts.append(f"{counted(pack.generated, 'registro finale emesso ora', 'registri finali emessi ora')}")
        if pack.missing_registers:
            parts.append(
                f"{counted(pack.missing_registers, 'incontro', 'incontri')} senza registro finale nel pacchetto"
            )
        if summary.gaps:
            parts.append(f"{counted(len(summary.gaps), 'elemento mancante', 'elementi mancanti')} (vedi Sommario.html)")
        self.stdout.write("; ".join(parts) + ".")
