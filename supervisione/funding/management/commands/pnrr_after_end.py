"""What is still charged to each PNRR project (CUP) after the end of its activities: the list the hand-over page
shows, for every partnership or one, as text or JSON. It changes nothing; the hand-over is the coordinator's."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from supervisione.funding.pnrr.queries import AfterEnd, after_end, projects_of
from supervisione.lib.codes import normalise_code
from supervisione.lib.italian import counted
from supervisione.territory.models import Partnership


class Command(BaseCommand):
    help = (
        "Elenca, per ogni progetto PNRR (CUP), gli incontri, i costi dei gruppi e le fonti dei contratti imputati "
        "dopo la fine delle attività. Non modifica nulla: la consegna ad altra fonte si fa dalla pagina del progetto."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", help="Codice del partenariato (es. POGGIARDO-114); tutti se omesso.")
        parser.add_argument("--cup", help="Solo questo CUP.")
        parser.add_argument("--json", action="store_true", help="Scrivi JSON invece del testo.")

    def handle(self, *args: Any, **options: Any) -> None:
        partnerships = Partnership.objects.order_by("code")
        if options["partnership"]:
            partnerships = partnerships.filter(code=options["partnership"].strip())
            if not partnerships.exists():
                raise CommandError(f"Nessun partenariato con codice «{options['partnership']}».")
        cup = normalise_code(options["cup"]) if options["cup"] else None
        found: list[tuple[Partnership, AfterEnd]] = [
            (partnership, after_end(project))
            for partnership in partnerships
            for project in projects_of(partnership)
            if cup is None or project.cup == cup
        ]
        if cup is not None and not found:
            raise CommandError(f"Nessun progetto PNRR con CUP «{cup}».")
        if options["json"]:
            self.stdout.write(json.dumps([_as_dict(p, items) for p, items in found], ensure_ascii=False, indent=2))
            return
        for partnership, items in found:
            project = items.project
            self.stdout.write(
                f"{partnership.code} · CUP {project.cup} · attività concluse {project.end.describe()}: "
                f"{counted(len(items.sessions), 'incontro', 'incontri')}, "
                f"{counted(len(items.groups), 'gruppo', 'gruppi')}, "
                f"{counted(len(items.rows), 'fonte di contratto', 'fonti di contratti')} dopo la fine."
            )
            for session in items.sessions:
                self.stdout.write(
                    f"  incontro {session.pk} del {session.date:%d/%m/%Y} {session.start_time:%H:%M}, "
                    f"{session.get_kind_display()}, {session.group.name} ({session.get_register_status_display()})"
                )
            for item in items.groups:
                self.stdout.write(
                    f"  gruppo {item.group.pk} {item.group.name} del POA {item.group.plan.year}: "
                    f"{item.split.after} giorni su {item.split.total} dopo la fine"
                )
            for row in items.rows:
                self.stdout.write(
                    f"  fonte {row.pk} del contratto «{row.contract.title}» ({row.contract.start_date:%d/%m/%Y})"
                )


def _as_dict(partnership: Partnership, items: AfterEnd) -> dict[str, Any]:
    project = items.project
    return {
        "partnership": partnership.code,
        "cup": project.cup,
        "last_day": project.end.last_day.isoformat(),
        "sessions": [
            {"id": s.pk, "date": s.date.isoformat(), "kind": s.kind, "confirmed": s.is_confirmed}
            for s in items.sessions
        ],
        "groups": [
            {"id": g.group.pk, "plan_year": g.group.plan.year, "days_after": g.split.after} for g in items.groups
        ],
        "contract_rows": [{"id": row.pk, "contract": row.contract_id} for row in items.rows],
    }
