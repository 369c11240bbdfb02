"""Supervisors, their qualifications and declarations, and the contracts that pay for supervision.

- A ``Supervisor`` belongs to one tenant: a partnership or an ATS (exactly one). Eligibility per supervision
  type is never stored: it is computed by ``leps.eligibility`` from the record (``profile``) with
  the LEPS parameters in force, so that a change of the rules or of the record shows at once.
- A ``Declaration`` is what the supervisor signs before being assigned to a group: no hierarchical relation
  and no conflict of interest with the supervisees. The annual plan links each group assignment to one.
- A ``Contract`` is the whole procurement story of a service: from the procedure (MePA tender, direct award,
  co-progettazione) with its deadlines and postponements, to the contract in force with its hourly rate and
  hours bought per supervision type (``ContractLine``) and its funding sources (``ContractFunding``). Sessions
  will carry a contract and one of its funding rows, so that nothing is funded twice.
- A ``CoDesignTable`` is the co-design table (art. 55 D.Lgs. 117/2017) of a co-progettazione: members,
  meetings with their minutes and the approved proposal.
- A ``Document`` is an uploaded file of a supervisor or of a contract, stored under MEDIA_ROOT with a
  generated name and served only through a view that checks access.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supervisione.audit.models import Versioned
from supervisione.leps.choices import SOCIAL_WORKER_PROFESSIONS, ProfessionChoices, SupervisionTypeChoices
from supervisione.leps.eligibility import SupervisorProfile
from supervisione.leps.kinds import Profession, SupervisionType
from supervisione.lib.codes import validate_personal_tax_code
from supervisione.lib.italian import megabytes_text
from supervisione.territory.models import FundingMeasure, cup_validator
from supervisione.territory.tenancy import ONE_TENANT, TenantOwned

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


cig_validator = RegexValidator(r"^[A-Z0-9]{10}$", _("Il CIG è formato da 10 caratteri alfanumerici."))
simog_validator = RegexValidator(r"^\d{5,10}$", _("Il numero di gara SIMOG è formato da 5-10 cifre (es. 9030232)."))
mepa_validator = RegexValidator(r"^\d{4,12}$", _("Il numero della procedura MePA (RDO) è formato da cifre."))


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


class Procedure(models.TextChoices):
    MEPA = "mepa", _("Gara su MePA / RDO")
    DIRECT = "direct", _("Affidamento diretto")
    CO_DESIGN = "co_design", _("Co-progettazione (art. 55 D.Lgs. 117/2017)")
    OTHER = "other", _("Altra procedura")


class ContractStatus(models.TextChoices):
    PROCEDURE = "procedure", _("Procedura in corso")
    AWARDED = "awarded", _("Aggiudicato, da avviare")
    ACTIVE = "active", _("In esecuzione")
    CLOSED = "closed", _("Concluso")
    CANCELLED = "cancelled", _("Annullato o revocato")


# A contract in these states has a provider and a period.
STATUSES_WITH_PROVIDER = (ContractStatus.AWARDED, ContractStatus.ACTIVE, ContractStatus.CLOSED)
STATUSES_WITH_PERIOD = (ContractStatus.ACTIVE, ContractStatus.CLOSED)


class Contract(TenantOwned, Versioned):
    stale_subject = "Il contratto è stato modificato"

    title = models.CharField(_("oggetto"), max_length=250)
    procedure = models.CharField(_("procedura"), max_length=20, choices=Procedure.choices)
    status = models.CharField(
        _("stato"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.PROCEDURE
    )
    provider = models.ForeignKey(
        "territory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("fornitore"),
        help_text=_("Vuoto finché la procedura non individua il fornitore."),
    )
    cig = models.CharField(_("CIG"), max_length=10, blank=True, validators=[cig_validator])
    cup = models.CharField(_("CUP"), max_length=15, blank=True, validators=[cup_validator])
    simog_code = models.CharField(_("numero gara SIMOG"), max_length=10, blank=True, validators=[simog_validator])
    mepa_code = models.CharField(_("numero procedura MePA"), max_length=12, blank=True, validators=[mepa_validator])
    amount = models.DecimalField(
        _("importo (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("L'importo contrattuale o, durante la gara, la base d'asta."),
    )
    start_date = models.DateField(_("inizio"), null=True, blank=True)
    end_date = models.DateField(_("fine"), null=True, blank=True)
    signed_on = models.DateField(_("stipulato il"), null=True, blank=True)
    notes = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        lines: RelatedManager[ContractLine]
        fundings: RelatedManager[ContractFunding]
        deadlines: RelatedManager[TenderDeadline]
        documents: RelatedManager[Document]
        codesign: CoDesignTable

    class Meta:
        ordering = ["-start_date", "title", "pk"]
        verbose_name = _("contratto")
        verbose_name_plural = _("contratti")
        constraints = [
            models.CheckConstraint(condition=ONE_TENANT, name="contract_one_tenant"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="contract_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=STATUSES_WITH_PROVIDER) | Q(provider__isnull=False),
                name="contract_awarded_has_provider",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=STATUSES_WITH_PERIOD) | Q(start_date__isnull=False, end_date__isnull=False),
                name="contract_running_has_period",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="contract_amount_positive"
            ),
            models.CheckConstraint(condition=Q(status__in=ContractStatus.values), name="contract_status_known"),
            models.CheckConstraint(condition=Q(procedure__in=Procedure.values), name="contract_procedure_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervisors:contract_detail", args=[self.pk])

    def is_in_force_on(self, day: datetime.date) -> bool:
        return (
            self.status in (ContractStatus.AWARDED, ContractStatus.ACTIVE)
            and (self.start_date is None or self.start_date <= day)
            and (self.end_date is None or day <= self.end_date)
        )


class ContractLine(Versioned):
    """Hourly rate and hours bought for one supervision type: the plan costs hours x this rate."""

    stale_subject = "La riga del contratto è stata modificata"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("tipo di supervisione"), max_length=10, choices=SupervisionTypeChoices.choices)
    hourly_rate = models.DecimalField(
        _("tariffa oraria (EUR)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    hours = models.DecimalField(
        _("ore acquistate"), max_digits=8, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    note = models.CharField(_("nota"), max_length=250, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("riga del contratto")
        verbose_name_plural = _("righe del contratto")
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind"], name="contract_line_once_per_kind"),
            models.CheckConstraint(condition=Q(hourly_rate__gt=0), name="contract_line_rate_positive"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="contract_line_hours_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=SupervisionTypeChoices.values), name="contract_line_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.hours} h a {self.hourly_rate} €/h"

    @property
    def supervision_type(self) -> SupervisionType:
        return SupervisionType(self.kind)

    @property
    def amount(self) -> Decimal:
        return (self.hourly_rate * self.hours).quantize(Decimal("0.01"))


class ContractFunding(Versioned):
    """A funding source of a contract. Each session and cost will point at one of these rows."""

    stale_subject = "La fonte di finanziamento è stata modificata"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="fundings")
    measure = models.CharField(_("fonte di finanziamento"), max_length=20, choices=FundingMeasure.choices)
    amount = models.DecimalField(
        _("importo (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    year = models.PositiveSmallIntegerField(
        _("annualità"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Per la quota FNPS: l'anno del riparto."),
    )
    cup = models.CharField(
        _("CUP"), max_length=15, blank=True, validators=[cup_validator], help_text=_("Per i fondi PNRR.")
    )
    note = models.CharField(_("nota"), max_length=250, blank=True)

    class Meta:
        ordering = ["measure", "year", "pk"]
        verbose_name = _("fonte di finanziamento del contratto")
        verbose_name_plural = _("fonti di finanziamento del contratto")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_funding_amount_positive"),
            models.CheckConstraint(
                condition=Q(measure__in=FundingMeasure.values), name="contract_funding_measure_known"
            ),
        ]

    def __str__(self) -> str:
        parts = [self.get_measure_display()]
        if self.year:
            parts.append(str(self.year))
        if self.cup:
            parts.append(f"CUP {self.cup}")
        return " · ".join(parts)


class DeadlineKind(models.TextChoices):
    OFFERS = "offers", _("Presentazione delle offerte o proposte")
    QUESTIONS = "questions", _("Richieste di chiarimenti")
    AWARD = "award", _("Aggiudicazione")
    OTHER = "other", _("Altra scadenza")


class TenderDeadline(models.Model):
    """A deadline of the procedure. ``due_at`` is the one in force; postponements keep the earlier ones."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("scadenza"), max_length=20, choices=DeadlineKind.choices)
    description = models.CharField(_("descrizione"), max_length=250, blank=True)
    original_due_at = models.DateTimeField(_("termine originario"))
    due_at = models.DateTimeField(_("termine in vigore"))

    if TYPE_CHECKING:
        postponements: RelatedManager[Postponement]

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("scadenza della procedura")
        verbose_name_plural = _("scadenze della procedura")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("original_due_at")), name="deadline_not_brought_forward"
            ),
            models.CheckConstraint(condition=Q(kind__in=DeadlineKind.values), name="deadline_kind_known"),
        ]

    def __str__(self) -> str:
        return self.description or self.get_kind_display()

    @property
    def was_postponed(self) -> bool:
        return self.due_at != self.original_due_at


class Postponement(models.Model):
    """A deadline moved later, with the reason (e.g. faults of the MePA platform) and the act that decided it."""

    deadline = models.ForeignKey(TenderDeadline, on_delete=models.CASCADE, related_name="postponements")
    previous_due_at = models.DateTimeField(_("termine precedente"))
    new_due_at = models.DateTimeField(_("nuovo termine"))
    reason = models.CharField(_("motivo"), max_length=300)
    act = models.CharField(_("atto o avviso"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["new_due_at", "pk"]
        verbose_name = _("proroga")
        verbose_name_plural = _("proroghe")
        constraints = [
            models.CheckConstraint(condition=Q(new_due_at__gt=models.F("previous_due_at")), name="postponement_later"),
            models.CheckConstraint(condition=~Q(reason=""), name="postponement_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Proroga al {self.new_due_at:%d/%m/%Y %H:%M}"


class CoDesignTable(Versioned):
    """The co-design table of a co-progettazione (art. 55 D.Lgs. 117/2017) and the proposal it approved."""

    stale_subject = "Il tavolo di co-progettazione è stato modificato"

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="codesign")
    opened_on = models.DateField(_("aperto il"))
    purpose = models.TextField(_("oggetto e finalità"), blank=True)
    proposal_title = models.CharField(_("proposta approvata"), max_length=250, blank=True)
    proposer = models.ForeignKey(
        "territory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proponente"),
    )
    proposal_approved_on = models.DateField(_("proposta approvata il"), null=True, blank=True)
    proposal_summary = models.TextField(_("sintesi della proposta"), blank=True)

    if TYPE_CHECKING:
        members: RelatedManager[CoDesignMember]
        meetings: RelatedManager[CoDesignMeeting]

    class Meta:
        verbose_name = _("tavolo di co-progettazione")
        verbose_name_plural = _("tavoli di co-progettazione")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal_approved_on__isnull=True) | Q(proposal_approved_on__gte=models.F("opened_on")),
                name="codesign_approved_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(proposal_approved_on__isnull=True) | ~Q(proposal_title=""),
                name="codesign_approved_proposal_named",
            ),
        ]

    def __str__(self) -> str:
        return f"Tavolo di co-progettazione: {self.contract}"

    @property
    def approved(self) -> bool:
        return self.proposal_approved_on is not None


class CoDesignMember(models.Model):
    table = models.ForeignKey(CoDesignTable, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "territory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ente del terzo settore o altro ente"),
    )
    ambito = models.ForeignKey(
        "territory.Ambito", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ATS")
    )
    person_name = models.CharField(_("rappresentante"), max_length=200, blank=True)
    role = models.CharField(_("ruolo al tavolo"), max_length=200)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("componente del tavolo")
        verbose_name_plural = _("componenti del tavolo")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(ambito__isnull=False), name="codesign_member_has_body"
            )
        ]

    def __str__(self) -> str:
        body = self.ambito or self.organisation
        return f"{body} ({self.role})"


class CoDesignMeeting(Versioned):
    stale_subject = "La seduta del tavolo è stata modificata"

    table = models.ForeignKey(CoDesignTable, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("data"))
    title = models.CharField(_("seduta"), max_length=200)
    minutes = models.TextField(_("verbale: sintesi e decisioni"), blank=True)
    is_final = models.BooleanField(_("seduta conclusiva"), default=False)

    if TYPE_CHECKING:
        documents: RelatedManager[Document]

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("seduta del tavolo")
        verbose_name_plural = _("sedute del tavolo")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class DocumentKind(models.TextChoices):
    CV = "cv", _("Curriculum vitae")
    TRAINING = "training", _("Attestato di formazione")
    ALBO = "albo", _("Certificato di iscrizione all'Albo")
    DECLARATION = "declaration", _("Dichiarazione firmata")
    CONTRACT = "contract", _("Contratto o convenzione")
    ACT = "act", _("Atto o determina")
    TENDER = "tender", _("Documenti di gara")
    PROPOSAL = "proposal", _("Proposta progettuale")
    MINUTES = "minutes", _("Verbale")
    OTHER = "other", _("Altro")


SUPERVISOR_DOCUMENT_KINDS = (DocumentKind.CV, DocumentKind.TRAINING, DocumentKind.ALBO, DocumentKind.OTHER)
CONTRACT_DOCUMENT_KINDS = (
    DocumentKind.CONTRACT,
    DocumentKind.ACT,
    DocumentKind.TENDER,
    DocumentKind.PROPOSAL,
    DocumentKind.MINUTES,
    DocumentKind.OTHER,
)


class Document(models.Model):
    """An uploaded file of a supervisor (CV, certificates, signed declarations) or of a contract."""

    supervisor = models.ForeignKey(
        Supervisor, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, null=True, blank=True, related_name="documents")
    meeting = models.ForeignKey(
        CoDesignMeeting, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
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
            # Exactly one owner: a supervisor (optionally about one of their declarations) or a contract
            # (optionally the minutes of one meeting of its co-design table).
            models.CheckConstraint(
                condition=(Q(supervisor__isnull=False, contract__isnull=True, meeting__isnull=True))
                | (Q(supervisor__isnull=True, contract__isnull=False, declaration__isnull=True)),
                name="document_one_owner",
            ),
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def size_text(self) -> str:
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} kB"
        return f"{megabytes_text(self.size)} MB"
