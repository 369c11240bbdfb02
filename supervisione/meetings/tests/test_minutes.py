"""Minutes: who attended per ATS, a summary per agenda item, decisions (also one per ATS); approved, then
locked; exported as PDF and DOCX (read back)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from docx import Document
from docx.shared import Cm
from pypdf import PdfReader

from supervisione.audit.models import AuditEntry
from supervisione.meetings import actions
from supervisione.meetings.models import AmbitoDecision, Decision, Meeting, Minutes, MinutesStatus, Outcome
from supervisione.meetings.tests import factories
from supervisione.testing.frozen import frozen
from supervisione.testing.pages import form_data
from supervisione.testing.world import World


def _meeting(world: World) -> Meeting:
    meeting = factories.meeting(world.partnership, title="Tavolo di coordinamento")
    factories.invitee(meeting, world.poggiardo, name="Laura Bianchi")
    factories.invitee(meeting, world.maglie, name="Paolo Russo", role="Presidente del Coordinamento Istituzionale")
    factories.invitee(meeting, world.casarano, name="Carla Riva")
    return meeting


def _write_minutes(client: Client, meeting: Meeting) -> None:
    url = reverse("meetings:minutes_edit", args=[meeting.pk])
    data = form_data(client.get(url).content.decode(), having="opening")
    first, second = meeting.agenda_items.all()
    present = [str(i.pk) for i in meeting.invitees.all() if i.name != "Carla Riva"]
    data.update(
        {
            "opening": "Presiede Anna Neri; verbalizza Laura Bianchi.",
            "others_present": "Dott.ssa Sara Gallo, consulente",
            "attended": present,
            f"summary_{first.pk}": "Maglie ha designato il referente; Casarano lo farà entro il 17/04/2023.",
            f"summary_{second.pk}": "Si discute della quota FNPS di circa il 3 %.",
        }
    )
    assert client.post(url, data).status_code == 302


def _decide(client: Client, meeting: Meeting, world: World) -> Decision:
    second = meeting.agenda_items.get(position=2)
    client.post(
        reverse("meetings:decision_add", args=[meeting.pk]),
        {"agenda_item": second.pk, "text": "Co-finanzia con la quota FNPS", "per_ambito": "on"},
    )
    decision = Decision.objects.get(minutes__meeting=meeting)
    maglie = decision.ambito_decisions.get(ambito=world.maglie)
    url = reverse("meetings:ambito_decision_edit", args=[meeting.pk, maglie.pk])
    response = client.post(url, {"outcome": Outcome.YES, "amount": "14.648,66", "act": "Delibera n. 12 del 02/05/2023"})
    assert response.status_code == 302
    return decision


@frozen(2023, 4, 20)
def test_it_writes_approves_and_exports_the_minutes(world: World, client_for: Any) -> None:
    meeting = _meeting(world)
    client: Client = client_for("coordinator")
    _write_minutes(client, meeting)
    decision = _decide(client, meeting, world)
    # One row per ATS of the partnership, pending until each decides.
    rows = {row.ambito.code: row for row in AmbitoDecision.objects.filter(decision=decision)}
    assert set(rows) == {"PUG_POGGIARDO", "PUG_MAGLIE", "PUG_CASARANO"}
    assert (rows["PUG_MAGLIE"].outcome, rows["PUG_MAGLIE"].amount) == (Outcome.YES, Decimal("14648.66"))
    assert rows["PUG_CASARANO"].outcome == Outcome.PENDING
    assert AuditEntry.objects.filter(code="meetings.ambitodecision.recorded").count() == 1
    assert AuditEntry.objects.filter(code="meetings.minutes.updated").exists()

    page = client.get(meeting.get_absolute_url()).content.decode()
    version = form_data(page, having="lock_version")["lock_version"]
    assert (
        client.post(reverse("meetings:minutes_approve", args=[meeting.pk]), {"lock_version": version}).status_code
        == 302
    )
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approved_by == world.coordinator
    assert AuditEntry.objects.filter(code="meetings.minutes.approved").count() == 1
    assert (
        "Verbale approvato: da ora non si può più modificare" in client.get(meeting.get_absolute_url()).content.decode()
    )

    pdf = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(
            io.BytesIO(
                b"".join(
                    pdf.streaming_content  # type: ignore[attr-defined]  # a FileResponse
                )
            )
        ).pages
    )
    for expected in (
        "Verbale della riunione «Tavolo di coordinamento»",
        "Verbale approvato il 20/04/2023",
        "Ambito di Maglie Paolo Russo",
        "Assenti: Carla Riva (Ambito di Casarano)",
        "Sara Gallo",
        "Casarano lo farà entro il 17/04/2023",
        "Co-finanzia con la quota FNPS",
        "14.648,66 €",
        "Delibera n. 12 del 02/05/2023",
    ):
        assert expected in text, expected

    docx = client.get(reverse("meetings:minutes_docx", args=[meeting.pk]))
    document = Document(
        io.BytesIO(
            b"".join(
                docx.streaming_content  # type: ignore[attr-defined]  # a FileResponse
            )
        )
    )
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "Verbale approvato il 20/04/2023." in paragraphs
    assert "Si discute della quota FNPS di circa il 3 %." in paragraphs
    attendance, decisions = document.tables
    assert [c.text for c in attendance.rows[0].cells] == ["ATS", "Nome e cognome", "Ruolo"]
    assert ["Ambito di Maglie", "Paolo Russo", "Presidente del Coordinamento Istituzionale"] in [
        [c.text for c in row.cells] for row in attendance.rows
    ]
    assert ["Ambito di Maglie", "sì", "14.648,66 €", "Delibera n. 12 del 02/05/2023"] in [
        [c.text for c in row.cells] for row in decisions.rows
    ]
    # The columns fill the page's text width, no more.
    section = document.sections[0]
    text_width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    for table in document.tables:
        widths = [cell.width or 0 for cell in table.rows[0].cells]
        assert all(widths)
        assert abs(sum(widths) - text_width) < Cm(0.05)


def test_it_locks_approved_minutes(world: World, client_for: Any) -> None:
    meeting = _meeting(world)
    client: Client = client_for("coordinator")
    _write_minutes(client, meeting)
    decision = _decide(client, meeting, world)
    minutes = Minutes.objects.get(meeting=meeting)
    actions.approve_minutes(minutes, by=world.coordinator)
    before = AuditEntry.objects.count()
    edit = client.get(reverse("meetings:minutes_edit", args=[meeting.pk]), follow=True)
    assert escape("Il verbale è approvato: non si può più modificare.") in edit.content.decode()
    client.post(reverse("meetings:decision_add", args=[meeting.pk]), {"text": "Altro"})
    client.post(reverse("meetings:decision_delete", args=[meeting.pk, decision.pk]))
    row = decision.ambito_decisions.get(ambito=world.casarano)
    client.post(reverse("meetings:ambito_decision_edit", args=[meeting.pk, row.pk]), {"outcome": Outcome.NO})
    again = client.post(reverse("meetings:minutes_approve", args=[meeting.pk]), {"lock_version": "1"}, follow=True)
    assert escape("Il verbale è approvato: non si può più modificare.") in again.content.decode()
    # The meeting itself is closed too.
    refused = client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), {"title": "Altro"})
    assert refused.status_code == 200
    assert Decision.objects.filter(minutes=minutes).count() == 1
    row.refresh_from_db()
    assert row.outcome == Outcome.PENDING
    assert AuditEntry.objects.count() == before
    for action in (
        lambda: actions.save_minutes(minutes, set(), {}, by=world.coordinator),
        lambda: actions.save_decision(Decision(minutes=minutes, text="X"), by=world.coordinator),
    ):
        try:
            action()
        except actions.MinutesLockedError:
            pass
        else:
            raise AssertionError("an approved minutes was changed")


def test_it_refuses_a_stale_approval_and_bad_decisions(world: World, client_for: Any) -> None:
    meeting = _meeting(world)
    client: Client = client_for("coordinator")
    _write_minutes(client, meeting)
    decision = _decide(client, meeting, world)
    shown = form_data(client.get(meeting.get_absolute_url()).content.decode())["lock_version"]
    edit = reverse("meetings:minutes_edit", args=[meeting.pk])
    # Someone else changes the minutes after the page with the approval button was shown.
    assert (
        client.post(
            edit, {**form_data(client.get(edit).content.decode()), "closing": "Alle 11 la seduta è tolta."}
        ).status_code
        == 302
    )
    stale = client.post(reverse("meetings:minutes_approve", args=[meeting.pk]), {"lock_version": shown}, follow=True)
    assert "Il verbale è stato modificato da un altro utente" in stale.content.decode()
    incomplete = client.post(reverse("meetings:minutes_approve", args=[meeting.pk]), {}, follow=True)
    assert escape("La pagina è incompleta") in incomplete.content.decode()
    assert Minutes.objects.get(meeting=meeting).status == MinutesStatus.DRAFT
    row = decision.ambito_decisions.get(ambito=world.casarano)
    url = reverse("meetings:ambito_decision_edit", args=[meeting.pk, row.pk])
    no_with_amount = client.post(url, {"outcome": Outcome.NO, "amount": "1.000,00"})
    assert escape("L'importo si indica solo se l'ATS ha deciso «sì».") in no_with_amount.content.decode()
    negative = client.post(url, {"outcome": Outcome.YES, "amount": "-5"})
    assert negative.status_code == 200
    row.refresh_from_db()
    assert (row.outcome, row.amount) == (Outcome.PENDING, None)


def test_it_lets_referents_of_invited_ats_read_but_not_write_the_minutes(world: World, client_for: Any) -> None:
    meeting = _meeting(world)
    _write_minutes(client_for("coordinator"), meeting)
    referent: Client = client_for("referent")
    assert referent.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).status_code == 200
    assert referent.get(reverse("meetings:minutes_edit", args=[meeting.pk])).status_code == 403
    assert client_for("outsider").get(reverse("meetings:minutes_docx", args=[meeting.pk])).status_code == 404
