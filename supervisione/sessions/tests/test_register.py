"""The attendance register: marks, confirmation that locks it, audited later changes, optimistic locking,
check-in with its expiry, and hours delivered counted only from confirmed registers."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from supervisione.audit.models import AuditEntry
from supervisione.leps.minimums import RedistributionError
from supervisione.sessions import checkin
from supervisione.sessions.actions.a2_moves import move_a2_hours
from supervisione.sessions.actions.base import SessionError, StaleVersionError
from supervisione.sessions.actions.registers import Mark, check_in, confirm_register, save_register
from supervisione.sessions.models import Attendance, AttendanceStatus, RegisterDocument, RegisterStatus, Session
from supervisione.sessions.tests.conftest import Cal
from supervisione.sessions.usage import a2_hours_used, contract_usage
from supervisione.testing.commits import committed

ROME = ZoneInfo("Europe/Rome")
D = datetime.date


def marks(session: Session, **by_surname: Mark) -> dict[int, Mark]:
    rows = {a.person.surname: a.pk for a in session.attendances.select_related("person")}
    return {rows[surname.replace("_", " ")]: mark for surname, mark in by_surname.items()}


def take(cal: Cal, session: Session, **by_surname: Mark) -> list[str]:
    session.refresh_from_db()
    return save_register(session, marks(session, **by_surname), version=session.version, by=cal.world.supervisor)


def held(cal: Cal, day: datetime.date = datetime.date(2026, 3, 3), **kwargs: Any) -> Session:
    """A session with every participant recorded and the register confirmed."""
    session = cal.one(day, **kwargs)
    present = Mark(AttendanceStatus.PRESENT)
    take(
        cal, session, De_Santis=present, Rizzo=Mark(AttendanceStatus.PARTIAL, 60), Ferrara=Mark(AttendanceStatus.ABSENT)
    )
    session.refresh_from_db()
    with committed():  # the final register is issued once the confirmation is committed
        return confirm_register(session, version=session.version, by=cal.world.supervisor)


def test_it_records_presence_partial_minutes_and_absences(cal: Cal) -> None:
    session = cal.one(D(2026, 3, 3))
    changed = take(
        cal,
        session,
        De_Santis=Mark(AttendanceStatus.PRESENT),
        Rizzo=Mark(AttendanceStatus.PARTIAL, 45),
        Ferrara=Mark(AttendanceStatus.ABSENT_JUSTIFIED),
    )
    assert sorted(changed) == ["De Santis Marco", "Ferrara Luca", "Rizzo Anna"]
    minutes = dict(session.attendances.values_list("person__surname", "minutes"))
    assert minutes == {"De Santis": 120, "Rizzo": 45, "Ferrara": 0}
    with pytest.raises(SessionError, match="per una presenza parziale indica i minuti, da 1 a 119"):
        take(cal, session, Rizzo=Mark(AttendanceStatus.PARTIAL, 120))
    assert Attendance.objects.get(session=session, person=cal.anna).minutes == 45


def test_it_confirms_only_a_complete_register_of_a_session_that_started(cal: Cal) -> None:
    session = cal.one(D(2026, 3, 3))
    take(cal, session, De_Santis=Mark(AttendanceStatus.PRESENT))
    session.refresh_from_db()
    with pytest.raises(SessionError, match="Registra prima la presenza di: Ferrara Luca, Rizzo Anna"):
        confirm_register(session, version=session.version, by=cal.world.supervisor)
    early = datetime.datetime(2026, 3, 3, 8, 0, tzinfo=ROME)
    with pytest.raises(SessionError, match="il registro si conferma dopo"):
        confirm_register(session, version=session.version, by=cal.world.supervisor, now=early)
    assert not Session.objects.get(pk=session.pk).is_confirmed


def test_it_locks_the_confirmed_register_and_audits_later_changes_with_a_reason(cal: Cal) -> None:
    session = held(cal)
    assert session.is_confirmed
    first = RegisterDocument.objects.get(session=session)
    assert (first.version, first.superseded_at) == (1, None)
    with pytest.raises(SessionError, match="indica il motivo della modifica"):
        take(cal, session, Ferrara=Mark(AttendanceStatus.ABSENT_JUSTIFIED))
    session.refresh_from_db()
    with committed():
        save_register(
            session,
            marks(session, Ferrara=Mark(AttendanceStatus.ABSENT_JUSTIFIED)),
            version=session.version,
            by=cal.world.coordinator,
            reason="Certificato medico consegnato il giorno dopo",
        )
    entry = AuditEntry.objects.filter(object_id=str(session.pk), content_type__model="session").first()
    assert entry is not None
    assert entry.message == "Registro modificato dopo la conferma: Certificato medico consegnato il giorno dopo"
    assert list(entry.changes.values()) == [
        {"label": "presenza di Ferrara Luca", "old": "Assente", "new": "Assente giustificato"}
    ]
    documents = list(RegisterDocument.objects.filter(session=session).order_by("version"))
    assert [d.version for d in documents] == [1, 2]
    assert documents[0].superseded_at is not None
    assert documents[1].reason == "Certificato medico consegnato il giorno dopo"


def test_it_refuses_a_register_saved_from_an_older_version(cal: Cal) -> None:
    session = cal.one(D(2026, 3, 3))
    seen = session.version
    save_register(session, marks(session, Rizzo=Mark(AttendanceStatus.PRESENT)), version=seen, by=cal.world.supervisor)
    with pytest.raises(StaleVersionError):
        save_register(
            session, marks(session, Rizzo=Mark(AttendanceStatus.ABSENT)), version=seen, by=cal.world.coordinator
        )
    assert Attendance.objects.get(session=session, person=cal.anna).status == AttendanceStatus.PRESENT


def test_it_counts_delivered_hours_and_money_only_from_confirmed_registers(cal: Cal) -> None:
    held(cal, D(2026, 3, 3))
    cal.one(D(2026, 3, 10))  # held, register not confirmed
    cal.one(D(2026, 6, 30), "09:00", "10:30")  # to come (register open), the last day of the PNRR project
    usage = contract_usage(cal.contract)
    a1 = next(line for line in usage.lines if line.line.kind == "A1")
    assert (a1.used_hours, a1.to_come_hours, a1.left_hours) == (Decimal(2), Decimal("3.50"), Decimal("34.50"))
    assert a1.used_amount == Decimal("130.00")
    (funding,) = usage.fundings
    assert (funding.used_amount, funding.left_amount) == (Decimal("130.00"), Decimal("14870.00"))


def test_it_checks_in_with_the_code_only_while_the_session_is_on(cal: Cal) -> None:
    session = cal.one(D(2026, 3, 3), "09:00", "11:00")
    code = session.checkin_code
    with pytest.raises(SessionError, match="apre alle 08:30"):
        check_in(cal.marco, code, now=datetime.datetime(2026, 3, 3, 8, 0, tzinfo=ROME))
    with pytest.raises(SessionError, match="non corrisponde a nessun tuo incontro"):
        check_in(cal.marco, "ZZZZZZ", now=datetime.datetime(2026, 3, 3, 9, 5, tzinfo=ROME))
    attendance = check_in(cal.marco, code.lower(), now=datetime.datetime(2026, 3, 3, 9, 5, tzinfo=ROME))
    assert (attendance.status, attendance.minutes) == (AttendanceStatus.PRESENT, 120)
    with pytest.raises(SessionError, match="Il codice è scaduto alla fine dell'incontro"):
        check_in(cal.anna, code, now=datetime.datetime(2026, 3, 3, 11, 1, tzinfo=ROME))
    assert Attendance.objects.get(session=session, person=cal.anna).status == AttendanceStatus.UNRECORDED
    with pytest.raises(SessionError, match="non corrisponde"):
        check_in(cal.educator, code, now=datetime.datetime(2026, 3, 3, 9, 5, tzinfo=ROME))


def test_it_refuses_a_check_in_into_a_register_confirmed_meanwhile(cal: Cal, monkeypatch: pytest.MonkeyPatch) -> None:
    session = cal.one(D(2026, 3, 3), "09:00", "11:00")

    def confirmed_while_matching(stored: str, typed: str) -> bool:
        # The supervisor confirms the register between the match of the code and the write of the presence.
        Session.objects.filter(pk=session.pk).update(
            register_status=RegisterStatus.CONFIRMED,
            register_confirmed_at=datetime.datetime(2026, 3, 3, 9, 4, tzinfo=ROME),
        )
        return True

    monkeypatch.setattr(checkin, "codes_match", confirmed_while_matching)
    with pytest.raises(SessionError, match="Il registro di questo incontro è chiuso"):
        check_in(cal.marco, session.checkin_code, now=datetime.datetime(2026, 3, 3, 9, 5, tzinfo=ROME))
    assert Attendance.objects.get(session=session, person=cal.marco).status == AttendanceStatus.UNRECORDED


def test_it_shows_bought_used_and_remaining_hours_on_the_contract_page(cal: Cal, client_for: Any) -> None:
    held(cal, D(2026, 3, 3))
    cal.one(D(2026, 12, 1))
    page = client_for("coordinator").get(cal.contract.get_absolute_url()).content.decode()
    assert "Ore e importi utilizzati" in page
    assert "130,00 €" in page  # 2 h x 65 EUR delivered
    assert ">36<" in page  # 40 bought - 4 booked (2 delivered, 2 to come)
    assert "erogati 130,00 € di 15.000,00 €" in page
    # The total row adds up every column: 40 + 30 + 12 bought, 2 delivered, 2 to come, 36 + 30 + 12 still bookable.
    usage = page[page.index("Ore e importi utilizzati") :]
    total = usage[usage.index("<tfoot>") : usage.index("</tfoot>")]
    cells = re.findall(r'<td class="text-end">([^<]*)</td>', total)
    assert cells == ["82", "2", "2", "78", "130,00 €"]


def test_it_counts_confirmed_individual_hours_against_the_a2_pool_of_the_plan(cal: Cal) -> None:
    individual = cal.one(D(2026, 3, 5), "09:00", "11:00", kind="A2", supervisee=cal.marco)
    cal.one(D(2026, 3, 12), "09:00", "10:00", kind="A2", supervisee=cal.anna)  # not held yet
    save_register(
        individual,
        marks(individual, De_Santis=Mark(AttendanceStatus.PRESENT)),
        version=individual.version,
        by=cal.world.supervisor,
    )
    individual.refresh_from_db()
    confirm_register(individual, version=individual.version, by=cal.world.supervisor)
    assert a2_hours_used(cal.group) == Decimal(2)
    with pytest.raises(RedistributionError, match="al massimo 13 ore"):
        move_a2_hours(cal.group, cal.equipe_group, Decimal(14), reason="Poche richieste", by=cal.world.coordinator)
