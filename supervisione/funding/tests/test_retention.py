"""The records of a closed PNRR project are kept to the end of the audit period (issue 16.6): until
``PNRR_RECORDS_KEPT_UNTIL`` (31/12/2031) nothing deletes them, whatever the path (a direct delete, a cascade from
the partnership, a purge written later); another project's records, and these after the period, may go."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.db.models import Model, ProtectedError
from django.utils import timezone

from supervisione.funding.retention import RecordKeptError, kept_for
from supervisione.planning.models import PlanGroup
from supervisione.procurement.models import Contract, ContractFunding, ContractLine
from supervisione.sessions.models import Attendance, RegisterDocument, Session
from supervisione.sessions.tests.conftest import Cal
from supervisione.testing.frozen import frozen

from .test_pnrr_closeout import _held

D = datetime.date


def _close(cal: Cal) -> Session:
    session = _held(cal, D(2026, 6, 23))
    ContractFunding.objects.filter(pk=cal.funding.pk).update(closed_at=timezone.now())
    session.refresh_from_db()
    return session


@frozen(2027, 3, 1)
def test_nothing_of_a_closed_project_is_deleted_before_the_end_of_the_audit_period(cal: Cal) -> None:
    booked = cal.one(D(2026, 6, 25))  # charged to the project, never held: no register protects it
    session = _close(cal)
    unprotected: list[Model | None] = [
        booked,
        Attendance.objects.filter(session=session).first(),
        RegisterDocument.objects.filter(session=session).first(),
        ContractLine.objects.filter(contract=cal.contract).first(),
    ]
    for record in unprotected:
        assert record is not None
        with pytest.raises(RecordKeptError, match="si conservano fino al 31/12/2031"), transaction.atomic():
            record.delete()
    # Rows other rows already protect are refused either way; each is known as a record of the project.
    protected: list[Model | None] = [
        session,
        PlanGroup.objects.filter(funding=cal.funding).first(),
        ContractFunding.objects.get(pk=cal.funding.pk),
        Contract.objects.get(pk=cal.contract.pk),
    ]
    for record in protected:
        assert record is not None
        assert kept_for(record) == cal.funding
        with pytest.raises((RecordKeptError, ProtectedError)), transaction.atomic():
            record.delete()
    # A bulk delete (a purge) is refused too and leaves every row in place.
    with pytest.raises(RecordKeptError), transaction.atomic():
        Attendance.objects.filter(session=session).delete()
    assert Session.objects.filter(pk__in=[booked.pk, session.pk]).count() == 2
    assert Attendance.objects.filter(session=session).exists()


@frozen(2032, 1, 1)
def test_after_the_audit_period_the_records_may_be_deleted(cal: Cal) -> None:
    session = _close(cal)
    assert kept_for(session) is None
    Attendance.objects.filter(session=session).first().delete()  # type: ignore[union-attr]  # the session has some


@frozen(2027, 3, 1)
def test_an_open_project_and_a_setting_of_another_period(cal: Cal, settings: object) -> None:
    session = cal.one(D(2026, 6, 24))
    assert kept_for(session) is None  # the project is not closed: its records follow the usual rules
    session.delete()
    closed = _close(cal)
    settings.PNRR_RECORDS_KEPT_UNTIL = D(2026, 12, 31)  # type: ignore[attr-defined]  # pytest-django's settings
    assert kept_for(closed) is None
