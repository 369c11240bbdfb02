"""The demo's meetings (``demo/meetings.py``), checked by ``demo/tests/test_demo.py`` after one load."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from pypdf import PdfReader

from supervisione.accounts.models import User
from supervisione.funding.models import Cofinancing, FnpsAllocation
from supervisione.lib import clock
from supervisione.meetings.documents import letter_pdf, minutes_pdf
from supervisione.meetings.models import Meeting, MeetingStatus, Modality, Task, TaskStatus
from supervisione.meetings.requests import request_rows
from supervisione.monitoring.alerts import alerts_for


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def check_meetings_demo() -> None:
    sansevero = Meeting.objects.filter(partnership__code="SANSEVERO-114")
    march = sansevero.get(date=datetime.date(2023, 3, 7))
    assert march.minutes.is_approved
    decisions = [decision.text for decision in march.minutes.decisions.all()]
    assert [text.split(" ")[2] for text in decisions] == ["designa", "trasmette", "comunica"]
    assert all("entro il 17/04/2023" in text for text in decisions)
    april = sansevero.get(date=datetime.date(2023, 4, 19))
    assert (april.start_time, april.modality) == (datetime.time(9, 0), Modality.REMOTE)
    assert april.link.startswith("https://teams.microsoft.com/")
    assert [s.role for s in april.signatories.all()] == [
        "Il Responsabile dell'Area Servizi Sociali del Comune di San Severo",
        "Il Presidente del Coordinamento Istituzionale dell'Ambito Alto Tavoliere",
    ]
    letter = pdf_text(letter_pdf(april))
    assert "19/04/2023" in letter
    assert "09:00" in letter
    assert "teams.microsoft.com" in letter
    assert not april.minutes.is_approved  # two ATS have still to decide

    # The co-financing request to each ATS: done for the two that decided, late for the others.
    tasks = {
        task.owner_ambito.code if task.owner_ambito else "": task
        for task in Task.objects.filter(meeting=march).select_related("owner_ambito")
    }
    assert {code: task.status for code, task in tasks.items()} == {
        "PUG_SANSEVERO": TaskStatus.OPEN,
        "PUG_LUCERA": TaskStatus.DONE,
        "PUG_SANMARCO": TaskStatus.DONE,
        "PUG_TROIA": TaskStatus.OPEN,
    }
    allocations = {
        a.ambito.code: a for a in FnpsAllocation.objects.filter(first_year=2023, ambito__code__in=list(tasks))
    }
    assert (allocations["PUG_LUCERA"].cofinancing, allocations["PUG_LUCERA"].cofinancing_amount) == (
        Cofinancing.YES,
        Decimal("12160.00"),
    )
    assert allocations["PUG_SANMARCO"].cofinancing == Cofinancing.NO
    assert allocations["PUG_SANSEVERO"].cofinancing == allocations["PUG_TROIA"].cofinancing == Cofinancing.UNDECIDED
    assert "19/04/2023" in allocations["PUG_LUCERA"].cofinancing_source

    # The three requests to each ATS on one list: the referents, the census and the co-financing decision.
    coordinator = User.objects.get(username="coordinatore.sansevero")
    kinds = {(row.kind, row.owner) for row in request_rows(coordinator)}
    for name in ("San Marco in Lamis", "Troia"):
        owned = {kind for kind, owner in kinds if name in owner}
        assert owned == {"Richiesta", "Referente (Allegato 1)", "Censimento (Allegato 2)"}, (name, owned)
    # Troia's request of 2023 is still late on the list, but the daily digest stopped 60 days after its deadline.
    today = clock.today()
    troia = [row for row in request_rows(coordinator) if row.kind == "Richiesta" and "Troia" in row.owner]
    assert [row.is_late(today) for row in troia] == [True]
    assert not any("Troia" in alert.title for alert in alerts_for(coordinator))
    # The request of the present: Casarano's act, due with the current year's POA, reminded by the digest.
    casarano = [a for a in alerts_for(User.objects.get(username="coordinatore.poggiardo")) if a.kind == "request"]
    assert [a.title.split(" (")[0] for a in casarano] == [
        f"Trasmettere l'atto di co-finanziamento con la quota FNPS {today.year}"
    ]

    # Poggiardo's co-design table met twice: sittings of the table, recorded after the fact with approved minutes.
    codesign = Meeting.objects.filter(codesign_table__contract__provider__name="Raggio di Sole Onlus")
    assert sorted(meeting.date for meeting in codesign) == [datetime.date(2024, 10, 23), datetime.date(2025, 1, 14)]
    assert {(m.tenant_name, m.status, m.start_time) for m in codesign} == {
        ("Supervisione Poggiardo, Maglie e Casarano", MeetingStatus.RECORDED, None)
    }
    assert all(meeting.minutes.is_approved for meeting in codesign)
    final = codesign.get(date=datetime.date(2025, 1, 14))
    assert final.invitees.filter(attended=True).count() == 4
    assert "Approvata la proposta di Raggio di Sole Onlus" in pdf_text(minutes_pdf(final.minutes))
    assert clock.today() > final.date
