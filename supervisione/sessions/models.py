"""Sessions of supervision, their attendance registers and the documents that prove them.

- A ``Session`` is one meeting of a group of the annual plan (A1 group, A3 équipe, extra-LEPS group) or of
  one supervisee with the supervisor (A2, charged to an A1 group's pool): date, times, modality, supervisor,
  contract and funding source. It may belong to a ``Series`` (a recurring booking). A cancelled session stays,
  with its reason; a rescheduled one keeps its identity (and its calendar UID) with a higher ``sequence``.
- An ``Attendance`` is one expected participant of a session: present, partial (with minutes), absent
  (justified or not). The supervisor confirms the register, which locks it: later changes need a reason and
  are audited. Hours delivered are counted only from confirmed registers.
- A ``RegisterDocument`` is a final register issued as PDF: stored as generated, with its SHA-256, so that a
  copy can be verified; a change to a confirmed register supersedes it with a new version.
- A ``SignedScan`` is the paper sign-in sheet signed by the participants, scanned and uploaded.
- A ``SupervisorNote`` is the supervisor's private note on a session, encrypted at rest and shown to its
  author alone. ``SessionTopic`` records what was discussed only as categories, never case content.
- A ``FeedToken`` is the private address of an iCalendar feed (a user's own, or a group's), revocable.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supervisione.leps.choices import SupervisionTypeChoices
from supervisione.leps.kinds import SupervisionType

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

ROME = ZoneInfo("Europe/Rome")


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In presenza")
    REMOTE = "remote", _("Da remoto")
    MIXED = "mixed", _("Mista (in presenza e da remoto)")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("In programma")
    CANCELLED = "cancelled", _("Annullato")


class RegisterStatus(models.TextChoices):
    OPEN = "open", _("Da confermare")
    CONFIRMED = "confirmed", _("Confermato")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Settimanale (ogni N settimane)")
    MONTHLY = "monthly", _("Mensile (stesso giorno della settimana)")


class Series(models.Model):
    """A recurring booking: the rule as the user gave it; its sessions are ordinary sessions."""

    frequency = models.CharField(_("ricorrenza"), max_length=10, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(
        _("ogni"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    first_date = models.DateField(_("primo incontro"))
    until = models.DateField(_("fino al"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("numero di incontri"), null=True, blank=True)
    description = models.CharField(_("regola"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("serie di incontri")
        verbose_name_plural = _("serie di incontri")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True, count__isnull=False) | Q(until__isnull=False, count__isnull=True),
                name="series_ends_by_date_or_count",
            ),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="series_frequency_known"),
        ]

    def __str__(self) -> str:
        return self.description


class Session(models.Model):
    kind = models.CharField(_("tipo di supervisione"), max_length=10, choices=SupervisionTypeChoices.choices)
    group = models.ForeignKey(
        "planning.PlanGroup",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("gruppo"),
        help_text=_("Per la supervisione individuale (A2): il gruppo A1 dal cui monte ore si attinge."),
    )
    # The plan's tenant, copied from the group so that calendars and the audit log filter without joins.
    partnership = models.ForeignKey(
        "territory.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partenariato"),
    )
    # The ATS of the group's people when they are all of one ATS (always for A2 and A3), else empty.
    ambito = models.ForeignKey(
        "territory.Ambito", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ATS")
    )
    supervisee = models.ForeignKey(
        "census.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="individual_sessions",
        verbose_name=_("persona supervisionata"),
        help_text=_("Solo per la supervisione individuale (A2)."),
    )
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions", verbose_name=_("serie")
    )
    date = models.DateField(_("data"))
    start_time = models.TimeField(_("inizio"))
    end_time = models.TimeField(_("fine"))
    minutes = models.PositiveSmallIntegerField(_("durata (minuti)"), editable=False)
    modality = models.CharField(_("modalità"), max_length=10, choices=Modality.choices)
    place = models.CharField(_("luogo"), max_length=250, blank=True)
    link = models.URLField(_("collegamento"), max_length=500, blank=True)
    supervisor = models.ForeignKey(
        "supervisors.Supervisor", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("supervisore")
    )
    contract = models.ForeignKey(
        "procurement.Contract", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("contratto")
    )
    funding = models.ForeignKey(
        "procurement.ContractFunding",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("fonte di finanziamento"),
    )
    status = models.CharField(_("stato"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    cancel_reason = models.CharField(_("motivo dell'annullamento"), max_length=300, blank=True)
    on_holiday = models.BooleanField(
        _("confermato in un giorno festivo"), default=False, help_text=_("Prenotato sapendo che è un giorno festivo.")
    )
    # iCalendar SEQUENCE: grows whenever time, place or status change, so calendar clients update the event.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Optimistic locking: a form posts the version it was built from; a save from an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    checkin_code = models.CharField(_("codice di presenza"), max_length=8, editable=False)
    register_status = models.CharField(
        _("registro presenze"), max_length=10, choices=RegisterStatus.choices, default=RegisterStatus.OPEN
    )
    register_confirmed_at = models.DateTimeField(_("registro confermato il"), null=True, blank=True, editable=False)
    register_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("registro confermato da"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    if TYPE_CHECKING:
        attendances: RelatedManager[Attendance]
        topics: RelatedManager[SessionTopic]
        register_documents: RelatedManager[RegisterDocument]
        scans: RelatedManager[SignedScan]

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("incontro di supervisione")
        verbose_name_plural = _("incontri di supervisione")
        indexes = [
            # What calendars and counts filter on: a tenant, a supervisor or a person over a period.
            models.Index(fields=["date", "start_time"], name="session_date"),
            models.Index(fields=["partnership", "date"], name="session_partnership_date"),
            models.Index(fields=["ambito", "date"], name="session_ambito_date"),
            models.Index(fields=["supervisor", "date"], name="session_supervisor_date"),
            models.Index(fields=["supervisee", "date"], name="session_supervisee_date"),
            models.Index(fields=["group", "date"], name="session_group_date"),
            # Hours booked and spent per contract (contract usage, money to date, alerts), read from the index
            # alone and already in the order of their GROUP BY (contract, funding, type): the sums over every
            # confirmed session of the country's contracts read and sorted each row before.
            models.Index(
                fields=["contract", "register_status", "status", "funding", "kind", "date", "minutes"],
                name="session_contract_usage",
            ),
            # Registers still to confirm (alerts, reminders, home steps): few rows, where the date index alone
            # read every past session of the country.
            models.Index(
                fields=["date"],
                condition=Q(status="scheduled", register_status="open"),
                name="session_open_register",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="session_time_ordered"),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="session_minutes_positive"),
            models.CheckConstraint(
                condition=Q(partnership__isnull=False) | Q(ambito__isnull=False), name="session_has_tenant"
            ),
            models.CheckConstraint(
                condition=Q(kind="A2", supervisee__isnull=False) | (~Q(kind="A2") & Q(supervisee__isnull=True)),
                name="session_supervisee_iff_individual",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="session_cancelled_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(register_status="open"), name="session_cancelled_not_registered"
            ),
            models.CheckConstraint(
                condition=Q(register_status="open") | Q(register_confirmed_at__isnull=False),
                name="session_confirmed_has_date",
            ),
            models.CheckConstraint(condition=Q(kind__in=SupervisionTypeChoices.values), name="session_kind_known"),
            models.CheckConstraint(condition=Q(modality__in=Modality.values), name="session_modality_known"),
            models.CheckConstraint(condition=Q(status__in=SessionStatus.values), name="session_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} del {self.date:%d/%m/%Y} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.minutes = duration_minutes(self.start_time, self.end_time)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"start_time", "end_time"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "minutes"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sessions:session_detail", args=[self.pk])

    @property
    def supervision_type(self) -> SupervisionType:
        return SupervisionType(self.kind)

    @property
    def is_individual(self) -> bool:
        return self.kind == SupervisionTypeChoices.A2

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_confirmed(self) -> bool:
        return self.register_status == RegisterStatus.CONFIRMED

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start_time, tzinfo=ROME)

    @property
    def ends_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.end_time, tzinfo=ROME)

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def time_text(self) -> str:
        return f"{self.start_time:%H:%M}-{self.end_time:%H:%M}"


def duration_minutes(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


class AttendanceStatus(models.TextChoices):
    UNRECORDED = "unrecorded", _("Da registrare")
    PRESENT = "present", _("Presente")
    PARTIAL = "partial", _("Presente in parte")
    ABSENT_JUSTIFIED = "absent_justified", _("Assente giustificato")
    ABSENT = "absent", _("Assente")


class Attendance(models.Model):
    # Indexed by ``attendance_session_person`` below, which leads with the session.
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances", db_index=False)
    person = models.ForeignKey(
        "census.Person", on_delete=models.PROTECT, related_name="attendances", verbose_name=_("persona")
    )
    # The person's ATS in the plan, so that an ATS's calendar finds the sessions of mixed groups.
    ambito = models.ForeignKey("territory.Ambito", on_delete=models.PROTECT, related_name="+", verbose_name=_("ATS"))
    status = models.CharField(
        _("presenza"), max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.UNRECORDED
    )
    minutes = models.PositiveSmallIntegerField(_("minuti di presenza"), default=0)
    checked_in_at = models.DateTimeField(_("presenza registrata dalla persona alle"), null=True, blank=True)

    class Meta:
        ordering = ["person__surname", "person__name", "pk"]
        verbose_name = _("presenza")
        verbose_name_plural = _("presenze")
        indexes = [
            models.Index(fields=["ambito", "session"], name="attendance_ambito_session"),
            # A session's rows, with what the hours per person add up (person, minutes) read from the index:
            # the national year's attendance is joined to its sessions without reading the table.
            models.Index(fields=["session", "person", "minutes"], name="attendance_session_person"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "session"], name="attendance_once_per_session"),
            models.CheckConstraint(
                condition=Q(status__in=["unrecorded", "absent", "absent_justified"], minutes=0)
                | Q(status__in=["present", "partial"], minutes__gt=0),
                name="attendance_minutes_match_status",
            ),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values), name="attendance_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class TopicCategory(models.TextChoices):
    METHODOLOGICAL = "methodological", _("Metodologico")
    EMOTIONAL = "emotional", _("Emotivo")
    RELATIONAL = "relational", _("Relazionale")
    ETHICAL = "ethical", _("Etico-deontologico")
    ORGANISATIONAL = "organisational", _("Organizzativo")


class SessionTopic(models.Model):
    """What a session dealt with, only as a category: case content is never recorded."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="topics")
    category = models.CharField(_("area tematica"), max_length=20, choices=TopicCategory.choices)

    class Meta:
        ordering = ["category"]
        verbose_name = _("area tematica dell'incontro")
        verbose_name_plural = _("aree tematiche degli incontri")
        constraints = [
            models.UniqueConstraint(fields=["session", "category"], name="topic_once_per_session"),
            models.CheckConstraint(condition=Q(category__in=TopicCategory.values), name="topic_category_known"),
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class SupervisorNote(models.Model):
    """The supervisor's private note: only the Fernet token is stored (``notes_crypto``)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="note")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.TextField(editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("nota riservata del supervisore")
        verbose_name_plural = _("note riservate dei supervisori")

    def __str__(self) -> str:
        return f"Nota riservata sull'incontro {self.session_id}"


class RegisterDocument(models.Model):
    """A final register as issued: the stored PDF and its SHA-256. Never regenerated, only superseded."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="register_documents")
    version = models.PositiveSmallIntegerField(_("versione"))
    # The session's version the document shows (Session.version when it was rendered); empty before it was kept.
    session_version = models.PositiveIntegerField(_("versione dell'incontro"), null=True, blank=True)
    file = models.FileField(_("file"), max_length=255)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64, db_index=True)
    issued_at = models.DateTimeField(_("emesso il"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(_("sostituito il"), null=True, blank=True)
    reason = models.CharField(_("motivo della nuova versione"), max_length=300, blank=True)

    class Meta:
        ordering = ["session", "-version"]
        verbose_name = _("registro presenze emesso")
        verbose_name_plural = _("registri presenze emessi")
        constraints = [
            models.UniqueConstraint(fields=["session", "version"], name="register_document_version_unique"),
            models.UniqueConstraint(
                fields=["session"], condition=Q(superseded_at__isnull=True), name="register_document_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"Registro dell'incontro {self.session_id}, versione {self.version}"


class IssuedCertificate(models.Model):
    """A participation certificate as issued: who issues it (the person's ATS and its signatory), what it certifies,
    the stored PDF with its SHA-256 and a verification code printed on it. The same period with the same figures
    gives back the same certificate; new figures (a register confirmed since) give a new one."""

    person = models.ForeignKey("census.Person", on_delete=models.PROTECT, related_name="certificates")
    ambito = models.ForeignKey(
        "territory.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ATS che rilascia"),
    )
    signatory = models.CharField(_("firmatario"), max_length=250)
    start = models.DateField(_("dal"))
    end = models.DateField(_("al"))
    planned_minutes = models.PositiveIntegerField(_("minuti previsti"))
    attended_minutes = models.PositiveIntegerField(_("minuti frequentati"))
    code = models.CharField(_("codice di verifica"), max_length=20, unique=True)
    file = models.FileField(_("file"), max_length=255)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64, db_index=True)
    issued_at = models.DateTimeField(_("rilasciato il"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("attestato rilasciato")
        verbose_name_plural = _("attestati rilasciati")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "start", "end", "planned_minutes", "attended_minutes"],
                name="certificate_one_per_period_and_figures",
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="certificate_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"Attestato {self.code}"


class SignedScan(models.Model):
    """The signed paper sign-in sheet, scanned (PDF, JPEG or PNG)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="scans")
    file = models.FileField(_("file"), max_length=255)
    original_name = models.CharField(_("nome del file caricato"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("foglio firme firmato")
        verbose_name_plural = _("fogli firme firmati")

    def __str__(self) -> str:
        return f"Foglio firme dell'incontro {self.session_id} ({self.original_name})"


class FeedToken(models.Model):
    """The private address of a calendar feed. Only the token's SHA-256 is stored; revoking deletes the row."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("indirizzo privato del calendario")
        verbose_name_plural = _("indirizzi privati dei calendari")

    def __str__(self) -> str:
        return f"Calendario di {self.user}"


class Reminder(models.Model):
    """A reminder e-mailed for a session to an address, once per version of its time (``sequence``)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reminders")
    email = models.EmailField()
    sequence = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("promemoria inviato")
        verbose_name_plural = _("promemoria inviati")
        constraints = [
            models.UniqueConstraint(fields=["session", "email", "sequence"], name="reminder_once_per_version")
        ]

    def __str__(self) -> str:
        return f"Promemoria a {self.email} per l'incontro {self.session_id}"


class HoursSummary(models.Model):
    """Derived, never edited: the minutes of a group's sessions per month, type, contract and funding row,
    kept up to date by ``hours_summary.refresh`` in the transaction of every write that changes them, and
    rebuilt from the sessions by ``manage.py rebuild_hours_summary``. The observatory adds these rows up
    instead of every session of the country. Cancelled sessions count in none of the sums, but keep their row
    (of zeros), as the sessions' own sums have one for them."""

    group = models.ForeignKey("planning.PlanGroup", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    kind = models.CharField(max_length=10, choices=SupervisionTypeChoices.choices)
    contract = models.ForeignKey("procurement.Contract", on_delete=models.CASCADE, related_name="+", db_index=False)
    funding = models.ForeignKey(
        "procurement.ContractFunding", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    confirmed_minutes = models.PositiveIntegerField(default=0)  # register confirmed
    confirmed_sessions = models.PositiveIntegerField(default=0)
    open_minutes = models.PositiveIntegerField(default=0)  # register to confirm
    scheduled_minutes = models.PositiveIntegerField(default=0)  # not cancelled: confirmed or not
    scheduled_sessions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("riepilogo delle ore")
        verbose_name_plural = _("riepiloghi delle ore")
        indexes = [
            models.Index(fields=["group", "month"], name="hours_summary_group_month"),
            models.Index(fields=["contract", "month"], name="hours_summary_contract_month"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.month:%m/%Y} {self.kind}"


class AttendanceSummary(models.Model):
    """Derived, never edited: per person, ATS, group, type and year, the minutes expected and attended at
    sessions with a confirmed register, month by month (``expected_1`` ... ``expected_12``, ``attended_1`` ...
    ``attended_12``, added below the class): one row a person and group for the year, not one a session, so
    that the observatory adds up a few tens of thousands of rows for the country (kept and rebuilt with
    ``HoursSummary``)."""

    group = models.ForeignKey("planning.PlanGroup", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=SupervisionTypeChoices.choices)
    person = models.ForeignKey("census.Person", on_delete=models.CASCADE, related_name="+", db_index=False)
    ambito = models.ForeignKey("territory.Ambito", on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("riepilogo delle presenze")
        verbose_name_plural = _("riepiloghi delle presenze")
        indexes = [models.Index(fields=["group", "year"], name="attendance_summary_group_year")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.group_id} {self.year}"


for _month in range(1, 13):
    AttendanceSummary.add_to_class(f"expected_{_month}", models.PositiveIntegerField(default=0))
    AttendanceSummary.add_to_class(f"attended_{_month}", models.PositiveIntegerField(default=0))
