"""The filing of each ATS's POA on the Ministry's Piattaforma Multifondo, per year (issue 15.4).

Every ATS files its own POA each year, whatever partnership it belongs to. ``MultifondoFiling`` records where
that filing stands: da compilare, compilato, inviato, validato, da rettificare, the day the current status took
effect and who recorded it (each change is an audit entry, so the history is the log's), the protocol number of
the sending and, when it applies, the "dichiarazione di avvio attività" (date and protocol).

The statuses follow each other only as the platform lets them (``NEXT``): a form is filled, then sent; the
Ministry validates it or asks for a correction (also after validating it); a corrected form is sent again.

The Ministry's deadline of a year is a setting, ``MULTIFONDO_DEADLINES`` (year -> day), holding only the years
whose deadline a known act fixed; for any other year there is no deadline to show, and the pages say that the
Ministry has not fixed it yet instead of guessing one.

Imported by ``planning.models`` so that Django finds the model (the plans' module is long enough already).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supervisione.audit.models import Versioned

NO_DEADLINE = "scadenza non ancora fissata dal Ministero"


class FilingStatus(models.TextChoices):
    TO_FILL = "da_compilare", _("Da compilare")
    FILLED = "compilato", _("Compilato")
    SENT = "inviato", _("Inviato")
    VALIDATED = "validato", _("Validato")
    TO_CORRECT = "da_rettificare", _("Da rettificare")


# The statuses a filing may move to from each status, in the order the page offers them.
NEXT: dict[str, tuple[FilingStatus, ...]] = {
    FilingStatus.TO_FILL: (FilingStatus.FILLED,),
    FilingStatus.FILLED: (FilingStatus.SENT, FilingStatus.TO_FILL),
    FilingStatus.SENT: (FilingStatus.VALIDATED, FilingStatus.TO_CORRECT),
    FilingStatus.VALIDATED: (FilingStatus.TO_CORRECT,),
    FilingStatus.TO_CORRECT: (FilingStatus.SENT, FilingStatus.FILLED),
}
# Once sent, the filing has its protocol number, and the deadline no longer calls for action.
SENT_STATUSES = (FilingStatus.SENT, FilingStatus.VALIDATED)
WITH_PROTOCOL = (FilingStatus.SENT, FilingStatus.VALIDATED, FilingStatus.TO_CORRECT)


def multifondo_deadline(year: int) -> datetime.date | None:
    """The Ministry's deadline for the POA of ``year``, or None when no known act has fixed it."""
    deadlines: dict[int, datetime.date] = settings.MULTIFONDO_DEADLINES
    return deadlines.get(year)


class MultifondoFiling(Versioned):
    """Where the filing of one ATS's POA of one year on the Piattaforma Multifondo stands."""

    stale_subject = "L'invio su Multifondo è stato modificato"

    ambito = models.ForeignKey(
        "territory.Ambito", on_delete=models.PROTECT, related_name="multifondo_filings", verbose_name=_("ATS")
    )
    year = models.PositiveSmallIntegerField(_("anno"), validators=[MinValueValidator(2021), MaxValueValidator(2100)])
    status = models.CharField(
        _("stato"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.TO_FILL, editable=False
    )
    status_on = models.DateField(_("stato dal"), editable=False)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrato da"),
        editable=False,
    )
    protocol = models.CharField(
        _("protocollo dell'invio"),
        max_length=100,
        blank=True,
        help_text=_("Il numero che la piattaforma assegna all'invio del POA."),
    )
    start_declaration_on = models.DateField(
        _("dichiarazione di avvio attività: data"),
        null=True,
        blank=True,
        help_text=_("Solo quando è richiesta: il giorno in cui l'ATS ha dichiarato l'avvio delle attività."),
    )
    start_declaration_protocol = models.CharField(
        _("dichiarazione di avvio attività: protocollo"), max_length=100, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ambito__name", "-year"]
        verbose_name = _("invio del POA su Multifondo")
        verbose_name_plural = _("invii del POA su Multifondo")
        constraints = [
            models.UniqueConstraint(
                fields=["ambito", "year"],
                name="multifondo_filing_once_per_year",
                violation_error_message=_("Per questo ATS e questo anno l'invio su Multifondo è già registrato."),
            ),
            models.CheckConstraint(condition=Q(status__in=FilingStatus.values), name="multifondo_filing_status_known"),
            models.CheckConstraint(
                condition=~Q(status__in=WITH_PROTOCOL) | ~Q(protocol=""),
                name="multifondo_filing_sent_has_protocol",
            ),
            models.CheckConstraint(
                condition=Q(start_declaration_protocol="") | Q(start_declaration_on__isnull=False),
                name="multifondo_filing_declaration_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"POA {self.year} di {self.ambito.name} su Multifondo"

    def get_absolute_url(self) -> str:
        return reverse("planning:filing_detail", args=[self.ambito.code, self.year])

    @property
    def is_recorded(self) -> bool:
        """False for the filing the pages show before anything is recorded for the year ("da compilare")."""
        return not self._state.adding

    @property
    def deadline(self) -> datetime.date | None:
        return multifondo_deadline(self.year)

    @property
    def next_statuses(self) -> tuple[FilingStatus, ...]:
        return NEXT[self.status]

    @property
    def is_sent(self) -> bool:
        return self.status in SENT_STATUSES
