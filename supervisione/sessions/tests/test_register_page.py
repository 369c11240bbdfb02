"""The register page: errors announced and tied to their field, and a save that lost the race to another
tab or person shows the register as it is now with the marks that were not saved, instead of losing them."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from supervisione.sessions.models import Attendance, AttendanceStatus, Session
from supervisione.sessions.tests.conftest import Cal
from supervisione.testing.frozen import frozen


def rows(session: Session) -> dict[str, Attendance]:
    return {a.person.surname: a for a in session.attendances.select_related("person")}


def post_data(session: Session, version: int, **marks: tuple[str, int | None]) -> dict[str, Any]:
    """What the page sends: every row with the value it showed (empty: unrecorded) and the marks chosen."""
    data: dict[str, Any] = {"version": version}
    for surname, attendance in rows(session).items():
        status, minutes = marks.get(surname.replace(" ", "_"), ("", None))
        data[f"initial-status_{attendance.pk}"] = ""
        data[f"initial-minutes_{attendance.pk}"] = ""
        data[f"status_{attendance.pk}"] = status
        data[f"minutes_{attendance.pk}"] = "" if minutes is None else str(minutes)
    return data


def test_it_keeps_the_first_save_and_shows_the_marks_of_the_second_on_a_conflict(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    url = reverse("sessions:register", args=[session.pk])
    tab_a, tab_b = client_for("supervisor"), client_for("supervisor")
    version = session.version  # both tabs opened the register at this version
    saved = tab_a.post(url, post_data(session, version, Rizzo=(AttendanceStatus.ABSENT_JUSTIFIED, None)))
    assert saved.status_code == 302

    refused = tab_b.post(url, post_data(session, version, De_Santis=(AttendanceStatus.PARTIAL, 45)))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Nel frattempo qualcun altro ha salvato questo registro" in page
    assert "De Santis Marco: in parte, 45 minuti" in page
    assert "Rizzo Anna:" not in page  # not a mark of this tab: it only showed the value of its time
    by_surname = rows(session)
    assert (by_surname["Rizzo"].status, by_surname["De Santis"].status) == (
        AttendanceStatus.ABSENT_JUSTIFIED,
        AttendanceStatus.UNRECORDED,
    )
    # The page now shows the saved register at its new version, so the marks can be entered again on it.
    session.refresh_from_db()
    assert f'name="version" value="{session.version}"' in page
    rizzo = by_surname["Rizzo"].pk
    assert re.search(rf'value="absent_justified"[^>]*id="id_status_{rizzo}_\d+"[^>]*checked', page)
    again = tab_b.post(url, post_data(session, session.version, De_Santis=(AttendanceStatus.PARTIAL, 45)))
    assert again.status_code == 302
    assert rows(session)["De Santis"].minutes == 45
    assert rows(session)["Rizzo"].status == AttendanceStatus.ABSENT_JUSTIFIED


def test_it_refuses_a_register_page_opened_before_a_check_in_instead_of_overwriting_it(
    cal: Cal, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = cal.one(datetime.date(2026, 3, 3))  # 09:00-11:00 in Rome
    during = datetime.datetime(2026, 3, 3, 8, 5, tzinfo=datetime.UTC)  # 09:05 in Rome
    monkeypatch.setattr(timezone, "now", lambda: during)
    url = reverse("sessions:register", args=[session.pk])
    supervisor = client_for("supervisor")
    opened = supervisor.get(url).content.decode()
    assert f'name="version" value="{session.version}"' in opened
    # Marco (the supervisee) checks in with the code while the supervisor's page is open.
    checked = client_for("supervisee").post(reverse("sessions:checkin"), {"code": session.checkin_code})
    assert checked.status_code == 302
    # The supervisor's page still shows him unrecorded: marking him absent must not erase his check-in.
    stale = supervisor.post(url, post_data(session, session.version, De_Santis=(AttendanceStatus.ABSENT, None)))
    page = stale.content.decode()
    assert stale.status_code == 200
    assert "Nel frattempo qualcun altro ha salvato questo registro" in page
    assert "De Santis Marco: assente" in page
    marco = rows(session)["De Santis"]
    assert marco.status == AttendanceStatus.PRESENT
    assert marco.checked_in_at == during


def test_it_announces_a_missing_number_of_minutes_on_the_field(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    url = reverse("sessions:register", args=[session.pk])
    response = client_for("supervisor").post(url, post_data(session, session.version, Rizzo=("partial", None)))
    page = response.content.decode()
    rizzo = rows(session)["Rizzo"]
    field = re.search(rf'<input[^>]*id="id_minutes_{rizzo.pk}"[^>]*>', page)
    assert field is not None
    assert 'aria-invalid="true"' in field.group()
    assert f'aria-describedby="id_minutes_{rizzo.pk}_error"' in field.group()
    assert f'id="id_minutes_{rizzo.pk}_error">Per la presenza parziale di Rizzo Anna indica i minuti' in page
    summary = re.search(r'<div class="alert alert-danger error-summary" role="alert".*?</div>', page, re.S)
    assert summary is not None
    assert f'href="#id_minutes_{rizzo.pk}"' in summary.group()
    assert rizzo.status == AttendanceStatus.UNRECORDED


def test_it_ties_a_wrong_check_in_code_to_its_field(cal: Cal, client_for: Any) -> None:
    response = client_for("supervisee").post(reverse("sessions:checkin"), {"code": "ZZZZZZ"})
    page = response.content.decode()
    field = re.search(r'<input[^>]*name="code"[^>]*>', page)
    assert field is not None
    assert 'aria-invalid="true"' in field.group()
    assert "id_code_error" in field.group()
    assert re.search(r'id="id_code_error">Il codice non corrisponde a nessun tuo incontro di oggi', page)
    assert 'role="alert"' in page
    assert 'href="#id_code"' in page


def test_it_tells_the_supervisee_who_checked_in_instead_of_offering_it_again(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    url = reverse("sessions:session_detail", args=[session.pk])
    assert "Registra la tua presenza" in client_for("supervisee").get(url).content.decode()
    checked_in = datetime.datetime(2026, 3, 3, 8, 55, tzinfo=datetime.UTC)  # 09:55 in Rome
    session.attendances.filter(person=cal.marco).update(checked_in_at=checked_in, status="present", minutes=120)
    page = client_for("supervisee").get(url).content.decode()
    assert "Hai registrato la tua presenza con il codice alle 09:55." in page
    assert "Registra la tua presenza" not in page


def test_tutti_presenti_marks_whoever_is_unmarked_and_keeps_the_marks_given(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3))
    url = reverse("sessions:register", args=[session.pk])
    client = client_for("supervisor")
    assert "Tutti presenti" in client.get(url).content.decode()
    data = post_data(session, session.version, Rizzo=(AttendanceStatus.ABSENT_JUSTIFIED, None))
    assert client.post(url, {**data, "all_present": "1"}).status_code == 302
    marks = {surname: attendance.status for surname, attendance in rows(session).items()}
    assert marks.pop("Rizzo") == AttendanceStatus.ABSENT_JUSTIFIED
    assert marks
    assert set(marks.values()) == {AttendanceStatus.PRESENT}


@frozen(2026, 3, 3, 10, 0)
def test_confirming_before_the_end_warns_and_asks_for_an_explicit_yes(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3), "09:00", "11:00")
    client = client_for("supervisor")
    client.post(
        reverse("sessions:register", args=[session.pk]), {**post_data(session, session.version), "all_present": "1"}
    )
    session.refresh_from_db()
    url = reverse("sessions:register_confirm", args=[session.pk])
    page = client.get(url).content.decode()
    assert "L'incontro non è ancora finito" in page
    assert "Finisce alle 11:00" in page
    refused = client.post(url, {"version": session.version}).content.decode()
    assert "Nulla è stato confermato" in refused
    session.refresh_from_db()
    assert not session.is_confirmed
    assert client.post(url, {"version": session.version, "early": "on"}).status_code == 302
    session.refresh_from_db()
    assert session.is_confirmed


@frozen(2026, 3, 3, 11, 30)
def test_after_the_end_the_register_is_confirmed_without_the_warning(cal: Cal, client_for: Any) -> None:
    session = cal.one(datetime.date(2026, 3, 3), "09:00", "11:00")
    client = client_for("supervisor")
    client.post(
        reverse("sessions:register", args=[session.pk]), {**post_data(session, session.version), "all_present": "1"}
    )
    session.refresh_from_db()
    url = reverse("sessions:register_confirm", args=[session.pk])
    page = client.get(url).content.decode()
    assert "non è ancora finito" not in page
    assert 'name="early"' not in page
    assert client.post(url, {"version": session.version}).status_code == 302
    session.refresh_from_db()
    assert session.is_confirmed
