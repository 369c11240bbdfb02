"""Rebuild the summary of hours (``sessions.hours_summary``) from the sessions: all of it, or a partnership's."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from supervisione.lib.italian import counted
from supervisione.sessions.hours_summary import rebuild
from supervisione.territory.models import Partnership


class Command(BaseCommand):
    help = (
        "Ricalcola dai registri il riepilogo delle ore per gruppo e mese che l'osservatorio legge: di tutti i "
        "partenariati e ATS, o di un partenariato (--partenariato CODICE). Si può ripetere: il risultato è lo stesso."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partenariato", help="Codice del partenariato (predefinito: tutti).")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["partenariato"]
        groups = None
        where = "tutti i partenariati e ATS"
        if code:
            partnership = Partnership.objects.filter(code=code).first()
            if partnership is None:
                raise CommandError(f"Nessun partenariato con codice «{code}».")
            groups = Q(plan__partnership=partnership)
            where = f"il partenariato {partnership.code}"
        hours, people = rebuild(groups)
        self.stdout.write(
            f"Riepilogo ricalcolato per {where}: {counted(hours, 'riga', 'righe')} di ore, "
            f"{counted(people, 'riga', 'righe')} di presenze."
        )
