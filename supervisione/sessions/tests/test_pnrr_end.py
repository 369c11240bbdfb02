"""Nothing is charged to a PNRR project's CUP after the end of its activities (30/06/2026, or its exception up to
31/08/2026): booking, a series, rescheduling and confirming a register are refused, saying why and what to do."""

from __future__ import annotations

import datetime

import pytest

from supervisione.sessions.actions.base import SessionError
from supervisione.sessions.actions.registers import Mark, confirm_register, save_register
from supervisione.sessions.actions.scheduling import Where, book_sessions, reschedule_session
from supervisione.sessions.booking import Slot
from supervisione.sessions.models import AttendanceStatus, Modality, Session
from supervisione.sessions.recurrence import Frequency, Recurrence
from supervisione.sessions.tests.conftest import Cal

D = datetime.date
T = datetime.time
ENDED = (
    "Il progetto PNRR (CUP J81H22000130006) ha concluso le attività il 30/06/2026: non si può imputare l'incontro "
    "del 01/07/2026. Imputa l'incontro alla quota FNPS dell'ATS o ad altra fonte."
)


def _book_on_pnrr(cal: Cal, day: datetime.date, recurrence: Recurrence | None = None) -> list[Session]:
    return book_sessions(
        group=cal.group,
        kind="A1",
        supervisee=None,
        supervisor=cal.supervisor,
        contract=cal.contract,
        funding=cal.funding,
        first=Slot(day, T(9), T(11)),
        where=Where(Modality.REMOTE, link="https://meet.example.org/gruppo"),
        recurrence=recurrence,
        by=cal.world.coordinator,
    )


def test_it_books_on_the_last_day_and_refuses_the_day_after(cal: Cal) -> None:
    assert _book_on_pnrr(cal, D(2026, 6, 30))
    with pytest.raises(SessionError) as refused:
        _book_on_pnrr(cal, D(2026, 7, 1))
    assert refused.value.messages == [ENDED]
    assert not Session.objects.filter(date=D(2026, 7, 1)).exists()


def test_it_refuses_a_whole_series_that_crosses_the_end(cal: Cal) -> None:
    with pytest.raises(SessionError, match=r"non si può imputare la serie delle date 07/07/2026, 14/07/2026"):
        _book_on_pnrr(cal, D(2026, 6, 23), Recurrence(Frequency.WEEKLY, count=4))
    assert not Session.objects.filter(group=cal.group).exists()  # all or nothing


def test_it_follows_the_exception_up_to_its_day(cal: Cal) -> None:
    cal.funding.exception_end = D(2026, 7, 31)
    cal.funding.exception_act = "Nota del Ministero n. 12 del 10/06/2026"
    cal.funding.save(update_fields=["exception_end", "exception_act"])
    assert _book_on_pnrr(cal, D(2026, 7, 28))
    with pytest.raises(SessionError, match=r"il 31/07/2026 \(in deroga: Nota del Ministero n. 12"):
        _book_on_pnrr(cal, D(2026, 8, 4))


def test_it_refuses_moving_a_session_past_the_end(cal: Cal) -> None:
    (session,) = _book_on_pnrr(cal, D(2026, 6, 23))
    with pytest.raises(SessionError) as refused:
        reschedule_session(
            session,
            slot=Slot(D(2026, 7, 1), T(9), T(11)),
            where=Where(Modality.REMOTE, link="https://meet.example.org/gruppo"),
            reason="Supervisore malato",
            version=session.version,
            by=cal.world.coordinator,
        )
    assert refused.value.messages == [ENDED]
    session.refresh_from_db()
    assert session.date == D(2026, 6, 23)


def test_it_refuses_confirming_a_register_charged_after_the_end(cal: Cal) -> None:
    # Booked before the rule existed (as the demo's December 2026 sessions were): moved there behind its back.
    (session,) = _book_on_pnrr(cal, D(2026, 6, 23))
    Session.objects.filter(pk=session.pk).update(date=D(2026, 7, 1))
    session.refresh_from_db()
    marks = {a.pk: Mark(AttendanceStatus.PRESENT) for a in session.attendances.all()}
    save_register(session, marks, version=session.version, by=cal.world.supervisor)
    session.refresh_from_db()
    with pytest.raises(SessionError, match="ha concluso le attività il 30/06/2026") as refused:
        confirm_register(session, version=session.version, by=cal.world.supervisor)
    assert "coordinatore" in refused.value.messages[-1]
    session.refresh_from_db()
    assert not session.is_confirmed
