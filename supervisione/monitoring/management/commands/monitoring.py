"""Planned against delivered for a partnership or an ATS and a year, as text or JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from supervisione.lib import clock
from supervisione.monitoring.figures import figures
from supervisione.monitoring.selection import PERIODS, Selection, plans_of_year
from supervisione.monitoring.summary import figures_json, figures_text
from supervisione.territory.models import Ambito, Partnership


class Command(BaseCommand):
    help = (
        "Monitoraggio di un partenariato o di un ATS per un anno: ore pianificate ed erogate per tipo, conformità "
        "LEPS di ogni gruppo con il motivo, copertura, persone sotto l'80 %, spesa per fonte."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--partnership", help="Codice del partenariato (es. POGGIARDO-114).")
        owner.add_argument("--ats", help="Codice ministeriale dell'ATS (es. PUG_CASARANO).")
        parser.add_argument("--year", type=int, default=None, help="Anno (predefinito: l'anno in corso).")
        parser.add_argument("--period", choices=sorted(PERIODS), default="anno", help="Periodo (predefinito: anno).")
        parser.add_argument("--json", action="store_true", help="Risultato in JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        year = options["year"] or today.year
        if not 2021 <= year <= 2100:
            raise CommandError("L'anno va dal 2021 al 2100.")
        ambito = None
        if options["partnership"]:
            partnership = Partnership.objects.filter(code=options["partnership"]).first()
            if partnership is None:
                raise CommandError(f"Nessun partenariato con codice {options['partnership']}.")
            plans = plans_of_year(year, Q(partnership=partnership))
            title = partnership.name
        else:
            ambito = Ambito.objects.filter(code=options["ats"]).first()
            if ambito is None:
                raise CommandError(f"Nessun ATS con codice {options['ats']}.")
            plans = plans_of_year(
                year, Q(ambito=ambito) | Q(partnership__memberships__ambito=ambito) | Q(partnership__capofila=ambito)
            )
            title = ambito.name
        found = figures(Selection(year, PERIODS[options["period"]], today, tuple(plans), ambito=ambito))
        if options["json"]:
            self.stdout.write(json.dumps(figures_json(found), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(figures_text(found, title))
