"""An ATS's municipalities, for a new ATS set up in minutes (issue 17.2).

- Creating an ATS with its capofila municipality makes that municipality a member from the day of creation
  (``create_ambito``); the rest are added many at once, picked by province and name (``add_municipalities``).
- Every member municipality is an employer of the census without being typed again: its organisation
  «Comune di <nome>», kind comune, linked to the municipality, is found or registered for the ATS when the
  municipality joins (``municipal_organisation``).

Each write is in one transaction with its audit entries; a municipality that already belongs to another ATS over
the same days is refused with the message of the single form, and then nothing is added.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from supervisione.audit.actions import save_audited
from supervisione.lib import clock
from supervisione.territory.forms import overlapping_membership
from supervisione.territory.models import Ambito, AmbitoMembership, Municipality, Organisation, OrganisationKind

if TYPE_CHECKING:
    from supervisione.accounts.models import User


class MunicipalityRefusedError(Exception):
    """Municipalities that cannot join the ATS: the messages, in Italian, name each and why."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


def municipal_name(municipality: Municipality) -> str:
    return f"Comune di {municipality.name}"


def municipal_organisation(municipality: Municipality, *, ambito: Ambito, by: User) -> Organisation:
    """The comune as an organisation (employer of census positions): the one linked to the municipality, else
    one of kind comune with its name (then linked to it), else a new one registered for the ATS."""
    linked = Organisation.objects.filter(kind=OrganisationKind.COMUNE, municipality=municipality).order_by("pk")
    if found := linked.first():
        return found
    named = Organisation.objects.filter(
        kind=OrganisationKind.COMUNE, municipality__isnull=True, name__iexact=municipal_name(municipality)
    ).order_by("pk")
    if found := named.first():
        found.municipality = municipality
        save_audited(found, by=by, message=f"Collegata al comune {municipality}")
        return found
    organisation = Organisation(
        name=municipal_name(municipality),
        kind=OrganisationKind.COMUNE,
        municipality=municipality,
        created_for_ambito=ambito,
    )
    save_audited(organisation, by=by, message=f"Registrata come comune dell'ATS {ambito.name}")
    return organisation


def _refusal(municipality: Municipality, start: datetime.date) -> str | None:
    other = overlapping_membership(municipality, start, None)
    if other is None:
        return None
    until = f" al {other.valid_to:%d/%m/%Y}" if other.valid_to else ""
    return (
        f"{municipality.name} appartiene già all'ATS {other.ambito.code} dal {other.valid_from:%d/%m/%Y}{until}: "
        "un comune appartiene a un solo ATS alla volta. Chiudi prima quell'appartenenza."
    )


def add_municipalities(
    ambito: Ambito, municipalities: Iterable[Municipality], valid_from: datetime.date, *, by: User
) -> list[AmbitoMembership]:
    """Every municipality joins the ATS from ``valid_from`` with its organisation, or none does."""
    chosen = sorted(set(municipalities), key=lambda municipality: municipality.name)
    with transaction.atomic():
        refused = [message for municipality in chosen if (message := _refusal(municipality, valid_from))]
        if refused:
            raise MunicipalityRefusedError(*refused)
        added = []
        for municipality in chosen:
            membership = AmbitoMembership(ambito=ambito, municipality=municipality, valid_from=valid_from)
            save_audited(membership, by=by, message=f"{municipality.name} aggiunto all'ATS")
            municipal_organisation(municipality, ambito=ambito, by=by)
            added.append(membership)
    return added


def create_ambito(ambito: Ambito, *, by: User) -> Ambito:
    """A new ATS, with its capofila municipality as a member from today (when it is not another ATS's)."""
    with transaction.atomic():
        save_audited(ambito, by=by)
        capofila = ambito.capofila_municipality
        if capofila is not None and _refusal(capofila, clock.today()) is None:
            add_municipalities(ambito, [capofila], clock.today(), by=by)
    return ambito
