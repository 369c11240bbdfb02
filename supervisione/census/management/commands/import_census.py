"""``python manage.py import_census PATH --ambito CODE [--campaign ID] [--dry-run] [--only-valid] [--json]``.

While it works it tells how far it is on standard error (``-v 0`` silences it): a national file takes a while.
The report goes to standard output, so ``--json`` stays machine-readable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from supervisione.census.importing.problems import ImportFileError
from supervisione.census.importing.run import run_import
from supervisione.census.models import OPEN_STATUSES, Census
from supervisione.leps.parameters import rules_at
from supervisione.territory.models import Ambito


class Command(BaseCommand):
    help = (
        "Importa il censimento del personale (Allegato 2) di un ATS da un file XLSX o CSV, con gli stessi controlli "
        "dell'importazione dal sito. Non scrive nulla se il file ha errori (salvo --only-valid); esce con 1 se ci "
        "sono errori."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Il file .xlsx o .csv da importare.")
        parser.add_argument("--ambito", required=True, help="Il codice dell'ATS (es. PUG_MAGLIE).")
        parser.add_argument(
            "--campaign",
            type=int,
            help="L'identificativo della campagna; se manca, l'ultima campagna in cui il censimento dell'ATS è aperto.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Controlla e mostra cosa cambierebbe, senza scrivere."
        )
        parser.add_argument(
            "--only-valid", action="store_true", help="Importa le righe valide anche se altre righe hanno errori."
        )
        parser.add_argument("--json", action="store_true", help="Stampa il resoconto in JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Il file {path} non esiste.")
        ambito = Ambito.objects.filter(code=options["ambito"]).first()
        if ambito is None:
            raise CommandError(f"Nessun ATS ha il codice {options['ambito']}.")
        census = self._census(ambito, options["campaign"])
        with path.open("rb") as source:
            try:
                report = run_import(
                    census,
                    source,
                    filename=path.name,
                    full_time_hours=rules_at(census.campaign.reference_date).full_time_hours,
                    by=None,
                    dry_run=options["dry_run"],
                    only_valid=options["only_valid"],
                    progress=self._progress if options["verbosity"] >= 1 else _silent,
                )
            except ImportFileError as error:
                raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"Censimento: {census}")
            self.stdout.write(
                f"Righe: {report.rows}, valide: {report.valid}. Posizioni create: {report.created}, aggiornate: "
                f"{report.updated}, invariate: {report.unchanged}."
            )
            for notice in report.notices:
                self.stdout.write(notice)
            if report.not_in_file:
                self.stdout.write(
                    "1 posizione del censimento non è nel file: resta com'è."
                    if report.not_in_file == 1
                    else f"{report.not_in_file} posizioni del censimento non sono nel file: restano come sono."
                )
            for problem in report.errors:
                self.stdout.write(f"Riga {problem.row}, «{problem.column}»: {problem.message}")
            if report.errors_not_listed:
                counts = ", ".join(
                    f"«{column or 'file'}» {count}" for column, count in sorted(report.errors_not_listed.items())
                )
                more = sum(report.errors_not_listed.values())
                others = "E un altro problema non elencato" if more == 1 else f"E altri {more} problemi non elencati"
                self.stdout.write(f"{others}, per colonna: {counts}.")
            if report.written:
                self.stdout.write("Importazione eseguita.")
            elif options["dry_run"]:
                self.stdout.write("Prova (--dry-run): nulla è stato scritto.")
            elif report.errors:
                self.stdout.write(
                    "Il file ha errori: nulla è stato scritto (usa --only-valid per importare le righe valide)."
                )
        if report.errors:
            raise SystemExit(1)

    def _progress(self, message: str) -> None:
        self.stderr.write(message, style_func=lambda text: text)
        self.stderr.flush()

    def _census(self, ambito: Ambito, campaign_id: int | None) -> Census:
        censuses = Census.objects.filter(ambito=ambito).select_related("campaign", "ambito")
        if campaign_id is not None:
            census = censuses.filter(campaign_id=campaign_id).first()
            if census is None:
                raise CommandError(f"L'ATS {ambito.code} non ha un censimento nella campagna {campaign_id}.")
        else:
            census = censuses.filter(status__in=OPEN_STATUSES).order_by("-campaign__reference_date", "-pk").first()
            if census is None:
                raise CommandError(f"L'ATS {ambito.code} non ha censimenti aperti: indica la campagna con --campaign.")
        if not census.is_open:
            raise CommandError(
                f"Il censimento di {ambito.code} nella campagna «{census.campaign.title}» è "
                f"{census.get_status_display().lower()}: non si può importare. Il coordinatore deve prima restituirlo."
            )
        return census


def _silent(_message: str) -> None:
    return None
