"""Planning: the LEPS parameters in force from a date (the annual plans come with issue 4)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from supervisione.planning.rules import DEFAULT_RULES, LepsRules, Prorate

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


class RuleSet(models.Model):
    """The values of the LEPS rules that apply from ``valid_from`` until the next rule set."""

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
        _("decimali degli FTE"), default=DEFAULT_RULES.fte_decimals, validators=[MaxValueValidator(4)]
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
