"""What is charged to a PNRR project after the end of its activities: the page per CUP (coordinator and the ATS'
referents see it all, observers the figures only, outsiders nothing), its hand-over in one audited action (to
another row of the contract, or cancelled), every bad input refused with nothing changed, and the command."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.funding.pnrr.actions import CODE
from supervisione.planning.models import PlanGroup
from supervisione.procurement.models import ContractFunding
from supervisione.sessions.actions.registers import Mark, confirm_register, save_register
from supervisione.sessions.models import AttendanceStatus, Session, SessionStatus
from supervisione.sessions.tests.conftest import Cal
from supervisione.testing.world import PERSONAS

D = datetime.date
CUP = "J81H22000130006"
URL = reverse("funding:pnrr_after_end", args=["POGGIARDO-114", CUP])
AFTER = D(2026, 7, 7)
LIST_URL = reverse("funding:pnrr_projects", args=["POGGIARDO-114"])


def _charged_after_end(cal: Cal, day: datetime.date = AFTER) -> Session:
    """A session after the end still charged to the project, as before the rule (the demo's December 2026)."""
    session = cal.one(day)  # booked on the other source, which the fixture makes for days after the end
    Session.objects.filter(pk=session.pk).update(funding=cal.funding)
    session.refresh_from_db()
    return session


def _other(cal: Cal) -> ContractFunding:
    return ContractFunding.objects.get(contract=cal.contract, measure="other")


def _post(client_for: Any, persona: str, **data: Any) -> Any:
    return client_for(persona).post(URL, data)


def test_it_answers_by_role_and_shows_names_only_to_the_partnership(cal: Cal, client_for: Any) -> None:
    _charged_after_end(cal)
    answers = {name: client_for(name).get(URL) for name, _role, _where in PERSONAS}
    assert {name: response.status_code for name, response in answers.items()} == {
        "admin": 200,
        "coordinator": 200,
        "referent": 200,
        "supervisor": 403,
        "supervisee": 403,
        "observer": 200,
        "national_observer": 200,
        "outsider": 404,
        "nobody": 404,
    }
    for name in ("admin", "coordinator", "referent"):
        html = answers[name].content.decode()
        assert "07/07/2026" in html, name
        assert "Gruppo A1 Casarano" in html, name
    assert "Consegna a un'altra fonte" in answers["coordinator"].content.decode()
    assert "Consegna a un'altra fonte" not in answers["referent"].content.decode()
    for name in ("observer", "national_observer"):
        html = answers[name].content.decode()
        assert "Incontri: <strong>1</strong>" in html, name
        assert "Gruppo A1 Casarano" not in html, name
        assert "Longo" not in html, name
    listing = {name: client_for(name).get(LIST_URL).status_code for name in ("coordinator", "observer", "outsider")}
    assert listing == {"coordinator": 200, "observer": 200, "outsider": 404}
    assert (
        client_for("coordinator").get(reverse("funding:pnrr_after_end", args=["POGGIARDO-114", "X" * 15])).status_code
        == 404
    )


def test_it_refuses_the_hand_over_to_anyone_but_the_coordinator(cal: Cal, client_for: Any) -> None:
    session = _charged_after_end(cal)
    data = {"contract": cal.contract.pk, "sessions_to": _other(cal).pk, "costs_to": _other(cal).pk, "reason": "x"}
    statuses = {name: _post(client_for, name, **data).status_code for name in ("referent", "observer", "outsider")}
    assert statuses == {"referent": 403, "observer": 403, "outsider": 404}
    session.refresh_from_db()
    assert session.funding_id == cal.funding.pk
    assert not AuditEntry.objects.filter(code=CODE).exists()


def test_it_hands_over_sessions_and_costs_in_one_audited_action(cal: Cal, client_for: Any) -> None:
    before = _charged_after_end(cal)
    within = cal.one(D(2026, 6, 23))  # the project's, untouched
    other = _other(cal)
    response = _post(
        client_for,
        "coordinator",
        contract=cal.contract.pk,
        sessions_to=other.pk,
        costs_to=other.pk,
        reason="Delibera del Coordinamento n. 7 del 02/07/2026",
    )
    assert response.status_code == 302
    moved = Session.objects.get(pk=before.pk)
    assert (moved.funding_id, moved.version) == (other.pk, before.version + 1)
    assert Session.objects.get(pk=within.pk).funding_id == cal.funding.pk
    # The 2026 plan's groups: the project pays to 30/06, the other source afterwards.
    assert set(PlanGroup.objects.filter(plan=cal.plan).values_list("funding_id", "funding_after_id")) == {
        (cal.funding.pk, other.pk)
    }
    entries = AuditEntry.objects.filter(code=CODE)
    assert entries.count() == 1 + 2 + 1  # the session, the two groups, the partnership's summary
    session_entry = entries.get(content_type__model="session")
    assert session_entry.user == cal.world.coordinator
    assert "Delibera del Coordinamento n. 7" in session_entry.message
    assert session_entry.changes["funding"]["new"] == str(other)
    summary = entries.get(content_type__model="partnership")
    assert "1 incontro spostato, 2 gruppi imputati" in summary.message
    page = client_for("coordinator").get(URL).content.decode()
    assert "Nulla da consegnare" in page


def test_it_cancels_sessions_not_held_but_never_a_confirmed_one(cal: Cal, client_for: Any) -> None:
    held = _charged_after_end(cal, D(2026, 7, 7))
    marks = {a.pk: Mark(AttendanceStatus.PRESENT) for a in held.attendances.all()}
    save_register(held, marks, version=held.version, by=cal.world.supervisor)
    Session.objects.filter(pk=held.pk).update(funding=_other(cal))  # confirmed on the other source, then moved back
    held.refresh_from_db()
    held.funding = _other(cal)
    confirm_register(held, version=held.version, by=cal.world.supervisor)
    Session.objects.filter(pk=held.pk).update(funding=cal.funding)
    later = _charged_after_end(cal, D(2026, 7, 14))
    data = {"contract": cal.contract.pk, "sessions_to": "cancel", "costs_to": _other(cal).pk, "reason": "Sospesi"}
    refused = _post(client_for, "coordinator", **data)
    assert refused.status_code == 400
    assert "il registro confermato (07/07/2026): si sono svolti, non si annullano" in refused.content.decode()
    assert Session.objects.get(pk=later.pk).status == SessionStatus.SCHEDULED
    Session.objects.filter(pk=held.pk).update(funding=_other(cal))  # the held one handed over already
    assert _post(client_for, "coordinator", **data).status_code == 302
    cancelled = Session.objects.get(pk=later.pk)
    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.cancel_reason == "Progetto PNRR concluso: Sospesi"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": ""}, "Questo campo è obbligatorio"),
        ({"sessions_to": ""}, "Indica dove imputare l&#x27;incontro (2 ore)"),
        ({"costs_to": ""}, "Indica la fonte che paga le ore dei gruppi"),
        ({"contract": "999999"}, "Scegli un&#x27;opzione valida"),
        ({"sessions_to": "abc"}, "Scegli un&#x27;opzione valida"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(
    cal: Cal, client_for: Any, change: dict[str, str], message: str
) -> None:
    session = _charged_after_end(cal)
    other = _other(cal)
    data = {"contract": cal.contract.pk, "sessions_to": other.pk, "costs_to": other.pk, "reason": "Motivo", **change}
    response = _post(client_for, "coordinator", **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    session.refresh_from_db()
    assert session.funding_id == cal.funding.pk
    assert not AuditEntry.objects.filter(code=CODE).exists()


def test_an_fnps_quota_pays_only_for_its_own_staff(cal: Cal, client_for: Any) -> None:
    session = _charged_after_end(cal)  # Casarano's people
    maglie = ContractFunding.objects.create(
        contract=cal.contract, measure="fnps", amount=1000, year=2026, ambito=cal.world.maglie
    )
    response = _post(
        client_for, "coordinator", contract=cal.contract.pk, sessions_to=maglie.pk, costs_to=maglie.pk, reason="FNPS"
    )
    assert response.status_code == 400
    assert "Incontro del 07/07/2026: la quota FNPS" in response.content.decode()
    session.refresh_from_db()
    assert session.funding_id == cal.funding.pk


def test_the_command_lists_what_is_charged_after_the_end(cal: Cal) -> None:
    session = _charged_after_end(cal)
    out = StringIO()
    call_command("pnrr_after_end", "--partnership", "POGGIARDO-114", stdout=out)
    text = out.getvalue()
    assert f"POGGIARDO-114 · CUP {CUP} · attività concluse il 30/06/2026: 1 incontro, 2 gruppi" in text
    assert f"incontro {session.pk} del 07/07/2026 09:00" in text
    out = StringIO()
    call_command("pnrr_after_end", "--cup", CUP.lower(), "--json", stdout=out)
    [found] = json.loads(out.getvalue())
    assert (found["last_day"], [s["id"] for s in found["sessions"]]) == ("2026-06-30", [session.pk])
    with pytest.raises(CommandError, match="Nessun progetto PNRR con CUP"):
        call_command("pnrr_after_end", "--cup", "B" * 15, stdout=StringIO())
    with pytest.raises(CommandError, match="Nessun partenariato"):
        call_command("pnrr_after_end", "--partnership", "NOPE", stdout=StringIO())
