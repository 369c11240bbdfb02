"""Referents (Allegato 1): request, designation, who has answered, exports."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from supervisione.census.models import ReferentDesignation, ReferentRequest
from supervisione.testing.world import World


def _designation(**changes: Any) -> dict[str, Any]:
    data = {
        "full_name": "Ugo Vergine",
        "role": "Responsabile dell'Ufficio di Piano",
        "email": "ugo.vergine@example.it",
        "phone": "0836 123456",
        "act_number": "Determina n. 12/2023",
        "act_date": "2023-04-10",
        "answered_on": "2023-04-12",
    }
    data.update(changes)
    return data


def test_the_coordinator_requests_and_sees_who_answered(world: World, client_for: Any) -> None:
    coordinator = client_for("coordinator")
    response = coordinator.post(
        reverse("census:referent_request_create", args=["POGGIARDO-114"]),
        {"title": "Designazione dei referenti (Allegato 1)", "deadline": "2023-04-17", "message": ""},
    )
    request = ReferentRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()

    referent = client_for("referent")
    url = reverse("census:referent_designate", args=[request.pk, "PUG_MAGLIE"])
    assert referent.post(url, _designation(answered_on="2023-04-20")).status_code == 302
    designation = ReferentDesignation.objects.get()
    assert (designation.ambito, designation.answered_late) == (world.maglie, True)

    page = coordinator.get(request.get_absolute_url()).content.decode()
    assert "Ugo Vergine" in page
    assert "ha risposto 1 ATS su 3" in page
    assert "oltre la scadenza" in page
    # Poggiardo and Casarano have not answered, and the deadline is past.
    assert page.count('<span class="badge bg-danger">in ritardo</span>') == 2
    assert "2 in ritardo" in page
    index = coordinator.get(reverse("census:index")).content.decode()
    assert "1 di 3" in index
    # The referent answers only for its own ATS.
    assert referent.get(reverse("census:referent_designate", args=[request.pk, "PUG_CASARANO"])).status_code == 404


def test_it_validates_the_designation(world: World, client_for: Any) -> None:
    request = ReferentRequest.objects.create(partnership=world.partnership, deadline=datetime.date(2023, 4, 17))
    url = reverse("census:referent_designate", args=[request.pk, "PUG_MAGLIE"])
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()  # noqa: DTZ011  (a month ahead: the zone cannot matter)
    page = client_for("referent").post(url, _designation(email="ugo@", act_date=future, full_name="")).content.decode()
    assert "Inserisci un indirizzo email valido." in page
    assert "La data dell&#x27;atto di designazione non può essere nel futuro." in page
    assert "Questo campo è obbligatorio." in page
    assert not ReferentDesignation.objects.exists()


def test_it_exports_the_referents_as_xlsx_and_pdf(world: World, client_for: Any) -> None:
    request = ReferentRequest.objects.create(partnership=world.partnership, deadline=datetime.date(2023, 4, 17))
    ReferentDesignation.objects.create(
        request=request,
        ambito=world.maglie,
        full_name="Ugo Vergine",
        role="Responsabile",
        email="ugo@example.it",
        act_number="Determina n. 12/2023",
        act_date=datetime.date(2023, 4, 10),
        answered_on=datetime.date(2023, 4, 12),
    )
    client = client_for("coordinator")
    xlsx = client.get(reverse("census:referent_export", args=[request.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.getvalue()))["Referenti"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
    assert rows["PUG_MAGLIE"][2] == "Ugo Vergine"
    assert rows["PUG_MAGLIE"][7] == datetime.datetime(2023, 4, 10)  # noqa: DTZ001  (openpyxl reads naive dates)
    assert rows["PUG_CASARANO"][2] == "non ancora designato"

    pdf = client.get(reverse("census:referent_export", args=[request.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    assert "Ugo Vergine" in text
    assert "Determina n. 12/2023" in text
    assert "non ancora designato" in text
    assert client.get(reverse("census:referent_export", args=[request.pk, "doc"])).status_code == 404
