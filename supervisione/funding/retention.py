"""The records of a closed PNRR project are kept to the end of the audit period (issue 16.6).

The European Commission and the Court of Auditors may audit a PNRR project for five years after the last payment
(December 2026): until ``settings.PNRR_RECORDS_KEPT_UNTIL`` (31/12/2031 by default) nothing deletes the records of
a closed project: its funding row, its contract with its lines and documents, the sessions charged to it with their
attendances, registers, signed scans and topics, the plan groups it pays for. The guard is a ``pre_delete``
receiver (connected in ``FundingConfig.ready``), so it holds for every path — a page, the admin, a command, a
cascade from a partnership or an ATS, and any retention or purge command written later — which gets
``RecordKeptError`` with an Italian message and deletes nothing (the deletion's transaction is rolled back).
A purge that pseudonymises people instead of deleting rows must ask ``kept_for`` first.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import pre_delete

from supervisione.lib import clock
from supervisione.planning.models import PlanGroup
from supervisione.procurement.models import Contract, ContractDocument, ContractFunding, ContractLine
from supervisione.sessions.models import Attendance, RegisterDocument, Session, SignedScan


class RecordKeptError(Exception):
    """A record of a closed PNRR project cannot be deleted before the end of the audit period."""


def kept_until() -> datetime.date:
    day: datetime.date = settings.PNRR_RECORDS_KEPT_UNTIL
    return day


def _closed(fundings: list[ContractFunding | None]) -> ContractFunding | None:
    return next((funding for funding in fundings if funding is not None and funding.closed_at is not None), None)


def closed_project_of(instance: models.Model) -> ContractFunding | None:
    """The closed PNRR project (its funding row) ``instance`` is a record of, if any."""
    if isinstance(instance, ContractFunding):
        return _closed([instance])
    if isinstance(instance, Contract):
        return _closed(list(instance.fundings.filter(closed_at__isnull=False)[:1]))
    if isinstance(instance, ContractLine | ContractDocument):
        return _closed(
            list(ContractFunding.objects.filter(contract_id=instance.contract_id, closed_at__isnull=False)[:1])
        )
    if isinstance(instance, Session):
        return _closed([instance.funding])
    if isinstance(instance, Attendance | RegisterDocument | SignedScan):
        return _closed([Session.objects.select_related("funding").get(pk=instance.session_id).funding])
    if isinstance(instance, PlanGroup):
        return _closed([instance.funding, instance.funding_after])
    return None


def kept_for(instance: models.Model) -> ContractFunding | None:
    """The closed project whose audit period still keeps ``instance``, if any."""
    if clock.today() > kept_until():
        return None
    return closed_project_of(instance)


def refuse_deletion(sender: type[models.Model], instance: models.Model, **_kwargs: Any) -> None:
    project = kept_for(instance)
    if project is None:
        return
    cup = project.cup or project.contract.cup or "non indicato"
    raise RecordKeptError(
        f"«{instance}» appartiene al progetto PNRR con CUP {cup}, chiuso: i suoi documenti si conservano fino al "
        f"{kept_until():%d/%m/%Y} (periodo dei controlli della Commissione europea e della Corte dei conti) e non "
        "si possono eliminare prima."
    )


KEPT_MODELS: tuple[type[models.Model], ...] = (
    ContractFunding,
    Contract,
    ContractLine,
    ContractDocument,
    Session,
    Attendance,
    RegisterDocument,
    SignedScan,
    PlanGroup,
)


def connect() -> None:
    for model in KEPT_MODELS:
        pre_delete.connect(refuse_deletion, sender=model, dispatch_uid=f"pnrr-records-kept-{model._meta.label}")
