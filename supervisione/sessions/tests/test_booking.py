"""Booking: every refusal with its message and nothing saved; series; rescheduling and cancelling."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from supervisione.audit.models import AuditEntry
from supervisione.planning.models import PlanGroup, PlanStatus
from supervisione.planning.plan_page import plan_page
from supervisione.procurement.models import ContractStatus
from supervisione.sessions.actions.base import SessionError, StaleVersionError
from supervisione.sessions.actions.scheduling import Where, cancel_session, reschedule_session
from supervisione.sessions.booking import HolidayChoice, Slot
from supervisione.sessions.models import Attendance, Modality, Session, SessionStatus
from supervisione.sessions.recurrence import Frequency, Recurrence
from supervisione.sessions.tests.conftest import Cal
from supervisione.sessions.usage import a2_pool_minutes_left, group_lineage
from supervisione.supervisors.models import Absence, Training

D = datetime.date
T = datetime.time


def refused(cal: Cal, message: str, **kwargs: Any) -> None:
    before = Session.objects.count()
    with pytest.raises(SessionError) as error:
        cal.book(**kwargs)
    assert any(message in text for text in error.value.messages), error.value.messages
    assert Session.objects.count() == before


def test_it_books_a_session_with_its_expected_participants_and_history(cal: Cal) -> None:
    session = cal.one(D(2026, 3, 3))
    assert (session.minutes, session.partnership_id, session.ambito_id) == (
        120,
        cal.plan.partnership_id,
        cal.world.casarano.pk,
    )
    assert set(session.attendances.values_list("person__surname", flat=True)) == {"De Santis", "Rizzo", "Ferrara"}
    assert len(session.checkin_code) == 6
    entry = AuditEntry.objects.get(object_id=str(session.pk), content_type__model="session")
    assert entry.message == "Prenotato"


def test_it_books_a_weekly_series_whole(cal: Cal) -> None:
    sessions = cal.book(D(2026, 3, 3), recurrence=Recurrence(Frequency.WEEKLY, interval=2, count=4))
    assert [s.date for s in sessions] == [D(2026, 3, 3), D(2026, 3, 17), D(2026, 3, 31), D(2026, 4, 14)]
    assert sessions[0].series is not None
    assert sessions[0].series.description == "ogni 2 settimane, il martedì, per 4 incontri"
    assert Attendance.objects.filter(session__series=sessions[0].series).count() == 12


def test_it_refuses_a_supervisor_already_booked(cal: Cal) -> None:
    cal.one(D(2026, 3, 3), "09:00", "11:00", kind="A3")
    refused(
        cal,
        "Il supervisore Longo Chiara ha già un incontro il 03/03/2026",
        day=D(2026, 3, 3),
        start="10:30",
        end="12:00",
    )
    # Back to back is fine.
    assert cal.one(D(2026, 3, 3), "11:00", "13:00").start_time == T(11)


def test_it_refuses_a_participant_already_booked_with_another_supervisor(cal: Cal) -> None:
    cal.one(D(2026, 3, 3), "09:00", "11:00", kind="A3")  # Anna is in the équipe too
    refused(
        cal,
        "Rizzo Anna ha già un incontro il 03/03/2026 dalle 10:00 alle 12:00",
        day=D(2026, 3, 3),
        start="10:00",
        end="12:00",
        supervisor=cal.other_supervisor,
    )


def test_it_refuses_dates_outside_the_contract_period_and_contracts_not_in_force(cal: Cal) -> None:
    refused(cal, "Il 20/01/2025 è fuori dal periodo del contratto", day=D(2025, 1, 20))
    cal.contract.status = ContractStatus.CLOSED
    cal.contract.save()
    refused(cal, "non è in vigore", day=D(2026, 3, 3))


def test_it_refuses_public_holidays_unless_confirmed_and_series_may_skip_them(cal: Cal) -> None:
    refused(cal, "È un giorno festivo: il 02/06/2026 (Festa della Repubblica)", day=D(2026, 6, 2))
    confirmed = cal.one(D(2026, 6, 2), holidays=HolidayChoice.CONFIRM)
    assert confirmed.on_holiday
    refused(
        cal,
        "il 25/04/2026 (Anniversario della Liberazione)",
        day=D(2026, 4, 18),
        start="14:00",
        end="16:00",
        recurrence=Recurrence(Frequency.WEEKLY, count=2),
    )
    # Saturdays 18/04, 25/04 (Liberation Day) and 02/05: the holiday is skipped.
    weekly = Recurrence(Frequency.WEEKLY, count=3)
    series = cal.book(D(2026, 4, 18), "14:00", "16:00", recurrence=weekly, holidays=HolidayChoice.SKIP)
    assert [s.date for s in series] == [D(2026, 4, 18), D(2026, 5, 2)]


def test_it_refuses_more_hours_than_the_contract_has_left(cal: Cal) -> None:
    # The A3 line has 12 hours: five sessions of two hours leave two.
    cal.book(D(2026, 3, 2), "09:00", "11:00", kind="A3", recurrence=Recurrence(Frequency.WEEKLY, count=5))
    refused(
        cal,
        "Il contratto ha ancora 2 ore di tipo A3 - organizzativa dell'équipe (acquistate 12 ore, già prenotate 10 ore)",
        day=D(2026, 4, 6),
        start="09:00",
        end="12:00",
        kind="A3",
    )
    cal.one(D(2026, 4, 7), "09:00", "11:00", kind="A3")


def test_it_refuses_more_individual_hours_than_the_a2_pool_has_left(cal: Cal) -> None:
    cal.group.a2_pool_hours = Decimal(3)
    cal.group.save()
    cal.one(D(2026, 3, 4), "09:00", "11:00", kind="A2", supervisee=cal.marco)
    assert a2_pool_minutes_left(cal.group.pk) == 60
    refused(cal, "Il monte ore A2 del gruppo ha ancora 1 ora", day=D(2026, 3, 5), kind="A2", supervisee=cal.anna)
    session = cal.one(D(2026, 3, 5), "09:00", "10:00", kind="A2", supervisee=cal.anna)
    assert list(session.attendances.values_list("person__surname", flat=True)) == ["Rizzo"]
    assert session.supervisee == cal.anna


def test_it_refuses_a_supervisor_who_is_absent(cal: Cal) -> None:
    Absence.objects.create(supervisor=cal.supervisor, start_date=D(2026, 8, 1), end_date=D(2026, 8, 31), reason="ferie")
    refused(cal, "Il supervisore non è disponibile dal 01/08/2026 al 31/08/2026 (ferie)", day=D(2026, 8, 4))


def test_it_books_a_series_whole_or_not_at_all(cal: Cal) -> None:
    cal.one(D(2026, 3, 17), "09:00", "11:00", kind="A3")
    refused(
        cal,
        "il 17/03/2026 dalle 09:00 alle 11:00",
        day=D(2026, 3, 3),
        recurrence=Recurrence(Frequency.WEEKLY, count=4),
    )


def test_it_reschedules_with_a_reason_keeping_uid_and_raising_the_sequence(cal: Cal) -> None:
    session = cal.one(D(2026, 3, 3))
    other = cal.one(D(2026, 3, 10))
    with pytest.raises(SessionError, match="ha già un incontro il 10/03/2026"):
        reschedule_session(
            session,
            slot=Slot(D(2026, 3, 10), T(10), T(12)),
            where=Where(Modality.REMOTE, link="https://meet.example.org/x"),
            reason="Sala occupata",
            version=session.version,
            by=cal.world.coordinator,
        )
    moved = reschedule_session(
        session,
        slot=Slot(D(2026, 3, 3), T(10), T(12, 30)),  # overlaps only itself
        where=Where(Modality.REMOTE, link="https://meet.example.org/x"),
        reason="Sala occupata",
        version=session.version,
        by=cal.world.coordinator,
    )
    assert (moved.pk, moved.sequence, moved.minutes, moved.place) == (session.pk, 1, 150, "")
    assert other.sequence == 0
    entry = AuditEntry.objects.filter(object_id=str(session.pk), content_type__model="session").first()
    assert entry is not None
    assert entry.message == "Spostato: Sala occupata"
    assert entry.changes["start_time"] == {"label": "inizio", "old": "09:00:00", "new": "10:00:00"}
    with pytest.raises(SessionError, match="Indica il motivo"):
        reschedule_session(
            moved,
            slot=Slot(D(2026, 3, 4), T(9), T(11)),
            where=Where(Modality.MIXED, "x", "https://x.org"),
            reason=" ",
            version=moved.version,
            by=cal.world.coordinator,
        )


def test_it_cancels_with_a_reason_and_frees_the_hours(cal: Cal) -> None:
    session = cal.one(D(2026, 3, 3), kind="A3")
    cancelled = cancel_session(session, reason="Sciopero", version=session.version, by=cal.world.coordinator)
    assert (cancelled.status, cancelled.cancel_reason, cancelled.sequence) == (SessionStatus.CANCELLED, "Sciopero", 1)
    cal.one(D(2026, 3, 3), kind="A3")  # the slot is free again
    with pytest.raises(SessionError, match="già annullato"):
        cancel_session(cancelled, reason="x", version=cancelled.version, by=cal.world.coordinator)


def test_it_refuses_a_change_based_on_an_older_version(cal: Cal) -> None:
    session = cal.one(D(2026, 3, 3))
    stale = session.version
    cancel_session(session, reason="Maltempo", version=stale, by=cal.world.coordinator)
    with pytest.raises(StaleVersionError, match="qualcun altro ha modificato"):
        reschedule_session(
            session,
            slot=Slot(D(2026, 3, 4), T(9), T(11)),
            where=Where(Modality.IN_PERSON, "Sala"),
            reason="Spostato",
            version=stale,
            by=cal.world.supervisor,
        )


def test_it_keeps_counting_sessions_of_a_group_across_versions_of_the_plan(cal: Cal, client_for: Any) -> None:
    cal.group.a2_pool_hours = Decimal(2)
    cal.group.save()
    booked = cal.one(D(2026, 3, 4), kind="A2", supervisee=cal.marco)
    cal.plan.status = PlanStatus.SUPERSEDED
    cal.plan.save()
    newer = PlanGroup.objects.create(
        plan=cal.plan, kind="A1", name="Gruppo A1 Casarano (v2)", a2_pool_hours=Decimal(2), copied_from=cal.group
    )
    assert group_lineage(newer.pk) == group_lineage(cal.group.pk) == sorted([cal.group.pk, newer.pk])
    assert a2_pool_minutes_left(newer.pk) == 0
    page = client_for("coordinator").get(
        reverse("sessions:group_calendar", args=[newer.pk]) + "?vista=elenco&giorno=2026-03-01"
    )
    assert f"/incontri/{booked.pk}/" in page.content.decode()


def test_it_refuses_a_supervisor_not_eligible_for_the_type_in_the_words_of_the_plan(cal: Cal) -> None:
    sentence = (
        "Non idoneo per A3 - supervisione organizzativa dell'équipe: manca una formazione specifica come "
        "supervisore; servono almeno 5 anni di esperienza professionale (ne risultano 0)."
    )
    audit_before = AuditEntry.objects.count()
    refused(cal, sentence, day=D(2026, 3, 3), kind="A3", supervisor=cal.other_supervisor)
    assert (AuditEntry.objects.count(), Attendance.objects.count()) == (audit_before, 0)
    # The plan page says the same of the same supervisor on the équipe.
    cal.equipe_group.supervisor = cal.other_supervisor
    cal.equipe_group.declaration = None
    cal.equipe_group.save()
    row = next(row for row in plan_page(cal.plan).rows if row.group.pk == cal.equipe_group.pk)
    assert row.eligibility_text == sentence
    # Once trained and experienced, the same booking passes.
    cal.other_supervisor.years_social_work = 9
    cal.other_supervisor.save()
    Training.objects.create(supervisor=cal.other_supervisor, title="Corso", institution="Ordine", year=2020)
    assert cal.one(D(2026, 3, 3), kind="A3", supervisor=cal.other_supervisor).supervisor == cal.other_supervisor


def test_the_booking_page_shows_the_ineligibility(cal: Cal, client_for: Any) -> None:
    response = client_for("coordinator").post(
        reverse("sessions:session_create", args=[cal.equipe_group.pk]),
        {
            "kind": "A3",
            "date": "2026-03-03",
            "start_time": "09:00",
            "end_time": "11:00",
            "modality": "remote",
            "link": "https://meet.example.org/equipe",
            "supervisor": cal.other_supervisor.pk,
            "contract": cal.contract.pk,
            "funding": cal.funding.pk,
            "interval": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "La prenotazione non è possibile" in page
    assert escape("Non idoneo per A3 - supervisione organizzativa dell'équipe: manca una formazione") in page
    assert not Session.objects.exists()
