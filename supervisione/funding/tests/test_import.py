"""The import of commitments, liquidations and payments from the accounting software's export: the template,
the preview, row errors in Italian with their row numbers, nothing written when a row is wrong, the confirmation
and the same file again changing nothing."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from supervisione.audit.models import AuditEntry
from supervisione.funding.importing import columns, read
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.procurement.models import Contract, Procedure
from supervisione.testing import factories
from supervisione.testing.world import World

D = Decimal
IMPORT = reverse("funding:ledger_import", args=["PUG_MAGLIE"])
CONFIRM = reverse("funding:ledger_import_confirm", args=["PUG_MAGLIE"])
HEADER = "Codice ATS;Fase;Numero atto;Data;Importo;CIG;Annualità FNPS;Atto di riferimento;Note"
GOOD = [
    "PUG_MAGLIE;impegno;45/2025;12/03/2025;6.000,00;B123456789;2024;;Convenzione",
    "PUG_MAGLIE;liquidazione;L-7/2025;30/06/2025;2.000,00;;;45/2025;Fattura 1° trimestre",
    "PUG_MAGLIE;Mandato di pagamento;1107/2025;15/07/2025;2.000,00;;;L-7/2025;",
]


@pytest.fixture
def ledger(world: World) -> FnpsAllocation:
    factories.contract(world.partnership, title="Gara MePA", cig="B123456789", procedure=Procedure.MEPA)
    return FnpsAllocation.objects.create(ambito=world.maglie, first_year=2023, last_year=2024, amount=D(10000))


def csv_file(*rows: str, header: str = HEADER, name: str = "contabilita.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([header, *rows]).encode("cp1252"), content_type="text/csv")


def upload(client: Any, file: SimpleUploadedFile) -> str:
    response = client.post(IMPORT, {"file": file})
    assert response.status_code == 200
    return str(response.content.decode())


def token(html: str) -> str:
    found = re.search(r'name="rows" value="([^"]+)"', html)
    assert found is not None, "no confirmation form"
    return found.group(1)


def test_it_previews_then_writes_the_acts_and_the_same_file_again_changes_nothing(
    ledger: FnpsAllocation, world: World, client_for: Any
) -> None:
    client = client_for("referent")
    html = upload(client, csv_file(*GOOD))
    assert "Il file contiene 3 atti: <strong>3 nuovi</strong>, <strong>0 da aggiornare</strong>" in html
    assert "Liquidazione n. L-7/2025" in html
    assert "Impegno n. 45/2025" in html  # the liquidation's reference
    assert "Importa 3 atti" in html
    assert not LedgerEntry.objects.exists()  # a preview writes nothing
    response = client.post(CONFIRM, {"rows": token(html)}, follow=True)
    assert "Importazione completata da «contabilita.csv»: 3 atti nuovi, 0 aggiornati" in response.content.decode()
    entries = {entry.stage: entry for entry in LedgerEntry.objects.select_related("parent", "contract")}
    commitment_contract = entries[Stage.COMMITTED].contract
    assert commitment_contract is not None
    assert (entries[Stage.COMMITTED].amount, commitment_contract.cig) == (D(6000), "B123456789")
    assert entries[Stage.LIQUIDATED].parent == entries[Stage.COMMITTED]
    assert entries[Stage.PAID].parent == entries[Stage.LIQUIDATED]
    assert entries[Stage.PAID].contract == entries[Stage.COMMITTED].contract
    assert entries[Stage.COMMITTED].note == "Convenzione"
    codes = list(AuditEntry.objects.filter(ambito=world.maglie).values_list("code", flat=True))
    assert sorted(codes) == sorted(
        [
            "funding.commitment.imported",
            "funding.liquidation.imported",
            "funding.payment.imported",
            "funding.ledger.imported",
        ]
    )
    written = (LedgerEntry.objects.count(), AuditEntry.objects.count())
    # Again: every act already recorded as the file has it.
    again = upload(client, csv_file(*GOOD))
    assert "3 già registrati così" in again
    assert "Nessuna modifica" in again
    assert 'name="rows"' not in again
    # Even the confirmation posted twice writes nothing more.
    response = client.post(CONFIRM, {"rows": token(html)}, follow=True)
    assert "Nessuna modifica: tutti gli atti del file erano già registrati così." in response.content.decode()
    assert (LedgerEntry.objects.count(), AuditEntry.objects.count()) == written


def test_it_updates_an_act_whose_amount_changed(ledger: FnpsAllocation, client_for: Any) -> None:
    client = client_for("referent")
    client.post(CONFIRM, {"rows": token(upload(client, csv_file(*GOOD)))})
    changed = GOOD[0].replace("6.000,00", "6.500,00")
    html = upload(client, csv_file(changed, *GOOD[1:]))
    assert "da aggiornare: importo 6.000,00 € → 6.500,00 €" in html
    client.post(CONFIRM, {"rows": token(html)})
    assert LedgerEntry.objects.get(stage=Stage.COMMITTED).amount == D(6500)
    assert AuditEntry.objects.filter(code="funding.commitment.updated").count() == 1


def test_it_lists_every_wrong_row_with_its_number_and_writes_nothing(ledger: FnpsAllocation, client_for: Any) -> None:
    client = client_for("referent")
    html = upload(
        client,
        csv_file(
            GOOD[0],
            "PUG_CASARANO;impegno;46/2025;12/03/2025;100;B123456789;2024;;",
            "PUG_MAGLIE;acconto;47/2025;12/03/2025;100;B123456789;2024;;",
            "PUG_MAGLIE;impegno;48/2025;31/02/2025;-5;B123456789;2024;;",
            "PUG_MAGLIE;impegno;49/2025;12/03/2025;10,001;B123456789;2030;;",
            "PUG_MAGLIE;liquidazione;L-1/2025;30/06/2025;100;;;99/2025;",
            "PUG_MAGLIE;impegno;45/2025;12/03/2025;1;B123456789;2024;;",
            "PUG_MAGLIE;impegno;50/2025;12/03/2025;1;Z999999999;2024;;",
            "PUG_MAGLIE;mandato;M-1/2025;15/07/2025;1;;;;",
        ),
    )
    assert "nulla è stato importato" in html
    expected = [
        (
            "3",
            "Codice ATS",
            "La riga è dell&#x27;ATS «PUG_CASARANO»: qui si importano solo gli atti di Ambito di Maglie",
        ),
        ("4", "Fase", "«acconto» non è una fase: scrivi impegno, liquidazione o mandato."),
        ("5", "Data", "«31/02/2025» non è una data valida"),
        ("5", "Importo", "L&#x27;importo deve essere maggiore di zero."),
        ("6", "Importo", "«10,001» ha più di due decimali"),
        ("7", "Atto di riferimento", "L&#x27;ATS non ha nessun impegno n. 99/2025, né registrato né in questo file."),
        ("8", "Numero atto", "Impegno n. 45/2025 compare già alla riga 2"),
        ("9", "CIG", "Nessun contratto dell&#x27;ATS o dei suoi partenariati ha il CIG Z999999999."),
        ("10", "Atto di riferimento", "Indica il numero della liquidazione che il mandato paga."),
    ]
    rows = re.findall(r"<tr><td>(\d+|tutto il file)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", html)
    for number, column, message in expected:
        assert any(r[0] == number and r[1] == column and message in r[2] for r in rows), (number, message)
    assert 'name="rows"' not in html
    assert not LedgerEntry.objects.exists()


def test_it_checks_the_ledger_as_the_file_would_leave_it(ledger: FnpsAllocation, client_for: Any) -> None:
    client = client_for("referent")
    html = upload(
        client,
        csv_file(
            "PUG_MAGLIE;impegno;45/2025;12/03/2025;6.000,00;B123456789;2023;;",
            "PUG_MAGLIE;impegno;46/2025;12/03/2025;4.500,00;B123456789;2024;;",
            "PUG_MAGLIE;liquidazione;L-7/2025;01/03/2025;100;;;45/2025;",
        ),
    )
    assert (
        "Lo stanziamento FNPS 2023-2024 risulterebbe impegnato per 10.500,00 €: 500,00 € oltre l&#x27;importo "
        "stanziato di 10.000,00 €." in html
    )
    assert "La liquidazione n. L-7/2025 del 01/03/2025 precede l&#x27;impegno n. 45/2025" in html
    assert re.search(r"<td>4</td><td>Data</td><td>La liquidazione n. L-7/2025", html)
    assert re.search(r"<td>tutto il file</td><td>Importo</td><td>Lo stanziamento FNPS 2023-2024", html)
    # One row that passes the allocation alone is named.
    html = upload(client, csv_file("PUG_MAGLIE;impegno;45/2025;12/03/2025;10.000,01;B123456789;2023;;"))
    assert re.search(r"<td>2</td><td>Importo</td><td>Lo stanziamento FNPS 2023-2024 risulterebbe impegnato", html)
    assert not LedgerEntry.objects.exists()


def test_a_commitment_without_cig_takes_the_one_contract_without_cig(
    ledger: FnpsAllocation, world: World, client_for: Any
) -> None:
    client = client_for("referent")
    row = "PUG_MAGLIE;impegno;45/2025;12/03/2025;100;;2024;;"
    assert "Indica il CIG del contratto che l&#x27;impegno paga." in upload(client, csv_file(row))
    convention = factories.contract(world.partnership, title="Convenzione di co-progettazione")
    html = upload(client, csv_file(row))
    assert "senza CIG: l&#x27;unico contratto dell&#x27;ATS senza CIG, «Convenzione di co-progettazione»" in html
    factories.contract(world.partnership, title="Altra convenzione")
    assert "l&#x27;ATS ha 2 contratti senza CIG" in upload(client, csv_file(row))
    assert Contract.objects.filter(pk=convention.pk).exists()


def test_it_refuses_a_confirmation_that_was_changed_or_overtaken(
    ledger: FnpsAllocation, world: World, client_for: Any
) -> None:
    client = client_for("referent")
    html = upload(client, csv_file(*GOOD))
    signed = token(html)
    response = client.post(CONFIRM, {"rows": signed[:-3] + "abc"})
    assert "La conferma non corrisponde all&#x27;anteprima" in response.content.decode()
    response = client.post(CONFIRM, {})
    assert "La conferma non corrisponde all&#x27;anteprima" in response.content.decode()
    # Another user's confirmation cannot be replayed: the rows are signed for the user who saw the preview.
    assert "La conferma non corrisponde" in client_for("admin").post(CONFIRM, {"rows": signed}).content.decode()
    # Meanwhile the allocation was lowered: the same rows no longer fit, nothing is written.
    FnpsAllocation.objects.filter(pk=ledger.pk).update(amount=D(5000))
    response = client.post(CONFIRM, {"rows": signed})
    page = response.content.decode()
    assert "Dopo l'anteprima la contabilità dell'ATS è cambiata" in page
    assert "risulterebbe impegnato per 6.000,00 €" in page
    assert not LedgerEntry.objects.exists()


def test_it_refuses_files_it_cannot_read(ledger: FnpsAllocation, client_for: Any) -> None:
    client = client_for("referent")
    html = upload(client, csv_file(*GOOD, header="Codice ATS;Fase;Numero atto;Data"))
    assert "Manca la colonna «Importo»." in html
    html = upload(client, csv_file(header="Codice ATS;Fase;Numero atto;Data;Importo"))
    assert "Il file non contiene righe di dati sotto l&#x27;intestazione." in html
    pdf = SimpleUploadedFile("atti.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert "non è di un tipo accettato" in upload(client, pdf)
    html = upload(client, csv_file(*GOOD, header=HEADER + ";Capitolo di bilancio"))
    assert "La colonna «Capitolo di bilancio» non è prevista: viene ignorata." in html
    assert not LedgerEntry.objects.exists()


def test_it_stops_at_the_most_rows_a_file_may_hold(ledger: FnpsAllocation, client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(read, "MAX_ROWS", 2)
    html = upload(client_for("referent"), csv_file(*GOOD))
    assert "Il file ha più di 2 atti, il massimo per un&#x27;importazione" in html


def test_the_template_reads_back_as_an_import(ledger: FnpsAllocation, client_for: Any) -> None:
    client = client_for("referent")
    response = client.get(reverse("funding:import_template"))
    assert response["Content-Disposition"].endswith('"modello-atti-contabili-fnps.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Atti"]
    assert [cell.value for cell in sheet[1]] == [column.header for column in columns.COLUMNS]
    assert "Istruzioni" in workbook.sheetnames
    # Filled as an accounting office would: a date cell and a number cell.
    sheet.append(["PUG_MAGLIE", "impegno", "45/2025", datetime.date(2025, 3, 12), 6000, "B123456789", 2024, "", ""])
    out = io.BytesIO()
    workbook.save(out)
    file = SimpleUploadedFile("atti.xlsx", out.getvalue())
    html = upload(client, file)
    assert "<strong>1 nuovo</strong>" in html
    assert "12/03/2025" in html
    assert client_for("observer").get(reverse("funding:import_template")).status_code == 403


def test_a_workbook_without_the_atti_sheet_is_read_from_its_first(ledger: FnpsAllocation, client_for: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Export"
    sheet.append(HEADER.split(";"))
    sheet.append(GOOD[0].split(";"))
    out = io.BytesIO()
    workbook.save(out)
    assert "<strong>1 nuovo</strong>" in upload(client_for("referent"), SimpleUploadedFile("e.xlsx", out.getvalue()))
