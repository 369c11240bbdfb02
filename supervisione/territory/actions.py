"""Writes to the territory, each in one transaction with its audit entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from supervisione.audit.actions import delete_audited, record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.territory.models import Ambito, AmbitoMembership, Partnership, PartnershipMember


def save_partnership(partnership: Partnership, *, by: Any) -> Partnership:
    """Create or update a partnership; its capofila is always one of its members."""
    with transaction.atomic():
        save_audited(partnership, by=by)
        member, created = PartnershipMember.objects.get_or_create(
            partnership=partnership,
            ambito=partnership.capofila,
            defaults={"joined_on": partnership.start_date},
        )
        if created:
            record(member, by=by, action=AuditAction.CREATE, message="ATS capofila aggiunto come partner")
    return partnership


def add_partnership_member(
    partnership: Partnership, ambito: Ambito, *, joined_on: datetime.date | None, by: Any
) -> PartnershipMember:
    with transaction.atomic():
        member = PartnershipMember(partnership=partnership, ambito=ambito, joined_on=joined_on)
        save_audited(member, by=by, message=f"{ambito.code} aggiunto al partenariato")
    return member


class CannotRemoveCapofilaError(Exception):
    pass


def remove_partnership_member(member: PartnershipMember, *, by: Any) -> None:
    if member.ambito_id == member.partnership.capofila_id:
        raise CannotRemoveCapofilaError(
            "L'ATS capofila non può essere tolto dal partenariato: cambia prima il capofila."
        )
    delete_audited(member, by=by, message=f"{member.ambito.code} tolto dal partenariato")


def end_membership(membership: AmbitoMembership, valid_to: datetime.date, *, by: Any) -> AmbitoMembership:
    membership.valid_to = valid_to
    save_audited(membership, by=by, message=f"Fine dell'appartenenza di {membership.municipality.name}")
    return membership
