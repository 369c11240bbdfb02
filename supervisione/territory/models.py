"""Regions, municipalities, ATS (Ambiti Territoriali Sociali), partnerships and organisations.

ATS boundaries change over time (Veneto went from 21 to 24 ATS in 2024-25), so an ATS and each
municipality membership carry validity dates, and the population of an ATS is always computed *at a date*.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supervisione.audit.models import Versioned
from supervisione.lib import clock
from supervisione.lib.codes import (
    AMBITO_CODE_MESSAGE,
    AMBITO_CODE_PATTERN,
    PARTNERSHIP_CODE_MESSAGE,
    PARTNERSHIP_CODE_PATTERN,
    validate_ambito_code,
    validate_ministry_prefix,
    validate_organisation_tax_code,
    validate_partita_iva,
    validate_partnership_code,
    validate_region_code,
)

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

istat_municipality_code = RegexValidator(r"^\d{6}$", _("Il codice ISTAT del comune ha 6 cifre (es. 075061)."))
ambito_code_validator = RegexValidator(f"^{AMBITO_CODE_PATTERN}$", AMBITO_CODE_MESSAGE)
partnership_code_validator = RegexValidator(f"^{PARTNERSHIP_CODE_PATTERN}$", PARTNERSHIP_CODE_MESSAGE)
cup_validator = RegexValidator(r"^[A-Z0-9]{15}$", _("Il CUP è formato da 15 caratteri alfanumerici."))


class Region(Versioned):
    stale_subject = "La regione è stata modificata"

    istat_code = models.CharField(_("codice ISTAT"), max_length=2, unique=True)
    name = models.CharField(_("nome"), max_length=60, unique=True)
    # Prefix of the ministry ATS codes (VEN in VEN_09). Not an official list: editable reference data.
    ministry_prefix = models.CharField(_("sigla ministeriale"), max_length=4, unique=True)

    class Meta:
        ordering = ["istat_code"]
        verbose_name = _("regione")
        verbose_name_plural = _("regioni")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The code is in addresses: never written unless it matches, whoever writes (forms check it first).
        validate_region_code(self.istat_code)
        validate_ministry_prefix(self.ministry_prefix)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("territory:region_detail", args=[self.istat_code])


class Municipality(Versioned):
    stale_subject = "Il comune è stato modificato"

    istat_code = models.CharField(_("codice ISTAT"), max_length=6, unique=True, validators=[istat_municipality_code])
    name = models.CharField(_("nome"), max_length=120)
    province = models.CharField(_("provincia"), max_length=80)
    province_code = models.CharField(_("sigla provincia"), max_length=2)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")

    if TYPE_CHECKING:
        populations: RelatedManager[MunicipalityPopulation]

    class Meta:
        ordering = ["name"]
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        indexes = [models.Index(fields=["region", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.province_code})"

    def get_absolute_url(self) -> str:
        return reverse("territory:municipality_detail", args=[self.istat_code])


class MunicipalityPopulation(models.Model):
    """Resident population of a municipality on a reference date, with its source."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="populations")
    reference_date = models.DateField(_("data di riferimento"))
    population = models.PositiveIntegerField(_("popolazione residente"))
    source = models.CharField(_("fonte"), max_length=200, blank=True)

    class Meta:
        ordering = ["municipality", "-reference_date"]
        verbose_name = _("popolazione del comune")
        verbose_name_plural = _("popolazioni dei comuni")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date"], name="population_one_per_municipality_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.population} al {self.reference_date:%d/%m/%Y}"


class Ambito(Versioned):
    """An Ambito Territoriale Sociale (ATS): municipalities that plan and run social services together."""

    stale_subject = "L'ATS è stato modificato"

    code = models.CharField(
        _("codice ministeriale"),
        max_length=30,
        unique=True,
        validators=[ambito_code_validator],
        help_text=_("Es. VEN_09. Identifica l'ATS negli indirizzi e nei comandi."),
    )
    istat_code = models.CharField(
        _("codice ISTAT dell'ATS"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^T\d{5}$", _("Il codice ISTAT dell'ATS ha la forma T + 5 cifre."))],
    )
    name = models.CharField(_("denominazione"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="ambiti", verbose_name=_("regione"))
    capofila_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comune capofila"),
    )
    managing_body = models.CharField(
        _("ente gestore"), max_length=250, blank=True, help_text=_("Es. consorzio, unione di comuni.")
    )
    office_address = models.CharField(_("indirizzo dell'Ufficio di Piano"), max_length=250, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    # Registers alone are the evidence of a session unless the ATS also asks for the sign-in sheet signed and scanned
    # (PNRR close-out and evidence pack: a confirmed register of its people without one is then missing).
    requires_signed_scans = models.BooleanField(
        _("foglio firme firmato obbligatorio"),
        default=False,
        help_text=_(
            "Per ogni incontro con operatori dell'ATS va caricata la scansione del foglio firme firmato: senza, la "
            "chiusura del progetto PNRR e il pacchetto di evidenze lo segnalano come mancante."
        ),
    )
    composition_verified = models.BooleanField(
        _("composizione verificata"),
        default=True,
        help_text=_(
            "Falso quando l'elenco dei comuni non viene da un atto: la pagina mostra «composizione indicativa»."
        ),
    )
    valid_from = models.DateField(_("valido dal"), null=True, blank=True)
    valid_to = models.DateField(_("valido fino al"), null=True, blank=True)
    notes = models.TextField(_("note"), blank=True)

    if TYPE_CHECKING:
        memberships: RelatedManager[AmbitoMembership]
        join_requests: RelatedManager[JoinRequest]

    class Meta:
        ordering = ["region__istat_code", "name"]
        verbose_name = _("ambito territoriale sociale")
        verbose_name_plural = _("ambiti territoriali sociali")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="ambito_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The code is in addresses: never written unless it matches, whoever writes (forms check it first).
        validate_ambito_code(self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("territory:ambito_detail", args=[self.code])

    def municipalities_at(self, when: datetime.date) -> models.QuerySet[Municipality]:
        return Municipality.objects.filter(
            Q(ambito_memberships__valid_to__isnull=True) | Q(ambito_memberships__valid_to__gte=when),
            ambito_memberships__ambito=self,
            ambito_memberships__valid_from__lte=when,
        ).distinct()


class AmbitoMembership(models.Model):
    """A municipality belongs to an ATS from ``valid_from`` to ``valid_to`` (open-ended when empty)."""

    ambito = models.ForeignKey(Ambito, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="ambito_memberships", verbose_name=_("comune")
    )
    valid_from = models.DateField(_("dal"))
    valid_to = models.DateField(_("al"), null=True, blank=True)

    class Meta:
        ordering = ["municipality__name", "valid_from"]
        verbose_name = _("appartenenza di un comune all'ATS")
        verbose_name_plural = _("comuni dell'ATS")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_validity_ordered",
            ),
            models.UniqueConstraint(fields=["ambito", "municipality", "valid_from"], name="membership_unique_start"),
        ]

    def __str__(self) -> str:
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "oggi"
        return f"{self.municipality.name} in {self.ambito.code} dal {self.valid_from:%d/%m/%Y} a {end}"

    def is_valid_at(self, when: datetime.date) -> bool:
        return self.valid_from <= when and (self.valid_to is None or self.valid_to >= when)


class FundingMeasure(models.TextChoices):
    PNRR_114 = "pnrr_114", _("PNRR M5C2 1.1.4 (supervisione e prevenzione del burn out)")
    FNPS = "fnps", _("FNPS - quota supervisione")
    OTHER = "other", _("Altro finanziamento")


class Partnership(Versioned):
    """A sovrambito: a capofila ATS and its partner ATS running one supervision project together."""

    stale_subject = "Il partenariato è stato modificato"

    code = models.CharField(
        _("codice"),
        max_length=40,
        unique=True,
        validators=[partnership_code_validator],
        help_text=_("Identifica il partenariato negli indirizzi e nei comandi (es. POGGIARDO-114)."),
    )
    name = models.CharField(_("denominazione"), max_length=200)
    capofila = models.ForeignKey(
        Ambito, on_delete=models.PROTECT, related_name="led_partnerships", verbose_name=_("ATS capofila")
    )
    members = models.ManyToManyField(
        Ambito, through="PartnershipMember", related_name="partnerships", verbose_name=_("ATS partner")
    )
    measure = models.CharField(
        _("misura di finanziamento"),
        max_length=20,
        choices=FundingMeasure.choices,
        default=FundingMeasure.PNRR_114,
    )
    cup = models.CharField(_("CUP"), max_length=15, blank=True, validators=[cup_validator])
    # A project of one ATS (PNRR 1.1.4 allowed it): nobody is asked to invite partner ATS.
    single_ambito = models.BooleanField(
        _("progetto di un solo ATS"),
        default=False,
        help_text=_("Il progetto riguarda solo l'ATS capofila: non servono ATS partner."),
    )
    start_date = models.DateField(_("inizio"), null=True, blank=True)
    end_date = models.DateField(_("fine"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    notes = models.TextField(_("note"), blank=True)

    if TYPE_CHECKING:
        memberships: RelatedManager[PartnershipMember]
        join_requests: RelatedManager[JoinRequest]

    class Meta:
        ordering = ["code"]
        verbose_name = _("partenariato")
        verbose_name_plural = _("partenariati")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="partnership_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The code is in addresses: never written unless it matches, whoever writes (forms check it first).
        validate_partnership_code(self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("territory:partnership_detail", args=[self.code])


class PartnershipMemberQuerySet(models.QuerySet["PartnershipMember"]):
    def in_force(self, on: datetime.date | None = None) -> PartnershipMemberQuerySet:
        """Memberships in force on a day (today by default): joined by then and not yet left.

        Only these open an ATS to a partnership's coordinators and supervisors (and the partnership to the
        ATS's referents): an ATS that left, or has not joined yet, is not theirs to see. The partnership's own
        end date does not close a membership, so that an ended project stays readable for its audits; joining
        another partnership does (``territory.actions``).
        """
        day = on or clock.today()
        return self.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=day)).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=day)
        )


class PartnershipMember(models.Model):
    """An ATS taking part in a partnership, from ``joined_on`` to ``left_on``; the capofila is a member too."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    ambito = models.ForeignKey(
        Ambito, on_delete=models.PROTECT, related_name="partnership_memberships", verbose_name=_("ATS")
    )
    joined_on = models.DateField(_("aderisce dal"), null=True, blank=True)
    left_on = models.DateField(
        _("aderisce fino al"),
        null=True,
        blank=True,
        help_text=_("Vuoto finché l'ATS fa parte del partenariato."),
    )

    objects = PartnershipMemberQuerySet.as_manager()

    class Meta:
        ordering = ["ambito__name"]
        verbose_name = _("ATS del partenariato")
        verbose_name_plural = _("ATS del partenariato")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "ambito"], name="partnership_member_once"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="partnership_member_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ambito.code} in {self.partnership.code}"

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        """The days the ATS takes part, the partnership's own period filling what the membership leaves open."""
        return membership_period(self.partnership, self.joined_on, self.left_on)


def membership_period(
    partnership: Partnership, joined_on: datetime.date | None, left_on: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    """First and last day of a membership; without dates, the partnership's; without those, unbounded."""
    start = joined_on or partnership.start_date or datetime.date.min
    end = left_on or partnership.end_date or datetime.date.max
    return start, end


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("in attesa di risposta")
    ACCEPTED = "accepted", _("accettata")
    REFUSED = "refused", _("rifiutata")
    WITHDRAWN = "withdrawn", _("ritirata")


class JoinRequest(models.Model):
    """A partnership's coordinator asks an ATS to join; the ATS (its referent, or the coordinator of a
    partnership it leads) accepts or refuses. Nobody but an administrator adds an ATS without its consent."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("partenariato")
    )
    ambito = models.ForeignKey(Ambito, on_delete=models.PROTECT, related_name="join_requests", verbose_name=_("ATS"))
    joined_on = models.DateField(_("aderisce dal"))
    message = models.TextField(_("messaggio all'ATS"), blank=True)
    status = models.CharField(
        _("stato"), max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chiesta da"),
    )
    requested_at = models.DateTimeField(_("chiesta il"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("risposta di"),
    )
    answered_at = models.DateTimeField(_("risposta il"), null=True, blank=True)
    answer_note = models.TextField(_("motivazione"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("richiesta di adesione")
        verbose_name_plural = _("richieste di adesione")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "ambito"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            ),
            models.CheckConstraint(condition=Q(status__in=JoinRequestStatus.values), name="join_request_status_known"),
            models.CheckConstraint(
                condition=Q(status="pending", answered_at__isnull=True)
                | (~Q(status="pending") & Q(answered_at__isnull=False)),
                name="join_request_answered_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"Richiesta di adesione di {self.ambito.code} a {self.partnership.code}"

    def get_absolute_url(self) -> str:
        return reverse("territory:join_request_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == JoinRequestStatus.PENDING


class OrganisationKind(models.TextChoices):
    COMUNE = "comune", _("Comune")
    ATS = "ats", _("ATS / consorzio / unione di comuni")
    ASL = "asl", _("Azienda sanitaria (ASL/ASP/ASST)")
    COOPERATIVE = "cooperative", _("Cooperativa / ente del terzo settore")
    COMPANY = "company", _("Impresa")
    PROFESSIONAL = "professional", _("Libero professionista")
    UNIVERSITY = "university", _("Università / ente di formazione")
    OTHER = "other", _("Altro")


class Organisation(Versioned):
    """An employer or provider: a comune, an ATS body, an ASL, a cooperative, a professional..."""

    stale_subject = "L'organizzazione è stata modificata"

    name = models.CharField(_("denominazione"), max_length=250)
    kind = models.CharField(_("tipo"), max_length=20, choices=OrganisationKind.choices)
    tax_code = models.CharField(
        _("codice fiscale"),
        max_length=16,
        blank=True,
        validators=[validate_organisation_tax_code],
        help_text=_("11 cifre per enti e società, 16 caratteri per le persone fisiche."),
    )
    vat_number = models.CharField(_("partita IVA"), max_length=11, blank=True, validators=[validate_partita_iva])
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sede (comune)"),
    )
    address = models.CharField(_("indirizzo"), max_length=250, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    # The tenant on whose behalf a user registered the organisation: it may correct it before any use links
    # it to its records (territory/organisation_use.py). Empty for administrators' and imports' entries.
    created_for_partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrata per il partenariato"),
    )
    created_for_ambito = models.ForeignKey(
        Ambito,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrata per l'ATS"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organizzazione")
        verbose_name_plural = _("organizzazioni")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="organisation_tax_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(created_for_partnership__isnull=True) | Q(created_for_ambito__isnull=True),
                name="organisation_created_for_one_tenant",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territory:organisation_detail", args=[self.pk])

    @property
    def is_person(self) -> bool:
        """A freelance professional is a person: tax code and contacts are personal data."""
        return self.kind == OrganisationKind.PROFESSIONAL
