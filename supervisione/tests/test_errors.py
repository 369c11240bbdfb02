from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from supervisione.testing.world import World


def test_it_answers_404_in_italian(world: World, client_for: Any) -> None:
    response = client_for("coordinator").get("/non-esiste/")
    assert response.status_code == 404
    assert "Pagina non trovata" in response.content.decode()


def test_it_renders_500_in_italian_without_details() -> None:
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Si è verificato un errore" in page
    assert "Traceback" not in page


def test_it_reports_health_with_the_database(db: Any) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_it_reports_an_unreachable_database(db: Any, monkeypatch: Any) -> None:
    class Unreachable:
        def cursor(self) -> None:
            raise DatabaseError("down")

    monkeypatch.setattr("supervisione.views.connection", Unreachable())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_it_sends_security_headers(world: World, client_for: Any) -> None:
    response = client_for("coordinator").get("/")
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_it_explains_a_csrf_failure_in_italian(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accedi/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Il modulo è scaduto" in response.content.decode()


def test_it_speaks_italian_to_a_browser_that_asks_for_english(world: World, client_for: Any) -> None:
    # The pages are in Italian and say lang="it": Django's own messages must not switch to English.
    client = client_for("coordinator")
    response = client.post(
        "/ambiti/PUG_MAGLIE/modifica/", {"name": "Ambito di Maglie", "pec": "xx"}, HTTP_ACCEPT_LANGUAGE="en-US,en"
    )
    page = response.content.decode()
    assert '<html lang="it">' in page
    assert "Inserisci un indirizzo email valido." in page
    assert "Enter a valid email address" not in page


def test_it_lists_the_form_errors_first_with_links_to_the_fields(world: World, client_for: Any) -> None:
    response = client_for("coordinator").post("/ambiti/PUG_MAGLIE/modifica/", {"name": "", "pec": "xx"})
    page = response.content.decode()
    assert 'class="alert alert-danger error-summary" role="alert"' in page
    assert '<a href="#id_pec">PEC: Inserisci un indirizzo email valido.</a>' in page
    assert '<a href="#id_name">Denominazione: Questo campo è obbligatorio.</a>' in page
    assert 'aria-describedby="id_pec_error"' in page
