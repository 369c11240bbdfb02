from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from supervisione.accounts.models import User
from supervisione.census.models import Person
from supervisione.demo.national import generate
from supervisione.demo.national.context import Options
from supervisione.demo.users import DEMO_PASSWORD
from supervisione.lib import clock
from supervisione.planning.models import Plan
from supervisione.sessions.models import Session
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Ambito, Organisation, Partnership

MAX_AMBITI = 2000
MAX_YEARS = 6
CHECKED = (
    (User, "utenti"),
    (Ambito, "ATS"),
    (Partnership, "partenariati"),
    (Organisation, "organizzazioni"),
    (Person, "persone"),
    (Supervisor, "supervisori"),
    (Plan, "piani"),
    (Session, "incontri"),
)


class Command(BaseCommand):
    help = (
        "Genera un insieme di dati nazionale sintetico e plausibile per le prove di carico: --ambiti 600 "
        "--years 4 dà circa 600 ATS, 150 partenariati, 15.000 persone, 250.000 incontri e 3 milioni di "
        "presenze (comuni reali, persone e numeri inventati). Stessi --seed e --today, stessi dati. "
        "Lavora solo su un database vuoto dopo migrate; --force cancella prima TUTTI i dati (utenti compresi) "
        "tranne regioni e comuni. Utenti (password «" + DEMO_PASSWORD + "»): admin; osservatore.nazionale; "
        "osservatore.<sigla regione> (osservatore.pug); coordinatore.<partenariato> (coordinatore.pug-p01); "
        "referente.<ATS> (referente.pug_03); supervisore.<partenariato>.<n> (supervisore.pug-p01.1); "
        "operatore.<ATS>.<n> per n = 1, 2 (operatore.pug_03.1). Vedi docs/PERFORMANCE.md, «Dati sintetici»."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ambiti", type=int, required=True, help="Numero di ATS (600 = scala nazionale).")
        parser.add_argument("--years", type=int, required=True, help="Anni di dati, fino all'anno di --today.")
        parser.add_argument("--seed", type=int, default=1, help="Seme dei dati (predefinito 1).")
        parser.add_argument(
            "--today", default="", help="La data di «oggi» per i dati, AAAA-MM-GG (predefinita: la data odierna)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Cancella tutti i dati esistenti (utenti compresi, tranne regioni e comuni) e rigenera.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Questo comando crea dati inventati con una password pubblica: mai in produzione.")
        ambiti, years = options["ambiti"], options["years"]
        if not 1 <= ambiti <= MAX_AMBITI:
            raise CommandError(f"--ambiti va da 1 a {MAX_AMBITI}.")
        if not 1 <= years <= MAX_YEARS:
            raise CommandError(f"--years va da 1 a {MAX_YEARS}.")
        today = clock.today()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today {options['today']!r} non è una data AAAA-MM-GG.") from None
        found = [f"{model.objects.count()} {label}" for model, label in CHECKED if model.objects.exists()]
        if found and not options["force"]:
            raise CommandError(
                f"Il database contiene già dati ({', '.join(found)}): generate_national lavora su un database vuoto "
                "dopo migrate. Con --force cancella tutti i dati, utenti compresi (restano regioni e comuni), e "
                "rigenera."
            )
        counts = generate(
            Options(ambiti=ambiti, years=years, seed=options["seed"], today=today),
            clear=bool(found),
            report=self.stdout.write,
        )
        self.stdout.write("Righe scritte:")
        for label, count in counts.items():
            self.stdout.write(f"  {label:<40} {count:>10,}".replace(",", "."))
