"""Meetings of a partnership or of an ATS: the convocation (letter, e-mail, iCalendar invitation), the answers
of the invitees, and the minutes with their decisions, also one per ATS.

A meeting belongs to exactly one tenant (a partnership or an ATS); who sees and edits it is decided in
``access.py``. A meeting may be a sitting of a contract's co-design table (``codesign_table``, the tenant is the
contract's), and a sitting held in the past may be recorded after the fact (``MeetingStatus.RECORDED``): known by
its date and minutes, with no times, place or link, never convened. Its calendar identity is stable (``uid``);
``sequence`` grows with every change of date, time, place or link after the convocation was sent, as RFC 5546
asks, so that calendar clients update the event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervisione.audit.models import Versioned

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

UID_DOMAIN = "supervisione"


class Modality(models.TextChoices):
    IN_PERSON = "in_presenza", _("in presenza")
    REMOTE = "da_remoto", _("da remoto")
    MIXED = "mista", _("mista (in presenza e da remoto)")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("in preparazione")
    CONVENED = "convened", _("convocata")
    CANCELLED = "cancelled", _("annullata")
    # Held in the past and recorded afterwards (a co-design table's sittings of 2024): no convocation was sent
    # from here, times and place may be unknown.
    RECORDED = "recorded", _("tenuta, registrata a posteriori")


class Meeting(Versioned):
    stale_subject = "La riunione è stata modificata"

    partnership = models.ForeignKey(
        "territory.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("partenariato"),
    )
    ambito = models.ForeignKey(
        "territory.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("ATS"),
    )
    # The co-design table (art. 55 D.Lgs. 117/2017) whose sitting this is; the tenant is its contract's.
    codesign_table = models.ForeignKey(
        "procurement.CoDesignTable",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sittings",
        verbose_name=_("tavolo di co-progettazione"),
        editable=False,
    )
    title = models.CharField(_("titolo"), max_length=200)
    date = models.DateField(_("data"))
    start_time = models.TimeField(_("ora di inizio"), null=True, blank=True)
    end_time = models.TimeField(_("ora di fine"), null=True, blank=True)
    modality = models.CharField(_("modalità"), max_length=12, choices=Modality.choices, default=Modality.REMOTE)
    place = models.CharField(_("luogo"), max_length=250, blank=True)
    link = models.URLField(_("link della videochiamata"), max_length=500, blank=True)
    convened_by = models.CharField(
        _("organo che convoca"),
        max_length=250,
        help_text=_("Per esempio: Coordinamento Istituzionale dell'Ambito Territoriale Sociale."),
    )
    letter_object = models.CharField(
        _("oggetto della lettera"),
        max_length=400,
        blank=True,
        help_text=_("Se vuoto: «Convocazione» seguito dal titolo della riunione."),
    )
    protocol_number = models.CharField(_("numero di protocollo"), max_length=60, blank=True)
    protocol_date = models.DateField(_("data del protocollo"), null=True, blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT, editable=False
    )
    # RFC 5545 SEQUENCE: moves on when the meeting changes after it was sent, and when it is cancelled.
    sequence = models.PositiveIntegerField(_("revisione"), default=0, editable=False)
    # The sequence of the last convocation sent (None: never sent): an update is due when it is behind.
    sent_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    if TYPE_CHECKING:
        agenda_items: RelatedManager[AgendaItem]
        signatories: RelatedManager[Signatory]
        invitees: RelatedManager[Invitee]
        dispatches: RelatedManager[Dispatch]

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = _("riunione")
        verbose_name_plural = _("riunioni")
        constraints = [
            models.CheckConstraint(
                condition=(Q(partnership__isnull=False) & Q(ambito__isnull=True))
                | (Q(partnership__isnull=True) & Q(ambito__isnull=False)),
                name="meeting_one_tenant",
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True) | Q(end_time__gt=models.F("start_time")),
                name="meeting_ends_after_start",
            ),
            # Only a sitting recorded after the fact may lack its times, place or link.
            models.CheckConstraint(
                condition=Q(status="recorded") | Q(start_time__isnull=False), name="meeting_has_times_unless_recorded"
            ),
            models.CheckConstraint(
                condition=Q(status="recorded") | Q(modality="da_remoto") | ~Q(place=""),
                name="meeting_in_person_has_place",
            ),
            models.CheckConstraint(
                condition=Q(status="recorded") | Q(modality="in_presenza") | ~Q(link=""),
                name="meeting_remote_has_link",
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "date"]),
            models.Index(fields=["ambito", "date"]),
            models.Index(fields=["codesign_table", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} del {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def uid(self) -> str:
        return f"riunione-{self.pk}@{UID_DOMAIN}"

    @property
    def tenant_name(self) -> str:
        tenant = self.partnership or self.ambito
        return tenant.name if tenant else ""

    @property
    def subject(self) -> str:
        return self.letter_object or f"Convocazione: {self.title}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_recorded(self) -> bool:
        return self.status == MeetingStatus.RECORDED

    @property
    def when_text(self) -> str:
        """«23/10/2024» or «23/10/2024, dalle ore 10:00 alle ore 12:00»."""
        if self.start_time is None or self.end_time is None:
            return f"{self.date:%d/%m/%Y}"
        return f"{self.date:%d/%m/%Y}, dalle ore {self.start_time:%H:%M} alle ore {self.end_time:%H:%M}"

    @property
    def update_due(self) -> bool:
        """Sent, then changed: the invitees have an outdated invitation."""
        return self.sent_sequence is not None and self.sent_sequence < self.sequence and not self.is_cancelled

    @property
    def where_text(self) -> str:
        if self.is_recorded and not (self.place or self.link):
            return ""
        if self.modality == Modality.IN_PERSON:
            return self.place
        if self.modality == Modality.REMOTE:
            return f"da remoto: {self.link}"
        return f"{self.place} e da remoto: {self.link}"


class AgendaItem(models.Model):
    """A point of the ordine del giorno, in its order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("numero"))
    title = models.CharField(_("punto all'ordine del giorno"), max_length=500)
    # The minutes' summary of the discussion of this point.
    summary = models.TextField(_("sintesi della discussione"), blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("punto all'ordine del giorno")
        verbose_name_plural = _("punti all'ordine del giorno")
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position_once")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Signatory(models.Model):
    """Who signs the convocation letter (and the minutes), in the order of the signatures."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="signatories")
    position = models.PositiveSmallIntegerField(_("ordine"))
    role = models.CharField(_("ruolo"), max_length=250)
    name = models.CharField(_("nome e cognome"), max_length=200)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("firmatario")
        verbose_name_plural = _("firmatari")
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="signatory_position_once")]

    def __str__(self) -> str:
        return f"{self.role}: {self.name}"


class Response(models.TextChoices):
    PENDING = "pending", _("nessuna risposta")
    ATTENDING = "attending", _("parteciperà")
    DECLINED = "declined", _("non parteciperà")


class Invitee(models.Model):
    """A person invited: a user of the product or a contact without an account (the head of an Ufficio di
    Piano, the president of a Coordinamento Istituzionale), with the ATS they speak for."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_invitations",
        verbose_name=_("utente"),
    )
    name = models.CharField(_("nome e cognome"), max_length=200)
    role = models.CharField(
        _("ruolo"), max_length=250, blank=True, help_text=_("Per esempio: Responsabile dell'Ufficio di Piano.")
    )
    ambito = models.ForeignKey(
        "territory.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ATS"),
    )
    email = models.EmailField(_("e-mail"))
    pec = models.EmailField(_("PEC"), blank=True)
    response = models.CharField(_("risposta"), max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(_("risposta del"), null=True, blank=True)
    response_note = models.CharField(_("nota alla risposta"), max_length=500, blank=True)
    # The SHA-256 of the personal link of the last e-mail sent ("" before the first): the link itself is
    # never stored.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Minutes: present at the meeting.
    attended = models.BooleanField(_("presente"), default=False)

    class Meta:
        ordering = ["meeting", "ambito__name", "name", "pk"]
        verbose_name = _("invitato")
        verbose_name_plural = _("invitati")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "email"], name="invitee_email_once"),
            models.UniqueConstraint(fields=["token_hash"], condition=~Q(token_hash=""), name="invitee_token_hash_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class DispatchKind(models.TextChoices):
    CONVOCATION = "convocation", _("convocazione")
    UPDATE = "update", _("aggiornamento")
    CANCELLATION = "cancellation", _("annullamento")


class Dispatch(models.Model):
    """One e-mail sent to one invitee: what (kind, calendar sequence, attachments), to which address, when, by
    whom."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="dispatches")
    invitee = models.ForeignKey(Invitee, on_delete=models.SET_NULL, null=True, related_name="dispatches")
    kind = models.CharField(_("invio"), max_length=12, choices=DispatchKind.choices)
    sequence = models.PositiveIntegerField(_("revisione"))
    email = models.EmailField(_("indirizzo"))
    subject = models.CharField(_("oggetto"), max_length=400)
    attachments = models.CharField(_("allegati"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("inviata il"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("da")
    )
    # The e-mail's Message-ID, by which the mail worker's signals find the row (lib.mail): sent_at is when it was
    # queued, delivered_at when the mail server took it, failure why the last attempt failed (then nothing more).
    message_id = models.CharField(max_length=250, blank=True, db_index=True, editable=False)
    delivered_at = models.DateTimeField(_("consegnata al server di posta il"), null=True, blank=True)
    failure = models.CharField(_("mancata consegna"), max_length=500, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("invio")
        verbose_name_plural = _("invii")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} a {self.email} del {self.sent_at:%d/%m/%Y %H:%M}"

    @property
    def delivery_text(self) -> str:
        """Where the e-mail is: queued, handed to the mail server, or given up (with the server's reason)."""
        if self.delivered_at is not None:
            return f"consegnata il {timezone.localtime(self.delivered_at):%d/%m/%Y %H:%M}"
        if self.failure:
            return f"non consegnata: {self.failure}"
        if not self.message_id:
            return "esito non registrato"  # sent before the outcome was recorded
        return "in coda per l'invio"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("in bozza")
    APPROVED = "approved", _("approvato")


class Minutes(Versioned):
    """The verbale of a meeting: who attended (``Invitee.attended``), a summary per agenda item
    (``AgendaItem.summary``), the decisions. Once approved it is locked."""

    stale_subject = "Il verbale è stato modificato"

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("riunione")
    )
    opening = models.TextField(
        _("apertura della seduta"), blank=True, help_text=_("Chi presiede, chi verbalizza, la verifica del numero.")
    )
    others_present = models.TextField(
        _("altri presenti"), blank=True, help_text=_("Persone presenti non invitate, una per riga.")
    )
    closing = models.TextField(_("chiusura della seduta"), blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT, editable=False
    )
    approved_at = models.DateTimeField(_("approvato il"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    if TYPE_CHECKING:
        decisions: RelatedManager[Decision]

    class Meta:
        verbose_name = _("verbale")
        verbose_name_plural = _("verbali")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False), name="minutes_approved_has_time"
            )
        ]

    def __str__(self) -> str:
        return f"Verbale della riunione {self.meeting}"

    @property
    def is_approved(self) -> bool:
        return self.status == MinutesStatus.APPROVED


class DecisionTopic(models.TextChoices):
    GENERAL = "", _("altro")
    FNPS_COFINANCING = "fnps_cofinancing", _("co-finanziamento con la quota FNPS")


class Decision(models.Model):
    """A decision of the meeting; ``per_ambito`` when each ATS decides for itself (its ``AmbitoDecision`` rows)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("punto all'ordine del giorno"),
    )
    text = models.TextField(_("decisione"))
    per_ambito = models.BooleanField(
        _("ogni ATS decide per sé"),
        default=False,
        help_text=_("Per esempio: co-finanzia con la quota FNPS, con importo e atto di ciascun ATS."),
    )
    # What the decision is about, when another app keeps the data it changes: a per-ATS decision on the FNPS
    # co-financing updates the ATS's FNPS allocation of ``fnps_year`` (``decision_hooks.py``, funding's hook).
    topic = models.CharField(_("argomento"), max_length=20, choices=DecisionTopic.choices, blank=True, default="")
    fnps_year = models.PositiveSmallIntegerField(
        _("annualità FNPS"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Per il co-finanziamento con la quota FNPS: l'annualità di cui si decide."),
    )

    if TYPE_CHECKING:
        ambito_decisions: RelatedManager[AmbitoDecision]

    class Meta:
        ordering = ["minutes", "pk"]
        verbose_name = _("decisione")
        verbose_name_plural = _("decisioni")
        constraints = [
            models.CheckConstraint(
                condition=Q(topic="") | (Q(per_ambito=True) & Q(fnps_year__isnull=False)),
                name="decision_fnps_topic_per_ambito_with_year",
            )
        ]

    def __str__(self) -> str:
        return self.text[:120]


class Outcome(models.TextChoices):
    PENDING = "pending", _("in attesa")
    YES = "yes", _("sì")
    NO = "no", _("no")


class AmbitoDecision(models.Model):
    """What one ATS decided on a per-ATS decision: yes or no, the amount, the act that records it."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ambito_decisions")
    ambito = models.ForeignKey("territory.Ambito", on_delete=models.PROTECT, related_name="+", verbose_name=_("ATS"))
    outcome = models.CharField(_("esito"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    amount = models.DecimalField(_("importo (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    act = models.CharField(
        _("atto"), max_length=250, blank=True, help_text=_("Per esempio: delibera n. 12 del 2/5/2023.")
    )

    class Meta:
        ordering = ["decision", "ambito__name"]
        verbose_name = _("decisione dell'ATS")
        verbose_name_plural = _("decisioni degli ATS")
        constraints = [
            models.UniqueConstraint(fields=["decision", "ambito"], name="ambito_decision_once"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="ambito_decision_amount"),
            models.CheckConstraint(
                condition=Q(outcome="yes") | Q(amount__isnull=True), name="ambito_decision_amount_only_if_yes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ambito}: {self.get_outcome_display()}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("da fare")
    DONE = "done", _("fatta")
    CANCELLED = "cancelled", _("annullata")


# The most a request's reminder may come before its deadline (the alerts and the home steps look that far ahead).
MAX_REMIND_DAYS = 60


class Task(Versioned):
    """A request or task born in a meeting or in a letter: who must do it (an ATS or a person), by when, and what
    "done" means. The referent requests (Allegato 1) and census campaigns are requests too: they keep their own
    models in census and join these on the list (``tasks.py``)."""

    stale_subject = "La richiesta è stata modificata"

    partnership = models.ForeignKey(
        "territory.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_tasks",
        verbose_name=_("partenariato"),
    )
    ambito = models.ForeignKey(
        "territory.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_tasks",
        verbose_name=_("ATS"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("nata nella riunione"),
    )
    source = models.CharField(
        _("origine"),
        max_length=250,
        blank=True,
        help_text=_("Se non nasce da una riunione: la lettera, per esempio «Nota prot. n. 1234 del 08/03/2023»."),
    )
    title = models.CharField(_("richiesta"), max_length=250)
    done_means = models.TextField(
        _("quando è fatta"), help_text=_("Che cosa deve arrivare o succedere perché la richiesta sia soddisfatta.")
    )
    owner_ambito = models.ForeignKey(
        "territory.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ATS a cui è chiesta"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_tasks",
        verbose_name=_("persona a cui è chiesta"),
    )
    deadline = models.DateField(_("scadenza"))
    remind_days = models.PositiveSmallIntegerField(
        _("promemoria (giorni prima)"),
        default=7,
        validators=[MaxValueValidator(MAX_REMIND_DAYS)],
        help_text=_("Quanti giorni prima della scadenza l'avviso quotidiano la ricorda a chi deve farla."),
    )
    status = models.CharField(
        _("stato"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN, editable=False
    )
    done_on = models.DateField(_("fatta il"), null=True, blank=True, editable=False)
    outcome_note = models.CharField(_("esito"), max_length=500, blank=True, editable=False)
    # The per-ATS decision that fulfils it (the co-financing request): recording the ATS's decision closes it.
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["deadline", "title", "pk"]
        verbose_name = _("richiesta")
        verbose_name_plural = _("richieste")
        constraints = [
            models.CheckConstraint(
                condition=(Q(partnership__isnull=False) & Q(ambito__isnull=True))
                | (Q(partnership__isnull=True) & Q(ambito__isnull=False)),
                name="task_one_tenant",
            ),
            models.CheckConstraint(
                condition=Q(owner_ambito__isnull=False) | Q(owner_user__isnull=False), name="task_has_owner"
            ),
            models.CheckConstraint(condition=Q(status="open") | Q(done_on__isnull=False), name="task_closed_has_date"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="task_status_deadline")]

    def __str__(self) -> str:
        return f"{self.title} ({self.owner_text}, entro il {self.deadline:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:task_detail", args=[self.pk])

    @property
    def owner_text(self) -> str:
        names = []
        if self.owner_ambito is not None:
            names.append(self.owner_ambito.name)
        if self.owner_user is not None:
            names.append(self.owner_user.get_full_name() or self.owner_user.get_username())
        return ", ".join(names)

    @property
    def tenant_name(self) -> str:
        tenant = self.partnership or self.ambito
        return tenant.name if tenant else ""

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def origin_text(self) -> str:
        if self.meeting is not None:
            return f"Riunione «{self.meeting.title}» del {self.meeting.date:%d/%m/%Y}"
        return self.source
