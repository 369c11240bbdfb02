"""Optional two-factor verification (TOTP): set-up, login with a code, throttling, turning it off, reset."""

from __future__ import annotations

import time
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from supervisione.accounts.models import User
from supervisione.accounts.views.auth import PENDING_SESSION_KEY
from supervisione.audit.models import AuditEntry
from supervisione.testing.world import PASSWORD, World

LOGIN = "/accedi/"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or ``steps_ahead`` periods later: a code is accepted only once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def active_device_for(user: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="App di autenticazione", confirmed=True)
    return device


def password_step(username: str, **extra: str) -> tuple[Client, Any]:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD, **extra})
    return client, response


def test_it_lets_a_coordinator_set_up_verification_with_a_qr_code(world: World, client_for: Any) -> None:
    client = client_for("coordinator")
    assert "non attiva" in client.get(reverse("accounts:profile")).content.decode()
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "non è attiva" in page
    assert client.post(reverse("accounts:two_factor_start")).status_code == 302
    device = TOTPDevice.objects.get(user=world.coordinator)
    assert device.confirmed is False
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert 'src="data:image/svg+xml;charset=utf-8,%3Csvg' in page
    assert "otpauth://totp/Supervisione%3Acoordinator?secret=" in page.replace("&amp;", "&")
    assert "issuer=Supervisione" in page.replace("&amp;", "&")


def test_it_confirms_the_set_up_only_with_a_right_code(world: World, client_for: Any) -> None:
    client = client_for("coordinator")
    client.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=world.coordinator)
    refused = client.post(reverse("accounts:two_factor_confirm"), {"code": wrong_code(device)})
    assert "Il codice non è corretto o è scaduto" in refused.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    device.throttle_reset()
    done = client.post(reverse("accounts:two_factor_confirm"), {"code": code_for(device)})
    assert done.status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    entry = AuditEntry.objects.filter(object_id=str(world.coordinator.pk)).first()
    assert entry is not None
    assert entry.message == "Verifica in due passaggi attivata"
    assert device.key not in str(entry.changes)


def test_it_explains_a_code_that_is_not_six_digits(world: World, client_for: Any) -> None:
    client = client_for("admin")
    client.post(reverse("accounts:two_factor_start"))
    response = client.post(reverse("accounts:two_factor_confirm"), {"code": "12a456"})
    assert "Il codice è fatto di 6 cifre" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.admin, confirmed=True).exists()


def test_it_asks_for_the_code_after_the_password(world: World) -> None:
    device = active_device_for(world.coordinator)
    client, response = password_step("coordinator", next="/ambiti/")
    assert response["Location"] == reverse("accounts:login_code")
    # Not logged in yet: the password alone opens nothing.
    assert client.get(reverse("home:home"))["Location"].startswith(LOGIN)
    assert "Codice di verifica" in client.get(reverse("accounts:login_code")).content.decode()
    done = client.post(reverse("accounts:login_code"), {"code": code_for(device)})
    assert done["Location"] == "/ambiti/"
    assert client.get(reverse("home:home")).status_code == 200
    assert PENDING_SESSION_KEY not in client.session


def test_it_logs_in_with_the_password_alone_without_a_device(world: World) -> None:
    TOTPDevice.objects.create(user=world.coordinator, name="x", confirmed=False)
    _client, response = password_step("coordinator")
    assert response["Location"] == reverse("home:home")


def test_it_counts_wrong_codes_as_failed_logins(world: World) -> None:
    device = active_device_for(world.coordinator)
    client, _ = password_step("coordinator")
    responses = [
        client.post(reverse("accounts:login_code"), {"code": wrong_code(device)})
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    assert "Accesso temporaneamente bloccato" in responses[-1].content.decode()
    # The codes typed are not kept with the failed attempts.
    assert wrong_code(device) not in AccessAttempt.objects.get(username="coordinator").post_data
    # The right code no longer helps, and neither does the password from the same address.
    assert client.post(reverse("accounts:login_code"), {"code": code_for(device)}).status_code == 429
    assert client.get(reverse("home:home"))["Location"].startswith(LOGIN)
    _again, response = password_step("coordinator")
    assert response.status_code == 429


def test_it_forgets_a_password_step_left_too_long(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    device = active_device_for(world.coordinator)
    client, _ = password_step("coordinator")
    later = time.time() + 301
    monkeypatch.setattr("supervisione.accounts.views.auth.time.time", lambda: later)
    response = client.post(reverse("accounts:login_code"), {"code": code_for(device)}, follow=True)
    assert "Il tempo per inserire il codice è scaduto" in response.content.decode()
    assert response.wsgi_request.path == LOGIN
    assert not response.wsgi_request.user.is_authenticated


def test_it_sends_the_code_page_to_the_login_without_a_password_step(world: World) -> None:
    response = Client().get(reverse("accounts:login_code"))
    assert response["Location"] == LOGIN


def test_it_turns_verification_off_only_with_a_right_code(world: World, client_for: Any) -> None:
    device = active_device_for(world.admin)
    client = client_for("admin")
    assert "è <strong>attiva</strong>" in client.get(reverse("accounts:two_factor")).content.decode()
    refused = client.post(reverse("accounts:two_factor_disable"), {"code": wrong_code(device)})
    assert "Il codice non è corretto" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=world.admin).exists()
    device.throttle_reset()
    done = client.post(reverse("accounts:two_factor_disable"), {"code": code_for(device)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.admin).exists()
    assert AuditEntry.objects.filter(message="Verifica in due passaggi disattivata", user=world.admin).exists()


def test_it_lets_an_administrator_reset_a_lost_device(world: World, client_for: Any) -> None:
    active_device_for(world.coordinator)
    page = client_for("admin").get(reverse("accounts:user_detail", args=[world.coordinator.pk])).content.decode()
    assert "Azzera la verifica in due passaggi" in page
    url = reverse("accounts:two_factor_reset", args=[world.coordinator.pk])
    assert client_for("coordinator").post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=world.coordinator).exists()
    assert client_for("admin").post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.coordinator).exists()
    entry = AuditEntry.objects.get(message="Verifica in due passaggi azzerata per coordinator")
    assert entry.user == world.admin
    _client, response = password_step("coordinator")
    assert response["Location"] == reverse("home:home")


def test_it_offers_verification_only_to_coordinators_and_administrators(world: World, client_for: Any) -> None:
    answers = {
        persona: client_for(persona).get(reverse("accounts:two_factor")).status_code
        for persona in ("admin", "coordinator", "outsider", "referent", "supervisor", "observer", "nobody")
    }
    assert answers == {
        "admin": 200,
        "coordinator": 200,
        "outsider": 200,
        "referent": 403,
        "supervisor": 403,
        "observer": 403,
        "nobody": 403,
    }
    assert "Verifica in due passaggi" not in client_for("referent").get(reverse("accounts:profile")).content.decode()


def test_it_lets_a_user_who_lost_the_role_turn_an_active_device_off(world: World, client_for: Any) -> None:
    active_device_for(world.referent)
    assert client_for("referent").get(reverse("accounts:two_factor")).status_code == 200


def test_it_never_sends_the_user_to_another_site_after_the_code(world: World) -> None:
    device = active_device_for(world.coordinator)
    client, _ = password_step("coordinator", next="https://esempio.invalid/accedi/")
    done = client.post(reverse("accounts:login_code"), {"code": code_for(device)})
    assert done["Location"] == reverse("home:home")
