"""Booking on an FNPS row: an ATS's quota pays for its own staff; for another ATS's only on the dates the
partnership's agreement with quotas is in force. The same words as the plan's group form; nothing saved.

The calendar of ``conftest.Cal``: an A1 group of three AS of Casarano and the équipe of Casarano."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from supervisione.procurement.models import ContractFunding
from supervisione.sessions.actions import scheduling as actions
from supervisione.sessions.actions.base import SessionError
from supervisione.sessions.actions.scheduling import Where
from supervisione.sessions.booking import HolidayChoice, Slot
from supervisione.sessions.models import Modality, Session
from supervisione.sessions.recurrence import Frequency, Recurrence
from supervisione.sessions.tests.conftest import Cal
from supervisione.testing import factories

D = datetime.date
T = datetime.time
REFUSED = (
    "La quota FNPS di Ambito di Maglie paga solo la supervisione del personale di Ambito di Maglie, ma qui ci sono "
    "anche 3 persone di Ambito di Casarano."
)


def fnps(cal: Cal, ambito: Any) -> ContractFunding:
    row: ContractFunding = ContractFunding.objects.create(
        contract=cal.contract, measure="fnps", amount=Decimal(5000), year=2026, ambito=ambito
    )
    cal.funding = row
    return row


def refused(cal: Cal, day: datetime.date, **kwargs: Any) -> list[str]:
    with pytest.raises(SessionError) as error:
        cal.book(day, **kwargs)
    assert not Session.objects.exists()
    return error.value.messages


def test_it_refuses_an_ats_row_paying_for_another_ats_staff(cal: Cal) -> None:
    fnps(cal, cal.world.maglie)
    messages = refused(cal, D(2026, 3, 3))
    assert REFUSED in messages[0]
    assert "Registra l'accordo di partenariato con le quote di riparto tra gli ATS" in messages[0]
    # An individual hour names the one person.
    assert "1 persona di Ambito di Casarano" in refused(cal, D(2026, 3, 5), kind="A2", supervisee=cal.marco)[0]


def test_it_books_on_the_row_of_the_staff_own_ats(cal: Cal) -> None:
    row = fnps(cal, cal.world.casarano)
    session = cal.one(D(2026, 3, 3))
    assert session.funding == row


def test_it_books_another_ats_staff_on_the_dates_of_the_agreement(cal: Cal) -> None:
    fnps(cal, cal.world.maglie)
    world = cal.world
    factories.agreement(
        world.partnership,
        {world.poggiardo: Decimal("35.72"), world.maglie: Decimal("32.14"), world.casarano: Decimal("32.14")},
        valid_from=D(2026, 4, 1),
    )
    # A fortnightly series from March into April: booked whole or not at all, the dates before it named.
    messages = refused(cal, D(2026, 3, 17), recurrence=Recurrence(Frequency.WEEKLY, interval=2, count=3))
    assert messages[0].startswith(
        "Le date 17/03/2026 e 31/03/2026 sono fuori dal periodo dell'accordo di ripartizione: la q" + REFUSED[4:]
    )
    assert refused(cal, D(2026, 3, 31))[0] == REFUSED + (
        " Registra l'accordo di partenariato con le quote di riparto tra gli ATS, oppure scegli la fonte di "
        "finanziamento dell'ATS di quelle persone."
    )
    sessions = cal.book(D(2026, 4, 14), recurrence=Recurrence(Frequency.WEEKLY, interval=2, count=3))
    assert len(sessions) == 3
    # Moving one before the agreement is refused with the same words.
    with pytest.raises(SessionError) as error:
        actions.reschedule_session(
            sessions[0],
            slot=Slot(D(2026, 3, 24), T(9), T(11)),
            where=Where(Modality.IN_PERSON, "Casarano, sala riunioni"),
            reason="Sala occupata",
            version=sessions[0].version,
            by=world.coordinator,
            holidays=HolidayChoice.ASK,
        )
    assert REFUSED in error.value.messages[0]
    sessions[0].refresh_from_db()
    assert sessions[0].date == D(2026, 4, 14)


def test_the_booking_page_shows_the_refusal(cal: Cal, client_for: Any) -> None:
    row = fnps(cal, cal.world.maglie)
    response = client_for("coordinator").post(
        reverse("sessions:session_create", args=[cal.group.pk]),
        {
            "kind": "A1",
            "date": "2026-03-03",
            "start_time": "09:00",
            "end_time": "11:00",
            "modality": "remote",
            "link": "https://meet.example.org/gruppo",
            "supervisor": cal.supervisor.pk,
            "contract": cal.contract.pk,
            "funding": row.pk,
            "interval": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "La prenotazione non è possibile" in page
    assert escape(REFUSED) in page
    assert "FNPS - quota supervisione · 2026 · Ambito di Maglie" in page  # the row names its ATS in the choice
    assert not Session.objects.exists()
