"""The daily digest: what needs attention, e-mailed to each responsible person."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandParser

from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.monitoring.alerts import collect, digest_text, recipients


class Command(BaseCommand):
    help = (
        "Elenca cosa richiede attenzione (gruppi in ritardo o a rischio, registri non confermati dopo 3 giorni, "
        "contratti quasi esauriti, scadenze entro 14 giorni) e invia a ogni responsabile un riepilogo per e-mail. "
        "Da eseguire ogni giorno."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prova", action="store_true", help="Mostra gli avvisi e i destinatari, senza inviare.")
        parser.add_argument(
            "--indirizzo",
            default="",
            help="Indirizzo del sito per i collegamenti (es. https://supervisione.example.it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        alerts = collect(today)
        for alert in alerts:
            self.stdout.write(f"[{alert.kind}] {alert.title}. {alert.detail}")
        people = recipients(alerts)
        base_url = options["indirizzo"].rstrip("/")
        messages = []
        no_email = 0
        for user, items in sorted(people.items(), key=lambda item: item[0].username):
            if not user.email:
                no_email += 1
                continue
            messages.append(
                EmailMessage(
                    subject=f"Supervisione: {counted(len(items), 'cosa', 'cose')} da seguire oggi",
                    body=digest_text(user, items, base_url, today),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[user.email],
                )
            )
        if not options["prova"] and messages:
            get_connection().send_messages(messages)
        verb = "da inviare" if options["prova"] else "inviati"
        self.stdout.write(
            f"Avvisi: {len(alerts)}. Riepiloghi {verb}: {len(messages)} (responsabili senza e-mail: {no_email})."
        )
