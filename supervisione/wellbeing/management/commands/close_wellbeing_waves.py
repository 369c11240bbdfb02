"""Close every questionnaire wave whose last day has passed (daily, beside ``send_reminders``): its invitations are
deleted and its answers rewritten in a random order (``wellbeing.actions.close_wave``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.wellbeing.actions import close_due_waves


class Command(BaseCommand):
    help = "Chiude le rilevazioni sul benessere scadute."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_due_waves(clock.today())
        self.stdout.write(f"Chiuse {counted(len(closed), 'rilevazione', 'rilevazioni')}.")
