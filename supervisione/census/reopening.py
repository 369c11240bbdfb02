"""A validated census is read-only: its ATS's referent asks the coordinator to reopen it (issue 17.3).

The request is an e-mail to the coordinators' accounts of the campaign's partnership, sent through Django's e-mail
backend and recorded in the audit log (``census.census.reopen_requested``, with the addresses and the referent's
note) inside one transaction, as the coordinator's "Sollecita" is. The coordinator sees it as a step of the home page
and on the census page until it is answered: the census returned for corrections (editable again) or a new
campaign of the partnership opened after the request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction, AuditEntry
from supervisione.census.models import Census, CensusCampaign, CensusStatus

REOPEN_REQUESTED = "census.census.reopen_requested"


class ReopenError(Exception):
    """The request cannot be sent: the message says why, in Italian."""


def coordinator_addresses(census: Census) -> list[str]:
    """The e-mail addresses of the active coordinators of the census's partnership, once each, in order."""
    found = RoleAssignment.objects.filter(
        role=Role.COORDINATOR, partnership_id=census.campaign.partnership_id, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted({address.strip().lower() for address in found if address and address.strip()})


def _body(census: Census, note: str, link: str, by: User) -> str:
    campaign = census.campaign
    sender = by.get_full_name() or by.get_username()
    lines = [
        f"Gentile coordinatore del partenariato {campaign.partnership.name},",
        "",
        (
            f"{sender}, referente di {census.ambito.name}, chiede di riaprire il censimento del personale "
            f"«{campaign.title}» (data di riferimento {campaign.reference_date:%d/%m/%Y}), validato e quindi in sola "
            "lettura, per aggiornarlo."
        ),
    ]
    if note:
        lines += ["", "Motivo indicato:", note]
    lines += [
        "",
        (
            "Per riaprirlo restituisci il censimento per correzioni (torna modificabile dal referente) oppure apri "
            f"una nuova campagna di censimento del partenariato: {link}"
        ),
        "",
        "Supervisione - messaggio automatico.",
    ]
    return "\n".join(lines)


def ask_to_reopen(census: Census, *, by: User, note: str, link: str) -> list[str]:
    """Send the request to the coordinators and record it; the addresses it went to. ``ReopenError`` when the
    census is not validated (it is editable or waiting for validation) or no coordinator has an address; then
    nothing is sent or recorded."""
    if census.status != CensusStatus.VALIDATED:
        raise ReopenError(
            f"Il censimento di {census.ambito.name} è «{census.get_status_display().lower()}»: "
            "solo un censimento validato si chiede di riaprire."
        )
    addresses = coordinator_addresses(census)
    if not addresses:
        raise ReopenError(
            f"Nessun coordinatore del partenariato {census.campaign.partnership.name} ha un indirizzo e-mail: "
            "chiedi all'amministratore di indicarlo nel suo profilo."
        )
    note = note.strip()
    message = EmailMessage(
        subject=f"Richiesta di riapertura: censimento «{census.campaign.title}» - {census.ambito.name}",
        body=_body(census, note, link, by),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
        reply_to=[by.email] if by.email else None,
    )
    text = f"Chiesta la riapertura del censimento a {', '.join(addresses)}" + (f": {note}" if note else "")
    with transaction.atomic():
        record(census, by=by, action=AuditAction.ACTION, message=text[:250], code=REOPEN_REQUESTED)
        message.send()  # inside the transaction: a request that could not be sent is not recorded as sent
    return addresses


@dataclass(frozen=True)
class ReopenRequest:
    census: Census
    at: datetime.datetime
    by: str
    message: str


def pending_requests(censuses: list[Census]) -> dict[int, ReopenRequest]:
    """The last request to reopen each of these censuses that is still unanswered: the census is still validated
    and its partnership has opened no campaign since. Two queries, whatever the number of censuses."""
    validated = {census.pk: census for census in censuses if census.status == CensusStatus.VALIDATED}
    if not validated:
        return {}
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Census),
        object_id__in=[str(pk) for pk in validated],
        code=REOPEN_REQUESTED,
    ).select_related("user")
    last: dict[int, AuditEntry] = {}
    for entry in entries.order_by("at", "pk"):
        last[int(entry.object_id)] = entry
    if not last:
        return {}
    partnerships = {validated[pk].campaign.partnership_id for pk in last}
    campaigns = list(
        CensusCampaign.objects.filter(partnership_id__in=partnerships).values_list("pk", "partnership_id", "created_at")
    )

    def answered(census: Census, entry: AuditEntry) -> bool:
        # A campaign opened since the request, after the census's own: the ATS updates its staff there.
        return any(
            partnership_id == census.campaign.partnership_id and pk > census.campaign_id and created_at >= entry.at
            for pk, partnership_id, created_at in campaigns
        )

    return {
        pk: ReopenRequest(
            validated[pk], entry.at, str(entry.user) if entry.user else "", entry.message.partition(": ")[2]
        )
        for pk, entry in last.items()
        if not answered(validated[pk], entry)
    }


def pending_in(partnership_ids: frozenset[int] | set[int]) -> list[ReopenRequest]:
    """The unanswered requests to reopen a census of these partnerships, oldest first (for the home page)."""
    if not partnership_ids:
        return []
    # The validated censuses of these partnerships that were asked to be reopened (not every request of the
    # country, which the home page of each coordinator would otherwise read).
    asked = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Census),
        code=REOPEN_REQUESTED,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    censuses = list(
        Census.objects.filter(
            Exists(asked),
            status=CensusStatus.VALIDATED,
            campaign__partnership_id__in=partnership_ids,
        ).select_related("campaign", "campaign__partnership", "ambito")
    )
    return sorted(pending_requests(censuses).values(), key=lambda request: request.at)
