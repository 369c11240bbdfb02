"""The staff census (Allegato 2), the referents (Allegato 1) and the import jobs.

- A ``Person`` is identified by the codice fiscale across the whole country: the same social worker employed
  by two ATS is one person with two positions, never two people.
- A ``CensusCampaign`` is a partnership's request for the census of its ATS at a reference date, by a
  deadline; each member ATS answers with one ``Census`` (draft -> submitted -> validated, or returned).
- A ``Position`` is one post of a person in one census: employer, service, contract, weekly hours, funding,
  dates and the municipalities served. A new campaign starts from a copy of the ATS's previous census.
- An ``Equipe`` is a named multi-professional team of an ATS; positions whose service is "équipe
  multidisciplinare" belong to exactly one, so that the plan can build the A3 équipes from the census.
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
from supervisione.lib.codes import validate_personal_tax_code
from supervisione.territory.models import OrganisationKind

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Profession(models.TextChoices):
    # The values are those of leps.kinds.Profession, so that Profession(person.profession) works.
    SOCIAL_WORKER = "assistente_sociale", _("Assistente sociale")
    SPECIALIST_SOCIAL_WORKER = "assistente_sociale_specialista", _("Assistente sociale specialista")
    EDUCATOR = "educatore_professionale", _("Educatore professionale")
    PSYCHOLOGIST = "psicologo", _("Psicologo")
    SOCIOLOGIST = "sociologo", _("Sociologo")
    OSS = "oss", _("Operatore socio-sanitario (OSS)")
    MEDIATOR = "mediatore", _("Mediatore")
    ADMINISTRATIVE = "amministrativo", _("Amministrativo")
    OTHER = "altro", _("Altro")


# Both count as assistenti sociali for the LEPS ratio, c.797 and A1/A2 supervision.
SOCIAL_WORKER_PROFESSIONS = (Profession.SOCIAL_WORKER, Profession.SPECIALIST_SOCIAL_WORKER)


class AlboSection(models.TextChoices):
    A = "A", _("Sezione A")
    B = "B", _("Sezione B")


class Service(models.TextChoices):
    SSP = "ssp", _("Servizio sociale professionale")
    SEGRETARIATO = "segretariato", _("Segretariato sociale / PUA")
    EQUIPE = "equipe", _("Équipe multidisciplinare")
    UVM = "uvm", _("Unità di valutazione multidimensionale (UVM)")
    PIS = "pis", _("Pronto intervento sociale")
    OTHER = "other", _("Altro")


class Contract(models.TextChoices):
    PERMANENT = "permanent", _("Tempo indeterminato")
    FIXED_TERM = "fixed_term", _("Tempo determinato")
    AGENCY = "agency", _("Somministrazione")
    FREELANCE = "freelance", _("Libero-professionale")
    CONTRACTOR = "contractor", _("Dipendente di ente gestore/cooperativa")


class PostFunding(models.TextChoices):
    MUNICIPAL = "municipal", _("Bilancio comunale")
    FNPS = "fnps", _("FNPS")
    POVERTY = "poverty", _("Fondo Povertà / quota servizi")
    PON_PNRR = "pon_pnrr", _("PON / PNRR")
    OTHER = "other", _("Altro")


# c.797 (L. 178/2020) counts the permanent AS employed by a comune, the ATS or their bodies (consorzi, unioni),
# and those another body (an ASL, an azienda speciale...) employs to work for the ATS, when the census says so
# (``Position.on_behalf_of_ambito``, "in servizio per conto dell'ATS").
C797_EMPLOYER_KINDS = (OrganisationKind.COMUNE, OrganisationKind.ATS)
C797_Q = Q(person__profession__in=SOCIAL_WORKER_PROFESSIONS, contract=Contract.PERMANENT) & (
    Q(employer__kind__in=C797_EMPLOYER_KINDS) | Q(on_behalf_of_ambito=True)
)
SOCIAL_WORKER_Q = Q(person__profession__in=SOCIAL_WORKER_PROFESSIONS)


class Person(models.Model):
    surname = models.CharField(_("cognome"), max_length=100)
    name = models.CharField(_("nome"), max_length=100)
    tax_code = models.CharField(
        _("codice fiscale"), max_length=16, unique=True, validators=[validate_personal_tax_code]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    profession = models.CharField(_("profilo professionale"), max_length=40, choices=Profession.choices)
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
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="census_person",
        verbose_name=_("utente collegato"),
        help_text=_("L'account con cui la persona vede i propri gruppi, incontri e attestati."),
    )

    if TYPE_CHECKING:
        positions: RelatedManager[Position]

    class Meta:
        ordering = ["surname", "name", "tax_code"]
        verbose_name = _("persona")
        verbose_name_plural = _("persone")
        constraints = [
            # An assistente sociale is registered in the Albo: region, section and number are all known.
            models.CheckConstraint(
                name="person_social_worker_in_albo",
                condition=~Q(profession__in=SOCIAL_WORKER_PROFESSIONS)
                | (Q(albo_region__isnull=False) & ~Q(albo_section="") & ~Q(albo_number="")),
            ),
            # The title of "assistente sociale specialista" belongs to section A of the Albo.
            models.CheckConstraint(
                name="person_specialist_in_section_a",
                condition=~Q(profession=Profession.SPECIALIST_SOCIAL_WORKER) | Q(albo_section=AlboSection.A),
            ),
            models.CheckConstraint(name="person_albo_section_known", condition=Q(albo_section__in=["", "A", "B"])),
        ]

    def __str__(self) -> str:
        return f"{self.surname} {self.name}"

    @property
    def is_social_worker(self) -> bool:
        return self.profession in SOCIAL_WORKER_PROFESSIONS

    @property
    def albo_text(self) -> str:
        if not self.albo_section:
            return ""
        region = self.albo_region.name if self.albo_region else ""
        return f"{region}, sez. {self.albo_section}, n. {self.albo_number}"


DEFAULT_EQUIPE_NAME = "Équipe multidisciplinare"


class Equipe(models.Model):
    """A multi-professional team of an ATS (A3 organisational supervision is given to each)."""

    ambito = models.ForeignKey(
        "territory.Ambito", on_delete=models.PROTECT, related_name="equipes", verbose_name=_("ATS")
    )
    name = models.CharField(_("nome dell'équipe"), max_length=120)

    if TYPE_CHECKING:
        positions: RelatedManager[Position]

    class Meta:
        ordering = ["ambito__name", "name"]
        verbose_name = _("équipe")
        verbose_name_plural = _("équipe")
        constraints = [models.UniqueConstraint(fields=["ambito", "name"], name="equipe_name_unique_in_ambito")]

    def __str__(self) -> str:
        return self.name


class CensusCampaign(Versioned):
    """A partnership asks each member ATS for its staff census at a reference date, by a deadline."""

    stale_subject = "La campagna di censimento è stata modificata"

    partnership = models.ForeignKey(
        "territory.Partnership",
        on_delete=models.PROTECT,
        related_name="census_campaigns",
        verbose_name=_("partenariato"),
    )
    title = models.CharField(_("titolo"), max_length=200)
    reference_date = models.DateField(_("data di riferimento"), help_text=_("Il personale in servizio a questa data."))
    deadline = models.DateField(_("scadenza"), help_text=_("Entro quando gli ATS trasmettono il censimento."))
    notes = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        censuses: RelatedManager[Census]

    class Meta:
        ordering = ["-reference_date", "-pk"]
        verbose_name = _("campagna di censimento")
        verbose_name_plural = _("campagne di censimento")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("census:campaign_detail", args=[self.pk])


class CensusStatus(models.TextChoices):
    DRAFT = "draft", _("In compilazione")
    SUBMITTED = "submitted", _("Trasmesso")
    VALIDATED = "validated", _("Validato")
    RETURNED = "returned", _("Restituito per correzioni")


OPEN_STATUSES = (CensusStatus.DRAFT, CensusStatus.RETURNED)


class Census(models.Model):
    """The census (Allegato 2) of one ATS in one campaign."""

    campaign = models.ForeignKey(CensusCampaign, on_delete=models.CASCADE, related_name="censuses")
    ambito = models.ForeignKey(
        "territory.Ambito", on_delete=models.PROTECT, related_name="censuses", verbose_name=_("ATS")
    )
    status = models.CharField(_("stato"), max_length=12, choices=CensusStatus.choices, default=CensusStatus.DRAFT)
    submitted_at = models.DateTimeField(_("trasmesso il"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trasmesso da"),
    )
    reviewed_at = models.DateTimeField(_("esaminato il"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("esaminato da"),
    )
    return_reason = models.TextField(_("motivo della restituzione"), blank=True)

    if TYPE_CHECKING:
        positions: RelatedManager[Position]

    class Meta:
        ordering = ["campaign", "ambito__name"]
        verbose_name = _("censimento di un ATS")
        verbose_name_plural = _("censimenti degli ATS")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "ambito"], name="census_one_per_ambito_and_campaign"),
            models.CheckConstraint(
                name="census_returned_has_reason",
                condition=~Q(status=CensusStatus.RETURNED) | ~Q(return_reason=""),
            ),
            models.CheckConstraint(
                name="census_submitted_has_date",
                condition=~Q(status__in=[CensusStatus.SUBMITTED, CensusStatus.VALIDATED])
                | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Censimento {self.ambito.name} - {self.campaign.title}"

    def get_absolute_url(self) -> str:
        return reverse("census:census_detail", args=[self.campaign_id, self.ambito.code])

    @property
    def is_open(self) -> bool:
        """Draft or returned: the ATS is still filling it in."""
        return self.status in OPEN_STATUSES

    def is_late(self, today: datetime.date) -> bool:
        return self.is_open and today > self.campaign.deadline

    @property
    def submitted_late(self) -> bool:
        return self.submitted_at is not None and self.submitted_at.date() > self.campaign.deadline


class Position(Versioned):
    """One post of a person in one census."""

    stale_subject = "La posizione è stata modificata"

    census = models.ForeignKey(Census, on_delete=models.CASCADE, related_name="positions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions", verbose_name=_("persona"))
    employer = models.ForeignKey(
        "territory.Organisation",
        on_delete=models.PROTECT,
        related_name="census_positions",
        verbose_name=_("ente datore di lavoro"),
    )
    service = models.CharField(_("servizio"), max_length=20, choices=Service.choices)
    # For "Altro": the service as the ATS wrote it (an import keeps the text it did not recognise).
    service_detail = models.CharField(_("servizio (come indicato)"), max_length=120, blank=True)
    equipe = models.ForeignKey(
        Equipe,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("équipe"),
    )
    contract = models.CharField(_("tipo di contratto"), max_length=20, choices=Contract.choices)
    weekly_hours = models.DecimalField(
        _("ore settimanali"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(48)],
    )
    funding = models.CharField(_("finanziamento del posto"), max_length=20, choices=PostFunding.choices, blank=True)
    start_date = models.DateField(_("data di inizio"), null=True, blank=True)
    end_date = models.DateField(_("data di fine"), null=True, blank=True)
    municipalities = models.ManyToManyField(
        "territory.Municipality", blank=True, related_name="census_positions", verbose_name=_("comuni di servizio")
    )
    # An employer of another kind (an ASL, an azienda speciale, another public body) whose social worker works
    # in the ATS's services for the ATS: counted for c.797 as the ATS's own when permanent. A comune's or the
    # ATS's staff work for it anyway, and count whatever this says.
    on_behalf_of_ambito = models.BooleanField(
        _("in servizio per conto dell'ATS"),
        default=False,
        help_text=_(
            "Per chi è dipendente di un ente che non è un comune né l'ATS (ad esempio l'ASL in delega, un'azienda "
            "speciale): lavora nei servizi sociali dell'ATS per conto dell'ATS. Se assistente sociale a tempo "
            "indeterminato, conta per il c.797."
        ),
    )

    class Meta:
        ordering = ["person__surname", "person__name", "pk"]
        verbose_name = _("posizione")
        verbose_name_plural = _("posizioni")
        constraints = [
            # The import matches a row to a position by these four: one position per person, employer, service.
            models.UniqueConstraint(
                fields=["census", "person", "employer", "service"], name="position_unique_in_census"
            ),
            models.CheckConstraint(
                name="position_hours_in_range", condition=Q(weekly_hours__gt=0) & Q(weekly_hours__lte=48)
            ),
            models.CheckConstraint(
                name="position_dates_ordered",
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="position_equipe_iff_equipe_service",
                condition=(Q(service=Service.EQUIPE) & Q(equipe__isnull=False))
                | (~Q(service=Service.EQUIPE) & Q(equipe__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} - {self.service_text} ({self.employer})"

    @property
    def service_text(self) -> str:
        """The service's name: for "Altro", the name the ATS gave it, when known."""
        if self.service == Service.OTHER and self.service_detail:
            return f"Altro: {self.service_detail}"
        return str(self.get_service_display())

    def is_active_at(self, when: datetime.date) -> bool:
        return (self.start_date is None or self.start_date <= when) and (self.end_date is None or self.end_date >= when)

    @property
    def counts_for_c797(self) -> bool:
        """A permanent assistente sociale employed by a comune, the ATS or their bodies, or by another body on the
        ATS's behalf (L. 178/2020 c.797): ``C797_Q`` for one position."""
        return (
            self.person.profession in SOCIAL_WORKER_PROFESSIONS
            and self.contract == Contract.PERMANENT
            and (self.employer.kind in C797_EMPLOYER_KINDS or self.on_behalf_of_ambito)
        )


def active_at_q(when: datetime.date, prefix: str = "") -> Q:
    """Positions in service on ``when`` (open dates count as in service)."""
    return (Q(**{f"{prefix}start_date__isnull": True}) | Q(**{f"{prefix}start_date__lte": when})) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": when})
    )


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("In attesa di lettura")
    READING = "reading", _("Lettura e controllo del file")
    READY = "ready", _("Anteprima pronta")
    DONE = "done", _("Importato")
    CANCELLED = "cancelled", _("Annullato")
    FAILED = "failed", _("Non importabile")


class ImportJob(models.Model):
    """An upload of a census file, read and checked by a background task (``census.jobs``), then confirmed.

    The file's bytes are kept only until it has been read; its valid rows only until they are imported or the
    import is cancelled. What remains is the report: counts, the first problems and the others by column.
    """

    census = models.ForeignKey(Census, on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(_("file"), max_length=200)
    kind = models.CharField(max_length=10)
    status = models.CharField(_("stato"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    # When the task began reading: a job that reads far longer than the time limit was stopped (jobs.py).
    started_at = models.DateTimeField(null=True, blank=True)
    content = models.BinaryField(default=b"", editable=False)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # The validated values of each valid row, until they are imported.
    parsed = models.JSONField(default=list, editable=False)
    # The first problems ({row, column, message}, in sheet order); all of them are counted.
    errors = models.JSONField(default=list, editable=False)
    error_count = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    # Problems beyond those listed, by column: {"Codice fiscale": 1234}.
    errors_not_listed = models.JSONField(default=dict, editable=False)
    notices = models.JSONField(default=list, editable=False)
    report = models.JSONField(default=dict, editable=False)
    only_valid = models.BooleanField(_("solo righe valide"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("importazione del censimento")
        verbose_name_plural = _("importazioni del censimento")

    def __str__(self) -> str:
        return f"Importazione {self.filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("census:import_detail", args=[self.pk])

    @property
    def working(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.READING)


class ReferentRequest(models.Model):
    """The capofila asks each member ATS to designate its referent (Allegato 1) by a deadline."""

    partnership = models.ForeignKey(
        "territory.Partnership",
        on_delete=models.PROTECT,
        related_name="referent_requests",
        verbose_name=_("partenariato"),
    )
    title = models.CharField(_("titolo"), max_length=200, default="Designazione dei referenti (Allegato 1)")
    deadline = models.DateField(_("scadenza"))
    message = models.TextField(_("testo della richiesta"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        designations: RelatedManager[ReferentDesignation]

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("richiesta di designazione dei referenti")
        verbose_name_plural = _("richieste di designazione dei referenti")

    def __str__(self) -> str:
        return f"{self.title} - scadenza {self.deadline:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("census:referent_request_detail", args=[self.pk])


class ReferentDesignation(Versioned):
    """The referent an ATS designated in answer to a request (Allegato 1)."""

    stale_subject = "La designazione del referente è stata modificata"

    request = models.ForeignKey(ReferentRequest, on_delete=models.CASCADE, related_name="designations")
    ambito = models.ForeignKey(
        "territory.Ambito", on_delete=models.PROTECT, related_name="referent_designations", verbose_name=_("ATS")
    )
    full_name = models.CharField(_("nome e cognome"), max_length=200)
    tax_code = models.CharField(
        _("codice fiscale"),
        max_length=16,
        blank=True,
        default="",
        validators=[validate_personal_tax_code],
        help_text=_("Per collegare l'account del referente alla sua persona del censimento, se vi compare."),
    )
    role = models.CharField(
        _("ruolo o qualifica"), max_length=200, help_text=_("Es. responsabile dell'Ufficio di Piano.")
    )
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    act_number = models.CharField(
        _("atto di designazione: numero"), max_length=60, help_text=_("Es. determina n. 123 o decreto n. 4/2023.")
    )
    act_date = models.DateField(_("atto di designazione: data"))
    answered_on = models.DateField(_("risposta ricevuta il"))

    class Meta:
        ordering = ["ambito__name"]
        verbose_name = _("referente designato")
        verbose_name_plural = _("referenti designati")
        constraints = [models.UniqueConstraint(fields=["request", "ambito"], name="referent_one_per_ambito")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.ambito.code})"

    @property
    def answered_late(self) -> bool:
        return self.answered_on > self.request.deadline
