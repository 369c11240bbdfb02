"""E-mail reminders of the sessions coming up, to the supervisor and to each expected participant."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from supervisione.lib import clock
from supervisione.sessions.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Invia per e-mail il promemoria degli incontri dei prossimi giorni (supervisore e partecipanti). "
        "Si può eseguire più volte al giorno: ognuno riceve un solo promemoria per incontro, e uno nuovo se "
        "l'incontro viene spostato."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--giorni", type=int, default=2, help="Incontri entro quanti giorni (predefinito: 2).")
        parser.add_argument("--prova", action="store_true", help="Mostra cosa invierebbe, senza inviare.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["giorni"]
        if not 0 < days <= 14:
            self.stderr.write("--giorni va da 1 a 14.")
            raise SystemExit(2)
        report = send_reminders(now=clock.now(), horizon=datetime.timedelta(days=days), dry_run=options["prova"])
        verb = "da inviare" if options["prova"] else "inviati"
        self.stdout.write(
            f"Promemoria {verb}: {report.sent} (incontri: {report.sessions}; "
            f"senza indirizzo e-mail: {report.no_email})."
        )
