"""The scheduler: the day's jobs (digest of alerts, reminders...), each run by one server only."""

from __future__ import annotations

import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from supervisione.lib import clock
from supervisione.scheduling.models import JobRun
from supervisione.scheduling.runs import run_due, scheduled_jobs

ROUND_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Esegue le attività pianificate del giorno (riepilogo degli avvisi, promemoria...) giunte alla loro ora. "
        "Può girare su ogni server: ogni attività viene eseguita una sola volta al giorno, da un solo server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--continuo", action="store_true", help=f"Resta attivo e controlla ogni {ROUND_SECONDS} secondi."
        )
        parser.add_argument("--stato", action="store_true", help="Mostra le attività e le esecuzioni di oggi.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["stato"]:
            self._status()
            return
        server = socket.gethostname()
        while True:
            for run in run_due(clock.now(), server=server):
                self.stdout.write(f"{run.job}: {run.get_status_display().lower()}. {run.outcome}".strip())
            if not options["continuo"]:
                return
            time.sleep(ROUND_SECONDS)

    def _status(self) -> None:
        today = clock.today()
        runs = {run.job: run for run in JobRun.objects.filter(day=today)}
        for job in scheduled_jobs():
            run = runs.get(job.name)
            state = (
                f"{run.get_status_display().lower()} su {run.server or '?'} (tentativi: {run.attempts})"
                if run
                else "non ancora eseguita"
            )
            self.stdout.write(f"{job.name} alle {job.at:%H:%M} ({job.command}): {state}")
