"""The close-out of a PNRR project: the page says what is missing (what is charged after the end, registers not
confirmed or without their final PDF, the contract's document, the target), the coordinator closes it once
nothing is, and from then on every write to its records is refused: sessions, registers, topics, scans, the
calendar, the plan and its groups, A2 moves, contract lines and the row, the hand-over."""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.funding.pnrr.actions import HandOverError, hand_over
from supervisione.funding.pnrr.closeout import CLOSED_CODE, close_project, missing
from supervisione.funding.pnrr.queries import project_of
from supervisione.leps.minimums import RedistributionError
from supervisione.planning import actions as planning_actions
from supervisione.planning.models import PlanGroup
from supervisione.procurement.models import ContractFunding, ContractLine
from supervisione.sessions.actions.a2_moves import move_a2_hours
from supervisione.sessions.actions.base import SessionError
from supervisione.sessions.actions.notes import set_topics
from supervisione.sessions.actions.registers import (
    Mark,
    confirm_register,
    new_checkin_code,
    save_register,
    store_scan,
)
from supervisione.sessions.actions.scheduling import Where, cancel_session, reschedule_session
from supervisione.sessions.booking import Slot
from supervisione.sessions.models import AttendanceStatus, Modality, Session, SignedScan
from supervisione.sessions.tests.conftest import Cal
from supervisione.territory.models import Ambito
from supervisione.testing import factories
from supervisione.testing.commits import committed
from supervisione.testing.frozen import frozen

D = datetime.date
CUP = "J81H22000130006"
URL = reverse("funding:pnrr_closeout", args=["POGGIARDO-114", CUP])
HELD = D(2026, 6, 23)
CLOSED = "Il progetto PNRR (CUP J81H22000130006) è chiuso dal 15/09/2026"


def _held(cal: Cal, day: datetime.date) -> Session:
    session = cal.one(day)
    marks = {a.pk: Mark(AttendanceStatus.PRESENT) for a in session.attendances.all()}
    save_register(session, marks, version=session.version, by=cal.world.supervisor)
    session.refresh_from_db()
    with committed():  # the final register is issued once the confirmation is committed
        return confirm_register(session, version=session.version, by=cal.world.supervisor)


def _ready(cal: Cal, day: datetime.date = HELD) -> Session:
    """Everything a close-out asks for: a held session confirmed with its PDF, the groups' row after the end, the
    contract's document, the target."""
    session = _held(cal, day)
    other = ContractFunding.objects.create(
        contract=cal.contract, measure="other", amount=Decimal(1000), note="Bilancio"
    )
    PlanGroup.objects.filter(plan=cal.plan).update(funding_after=other)
    factories.contract_document(cal.contract)
    ContractFunding.objects.filter(pk=cal.funding.pk).update(
        target_indicator="Operatori sociali supervisionati", target_value=56
    )
    return session


@frozen(2026, 9, 15)
def test_it_lists_what_is_missing_then_closes(cal: Cal, client_for: Any) -> None:
    cal.one(D(2026, 6, 16))  # held, register still open
    project = project_of(cal.world.partnership, CUP)
    assert project is not None
    whats = [item.what for item in missing(project, D(2026, 9, 15))]
    assert whats == [
        "0 incontri, 2 gruppi e 0 fonti di contratti imputati dopo la fine delle attività",
        "1 incontro svolto senza registro confermato",
        "1 contratto senza il documento del contratto: Supervisione Raggio di Sole",
        "il target del progetto non è indicato",
    ]
    html = client_for("coordinator").get(URL).content.decode()
    assert "1 incontro svolto senza registro confermato" in html
    assert "Chiudi il progetto" not in html
    # The coordinator prepares the project's evidence pack from here, on the CUP up to the end of its activities.
    assert f"/monitoraggio/partenariati/POGGIARDO-114/pacchetto-pnrr/?cup={CUP}&amp;start=" in html
    assert "&amp;end=2026-06-30" in html
    assert "pacchetto-pnrr" not in client_for("referent").get(URL).content.decode()
    refused = client_for("coordinator").post(URL, {"confirm": "1"}, follow=True).content.decode()
    assert "Prima di chiudere il progetto manca" in refused
    assert not ContractFunding.objects.filter(closed_at__isnull=False).exists()

    Session.objects.filter(date=D(2026, 6, 16)).delete()
    _ready(cal)
    assert "Chiudi il progetto" in client_for("coordinator").get(URL).content.decode()
    unconfirmed = client_for("coordinator").post(URL, {}, follow=True).content.decode()
    assert "Conferma la chiusura" in unconfirmed
    assert client_for("referent").post(URL, {"confirm": "1"}).status_code == 403
    assert client_for("coordinator").post(URL, {"confirm": "1"}).status_code == 302
    row = ContractFunding.objects.get(pk=cal.funding.pk)
    assert (row.closed_by, row.closed_at is not None) == (cal.world.coordinator, True)
    assert AuditEntry.objects.filter(code=CLOSED_CODE).count() == 2  # the row and the partnership
    html = client_for("referent").get(URL).content.decode()
    assert "Chiuso il 15/09/2026 10:00 da" in html


@frozen(2026, 9, 15)
def test_a_confirmed_register_without_the_signed_sheet_is_missing_where_the_ats_requires_it(
    cal: Cal, client_for: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    session = _ready(cal)
    project = project_of(cal.world.partnership, CUP)
    assert project is not None
    assert missing(project, D(2026, 9, 15)) == []  # registers alone are the evidence by default
    ambito_ids = set(session.attendances.values_list("ambito_id", flat=True))
    Ambito.objects.filter(pk__in=ambito_ids).update(requires_signed_scans=True)
    (item,) = missing(project, D(2026, 9, 15))
    assert item.what == "1 registro confermato senza il foglio firme firmato, che l'ATS dei partecipanti richiede"
    assert item.dates == (HELD,)
    assert "1 registro confermato senza il foglio firme firmato" in client_for("coordinator").get(URL).content.decode()
    content = b"%PDF-1.4 foglio firme"
    SignedScan.objects.create(
        session=session,
        file=default_storage.save("fogli/prova.pdf", ContentFile(content)),
        original_name="foglio firme.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    assert missing(project, D(2026, 9, 15)) == []


def test_it_answers_by_role(cal: Cal, client_for: Any) -> None:
    statuses = {name: client_for(name).get(URL).status_code for name in ("coordinator", "referent", "observer")}
    assert statuses == {"coordinator": 200, "referent": 200, "observer": 200}
    assert client_for("supervisor").get(URL).status_code == 403
    assert client_for("outsider").get(URL).status_code == 404
    assert client_for("observer").post(URL, {"confirm": "1"}).status_code == 403


@frozen(2026, 6, 20)
def test_it_does_not_close_before_the_end(cal: Cal, client_for: Any) -> None:
    _ready(cal, D(2026, 6, 16))
    project = project_of(cal.world.partnership, CUP)
    assert project is not None
    with pytest.raises(HandOverError, match="si chiude dal giorno dopo"):
        close_project(cal.world.partnership, project, by=cal.world.coordinator)
    assert "Attività in corso" in client_for("coordinator").get(URL).content.decode()


@frozen(2026, 9, 15)
def test_a_closed_project_refuses_every_write(cal: Cal, client_for: Any) -> None:
    session = _ready(cal)
    project = project_of(cal.world.partnership, CUP)
    assert project is not None
    close_project(cal.world.partnership, project, by=cal.world.coordinator)
    session.refresh_from_db()
    cal.funding.refresh_from_db()
    project = project_of(cal.world.partnership, CUP)  # as a page reads it, after the closing
    assert project is not None
    version, by = session.version, cal.world.coordinator
    where = Where(Modality.REMOTE, link="https://meet.example.org/gruppo")
    writes: dict[str, Callable[[], object]] = {
        "register": lambda: save_register(
            session,
            {a.pk: Mark(AttendanceStatus.ABSENT) for a in session.attendances.all()},
            version=version,
            by=by,
            reason="Correzione",
        ),
        "reschedule": lambda: reschedule_session(
            session,
            slot=Slot(D(2026, 6, 24), datetime.time(9), datetime.time(11)),
            where=where,
            reason="x",
            version=version,
            by=by,
        ),
        "cancel": lambda: cancel_session(session, reason="x", version=version, by=by),
        "topics": lambda: set_topics(session, ["ethical"], by=by),
        "checkin code": lambda: new_checkin_code(session, by=by),
        "scan": lambda: store_scan(session, io.BytesIO(b"%PDF"), cast(Any, None), by=by),
        "booking": lambda: cal.one(D(2026, 6, 25)),
    }
    for name, write in writes.items():
        with pytest.raises(SessionError, match="è chiuso dal 15/09/2026") as refused:
            write()
        assert CLOSED in refused.value.messages[0], name
    group = PlanGroup.objects.get(pk=cal.group.pk)
    group.note = "Cambio"
    with pytest.raises(planning_actions.PlanError, match="è chiuso dal 15/09/2026"):
        planning_actions.save_group(group, expected=cal.plan.lock_version, by=by)
    with pytest.raises(RedistributionError, match="è chiuso dal 15/09/2026"):
        move_a2_hours(cal.group, cal.equipe_group, Decimal(1), reason="Poche richieste", by=by)
    with pytest.raises(HandOverError, match="è chiuso dal 15/09/2026"):
        hand_over(
            cal.world.partnership,
            project,
            cal.contract,
            sessions_to=None,
            cancel_sessions=True,
            costs_to=None,
            reason="x",
            by=by,
        )
    with pytest.raises(HandOverError, match="già chiuso"):
        close_project(cal.world.partnership, project, by=by)
    client = client_for("coordinator")
    line = ContractLine.objects.filter(contract=cal.contract).first()
    assert line is not None
    pages = [
        client.get(reverse("procurement:funding_edit", args=[cal.contract.pk, cal.funding.pk]), follow=True),
        client.post(reverse("procurement:funding_delete", args=[cal.contract.pk, cal.funding.pk]), follow=True),
        client.post(
            reverse("procurement:line_edit", args=[cal.contract.pk, line.pk]), {"hourly_rate": "1"}, follow=True
        ),
        client.post(reverse("procurement:line_delete", args=[cal.contract.pk, line.pk]), follow=True),
    ]
    scan = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    scan.name = "foglio.pdf"
    pages.append(client.post(reverse("sessions:scan_upload", args=[session.pk]), {"file": scan}, follow=True))
    for page in pages:
        assert "è chiuso dal 15/09/2026" in page.content.decode()
    assert not SignedScan.objects.filter(session=session).exists()
    assert ContractFunding.objects.filter(pk=cal.funding.pk).exists()
    assert ContractLine.objects.get(pk=line.pk).hourly_rate == line.hourly_rate
    session.refresh_from_db()
    assert (session.version, session.is_confirmed, session.is_cancelled) == (version, True, False)
