"""Funding: each ATS's FNPS allocations for supervision and its ledger, from programming to payment.

- ``FnpsAllocation``: the amount of the Fondo Nazionale Politiche Sociali that the Region assigns to an ATS for
  supervision (the *stanziamento* from the *riparto*), for one FNPS year or for several together (Casarano's
  Piano di Zona assigns 29,297.33 EUR to 2023 and 2024 together: one allocation, 2023-2024, never two), with
  the regional act that assigns it, the Piano di Zona row it comes from and the years it may be spent in.
- ``LedgerEntry``: one act of the ATS's ledger on one allocation: programmed in a POA, committed (impegno, to a
  contract), liquidated (atto di liquidazione, of one commitment), paid (mandato, of one liquidation). The
  arithmetic and its refusals are ``funding.ledger`` (pure); the writes are ``funding.actions``.

The ledger belongs to its ATS: its referents and the coordinator of the partnership it leads edit it, the
coordinators of the partnerships it belongs to read it, observers read its totals (``funding.access``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from supervisione.audit.models import Versioned
from supervisione.funding import ledger
from supervisione.leps.cofinancing import amount_per_year
from supervisione.lib.italian import euro_text

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

YEARS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Cofinancing(models.TextChoices):
    UNDECIDED = "", _("non ancora deciso")
    YES = "yes", _("sì")
    NO = "no", _("no")


class FnpsAllocation(Versioned):
    """The FNPS quota for supervision of one ATS, for one FNPS year or several together."""

    stale_subject = "Lo stanziamento FNPS è stato modificato"

    ambito = models.ForeignKey(
        "territory.Ambito", on_delete=models.PROTECT, related_name="fnps_allocations", verbose_name=_("ATS")
    )
    first_year = models.PositiveSmallIntegerField(_("prima annualità FNPS"), validators=YEARS)
    last_year = models.PositiveSmallIntegerField(
        _("ultima annualità FNPS"),
        validators=YEARS,
        help_text=_("Uguale alla prima se lo stanziamento è di un anno; 2024 per uno stanziamento 2023-2024."),
    )
    amount = models.DecimalField(
        _("importo per la supervisione (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    fnps_total = models.DecimalField(
        _("riparto FNPS dell'ATS (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Facoltativo: l'intero FNPS assegnato all'ATS per le stesse annualità, per la percentuale."),
    )
    decree_number = models.CharField(
        _("atto regionale di riparto"),
        max_length=250,
        blank=True,
        help_text=_("Il numero del decreto o della delibera che assegna la quota, ad esempio «D.D. n. 123»."),
    )
    decree_date = models.DateField(_("data dell'atto"), null=True, blank=True)
    plan_row = models.CharField(
        _("riga del Piano di Zona"),
        max_length=250,
        blank=True,
        help_text=_("Da dove viene l'importo, ad esempio «PdZ 2022-2024, tabella finanziaria, riga 2023»."),
    )
    spend_from = models.PositiveSmallIntegerField(
        _("spendibile dal"), null=True, blank=True, validators=YEARS, help_text=_("Anno. Vuoto: dalla prima annualità.")
    )
    spend_until = models.PositiveSmallIntegerField(
        _("spendibile fino al"),
        null=True,
        blank=True,
        validators=YEARS,
        help_text=_("Anno. Le quote FNPS si spendono spesso negli anni successivi. Vuoto: nessun termine indicato."),
    )
    note = models.TextField(_("note"), blank=True)
    # The ATS's decision to co-finance the partnership's supervision service with this quota, as recorded in a
    # meeting's minutes (``funding.cofinancing``, the hook meetings calls): yes or no, how much, the act.
    cofinancing = models.CharField(
        _("co-finanzia il servizio"), max_length=3, choices=Cofinancing.choices, blank=True, default=""
    )
    cofinancing_amount = models.DecimalField(
        _("importo del co-finanziamento (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cofinancing_act = models.CharField(_("atto del co-finanziamento"), max_length=250, blank=True)
    cofinancing_source = models.CharField(_("deciso in"), max_length=300, blank=True)

    if TYPE_CHECKING:
        entries: RelatedManager[LedgerEntry]

    class Meta:
        ordering = ["ambito__name", "-first_year"]
        verbose_name = _("stanziamento FNPS per la supervisione")
        verbose_name_plural = _("stanziamenti FNPS per la supervisione")
        constraints = [
            models.UniqueConstraint(
                fields=["ambito", "first_year"],
                name="fnps_allocation_once_per_first_year",
                violation_error_message=_("Per questo ATS uno stanziamento FNPS inizia già da quest'anno: modificalo."),
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fnps_allocation_amount_positive"),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="fnps_allocation_years_ordered"
            ),
            models.CheckConstraint(
                condition=Q(fnps_total__isnull=True) | Q(fnps_total__gte=models.F("amount")),
                name="fnps_allocation_within_fnps_total",
            ),
            models.CheckConstraint(
                condition=Q(spend_from__isnull=True)
                | Q(spend_until__isnull=True)
                | Q(spend_until__gte=models.F("spend_from")),
                name="fnps_allocation_spending_years_ordered",
            ),
            models.CheckConstraint(
                condition=Q(spend_until__isnull=True) | Q(spend_until__gte=models.F("first_year")),
                name="fnps_allocation_spent_after_its_year",
            ),
            models.CheckConstraint(
                condition=Q(cofinancing_amount__isnull=True)
                | (Q(cofinancing="yes") & Q(cofinancing_amount__gt=0) & Q(cofinancing_amount__lte=models.F("amount"))),
                name="fnps_allocation_cofinancing_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"Stanziamento FNPS {self.years_text} di {self.ambito.name}"

    @property
    def years_text(self) -> str:
        return ledger.years_text(self.first_year, self.last_year)

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1

    @property
    def per_year(self) -> Decimal:
        """One year of the allocation (amount / years, rounded down to the cent)."""
        return amount_per_year(self.amount, self.years)

    @property
    def share_percent(self) -> Decimal | None:
        if not self.fnps_total:
            return None
        return (self.amount * 100 / self.fnps_total).quantize(Decimal("0.1"))

    @property
    def spending_text(self) -> str:
        """The years the allocation may be spent in, in words."""
        start = self.spend_from or self.first_year
        if self.spend_until is None:
            return f"dal {start}"
        return str(start) if start == self.spend_until else f"dal {start} al {self.spend_until}"

    @property
    def cofinancing_text(self) -> str:
        """The co-financing decision in words, e.g. «sì, 3.000,00 €, delibera n. 12 del 2/5/2023»."""
        if self.cofinancing == Cofinancing.UNDECIDED:
            return "non ancora deciso"
        parts = [str(self.get_cofinancing_display())]
        if self.cofinancing_amount is not None:
            parts.append(euro_text(self.cofinancing_amount))
        if self.cofinancing_act:
            parts.append(self.cofinancing_act)
        return ", ".join(parts)

    def as_ledger(self) -> ledger.Allocation:
        return ledger.Allocation(self.pk, self.amount, self.first_year, self.last_year)


class Stage(models.TextChoices):
    PROGRAMMED = ledger.PROGRAMMED, _("programmazione")
    COMMITTED = ledger.COMMITTED, _("impegno")
    LIQUIDATED = ledger.LIQUIDATED, _("liquidazione")
    PAID = ledger.PAID, _("mandato di pagamento")


# The stages that are acts of the accounting office: each has a number and a contract.
ACT_STAGES = (Stage.COMMITTED, Stage.LIQUIDATED, Stage.PAID)
# The action code of each stage (``funding.commitment.created``...), and its slug in addresses.
STAGE_CODES = {
    Stage.PROGRAMMED: "programming",
    Stage.COMMITTED: "commitment",
    Stage.LIQUIDATED: "liquidation",
    Stage.PAID: "payment",
}
STAGE_SLUGS = {
    Stage.PROGRAMMED: "programmazione",
    Stage.COMMITTED: "impegno",
    Stage.LIQUIDATED: "liquidazione",
    Stage.PAID: "mandato",
}


class LedgerEntry(Versioned):
    """One act of an ATS's FNPS ledger on one of its allocations."""

    stale_subject = "Il movimento contabile è stato modificato"

    ambito = models.ForeignKey("territory.Ambito", on_delete=models.PROTECT, related_name="+", verbose_name=_("ATS"))
    allocation = models.ForeignKey(
        FnpsAllocation, on_delete=models.PROTECT, related_name="entries", verbose_name=_("stanziamento FNPS")
    )
    stage = models.CharField(_("fase"), max_length=20, choices=Stage.choices)
    amount = models.DecimalField(
        _("importo (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    date = models.DateField(_("data"))
    act_number = models.CharField(
        _("numero dell'atto"),
        max_length=100,
        blank=True,
        help_text=_("Con l'anno se la numerazione riparte ogni anno, ad esempio «45/2025»."),
    )
    contract = models.ForeignKey(
        "procurement.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contratto"),
    )
    # A POA may be deleted while a draft: its programming stays, saying so.
    plan = models.ForeignKey(
        "planning.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("POA")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("atto di riferimento"),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrato da"),
    )
    created_at = models.DateTimeField(_("registrato il"), auto_now_add=True)

    if TYPE_CHECKING:
        children: RelatedManager[LedgerEntry]

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("movimento contabile FNPS")
        verbose_name_plural = _("movimenti contabili FNPS")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_entry_amount_positive"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="ledger_entry_stage_known"),
            models.CheckConstraint(
                condition=Q(stage__in=[Stage.LIQUIDATED, Stage.PAID], parent__isnull=False)
                | Q(stage__in=[Stage.PROGRAMMED, Stage.COMMITTED], parent__isnull=True),
                name="ledger_entry_parent_by_stage",
            ),
            models.CheckConstraint(
                condition=Q(stage=Stage.PROGRAMMED) | (~Q(act_number="") & Q(contract__isnull=False)),
                name="ledger_entry_act_has_number_and_contract",
            ),
            models.UniqueConstraint(
                fields=["ambito", "stage", "act_number"],
                condition=~Q(act_number=""),
                name="ledger_entry_act_once",
                violation_error_message=_("Questo atto è già registrato per l'ATS: modificalo."),
            ),
        ]
        indexes = [models.Index(fields=["ambito", "stage"], name="ledger_entry_ambito_stage")]

    def __str__(self) -> str:
        number = f" n. {self.act_number}" if self.act_number else ""
        return f"{self.get_stage_display().capitalize()}{number} del {self.date:%d/%m/%Y}"

    @property
    def code(self) -> str:
        return STAGE_CODES[Stage(self.stage)]

    @property
    def slug(self) -> str:
        return STAGE_SLUGS[Stage(self.stage)]

    def as_ledger(self) -> ledger.Entry:
        return ledger.Entry(
            self.pk, self.allocation_id, self.stage, self.amount, self.date, self.act_number, self.parent_id
        )
