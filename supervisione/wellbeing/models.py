"""Anonymous questionnaire waves (issue 19): who is asked is kept apart from what is answered.

- ``Wave``: one questionnaire (an instrument's key and version) given to one unit (a plan group or équipe, or a
  whole ATS or partnership, the wave's tenant) between two days; ``round`` 0 is the baseline, 1, 2... the
  follow-ups. Created by those who edit the tenant.
- ``Invitation``: who was asked and whether they have answered, to refuse a second answer and to remind the
  others. Only the SHA-256 of the personal link's token is kept. No day of answer, no link to any answer.
- ``Answer`` and ``Comment``: what was answered, with the wave only. No user, person, token, IP or time; a random
  UUID as key, so that no order of keys follows the order of the invitations; the optional free text is a row of
  its own, not joined to the scores. When the wave closes (``actions.close_wave``) its answers are written again
  in a random order with new keys and its invitations are deleted, keeping only the two counts on the wave, so
  that not even the order of rows on disk follows the order in which people answered.

``tests/test_anonymity.py`` reads every field of these models and fails on any that could link an answer to a
person.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supervisione.territory.tenancy import ONE_TENANT, TenantOwned
from supervisione.wellbeing import instruments

if TYPE_CHECKING:
    import datetime

    from django.db.models.fields.related_descriptors import RelatedManager


class Wave(TenantOwned):
    group = models.ForeignKey(
        "planning.PlanGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gruppo o équipe"),
        help_text=_("Vuoto: la rilevazione riguarda tutto l'ATS o tutto il partenariato."),
    )
    round = models.PositiveSmallIntegerField(
        _("rilevazione"), help_text=_("0 è la rilevazione iniziale (baseline), 1, 2… i follow-up.")
    )
    instrument_key = models.CharField(_("questionario"), max_length=40)
    instrument_version = models.CharField(_("versione del questionario"), max_length=10)
    opens_on = models.DateField(_("aperta dal"))
    closes_on = models.DateField(_("aperta fino al"))
    note = models.CharField(_("nota"), max_length=250, blank=True)
    closed = models.BooleanField(_("chiusa"), default=False, editable=False)
    # Set when the wave closes and its invitations are deleted: the response rate stays, who was asked goes.
    invited_count = models.PositiveIntegerField(default=0, editable=False)
    answered_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    if TYPE_CHECKING:
        invitations: RelatedManager[Invitation]
        answers: RelatedManager[Answer]

    class Meta:
        ordering = ["round", "opens_on", "pk"]
        verbose_name = _("rilevazione")
        verbose_name_plural = _("rilevazioni")
        constraints = [
            models.CheckConstraint(condition=ONE_TENANT, name="wave_one_tenant"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="wave_closes_after_opening"),
            # Each round of a questionnaire once per unit: a group (whose plan has one tenant), or a whole tenant.
            models.UniqueConstraint(
                fields=["group", "instrument_key", "round"],
                condition=Q(group__isnull=False),
                name="wave_round_once_per_group",
            ),
            models.UniqueConstraint(
                fields=["partnership", "instrument_key", "round"],
                condition=Q(group__isnull=True, partnership__isnull=False),
                name="wave_round_once_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["ambito", "instrument_key", "round"],
                condition=Q(group__isnull=True, ambito__isnull=False),
                name="wave_round_once_per_ambito",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_label}, {self.unit_name}"

    def get_absolute_url(self) -> str:
        return reverse("wellbeing:wave_detail", args=[self.pk])

    @property
    def instrument(self) -> instruments.Instrument:
        return instruments.get(self.instrument_key, self.instrument_version)

    @property
    def round_label(self) -> str:
        return "Rilevazione iniziale" if self.round == 0 else f"Follow-up {self.round}"

    @property
    def unit_name(self) -> str:
        if self.group is not None:
            return self.group.name
        return self.tenant.name

    @property
    def year(self) -> int:
        """The year of the series the wave belongs to: its group's plan, else the year it opens. A baseline and its
        follow-ups are compared within a year; a new plan's groups start a new series."""
        return self.group.plan.year if self.group is not None else self.opens_on.year

    def is_open_on(self, day: datetime.date) -> bool:
        return not self.closed and self.opens_on <= day <= self.closes_on


class Invitation(models.Model):
    """One person asked to answer a wave. Kept apart from the answers; deleted when the wave closes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, editable=False)
    answered = models.BooleanField(_("ha risposto"), default=False)
    reminded_on = models.DateField(_("ultimo sollecito"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("invito")
        verbose_name_plural = _("inviti")
        constraints = [
            models.UniqueConstraint(fields=["wave", "email"], name="wellbeing_invitation_once_per_wave"),
            models.UniqueConstraint(fields=["token_hash"], name="wellbeing_invitation_token_once"),
        ]

    def __str__(self) -> str:
        return self.email


class Answer(models.Model):
    """One questionnaire answered: the options chosen (item key -> option index, or null) and the scale scores
    they gave under the wave's instrument version. Nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="answers")
    values = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("risposta")
        verbose_name_plural = _("risposte")

    def __str__(self) -> str:
        return "Risposta anonima"


class Comment(models.Model):
    """The optional free text of an answer, stored apart from its scores."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(max_length=2000)

    class Meta:
        verbose_name = _("commento")
        verbose_name_plural = _("commenti")

    def __str__(self) -> str:
        return "Commento anonimo"


class ObjectiveKind(models.TextChoices):
    """How an objective's indicator reads the tenant's results: on the CBI scale chosen, all units pooled, the
    baseline against the last follow-up closed (or that follow-up alone against a target)."""

    SHARE_FALLS = "share_falls", _("quota a 50 punti o più in calo rispetto alla rilevazione iniziale")
    MEAN_FALLS = "mean_falls", _("punteggio medio in calo rispetto alla rilevazione iniziale")
    SHARE_AT_MOST = "share_at_most", _("quota a 50 punti o più all'ultima rilevazione non oltre il valore (%)")
    MEAN_AT_MOST = "mean_at_most", _("punteggio medio all'ultima rilevazione non oltre il valore")


TARGETED = (ObjectiveKind.SHARE_AT_MOST, ObjectiveKind.MEAN_AT_MOST)


class Objective(TenantOwned):
    """An objective of a tender or of the Piano Sociale di Zona (e.g. "prevenire e contrastare il burn out"), with
    the indicator that says whether it was reached from the tenant's burn-out waves of one year.

    It belongs to the partnership or ATS (the tenant of the waves), not to a contract or a POA: the waves and
    their results table are the tenant's per year, a Piano di Zona is no contract, a tenant may have several
    contracts in a year and a POA several versions, and the objective must not change with either."""

    title = models.CharField(_("obiettivo"), max_length=250)
    source = models.CharField(
        _("fonte"), max_length=250, blank=True, help_text=_("Es. «Capitolato di gara, obiettivo 1», «Piano di Zona»")
    )
    year = models.PositiveSmallIntegerField(_("anno delle rilevazioni"))
    scale_key = models.CharField(_("scala"), max_length=40)
    kind = models.CharField(_("indicatore"), max_length=20, choices=ObjectiveKind.choices)
    target = models.DecimalField(
        _("valore"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Solo per «non oltre il valore»."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("obiettivo")
        verbose_name_plural = _("obiettivi")
        constraints = [
            models.CheckConstraint(condition=ONE_TENANT, name="objective_one_tenant"),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in TARGETED], target__isnull=False)
                | (~Q(kind__in=[kind.value for kind in TARGETED]) & Q(target__isnull=True)),
                name="objective_target_with_its_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"
