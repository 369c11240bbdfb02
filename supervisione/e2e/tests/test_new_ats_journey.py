"""The "done when" of issue 17: a new ATS adopts the product on its own, through the browser only.

On an empty installation (the reference data and an administrator, ``empty_server``) the administrator creates
the ATS with its municipalities and populations and its single-ATS partnership and invites its coordinator; the
coordinator invites the referent and registers and invites the supervisor; the referent puts a social worker in
the census and invites her; the coordinator plans a group and books a session; the supervisor takes and confirms
the register; the social worker downloads her participation certificate. Every invitation's link is read from
the e-mails the server wrote; every page on the way is checked (axe-core, reflow, typography) by ``Journey``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from supervisione.lib import clock
from supervisione.testing.browser import EmptyServer, Journey

pytestmark = pytest.mark.e2e

PASSWORD = "Una-password-nuova-2026"
COORDINATOR = "coordinatrice.nardo@example.it"
REFERENT = "referente.nardo@example.it"
SUPERVISOR = "supervisore.nardo@example.it"
SUPERVISEE = "assistente.nardo@example.it"
SUPERVISOR_TAX_CODE = "RSSNNA70A41F842W"
SUPERVISEE_TAX_CODE = "BNCGLI85M41F842L"
TODAY = clock.today()
POPULATIONS = "Comune;Residenti\nNardò;30.529\n{copertino}\t24.651\nGalatone; 15.404\n"


def signed_pdf(folder: Path) -> Path:
    """A scanned, signed declaration as a one-page PDF."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = folder / "dichiarazione-firmata.pdf"
    with path.open("wb") as file:
        writer.write(file)
    return path


def accept(journey: Journey, server: EmptyServer, address: str) -> None:
    """Open the invitation's link from the e-mail and choose the password: logged in on the home page."""
    journey.visit(server.link_to(address, "/invito/"), step=f"invito di {address}")
    journey.fill("Nuova password", PASSWORD)
    journey.fill("Conferma nuova password", PASSWORD)
    journey.submit("Attiva l'account", step=f"account di {address} attivato")
    journey.expect_text("Benvenuto in Supervisione")


def create_the_ats(admin: Journey) -> None:
    """The administrator creates the ATS, adds its municipalities and loads their populations."""
    admin.login(EmptyServer.ADMIN, EmptyServer.PASSWORD)
    admin.navigate("Anagrafiche", "Ambiti Territoriali Sociali")
    admin.click_link("Nuovo ATS", step="nuovo ATS")
    admin.choose("Regione del nuovo ATS", "Puglia")
    admin.submit("Mostra i suoi comuni", step="comuni della Puglia")
    admin.fill("Codice ministeriale", "PUG_NARDO")
    admin.fill("Denominazione", "Ambito di Nardò")
    admin.choose("Regione", "Puglia")
    admin.choose("Comune capofila", "Nardò (LE)")
    admin.submit("Salva", step="ATS creato")
    admin.expect_text("ATS creato con il comune capofila Nardò")
    admin.click_link("Aggiungi più comuni")
    admin.choose("Provincia", "Lecce (LE)")
    admin.submit("Filtra", step="comuni di Lecce")
    for name in ("Copertino", "Galatone"):
        box = admin.page.get_by_label(f"{name} (LE)", exact=True)
        admin.page.locator(f"label[for='{box.get_attribute('id')}']").click()  # the label draws the box
        assert box.is_checked(), name
    admin.submit("Aggiungi i comuni scelti", step="comuni aggiunti")
    admin.expect_text("2 comuni aggiunti all'ATS.")
    admin.click_link("Carica la popolazione")
    admin.fill("Data di riferimento", "2025-01-01")
    admin.fill("Popolazione per comune", POPULATIONS.format(copertino="075029"))  # a wrong ISTAT code
    admin.submit("Controlla", step="popolazione con una riga sbagliata")
    admin.expect_text("1 riga da correggere: nulla è stato salvato.", "Riga 3: «075029» non è un comune")
    admin.fill("Popolazione per comune", POPULATIONS.format(copertino="075022"))
    admin.submit("Controlla", step="anteprima della popolazione")
    admin.expect_text("30.529", "24.651", "15.404")
    admin.submit("Salva le popolazioni", step="popolazione salvata")
    admin.expect_text("Popolazione di 3 comuni registrata al 01/01/2025.", "70.584")


def create_the_partnership(admin: Journey) -> None:
    """Its single-ATS partnership, and the invitation of its coordinator."""
    admin.navigate("Partenariati")
    admin.click_link("Nuovo partenariato", step="nuovo partenariato")
    admin.fill("Codice", "NARDO-LEPS")
    admin.fill("Denominazione", "Supervisione dell'Ambito di Nardò")
    admin.choose("ATS capofila", "Ambito di Nardò (PUG_NARDO)")
    admin.page.locator("label", has_text="Progetto di un solo ATS").click()
    admin.submit("Salva", step="partenariato creato")
    admin.expect_text("Partenariato creato: progetto di un solo ATS. Ora invita il suo coordinatore.")
    admin.click_link("Invita un coordinatore", step="invito del coordinatore")
    admin.fill("Nome", "Lucia")
    admin.fill("Cognome", "Greco")
    admin.fill("E-mail", COORDINATOR)
    admin.submit("Invia l'invito", step="coordinatore invitato")
    admin.expect_text(f"Invito inviato a {COORDINATOR}", "In attesa (1)")
    admin.logout()


def invite_the_referent(coordinator: Journey) -> None:
    """The coordinator invites the ATS's referent and opens the census campaign."""
    coordinator.expect_text("Supervisione dell'Ambito di Nardò")
    coordinator.expect_text("Referenti degli ATS")
    coordinator.navigate("Anagrafiche", "Ambiti Territoriali Sociali")
    coordinator.click_link("Ambito di Nardò")
    coordinator.click_link("Invita un referente", step="invito del referente")
    coordinator.fill("Nome", "Paolo")
    coordinator.fill("Cognome", "Martina")
    coordinator.fill("E-mail", REFERENT)
    coordinator.submit("Invia l'invito", step="referente invitato")
    coordinator.expect_text(f"Invito inviato a {REFERENT}")
    coordinator.visit("/", step="home della coordinatrice")
    coordinator.click_link("Censimento del personale", step="nuova campagna di censimento")
    coordinator.fill("Titolo", f"Ricognizione del personale {TODAY.year}")
    coordinator.fill("Data di riferimento", f"{TODAY:%Y-%m-%d}")
    coordinator.fill("Scadenza", f"{TODAY + datetime.timedelta(days=30):%Y-%m-%d}")
    coordinator.submit("Salva", step="campagna aperta")


def census_a_social_worker(referent: Journey, server: EmptyServer) -> None:
    """The referent puts a social worker in the census, invites her and sends the census."""
    accept(referent, server, REFERENT)
    referent.navigate("Censimento")
    referent.click_link(f"Ricognizione del personale {TODAY.year}", exact=False)
    referent.click_link("Ambito di Nardò", exact=False, step="censimento di Nardò")
    referent.click_link("Aggiungi una posizione", step="nuova posizione")
    referent.fill("Cognome", "Bianchi")
    referent.fill("Nome", "Giulia")
    referent.fill("Codice fiscale", SUPERVISEE_TAX_CODE)
    referent.fill("E-mail", SUPERVISEE)
    referent.choose("Profilo professionale", "Assistente sociale")
    referent.choose("Albo: regione", "Puglia")
    referent.choose("Albo: sezione", "Sezione B")
    referent.fill("Albo: numero di iscrizione", "4321")
    referent.fill("Ente datore di lavoro", "Comune di Nardò")
    referent.choose("Servizio", "Servizio sociale professionale")
    referent.choose("Tipo di contratto", "Tempo indeterminato")
    referent.fill("Ore settimanali", "36")
    referent.submit("Salva", step="assistente sociale censita")
    referent.expect_text("Bianchi")
    referent.page.get_by_label("Invita Bianchi Giulia").check()
    referent.submit("Invita le persone scelte", step="assistente sociale invitata")
    referent.expect_text(f"1 invito inviato: {SUPERVISEE}")
    referent.submit("Trasmetti al coordinatore", step="censimento trasmesso")


def validate_the_census(coordinator: Journey) -> None:
    """The coordinator validates the census."""
    coordinator.visit("/", step="home dopo la trasmissione")
    coordinator.navigate("Censimento")
    coordinator.click_link(f"Ricognizione del personale {TODAY.year}", exact=False)
    coordinator.click_link("Ambito di Nardò", exact=False, step="censimento da validare")
    coordinator.submit("Valida", step="censimento validato")


def register_the_supervisor(coordinator: Journey, folder: Path) -> None:
    """A supervisor, invited, trained, with her signed declaration."""
    coordinator.navigate("Supervisori e contratti", "Registro dei supervisori")
    coordinator.click_link("Nuovo supervisore", exact=False, step="nuovo supervisore")
    coordinator.choose("Partenariato o ATS titolare", "Supervisione dell'Ambito di Nardò (NARDO-LEPS)")
    coordinator.fill("Cognome", "Russo")
    coordinator.fill("Nome", "Anna")
    coordinator.fill("Codice fiscale", SUPERVISOR_TAX_CODE)
    coordinator.fill("E-mail", SUPERVISOR)
    coordinator.choose("Professione", "Assistente sociale specialista")
    coordinator.choose("Albo: regione", "Puglia")
    coordinator.choose("Albo: sezione", "Sezione A")
    coordinator.fill("Albo: numero di iscrizione", "1234")
    coordinator.fill("Anni di esperienza professionale", "20")
    coordinator.fill("Anni di esperienza nella supervisione di assistenti sociali", "8")
    coordinator.page.locator("label", has_text="Invita per e-mail ad accedere").click()
    coordinator.submit("Salva", step="supervisore registrato")
    coordinator.expect_text(f"Invito inviato a {SUPERVISOR}", "manca una formazione specifica come supervisore")
    coordinator.click_link("Aggiungi formazione", step="formazione del supervisore")
    coordinator.fill("Titolo del corso", "Corso di alta formazione in supervisione professionale")
    coordinator.fill("Ente erogatore", "Università del Salento")
    coordinator.fill("Ore", "120")
    coordinator.fill("Anno di conseguimento", str(TODAY.year - 5))
    coordinator.submit("Salva", step="supervisore formato")
    coordinator.expect_text("Idoneo per A1")
    coordinator.navigate("Supervisori e contratti", "Registro dei supervisori")
    coordinator.click_link("Russo Anna", step="scheda della supervisora")
    coordinator.click_link("Registra una dichiarazione", step="dichiarazione")
    coordinator.fill("Gruppo o destinatari", "Assistenti sociali dell'Ambito di Nardò")
    for statement in ("non avere rapporti gerarchici", "non trovarsi in conflitto di interessi"):
        coordinator.page.locator("label", has_text=statement).click()
    coordinator.fill("Firmata il", f"{datetime.date(TODAY.year, 1, 1):%Y-%m-%d}")
    coordinator.field("Dichiarazione firmata").set_input_files(signed_pdf(folder))
    coordinator.submit("Salva", step="dichiarazione registrata")


def register_the_contract(coordinator: Journey) -> None:
    """The provider, then the contract with its hours for A1 and A2 and its FNPS funding."""
    coordinator.navigate("Supervisori e contratti", "Contratti e procedure")
    coordinator.click_link("Nuovo contratto o procedura", step="nuovo contratto")
    # A new ATS has no provider yet: the form says where to register it.
    coordinator.click_link("registralo tra le organizzazioni", step="nuovo fornitore")
    coordinator.choose("Registrata per conto di", "Supervisione dell'Ambito di Nardò (NARDO-LEPS)")
    coordinator.fill("Denominazione", "Cooperativa sociale Il Faro")
    coordinator.choose("Tipo", "Cooperativa / ente del terzo settore")
    coordinator.submit("Salva", step="fornitore registrato")
    coordinator.navigate("Supervisori e contratti", "Contratti e procedure")
    coordinator.click_link("Nuovo contratto o procedura", step="nuovo contratto con fornitore")
    coordinator.choose("Fornitore", "Cooperativa sociale Il Faro")
    coordinator.choose("Partenariato o ATS titolare", "Supervisione dell'Ambito di Nardò (NARDO-LEPS)")
    coordinator.fill("Oggetto", "Servizio di supervisione professionale")
    coordinator.choose("Procedura", "Affidamento diretto")
    coordinator.choose("Stato", "In esecuzione")
    coordinator.fill("Importo (EUR)", "9.000,00")
    coordinator.fill("Inizio", f"{datetime.date(TODAY.year, 1, 1):%Y-%m-%d}")
    coordinator.fill("Fine", f"{datetime.date(TODAY.year + 1, 12, 31):%Y-%m-%d}")
    coordinator.submit("Salva", step="contratto registrato")
    coordinator.click_link("Aggiungi tipo", step="riga del contratto")
    coordinator.choose("Tipo di supervisione", "A1 - gruppo monoprofessionale")
    coordinator.fill("Tariffa oraria (EUR)", "60")
    coordinator.fill("Ore acquistate", "100")
    coordinator.submit("Salva", step="ore A1 nel contratto")
    coordinator.click_link("Aggiungi tipo", step="seconda riga del contratto")
    coordinator.choose("Tipo di supervisione", "A2 - individuale")
    coordinator.fill("Tariffa oraria (EUR)", "60")
    coordinator.fill("Ore acquistate", "50")
    coordinator.submit("Salva", step="ore A2 nel contratto")
    coordinator.click_link("Aggiungi fonte", step="fonte del contratto")
    coordinator.choose("Fonte di finanziamento", "FNPS - quota supervisione")
    coordinator.fill("Importo (EUR)", "9.000,00")
    coordinator.fill("Annualità", str(TODAY.year))
    coordinator.choose("ATS che paga", "Ambito di Nardò (PUG_NARDO)")
    coordinator.submit("Salva", step="fonte FNPS del contratto")


def plan_and_book(coordinator: Journey) -> None:
    """The POA from the census, its group's supervisor, and today's session."""
    coordinator.navigate("Piani annuali")
    coordinator.click_link("Nuovo piano dal censimento", step="nuovo POA")
    coordinator.choose("Partenariato o ATS", "Supervisione dell'Ambito di Nardò (NARDO-LEPS)")
    coordinator.fill("Anno", str(TODAY.year))
    coordinator.submit("Salva", step="POA creato")
    coordinator.expect_text("Gruppo A1 n. 1: nessun supervisore assegnato.")
    coordinator.click_link("Gruppo A1 n. 1", step="gruppo A1")
    coordinator.click_link("Modifica", step="modifica del gruppo")
    coordinator.field("Supervisore").select_option(index=1)  # the only eligible one
    coordinator.field("Dichiarazione di assenza di conflitti").select_option(index=1)
    coordinator.submit("Salva", step="supervisora assegnata")
    coordinator.expect_no_text("Il modulo contiene errori")
    coordinator.expect_text("Russo Anna")

    # Today's session, under way as the journey runs: it started on the hour and lasts two hours (to midnight at most).
    start = clock.localnow().replace(minute=0, second=0, microsecond=0)
    end = min(start + datetime.timedelta(hours=2), start.replace(hour=23, minute=59))
    coordinator.navigate("Calendario")
    coordinator.click_link("Prenota per Gruppo A1 n. 1", step="prenotazione")
    coordinator.fill("Data", f"{TODAY:%Y-%m-%d}")
    coordinator.fill("Dalle", f"{start:%H:%M}")
    coordinator.fill("Alle", f"{end:%H:%M}")
    coordinator.fill("Luogo", "Ufficio di Piano, sala riunioni")
    coordinator.submit("Prenota", step="incontro prenotato")
    coordinator.expect_text(f"Incontro prenotato per il {TODAY:%d/%m/%Y}.")
    coordinator.logout()


def hold_the_session(supervisor: Journey, supervisee: Journey) -> None:
    """The supervisor shows the code, the social worker checks in, the register is confirmed."""
    supervisor.click_link("Oggi hai", exact=False, step="oggi")
    with supervisor.page.expect_navigation():
        supervisor.page.get_by_role("link", name="Codice").first.click()
    supervisor.checkpoint("codice da mostrare")
    code = supervisor.page.locator(".checkin-code").inner_text().strip()

    supervisee.click_link("Incontro in corso", exact=False, step="incontro in corso")
    supervisee.click_link("Registra la tua presenza", step="registrazione della presenza")
    supervisee.fill("Codice dell'incontro", code)
    supervisee.submit("Registra la presenza", step="presenza registrata")
    supervisee.expect_text("Presenza registrata alle")

    supervisor.click_link("Torna al registro", step="registro con la presenza")
    supervisor.submit("Salva e conferma", step="riepilogo del registro")
    early = supervisor.page.get_by_label("L'incontro è già finito: confermo le presenze così come sono")
    if early.count():  # the session is under way: the supervisor says it is over, in so many words
        supervisor.page.locator("label[for=id_early]").click()
    supervisor.submit("Conferma il registro", step="registro confermato")
    supervisor.expect_text("Registro confermato: le ore dell'incontro contano come erogate.")


def download_the_certificate(supervisee: Journey) -> None:
    """The social worker downloads her participation certificate."""
    supervisee.visit("/", step="home dopo l'incontro")
    supervisee.click_link("Attestato di partecipazione disponibile", step="attestato")
    supervisee.expect_text("Attestato di partecipazione: Giulia Bianchi", "Ore frequentate")
    with supervisee.page.expect_download() as info:
        supervisee.page.get_by_role("link", name="Scarica l'attestato (PDF)").click()
    download = info.value
    assert download.suggested_filename.startswith("attestato-bianchi-"), download.suggested_filename
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(download.path()).pages).split())
    assert "Si attesta che Giulia Bianchi" in text, text[:500]
    assert "Ambito di Nardò" in text, text[:500]


def test_it_takes_a_new_ats_from_an_empty_installation_to_a_certificate(
    new_ats_journey: Callable[..., Journey], empty_server: EmptyServer, tmp_path: Path
) -> None:
    admin = new_ats_journey("amministratore")
    create_the_ats(admin)
    create_the_partnership(admin)

    coordinator = new_ats_journey("coordinatrice")
    accept(coordinator, empty_server, COORDINATOR)
    invite_the_referent(coordinator)
    referent = new_ats_journey("referente")
    census_a_social_worker(referent, empty_server)
    validate_the_census(coordinator)
    register_the_supervisor(coordinator, tmp_path)
    register_the_contract(coordinator)
    plan_and_book(coordinator)

    supervisor = new_ats_journey("supervisora")
    accept(supervisor, empty_server, SUPERVISOR)
    supervisee = new_ats_journey("assistente-sociale", phone=True)
    accept(supervisee, empty_server, SUPERVISEE)
    hold_the_session(supervisor, supervisee)
    download_the_certificate(supervisee)
