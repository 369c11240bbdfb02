"""Writes to the census, each in one transaction with its audit entries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from supervisione.audit.actions import delete_audited, record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.census import vocabulary
from supervisione.census.models import (
    DEFAULT_EQUIPE_NAME,
    Census,
    CensusCampaign,
    CensusStatus,
    Equipe,
    Person,
    Position,
    ReferentDesignation,
    ReferentRequest,
    Service,
)
from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.territory.models import Ambito, Municipality, Partnership

if TYPE_CHECKING:
    from supervisione.accounts.models import User


class CensusStateError(Exception):
    """The census is not in a state that allows the operation; the message says why, in Italian."""


def _status_change(census: Census, old: str, *, by: User, message: str, code: str) -> None:
    record(
        census,
        by=by,
        action=AuditAction.ACTION,
        code=code,
        changes={
            "status": {
                "label": "stato",
                "old": str(CensusStatus(old).label),
                "new": str(CensusStatus(census.status).label),
            }
        },
        message=message,
        ambito_id=census.ambito_id,
        partnership_id=census.campaign.partnership_id,
    )


def open_campaign(campaign: CensusCampaign, *, by: User) -> CensusCampaign:
    """Create the campaign and a draft census for each member ATS, starting from its previous census.

    The positions of the ATS's latest census still in service at the new reference date are copied, so that
    the referent updates last year's list instead of typing it again.
    """
    with transaction.atomic():
        save_audited(campaign, by=by, code="census.censuscampaign.opened", partnership_id=campaign.partnership_id)
        add_missing_censuses(campaign, by=by)
    return campaign


def add_missing_censuses(campaign: CensusCampaign, *, by: User) -> int:
    """A census for each member ATS that has none in the campaign (e.g. an ATS that joined later)."""
    with transaction.atomic():
        existing = set(Census.objects.filter(campaign=campaign).values_list("ambito_id", flat=True))
        ambiti = Ambito.objects.filter(partnership_memberships__partnership_id=campaign.partnership_id).exclude(
            pk__in=existing
        )
        added = 0
        for ambito in ambiti.order_by("name"):
            census = Census.objects.create(campaign=campaign, ambito=ambito)
            copied = _copy_previous_positions(census)
            record(
                census,
                by=by,
                action=AuditAction.CREATE,
                message=(
                    f"Censimento aperto; {counted(copied, 'posizione ripresa', 'posizioni riprese')} dal censimento "
                    "precedente"
                )
                if copied
                else "Censimento aperto",
                ambito_id=ambito.pk,
                partnership_id=campaign.partnership_id,
            )
            added += 1
    return added


def _copy_previous_positions(census: Census) -> int:
    previous = (
        Census.objects.filter(ambito_id=census.ambito_id, campaign__reference_date__lte=census.campaign.reference_date)
        .exclude(pk=census.pk)
        .order_by("-campaign__reference_date", "-pk")
        .first()
    )
    if previous is None:
        return 0
    when = census.campaign.reference_date
    sources = [
        position
        for position in Position.objects.filter(census=previous).prefetch_related("municipalities")
        if position.end_date is None or position.end_date >= when
    ]
    copies = [
        Position(
            census=census,
            person_id=source.person_id,
            employer_id=source.employer_id,
            service=source.service,
            service_detail=source.service_detail,
            equipe_id=source.equipe_id,
            contract=source.contract,
            weekly_hours=source.weekly_hours,
            funding=source.funding,
            start_date=source.start_date,
            end_date=source.end_date,
            on_behalf_of_ambito=source.on_behalf_of_ambito,
        )
        for source in sources
    ]
    Position.objects.bulk_create(copies)
    through = Position.municipalities.through
    through.objects.bulk_create(
        [
            through(position_id=copy.pk, municipality_id=municipality.pk)
            for source, copy in zip(sources, copies, strict=True)
            for municipality in source.municipalities.all()
        ]
    )
    return len(copies)


def submit_census(census: Census, *, by: User) -> Census:
    if not census.is_open:
        raise CensusStateError(f"Il censimento è già {census.get_status_display().lower()}: non si può trasmettere.")
    if not census.positions.exists():
        raise CensusStateError(
            "Il censimento è vuoto: aggiungi almeno una posizione o importa il file prima di trasmetterlo."
        )
    with transaction.atomic():
        old = census.status
        census.status = CensusStatus.SUBMITTED
        census.submitted_at = clock.now()
        census.submitted_by = by
        census.save(update_fields=["status", "submitted_at", "submitted_by"])
        _status_change(
            census, old, by=by, message="Censimento trasmesso al coordinatore", code="census.census.submitted"
        )
    return census


def validate_census(census: Census, *, by: User) -> Census:
    if census.status != CensusStatus.SUBMITTED:
        raise CensusStateError("Si può validare solo un censimento trasmesso.")
    with transaction.atomic():
        old = census.status
        census.status = CensusStatus.VALIDATED
        census.reviewed_at = clock.now()
        census.reviewed_by = by
        census.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        _status_change(census, old, by=by, message="Censimento validato", code="census.census.validated")
    return census


def return_census(census: Census, reason: str, *, by: User) -> Census:
    if census.status not in (CensusStatus.SUBMITTED, CensusStatus.VALIDATED):
        raise CensusStateError("Si può restituire solo un censimento trasmesso o validato.")
    if not reason.strip():
        raise CensusStateError("Indica il motivo della restituzione: l'ATS deve sapere cosa correggere.")
    with transaction.atomic():
        old = census.status
        census.status = CensusStatus.RETURNED
        census.return_reason = reason.strip()
        census.reviewed_at = clock.now()
        census.reviewed_by = by
        census.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
        _status_change(
            census, old, by=by, message=f"Censimento restituito: {reason.strip()}"[:250], code="census.census.returned"
        )
    return census


def equipe_named(ambito_id: int, name: str) -> Equipe:
    """The équipe of the ATS with this name (ignoring case and accents), created if new."""
    name = " ".join(name.split()) or DEFAULT_EQUIPE_NAME
    key = vocabulary.compact(name)
    for equipe in Equipe.objects.filter(ambito_id=ambito_id):
        if vocabulary.compact(equipe.name) == key:
            return equipe
    return Equipe.objects.create(ambito_id=ambito_id, name=name)


def save_position(
    census: Census,
    person: Person,
    position: Position,
    *,
    municipalities: Iterable[Municipality],
    equipe_name: str,
    by: User,
) -> Position:
    """Save the person (found by codice fiscale, or new) and their position in the census."""
    with transaction.atomic():
        save_audited(person, by=by, ambito_id=census.ambito_id, partnership_id=census.campaign.partnership_id)
        position.census = census
        position.person = person
        position.equipe = equipe_named(census.ambito_id, equipe_name) if position.service == Service.EQUIPE else None
        save_audited(position, by=by, ambito_id=census.ambito_id, partnership_id=census.campaign.partnership_id)
        position.municipalities.set(list(municipalities))
    return position


def delete_position(position: Position, *, by: User) -> None:
    census = position.census
    delete_audited(
        position,
        by=by,
        message=f"Posizione di {position.person} tolta dal censimento",
        ambito_id=census.ambito_id,
        partnership_id=census.campaign.partnership_id,
    )


def save_campaign(campaign: CensusCampaign, *, by: User) -> CensusCampaign:
    save_audited(campaign, by=by, partnership_id=campaign.partnership_id)
    return campaign


def create_referent_request(request: ReferentRequest, *, by: User) -> ReferentRequest:
    save_audited(request, by=by, partnership_id=request.partnership_id)
    return request


def designate_referent(designation: ReferentDesignation, *, by: User) -> ReferentDesignation:
    save_audited(designation, by=by, ambito_id=designation.ambito_id, partnership_id=designation.request.partnership_id)
    return designation


def late_censuses(partnership: Partnership, today: datetime.date) -> list[Census]:
    return [
        census
        for census in Census.objects.filter(campaign__partnership=partnership).select_related("campaign", "ambito")
        if census.is_late(today)
    ]
