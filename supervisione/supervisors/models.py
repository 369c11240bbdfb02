"""Supervisors: the registry, their qualifications, availability, absences, declarations and documents.

- A ``Supervisor`` belongs to one tenant: a partnership or an ATS (exactly one). Eligibility per supervision
  type is never stored: it is computed by ``leps.eligibility`` from the record (``profile``) with
  the LEPS parameters in force, so that a change of the rules or of the record shows at once.
- A ``Declaration`` is what the supervisor signs before being assigned to a group: no hierarchical relation
  and no conflict of interest with the supervisees. The annual plan links each group assignment to one.
- A ``Document`` is an uploaded file of a supervisor (CV, certificates, signed declarations), stored under
  MEDIA_ROOT with a generated name and served only through a view that checks access.

The contracts that pay for supervision are procurement's (``procurement.models``), an app above this one.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supervisione.audit.models import Versioned
from supervisione.leps.choices import SOCIAL_WORKER_PROFESSIONS, ProfessionChoices
from supervisione.leps.eligibility import SupervisorProfile
from supervisione.leps.kinds import Profession
from supervisione.lib.codes import validate_personal_tax_code
from supervisione.lib.italian import file_size_text
from supervisione.territory.tenancy import ONE_TENANT, TenantOwned

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class AlboSection(models.TextChoices):
    A = "A", _("Sezione A")
    B = "B", _("Sezione B")


class Supervisor(TenantOwned, Versioned):
    stale_subject = "La scheda del supervisore è stata modificata"

    surname = models.CharField(_("cognome"), max_length=100)
    name = models.CharField(_("nome"), max_length=100)
    tax_code = models.CharField(_("codice fiscale"), max_length=16, blank=True, validators=[validate_personal_tax_code])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    profession = models.CharField(_("professione"), max_length=40, choices=ProfessionChoices.choices)
    albo_region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Albo: regione"),
    )
    albo_section = models.CharField(_("Albo: sezione"), max_length=1, choices=AlboSection.choices, blank=True)
    albo_number = models.CharField(_("Albo: numero di iscrizione"), max_length=20, blank=True)
    years_social_work = models.PositiveSmallIntegerField(
        _("anni di esperienza professionale"),
        default=0,
        validators=[MaxValueValidator(60)],
        help_text=_("Nel servizio sociale per gli assistenti sociali, nella propria professione per gli altri."),
    )
    years_supervising_as = models.PositiveSmallIntegerField(
        _("anni di esperienza nella supervisione di assistenti sociali"),
        default=0,
        validators=[MaxValueValidator(60)],
    )
    provider = models.ForeignKey(
        "territory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisors",
        verbose_name=_("ente di appartenenza"),
        help_text=_("La cooperativa, l'ente o lo studio tramite cui il supervisore lavora."),
    )
    external = models.BooleanField(
        _("esterno all'ente"),
        default=True,
        help_text=_("Il supervisore non è dipendente degli enti dei supervisionati (Piano nazionale, p. 56)."),
    )
    active = models.BooleanField(
        _("attivo"), default=True, help_text=_("Solo i supervisori attivi sono proposti nel piano annuale.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervisor_records",
        verbose_name=_("utente collegato"),
        help_text=_("L'utente con ruolo di supervisore che può aggiornare formazione, disponibilità e documenti."),
    )
    notes = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        trainings: RelatedManager[Training]
        weekly_slots: RelatedManager[WeeklyAvailability]
        absences: RelatedManager[Absence]
        documents: RelatedManager[Document]
        declarations: RelatedManager[Declaration]

    class Meta:
        ordering = ["surname", "name", "pk"]
        verbose_name = _("supervisore")
        verbose_name_plural = _("supervisori")
        constraints = [
            models.CheckConstraint(condition=ONE_TENANT, name="supervisor_one_tenant"),
            models.CheckConstraint(
                condition=Q(albo_number="") | Q(albo_region__isnull=False), name="supervisor_albo_number_has_region"
            ),
            models.CheckConstraint(
                condition=~Q(profession=ProfessionChoices.ASSISTENTE_SOCIALE_SPECIALISTA) | ~Q(albo_section="B"),
                name="supervisor_specialist_not_section_b",
            ),
            models.CheckConstraint(condition=Q(albo_section__in=["", "A", "B"]), name="supervisor_albo_section_known"),
            models.CheckConstraint(
                condition=Q(profession__in=ProfessionChoices.values), name="supervisor_profession_known"
            ),
            models.UniqueConstraint(
                fields=["partnership", "tax_code"],
                condition=~Q(tax_code=""),
                name="supervisor_tax_code_once_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["ambito", "tax_code"], condition=~Q(tax_code=""), name="supervisor_tax_code_once_per_ambito"
            ),
            models.UniqueConstraint(
                fields=["partnership", "user"],
                condition=Q(user__isnull=False),
                name="supervisor_user_once_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["ambito", "user"], condition=Q(user__isnull=False), name="supervisor_user_once_per_ambito"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.surname} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("supervisors:supervisor_detail", args=[self.pk])

    @property
    def is_social_worker(self) -> bool:
        return self.profession in SOCIAL_WORKER_PROFESSIONS

    @property
    def albo_registered(self) -> bool:
        return bool(self.albo_number) and self.albo_region_id is not None

    @property
    def albo_text(self) -> str:
        if not self.albo_registered:
            return ""
        parts = [str(self.albo_region) if self.albo_region else ""]
        if self.albo_section:
            parts.append(f"sezione {self.albo_section}")
        parts.append(f"n. {self.albo_number}")
        return ", ".join(filter(None, parts))

    def profile(self, *, has_training: bool) -> SupervisorProfile:
        """The record as the LEPS rules see it; ``has_training`` comes from the trainings (a query or annotation)."""
        return SupervisorProfile(
            profession=Profession(self.profession),
            albo_registered=self.albo_registered,
            supervision_training=has_training,
            years_social_work=self.years_social_work,
            years_supervising_as=self.years_supervising_as,
        )


class Training(Versioned):
    """A supervision training course the supervisor attended (master, course of the Ordine...)."""

    stale_subject = "La formazione è stata modificata"

    supervisor = models.ForeignKey(Supervisor, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("titolo del corso"), max_length=250)
    institution = models.CharField(_("ente erogatore"), max_length=250)
    hours = models.PositiveSmallIntegerField(
        _("ore"), validators=[MinValueValidator(1), MaxValueValidator(5000)], null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(
        _("anno di conseguimento"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )

    class Meta:
        ordering = ["-year", "title", "pk"]
        verbose_name = _("formazione alla supervisione")
        verbose_name_plural = _("formazione alla supervisione")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1950) & Q(year__lte=2100), name="training_year_plausible"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gt=0), name="training_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.institution}, {self.year})"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lunedì")
    TUESDAY = 1, _("martedì")
    WEDNESDAY = 2, _("mercoledì")
    THURSDAY = 3, _("giovedì")
    FRIDAY = 4, _("venerdì")
    SATURDAY = 5, _("sabato")
    SUNDAY = 6, _("domenica")


class WeeklyAvailability(models.Model):
    """A weekly time window in which the supervisor can hold sessions, optionally within a period."""

    supervisor = models.ForeignKey(Supervisor, on_delete=models.CASCADE, related_name="weekly_slots")
    weekday = models.PositiveSmallIntegerField(_("giorno della settimana"), choices=Weekday.choices)
    start_time = models.TimeField(_("dalle"))
    end_time = models.TimeField(_("alle"))
    valid_from = models.DateField(_("valida dal"), null=True, blank=True)
    valid_to = models.DateField(_("valida fino al"), null=True, blank=True)

    class Meta:
        ordering = ["weekday", "start_time", "pk"]
        verbose_name = _("disponibilità settimanale")
        verbose_name_plural = _("disponibilità settimanali")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="slot_time_ordered"),
            models.CheckConstraint(condition=Q(weekday__gte=0) & Q(weekday__lte=6), name="slot_weekday_known"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="slot_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def applies_on(self, day: datetime.date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
        )


class Absence(models.Model):
    """A period in which the supervisor is not available (holidays, leave...)."""

    supervisor = models.ForeignKey(Supervisor, on_delete=models.CASCADE, related_name="absences")
    start_date = models.DateField(_("dal"))
    end_date = models.DateField(_("al"))
    reason = models.CharField(_("motivo"), max_length=200, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("periodo di indisponibilità")
        verbose_name_plural = _("periodi di indisponibilità")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="absence_period_ordered")
        ]

    def __str__(self) -> str:
        return f"dal {self.start_date:%d/%m/%Y} al {self.end_date:%d/%m/%Y}"


class Declaration(models.Model):
    """No hierarchical relation and no conflict of interest with the supervisees of a group, signed by the
    supervisor. The annual plan links each supervisor-to-group assignment to one of these."""

    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="declarations")
    subject = models.CharField(
        _("gruppo o destinatari"),
        max_length=250,
        help_text=_("Il gruppo, l'équipe o le persone cui si riferisce (es. «Gruppo A1 n. 2, ATS di Casarano»)."),
    )
    no_hierarchy = models.BooleanField(
        _("nessun rapporto gerarchico"),
        help_text=_("Il supervisore non ha rapporti gerarchici né funzionali con le persone supervisionate."),
    )
    no_conflict = models.BooleanField(
        _("nessun conflitto di interessi"),
        help_text=_("Il supervisore non si trova in situazioni di conflitto di interessi, anche potenziale."),
    )
    signed_on = models.DateField(_("firmata il"))
    valid_until = models.DateField(_("valida fino al"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrata da"),
    )
    recorded_at = models.DateTimeField(_("registrata il"), auto_now_add=True)

    if TYPE_CHECKING:
        documents: RelatedManager[Document]

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("dichiarazione di assenza di conflitto di interessi")
        verbose_name_plural = _("dichiarazioni di assenza di conflitto di interessi")
        constraints = [
            # A declaration that admits a hierarchy or a conflict is not a declaration the plan can rely on.
            models.CheckConstraint(condition=Q(no_hierarchy=True, no_conflict=True), name="declaration_both_declared"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("signed_on")),
                name="declaration_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Dichiarazione di {self.supervisor} per {self.subject} ({self.signed_on:%d/%m/%Y})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.signed_on <= day and (self.valid_until is None or day <= self.valid_until)


class DocumentKind(models.TextChoices):
    CV = "cv", _("Curriculum vitae")
    TRAINING = "training", _("Attestato di formazione")
    ALBO = "albo", _("Certificato di iscrizione all'Albo")
    DECLARATION = "declaration", _("Dichiarazione firmata")
    OTHER = "other", _("Altro")


# What a user uploads from the record page; signed declarations come with their declaration.
SUPERVISOR_DOCUMENT_KINDS = (DocumentKind.CV, DocumentKind.TRAINING, DocumentKind.ALBO, DocumentKind.OTHER)


class Document(models.Model):
    """An uploaded file of a supervisor (CV, certificates), optionally the signed copy of one of their
    declarations."""

    supervisor = models.ForeignKey(Supervisor, on_delete=models.CASCADE, related_name="documents")
    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("tipo di documento"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("titolo"), max_length=200)
    file = models.FileField(_("file"), max_length=255)
    original_name = models.CharField(_("nome del file caricato"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "-uploaded_at", "pk"]
        verbose_name = _("documento")
        verbose_name_plural = _("documenti")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervisors:document_download", args=[self.pk])

    def get_delete_url(self) -> str:
        return reverse("supervisors:document_delete", args=[self.pk])

    @property
    def size_text(self) -> str:
        return file_size_text(self.size)
