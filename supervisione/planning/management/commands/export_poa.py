from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from supervisione.planning.exports import export
from supervisione.planning.models import Plan
from supervisione.planning.plan_page import plan_page
from supervisione.planning.queries import Owner, current_plan, owner_q
from supervisione.territory.models import Ambito, Partnership


class Command(BaseCommand):
    help = (
        "Esporta il piano annuale (POA) di un partenariato o di un ATS nel tracciato Multifondo (JSON, XLSX o PDF). "
        "Senza --version esporta la versione in lavorazione o, se non c'è, quella approvata."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--partnership", help="Codice del partenariato, es. POGGIARDO-114.")
        owner.add_argument("--ambito", help="Codice dell'ATS, per il piano di un singolo ATS, es. VEN_09.")
        parser.add_argument("--year", type=int, required=True, help="Anno del piano, es. 2025.")
        parser.add_argument("--plan-version", type=int, dest="plan_version", help="Una versione precisa del piano.")
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json", dest="fmt")
        parser.add_argument("-o", "--output", required=True, help="File da scrivere; «-» per lo standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["output"] == "-" and options["fmt"] != "json":
            raise CommandError("Sullo standard output si esporta solo il formato json: indica un file con -o.")
        owner: Owner | None
        if options["partnership"]:
            owner = Partnership.objects.select_related("capofila").filter(code=options["partnership"]).first()
            if owner is None:
                raise CommandError(f"Nessun partenariato con codice «{options['partnership']}».")
        else:
            owner = Ambito.objects.filter(code=options["ambito"]).first()
            if owner is None:
                raise CommandError(f"Nessun ATS con codice «{options['ambito']}».")
        year = options["year"]
        if options["plan_version"]:
            plan = Plan.objects.filter(owner_q(owner), year=year, version=options["plan_version"]).first()
        else:
            plan = current_plan(owner, year)
        if plan is None:
            raise CommandError(
                f"{owner.name} non ha un POA {year}"
                + (f" in versione {options['plan_version']}." if options["plan_version"] else ".")
            )
        content, _content_type = export(plan_page(plan), options["fmt"])
        if options["output"] == "-":
            self.stdout.write(content.decode())
            return
        try:
            Path(options["output"]).write_bytes(content)
        except OSError as error:
            raise CommandError(f"Non riesco a scrivere {options['output']}: {error.strerror}.") from None
        self.stdout.write(
            f"POA {year} di {owner.name}, versione {plan.version} ({plan.get_status_display().lower()}): "
            f"{options['output']} ({len(content)} byte)."
        )
