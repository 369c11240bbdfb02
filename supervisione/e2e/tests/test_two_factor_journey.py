"""A coordinator turns on two-factor verification with an authenticator app, logs in with a code and turns
it off again."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from supervisione.testing.browser import Journey

pytestmark = pytest.mark.e2e


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this key now (or ``steps_ahead`` periods of 30 s later)."""
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_it_lets_a_coordinator_log_in_with_a_code_from_an_app(journey: Journey) -> None:
    journey.login("coordinatore.sansevero")
    journey.visit("/profilo/", step="profilo")
    journey.click_link("Verifica in due passaggi")
    journey.submit("Attiva la verifica in due passaggi", step="chiave e codice QR")
    assert journey.page.get_by_role("img", name="Codice QR").count() == 1
    secret = journey.page.locator(".user-select-all").inner_text()
    journey.fill("Codice di verifica", "12345")
    journey.submit("Conferma e attiva", step="codice troppo corto")
    journey.expect_field_error("Codice di verifica", "Il codice è fatto di 6 cifre")
    journey.fill("Codice di verifica", app_code(secret))
    journey.submit("Conferma e attiva", step="verifica attivata")
    journey.expect_text("Verifica in due passaggi attivata")
    journey.logout()

    journey.visit("/accedi/", step="accesso con codice")
    journey.fill("Nome utente", "coordinatore.sansevero")
    journey.fill("Password", "demo-supervisione")
    journey.submit("Accedi", step="richiesta del codice")
    journey.expect_text("Codice di verifica")
    journey.fill("Codice di verifica", app_code(secret, steps_ahead=1))  # the first code was used already
    journey.submit("Verifica e accedi", step="entrato con il codice")
    assert re.search(r"(Buongiorno|Buonasera), Michele", journey.main_text())  # by the hour the journey runs

    journey.visit("/profilo/verifica-in-due-passaggi/", step="verifica attiva")
    journey.fill("Codice di verifica", app_code(secret, steps_ahead=2))
    journey.submit("Disattiva la verifica in due passaggi", step="verifica disattivata")
    journey.expect_text("Verifica in due passaggi disattivata")
