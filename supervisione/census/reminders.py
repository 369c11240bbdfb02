"""Reminding an ATS of its census: the coordinator's "Sollecita" sends an e-mail and records it (issue 17.5).

The reminder goes to whoever answers for the ATS's census: its referents' accounts, the referent designated on
Allegato 1 (the latest designation) and the ATS's own e-mail address. It is sent through Django's e-mail backend
(the console by default) and recorded in the audit log (``census.census.reminded``, with the addresses), inside
one transaction: a reminder that could not be sent is not recorded as sent. The campaign's page shows the last
reminder of each ATS.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction, AuditEntry
from supervisione.census.models import OPEN_STATUSES, Census, ReferentDesignation
from supervisione.lib import clock

REMINDED = "census.census.reminded"


class ReminderError(Exception):
    """The reminder cannot be sent: the message says why, in Italian."""


def recipients(census: Census) -> list[str]:
    """The addresses that answer for the ATS's census, without repeats, in a fixed order."""
    accounts = RoleAssignment.objects.filter(
        role=Role.REFERENT, ambito_id=census.ambito_id, user__is_active=True
    ).values_list("user__email", flat=True)
    designation = (
        ReferentDesignation.objects.filter(
            ambito_id=census.ambito_id, request__partnership_id=census.campaign.partnership_id
        )
        .order_by("-answered_on", "-pk")
        .values_list("email", flat=True)
        .first()
    )
    found = [*accounts, designation or "", census.ambito.email]
    return sorted({address.strip().lower() for address in found if address and address.strip()})


def _body(census: Census, link: str, by: User) -> str:
    campaign = census.campaign
    sender = by.get_full_name() or by.get_username()
    return "\n".join(
        [
            f"Gentile referente di {census.ambito.name},",
            "",
            (
                f"il censimento del personale «{campaign.title}» (data di riferimento "
                f"{campaign.reference_date:%d/%m/%Y}) era da trasmettere entro il {campaign.deadline:%d/%m/%Y}"
                " e non risulta ancora trasmesso."
                if campaign.deadline < clock.today()
                else f"il censimento del personale «{campaign.title}» è da trasmettere entro il "
                f"{campaign.deadline:%d/%m/%Y}."
            ),
            "Senza il censimento validato il vostro personale non entra nel piano (POA) né nei gruppi di supervisione.",
            "",
            f"Compila e trasmetti il censimento qui: {link}",
            "",
            f"Sollecito inviato da {sender} per il partenariato {campaign.partnership.name}.",
            "Supervisione - messaggio automatico.",
        ]
    )


def remind(census: Census, *, by: User, link: str) -> list[str]:
    """Send the reminder and record it; the addresses it went to. ``ReminderError`` when there is nothing to remind
    (the census is already transmitted) or nobody to write to; then nothing is sent or recorded."""
    if census.status not in OPEN_STATUSES:
        raise ReminderError(
            f"Il censimento di {census.ambito.name} è «{census.get_status_display().lower()}»: non serve un sollecito."
        )
    addresses = recipients(census)
    if not addresses:
        raise ReminderError(
            f"Nessun indirizzo a cui scrivere per {census.ambito.name}: indica l'e-mail dell'ATS nella sua scheda "
            "o designa un referente con un'e-mail (Allegato 1)."
        )
    message = EmailMessage(
        subject=f"Sollecito: censimento del personale «{census.campaign.title}» - {census.ambito.name}",
        body=_body(census, link, by),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
        reply_to=[by.email] if by.email else None,
    )
    with transaction.atomic():
        record(
            census,
            by=by,
            action=AuditAction.ACTION,
            message=f"Sollecito inviato a {', '.join(addresses)}"[:250],
            code=REMINDED,
        )
        message.send()  # inside the transaction: a failed send leaves no record of a reminder
    return addresses


def last_reminders(census_ids: list[int]) -> dict[int, datetime.datetime]:
    """When each census was last reminded: one query."""
    rows = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Census),
            object_id__in=[str(pk) for pk in census_ids],
            code=REMINDED,
        )
        .values("object_id")
        .annotate(last=Max("at"))
    )
    return {int(row["object_id"]): row["last"] for row in rows}
