"""Planning: the LEPS parameters in force from a date, and the annual plans (POA) built on them.

- ``RuleSet``: the values of the LEPS rules from a date (administrators set them).
- ``Plan``: the Piano Operativo Analitico of a partnership or of one ATS for a year, in versions. A version is
  a draft, then submitted, then approved; an approved version is locked, and a change makes a new version
  (a copy) that replaces it once approved: the old one becomes ``superseded`` and is kept. Every edit
  carries ``lock_version`` (optimistic locking), so that two people editing the same plan cannot overwrite
  each other's work.
- ``PlanGroup``: an A1 group (with its A2 pool of individual hours), an A3 équipe or an extra-LEPS group of a
  plan, with its planned hours, supervisor (and the declaration that allows the assignment), contract and
  funding source. ``PlanMember`` rows are its people (census ``Person``); an AS is in at most one A1 group
  of a plan.
- ``A2Transfer``: unused A2 hours of an A1 group moved to an A1 group or A3 équipe of the same plan.
- ``MultifondoFiling`` (in ``planning.multifondo``): where each ATS's filing of its POA on the Piattaforma
  Multifondo stands, per year.

Sessions (calendar, attendance) hang off ``PlanGroup``: see ``planning.queries``. The FNPS allocations of each ATS
(what the co-financing what-if simulates) are funding's: see ``planning.fnps_allocations``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supervisione.audit.models import Versioned
from supervisione.leps.choices import ProfessionChoices
from supervisione.leps.kinds import Profession, SupervisionType
from supervisione.leps.parameters import DEFAULT_RULES, LepsRules, Prorate
from supervisione.lib.italian import MONTHS, hours_counted
from supervisione.planning.multifondo import MultifondoFiling  # noqa: F401  (Django finds the model through here)
from supervisione.territory.tenancy import ONE_TENANT, TenantOwned

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

RULE_FIELDS = (
    "a1_min_hours_per_group",
    "a2_pool_hours_per_a1_group",
    "a3_min_hours_per_equipe",
    "max_group_size",
    "prorate",
    "min_years_social_work",
    "min_years_supervising_as",
    "attendance_threshold",
    "full_time_hours",
    "leps_inhabitants_per_as",
    "target_inhabitants_per_as",
    "floor_inhabitants_per_as",
    "contribution_band1_eur",
    "contribution_band2_eur",
    "fte_decimals",
)

_POSITIVE = [MinValueValidator(Decimal("0.5"))]


class RuleSet(Versioned):
    """The values of the LEPS rules that apply from ``valid_from`` until the next rule set."""

    stale_subject = "I parametri LEPS sono stati modificati"

    valid_from = models.DateField(_("in vigore dal"), unique=True)
    a1_min_hours_per_group = models.DecimalField(
        _("ore minime A1 per gruppo"),
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_RULES.a1_min_hours_per_group,
        validators=_POSITIVE,
    )
    a2_pool_hours_per_a1_group = models.DecimalField(
        _("monte ore A2 per gruppo A1"),
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_RULES.a2_pool_hours_per_a1_group,
        validators=_POSITIVE,
    )
    a3_min_hours_per_equipe = models.DecimalField(
        _("ore minime A3 per équipe"),
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_RULES.a3_min_hours_per_equipe,
        validators=_POSITIVE,
    )
    max_group_size = models.PositiveSmallIntegerField(
        _("partecipanti massimi per gruppo A1"),
        default=DEFAULT_RULES.max_group_size,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
    )
    prorate = models.CharField(
        _("riproporzionamento per anno parziale"),
        max_length=12,
        choices=[
            (Prorate.OFF.value, _("nessuno: minimo annuale intero")),
            (Prorate.BY_MONTHS.value, _("in proporzione ai mesi coperti")),
        ],
        default=DEFAULT_RULES.prorate.value,
    )
    min_years_social_work = models.PositiveSmallIntegerField(
        _("anni minimi di esperienza professionale del supervisore"), default=DEFAULT_RULES.min_years_social_work
    )
    min_years_supervising_as = models.PositiveSmallIntegerField(
        _("anni minimi di esperienza nella supervisione di AS (A1, A2)"), default=DEFAULT_RULES.min_years_supervising_as
    )
    attendance_threshold = models.DecimalField(
        _("frequenza minima per i crediti (quota)"),
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_RULES.attendance_threshold,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(1))],
    )
    full_time_hours = models.DecimalField(
        _("ore settimanali di un tempo pieno"),
        max_digits=4,
        decimal_places=1,
        default=DEFAULT_RULES.full_time_hours,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(48))],
    )
    leps_inhabitants_per_as = models.PositiveIntegerField(
        _("LEPS: abitanti per assistente sociale"), default=DEFAULT_RULES.leps_inhabitants_per_as
    )
    target_inhabitants_per_as = models.PositiveIntegerField(
        _("obiettivo: abitanti per assistente sociale"), default=DEFAULT_RULES.target_inhabitants_per_as
    )
    floor_inhabitants_per_as = models.PositiveIntegerField(
        _("soglia del contributo: abitanti per assistente sociale"), default=DEFAULT_RULES.floor_inhabitants_per_as
    )
    contribution_band1_eur = models.DecimalField(
        _("contributo per FTE nella prima fascia (EUR)"),
        max_digits=9,
        decimal_places=2,
        default=DEFAULT_RULES.contribution_band1_eur,
    )
    contribution_band2_eur = models.DecimalField(
        _("contributo per FTE nella seconda fascia (EUR)"),
        max_digits=9,
        decimal_places=2,
        default=DEFAULT_RULES.contribution_band2_eur,
    )
    fte_decimals = models.PositiveSmallIntegerField(
        _("decimali degli FTE"),
        null=True,
        blank=True,
        default=DEFAULT_RULES.fte_decimals,
        validators=[MaxValueValidator(4)],
        help_text=_(
            "Vuoto: FTE esatti, come nell'aritmetica della legge. 2: FTE arrotondati a due decimali prima del "
            "confronto con le soglie, come nel prospetto del Ministero. La pagina mostra comunque entrambi i calcoli."
        ),
    )
    note = models.TextField(_("motivo o atto"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("parametri LEPS")
        verbose_name_plural = _("parametri LEPS")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_inhabitants_per_as__lte=models.F("leps_inhabitants_per_as"))
                & models.Q(leps_inhabitants_per_as__lte=models.F("floor_inhabitants_per_as")),
                name="ruleset_ratio_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"Parametri LEPS dal {self.valid_from:%d/%m/%Y}"

    def to_rules(self) -> LepsRules:
        values = {name: getattr(self, name) for name in RULE_FIELDS}
        values["prorate"] = Prorate(self.prorate)
        return LepsRules(**values)


# --- The annual plan (POA) ---------------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    SUBMITTED = "submitted", _("Trasmesso, da approvare")
    APPROVED = "approved", _("Approvato")
    SUPERSEDED = "superseded", _("Sostituito da una versione successiva")


_MONTH = [MinValueValidator(1), MaxValueValidator(12)]
_HOURS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(9999))]


def default_deadline(year: int) -> datetime.date:
    """The POA of a year is due by 31 March of that year (e.g. POA 2024 by 31/03/2024)."""
    return datetime.date(year, 3, 31)


class Plan(TenantOwned):
    """The annual plan (Piano Operativo Analitico) of a partnership or of one ATS, one version of it."""

    year = models.PositiveSmallIntegerField(_("anno"), validators=[MinValueValidator(2021), MaxValueValidator(2100)])
    version = models.PositiveSmallIntegerField(_("versione"), default=1, editable=False)
    status = models.CharField(_("stato"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    censuses = models.ManyToManyField(
        "census.Census",
        blank=True,
        related_name="plans",
        verbose_name=_("censimenti di partenza"),
        help_text=_("Il censimento di ciascun ATS da cui il piano ha preso assistenti sociali ed équipe."),
    )
    first_month = models.PositiveSmallIntegerField(_("dal mese"), default=1, validators=_MONTH)
    last_month = models.PositiveSmallIntegerField(_("al mese"), default=12, validators=_MONTH)
    deadline = models.DateField(_("da trasmettere entro"))
    submitted_at = models.DateTimeField(_("trasmesso il"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trasmesso da"),
        editable=False,
    )
    approved_at = models.DateTimeField(_("approvato il"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approvato da"),
        editable=False,
    )
    approval_act = models.CharField(
        _("atto di approvazione"),
        max_length=250,
        blank=True,
        help_text=_("Es. delibera del Coordinamento Istituzionale n. 3 del 25/03/2025."),
    )
    notes = models.TextField(_("note"), blank=True)
    # Optimistic locking: every edit form sends the value it was shown and each write increments it, so
    # a form based on an older state is refused instead of overwriting someone else's change.
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        groups: RelatedManager[PlanGroup]

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("piano annuale (POA)")
        verbose_name_plural = _("piani annuali (POA)")
        constraints = [
            models.CheckConstraint(condition=ONE_TENANT, name="plan_one_tenant"),
            models.UniqueConstraint(
                fields=["partnership", "year", "version"],
                condition=Q(partnership__isnull=False),
                name="plan_version_once_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["ambito", "year", "version"],
                condition=Q(ambito__isnull=False),
                name="plan_version_once_per_ambito",
            ),
            # At most one approved version and one version being worked on (draft or submitted) per owner
            # and year: the approved one stays in force until its replacement is approved.
            models.UniqueConstraint(
                fields=["partnership", "year"],
                condition=Q(partnership__isnull=False, status="approved"),
                name="plan_one_approved_per_partnership_year",
            ),
            models.UniqueConstraint(
                fields=["ambito", "year"],
                condition=Q(ambito__isnull=False, status="approved"),
                name="plan_one_approved_per_ambito_year",
            ),
            models.UniqueConstraint(
                fields=["partnership", "year"],
                condition=Q(partnership__isnull=False, status__in=["draft", "submitted"]),
                name="plan_one_open_per_partnership_year",
            ),
            models.UniqueConstraint(
                fields=["ambito", "year"],
                condition=Q(ambito__isnull=False, status__in=["draft", "submitted"]),
                name="plan_one_open_per_ambito_year",
            ),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plan_status_known"),
            models.CheckConstraint(
                condition=Q(first_month__gte=1, last_month__lte=12, first_month__lte=models.F("last_month")),
                name="plan_months_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="plan_submitted_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "superseded"]) | Q(approved_at__isnull=False),
                name="plan_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"POA {self.year} di {self.tenant.name}, versione {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("planning:plan_detail", args=[self.pk])

    @property
    def months_covered(self) -> int:
        return self.last_month - self.first_month + 1

    @property
    def period_text(self) -> str:
        if self.months_covered == 12:
            return f"intero anno {self.year}"
        return f"da {MONTHS[self.first_month - 1]} a {MONTHS[self.last_month - 1]} {self.year}"

    @property
    def starts_on(self) -> datetime.date:
        """The LEPS parameters in force on this day apply to the plan."""
        return datetime.date(self.year, self.first_month, 1)

    @property
    def ends_on(self) -> datetime.date:
        if self.last_month == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, self.last_month + 1, 1) - datetime.timedelta(days=1)

    @property
    def is_editable(self) -> bool:
        """Only drafts change; a submitted plan goes back to draft first, an approved one gets a new version."""
        return self.status == PlanStatus.DRAFT

    @property
    def owner_code(self) -> str:
        return self.tenant.code

    @property
    def is_provisional(self) -> bool:
        """Sessions booked on a plan not yet approved are provisional: the plan may still change."""
        return self.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED)

    @property
    def missing_for_approval(self) -> str:
        """The step the plan still lacks to be approved, in words ("" once it has been)."""
        if self.status == PlanStatus.DRAFT:
            return (
                f"il piano è in bozza e va trasmesso (entro il {self.deadline:%d/%m/%Y}), poi registrata "
                "l'approvazione con il suo atto"
            )
        if self.status == PlanStatus.SUBMITTED:
            return "il piano è trasmesso e manca la registrazione dell'approvazione con il suo atto"
        return ""


class GroupKind(models.TextChoices):
    """The kinds of group a plan has: A2 is not a group but the pool of individual hours of an A1 group."""

    A1 = SupervisionType.A1.value, _("A1 - gruppo monoprofessionale")
    A3 = SupervisionType.A3.value, _("A3 - équipe")
    EXTRA = SupervisionType.EXTRA.value, _("Extra-LEPS")


class PlanGroup(models.Model):
    """An A1 group (with its A2 pool), an A3 équipe or an extra-LEPS group of a plan.

    Sessions will point here: an A1 session at an A1 group, an A2 session at an A1 group (one of its members,
    from its pool), an A3 session at an A3 group (its équipe), an extra-LEPS session at an extra group.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(_("tipo"), max_length=10, choices=GroupKind.choices, editable=False)
    name = models.CharField(_("nome"), max_length=120)
    planned_hours = models.DecimalField(
        _("ore pianificate"), max_digits=6, decimal_places=1, default=Decimal(0), validators=_HOURS
    )
    a2_pool_hours = models.DecimalField(
        _("monte ore A2 (individuale)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal(0),
        validators=_HOURS,
        help_text=_("Solo per i gruppi A1: le ore di supervisione individuale per i partecipanti."),
    )
    equipe = models.ForeignKey(
        "census.Equipe",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_groups",
        verbose_name=_("équipe"),
        editable=False,
    )
    profession = models.CharField(
        _("professione del gruppo"),
        max_length=40,
        choices=ProfessionChoices.choices,
        blank=True,
        editable=False,
        help_text=_("Solo per i gruppi extra-LEPS."),
    )
    supervisor = models.ForeignKey(
        "supervisors.Supervisor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_groups",
        verbose_name=_("supervisore"),
    )
    declaration = models.ForeignKey(
        "supervisors.Declaration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_groups",
        verbose_name=_("dichiarazione di assenza di conflitti"),
    )
    contract = models.ForeignKey(
        "procurement.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_groups",
        verbose_name=_("contratto"),
    )
    funding = models.ForeignKey(
        "procurement.ContractFunding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_groups",
        verbose_name=_("fonte di finanziamento"),
    )
    # A group of a plan that goes past the end of the PNRR project it is charged to (the plans of 2026): the project
    # pays up to its end, this row afterwards (``planning.project_end``).
    funding_after = models.ForeignKey(
        "procurement.ContractFunding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_groups_after",
        verbose_name=_("fonte dopo la fine del progetto PNRR"),
        help_text=_("Se la fonte è un progetto PNRR che conclude le attività nel periodo del piano: chi paga dopo."),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        editable=False,
        help_text=_("Lo stesso gruppo nella versione precedente del piano."),
    )
    note = models.CharField(_("nota"), max_length=250, blank=True)
    accreditation_code = models.CharField(
        _("codice di accreditamento del percorso"),
        max_length=60,
        blank=True,
        help_text=_(
            "Se il percorso è accreditato per la formazione continua degli assistenti sociali (CNOAS): "
            "compare negli attestati di partecipazione."
        ),
    )
    members = models.ManyToManyField(
        "census.Person", through="PlanMember", related_name="plan_groups", verbose_name=_("partecipanti")
    )

    if TYPE_CHECKING:
        memberships: RelatedManager[PlanMember]

    class Meta:
        ordering = ["plan", "kind", "name", "pk"]
        verbose_name = _("gruppo del piano")
        verbose_name_plural = _("gruppi del piano")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="plan_group_name_unique"),
            models.CheckConstraint(condition=Q(kind__in=GroupKind.values), name="plan_group_kind_known"),
            models.CheckConstraint(
                condition=Q(planned_hours__gte=0) & Q(a2_pool_hours__gte=0), name="plan_group_hours_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind=GroupKind.A1) | Q(a2_pool_hours=0), name="plan_group_a2_pool_only_for_a1"
            ),
            models.CheckConstraint(
                condition=(Q(kind=GroupKind.A3) & Q(equipe__isnull=False))
                | (~Q(kind=GroupKind.A3) & Q(equipe__isnull=True)),
                name="plan_group_equipe_iff_a3",
            ),
            models.CheckConstraint(
                condition=(Q(kind=GroupKind.EXTRA) & ~Q(profession="")) | (~Q(kind=GroupKind.EXTRA) & Q(profession="")),
                name="plan_group_profession_iff_extra",
            ),
            models.CheckConstraint(
                condition=Q(declaration__isnull=True) | Q(supervisor__isnull=False),
                name="plan_group_declaration_needs_supervisor",
            ),
            models.CheckConstraint(
                condition=Q(funding__isnull=True) | Q(contract__isnull=False), name="plan_group_funding_needs_contract"
            ),
            models.CheckConstraint(
                condition=Q(funding_after__isnull=True) | Q(funding__isnull=False),
                name="plan_group_funding_after_needs_funding",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("planning:group_detail", args=[self.plan_id, self.pk])

    @property
    def supervision_type(self) -> SupervisionType:
        return SupervisionType(self.kind)

    @property
    def group_profession(self) -> Profession | None:
        """The profession an extra-LEPS supervisor must share with the group (None for A1 and A3)."""
        return Profession(self.profession) if self.profession else None


class PlanMember(models.Model):
    """A person in a group of a plan. ``plan`` and ``kind`` repeat the group's so that the database can refuse
    an AS in two A1 groups of the same plan; ``ambito`` is the ATS whose census the person comes from."""

    group = models.ForeignKey(PlanGroup, on_delete=models.CASCADE, related_name="memberships")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=GroupKind.choices)
    person = models.ForeignKey("census.Person", on_delete=models.PROTECT, related_name="plan_memberships")
    ambito = models.ForeignKey("territory.Ambito", on_delete=models.PROTECT, related_name="+", verbose_name=_("ATS"))

    class Meta:
        ordering = ["person__surname", "person__name", "pk"]
        verbose_name = _("partecipante")
        verbose_name_plural = _("partecipanti")
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="plan_member_once_per_group"),
            models.UniqueConstraint(
                fields=["plan", "person"], condition=Q(kind="A1"), name="plan_member_one_a1_group_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.group}"


class A2Transfer(models.Model):
    """Unused A2 hours of an A1 group's pool moved to an A1 group or A3 équipe of the same plan (Scheda LEPS)."""

    source = models.ForeignKey(
        PlanGroup, on_delete=models.PROTECT, related_name="a2_transfers_out", verbose_name=_("dal monte ore A2 di")
    )
    target = models.ForeignKey(
        PlanGroup, on_delete=models.PROTECT, related_name="a2_transfers_in", verbose_name=_("al gruppo o équipe")
    )
    hours = models.DecimalField(_("ore spostate"), max_digits=6, decimal_places=1)
    reason = models.TextField(_("motivo"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registrato il"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("spostamento di ore A2")
        verbose_name_plural = _("spostamenti di ore A2")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="a2_transfer_hours_positive"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="a2_transfer_not_to_itself"),
            models.CheckConstraint(condition=~Q(reason=""), name="a2_transfer_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{hours_counted(self.hours)} A2 da {self.source} a {self.target}"
