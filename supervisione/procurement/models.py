"""Procurement: the contracts that pay for supervision, from the procedure to the contract in force.

- A ``Contract`` is the whole procurement story of a service: from the procedure (MePA tender, direct award,
  co-progettazione) with its deadlines and postponements, to the contract in force with its hourly rate and
  hours bought per supervision type (``ContractLine``) and its funding sources (``ContractFunding``). Sessions
  carry a contract and one of its funding rows, so that nothing is funded twice. A contract belongs to one
  tenant: a partnership or an ATS (exactly one).
- A ``CoDesignTable`` is the co-design table (art. 55 D.Lgs. 117/2017) of a co-progettazione: members and the
  approved proposal. Its sittings are meetings of the meetings app (``Meeting.codesign_table``, an app above this
  one), which the contract page reads through the finder meetings registers (``codesign_sittings.py``).
- A ``FundingAgreement`` is the partnership's agreement (accordo or convenzione) on how the FNPS cost of a shared
  contract is shared among its ATS: its ``AgreementShare`` rows give each ATS its quota (percentages adding up to
  exactly 100 %). An FNPS funding row names the ATS whose quota pays (``ContractFunding.ambito``); it may pay for
  another ATS's staff only under such an agreement (``leps.fnps``, checked by ``procurement.payers``).
- A ``ContractDocument`` is an uploaded file of a contract (the contract itself, acts, tender documents, the
  signed minutes of a sitting of its table), stored under MEDIA_ROOT with a generated name and served only through a
  view that checks access. A supervisor's own documents are ``supervisors.Document``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervisione.audit.models import Versioned
from supervisione.leps.choices import SupervisionTypeChoices
from supervisione.leps.kinds import SupervisionType
from supervisione.leps.pnrr import LATEST_EXCEPTION, ProjectEnd
from supervisione.leps.pnrr import refusal as pnrr_refusal
from supervisione.lib.italian import file_size_text
from supervisione.territory.models import FundingMeasure, cup_validator
from supervisione.territory.tenancy import ONE_TENANT, TenantOwned

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


cig_validator = RegexValidator(r"^[A-Z0-9]{10}$", _("Il CIG è formato da 10 caratteri alfanumerici."))
simog_validator = RegexValidator(r"^\d{5,10}$", _("Il numero di gara SIMOG è formato da 5-10 cifre (es. 9030232)."))
mepa_validator = RegexValidator(r"^\d{4,12}$", _("Il numero della procedura MePA (RDO) è formato da cifre."))


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
        documents: RelatedManager[ContractDocument]
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
        return reverse("procurement:contract_detail", args=[self.pk])

    def closed_project_refusal(self, what: str) -> str:
        """Why ``what`` of the contract can no longer change: a PNRR project it pays for is closed ("" otherwise)."""
        closed = self.fundings.filter(closed_at__isnull=False).select_related("contract", "closed_by").first()
        return "" if closed is None else closed.closed_refusal(what)

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
    ambito = models.ForeignKey(
        "territory.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ATS che paga"),
        help_text=_(
            "Per la quota FNPS: l'ATS a cui la Regione ha assegnato la quota. Paga la supervisione del proprio "
            "personale; per quello degli altri ATS serve un accordo di partenariato con le quote di riparto."
        ),
    )
    # Set by the migration that named the paying ATS of existing FNPS rows when the data did not say which one
    # (it named the capofila): the contract page flags the row and its form asks, until someone confirms.
    payer_to_confirm = models.BooleanField(_("ATS che paga da confermare"), default=False, editable=False)
    note = models.CharField(_("nota"), max_length=250, blank=True)
    # The end of a PNRR project (issue 16) lives on the row that holds its CUP, so that procurement, planning and
    # sessions, below funding in the layers, refuse what comes after it (``leps.pnrr``) without asking funding.
    activities_end = models.DateField(
        _("fine delle attività"),
        null=True,
        blank=True,
        help_text=_("Per i fondi PNRR. Vuoto: la fine fissata per tutti i progetti (30/06/2026)."),
    )
    exception_end = models.DateField(
        _("fine in deroga"),
        null=True,
        blank=True,
        help_text=_("Solo nei casi residuali, dove serve per raggiungere il target: non oltre il 31/08/2026."),
    )
    exception_act = models.CharField(
        _("atto della deroga"), max_length=250, blank=True, help_text=_("Es. nota del Ministero n. 12 del 10/06/2026.")
    )
    target_indicator = models.CharField(
        _("target del progetto"),
        max_length=120,
        blank=True,
        help_text=_("Per i fondi PNRR: l'indicatore rendicontato, es. operatori sociali supervisionati."),
    )
    target_value = models.PositiveIntegerField(_("valore del target"), null=True, blank=True)
    # The close-out of the project (funding.pnrr.actions.close_project): from then on its records are frozen.
    closed_at = models.DateTimeField(_("progetto chiuso il"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("chiuso da"),
    )

    class Meta:
        ordering = ["measure", "year", "pk"]
        verbose_name = _("fonte di finanziamento del contratto")
        verbose_name_plural = _("fonti di finanziamento del contratto")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_funding_amount_positive"),
            models.CheckConstraint(
                condition=Q(measure__in=FundingMeasure.values), name="contract_funding_measure_known"
            ),
            models.CheckConstraint(
                condition=~Q(measure=FundingMeasure.FNPS) | Q(ambito__isnull=False),
                name="contract_funding_fnps_names_payer",
                violation_error_message=_("La quota FNPS è di un ATS: indica quale ATS paga."),
            ),
            models.CheckConstraint(
                condition=Q(measure=FundingMeasure.PNRR_114)
                | Q(activities_end__isnull=True, exception_end__isnull=True, exception_act=""),
                name="contract_funding_end_only_for_pnrr",
            ),
            models.CheckConstraint(
                condition=Q(exception_end__isnull=True) | Q(exception_end__lte=LATEST_EXCEPTION),
                name="contract_funding_exception_by_31_august_2026",
                violation_error_message=_("La deroga non può andare oltre il 31/08/2026."),
            ),
            models.CheckConstraint(
                condition=Q(exception_end__isnull=True) | ~Q(exception_act=""),
                name="contract_funding_exception_has_act",
            ),
        ]

    def __str__(self) -> str:
        parts = [self.get_measure_display()]
        if self.year:
            parts.append(str(self.year))
        if self.measure == FundingMeasure.FNPS and self.ambito is not None:
            parts.append(self.ambito.name)
        if self.cup:
            parts.append(f"CUP {self.cup}")
        return " · ".join(parts)

    @property
    def is_fnps(self) -> bool:
        return self.measure == FundingMeasure.FNPS

    @property
    def is_pnrr(self) -> bool:
        return self.measure == FundingMeasure.PNRR_114

    @property
    def project_cup(self) -> str:
        """The CUP the row reports to: its own, or the contract's when it names none (PNRR rows only)."""
        if not self.is_pnrr:
            return ""
        return self.cup or (self.contract.cup if self.contract_id else "")

    @property
    def project_end(self) -> ProjectEnd | None:
        """When the PNRR project of this row ends its activities (None for other sources)."""
        if not self.is_pnrr:
            return None
        end: datetime.date = self.activities_end or settings.PNRR_ACTIVITIES_END
        return ProjectEnd(end, self.exception_end, self.exception_act)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def closed_refusal(self, what: str) -> str:
        """Why ``what`` ("il registro", "il gruppo") of a closed PNRR project can no longer change ("" when open)."""
        if self.closed_at is None:
            return ""
        by = f" da {self.closed_by}" if self.closed_by_id and self.closed_by else ""
        day = timezone.localtime(self.closed_at)
        return (
            f"Il progetto PNRR (CUP {self.project_cup}) è chiuso dal {day:%d/%m/%Y}{by}: "
            f"{what} non si può più modificare. I suoi registri, fogli ore, costi e piani restano come alla "
            "chiusura."
        )

    def refusal_after_end(self, what: str, days: Iterable[datetime.date]) -> str:
        """Why ``what`` of these days cannot be charged to this row ("" when it can: not PNRR, or within its
        activities), in the words of ``leps.pnrr``."""
        project = self.project_end
        if project is None:
            return ""
        return pnrr_refusal(self.project_cup, project, what, list(days))


class FundingAgreement(Versioned):
    """The partnership's agreement on how the FNPS cost of a shared contract (or of all its contracts, when no
    contract is named) is shared among its ATS, in force from ``valid_from`` to ``valid_to``. Its quotas are the
    ``AgreementShare`` rows, one per ATS, adding up to exactly 100 % (``procurement.actions.save_agreement``)."""

    stale_subject = "L'accordo di ripartizione è stato modificato"

    partnership = models.ForeignKey(
        "territory.Partnership",
        on_delete=models.PROTECT,
        related_name="funding_agreements",
        verbose_name=_("partenariato"),
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_agreements",
        verbose_name=_("contratto"),
        help_text=_("Vuoto: l'accordo vale per tutti i contratti del partenariato."),
    )
    act = models.CharField(
        _("atto"),
        max_length=250,
        help_text=_("Es. convenzione tra gli ATS, delibera del Coordinamento Istituzionale."),
    )
    number = models.CharField(_("numero"), max_length=60, blank=True)
    act_date = models.DateField(_("data dell'atto"))
    valid_from = models.DateField(_("valido dal"))
    valid_to = models.DateField(_("valido fino al"), null=True, blank=True, help_text=_("Vuoto: senza scadenza."))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        shares: RelatedManager[AgreementShare]

    class Meta:
        ordering = ["partnership", "-valid_from", "pk"]
        verbose_name = _("accordo di ripartizione FNPS")
        verbose_name_plural = _("accordi di ripartizione FNPS")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="funding_agreement_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(act=""), name="funding_agreement_has_act"),
        ]

    def __str__(self) -> str:
        number = f" n. {self.number}" if self.number else ""
        return f"{self.act}{number} del {self.act_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:agreement_detail", args=[self.partnership.code, self.pk])

    @property
    def period_text(self) -> str:
        if self.valid_to is None:
            return f"dal {self.valid_from:%d/%m/%Y}"
        return f"dal {self.valid_from:%d/%m/%Y} al {self.valid_to:%d/%m/%Y}"

    def covers(self, first: datetime.date, last: datetime.date) -> bool:
        """In force on every day from ``first`` to ``last``."""
        return self.valid_from <= first and (self.valid_to is None or last <= self.valid_to)


class AgreementShare(models.Model):
    """An ATS's quota of an agreement (quota di riparto), in percent to the hundredth."""

    agreement = models.ForeignKey(FundingAgreement, on_delete=models.CASCADE, related_name="shares")
    ambito = models.ForeignKey("territory.Ambito", on_delete=models.PROTECT, related_name="+", verbose_name=_("ATS"))
    percent = models.DecimalField(
        _("quota (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["agreement", "ambito__name", "pk"]
        verbose_name = _("quota di riparto")
        verbose_name_plural = _("quote di riparto")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "ambito"], name="agreement_share_once_per_ambito"),
            models.CheckConstraint(
                condition=Q(percent__gt=0) & Q(percent__lte=100), name="agreement_share_percent_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ambito.name}: {self.percent} %"


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


class ContractDocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Contratto o convenzione")
    ACT = "act", _("Atto o determina")
    TENDER = "tender", _("Documenti di gara")
    PROPOSAL = "proposal", _("Proposta progettuale")
    MINUTES = "minutes", _("Verbale")
    OTHER = "other", _("Altro")


class ContractDocument(models.Model):
    """An uploaded file of a contract (a signed minutes of its co-design table too: the sittings themselves are
    meetings, ``meetings.Meeting.codesign_table``)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("tipo di documento"), max_length=20, choices=ContractDocumentKind.choices)
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
        verbose_name = _("documento del contratto")
        verbose_name_plural = _("documenti del contratto")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContractDocumentKind.values), name="contract_document_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:contract_document_download", args=[self.contract_id, self.pk])

    def get_delete_url(self) -> str:
        return reverse("procurement:contract_document_delete", args=[self.contract_id, self.pk])

    @property
    def size_text(self) -> str:
        return file_size_text(self.size)
