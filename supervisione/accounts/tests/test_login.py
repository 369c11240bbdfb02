from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.testing.world import PASSWORD, World


def test_it_logs_in_and_lands_on_the_home_page(world: World) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "coordinator", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home:home")
    assert client.get(reverse("home:home")).status_code == 200


def test_it_refuses_a_wrong_password_in_italian(world: World) -> None:
    response = Client().post(reverse("accounts:login"), {"username": "coordinator", "password": "sbagliata"})
    assert response.status_code == 200
    assert "Inserisci nome utente e password corretti" in response.content.decode()


def test_it_locks_the_account_after_repeated_failures(world: World) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "referent", "password": "sbagliata"})
    response = client.post(reverse("accounts:login"), {"username": "referent", "password": PASSWORD})
    assert response.status_code == 429
    assert "Accesso temporaneamente bloccato" in response.content.decode()
    # Another user from the same address is not locked out.
    other = client.post(reverse("accounts:login"), {"username": "coordinator", "password": PASSWORD})
    assert other.status_code == 302


def test_it_hashes_passwords_with_argon2(world: World) -> None:
    assert User.objects.get(username="coordinator").password.startswith("argon2")


def test_it_expires_idle_sessions() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_it_logs_out_only_by_post(world: World, client_for: object) -> None:
    client = client_for("coordinator")  # type: ignore[operator]
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home:home")).status_code == 302


def test_it_sends_anonymous_users_to_the_login_page(world: World) -> None:
    response = Client().get(reverse("territory:ambito_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_shows_the_profile_with_the_roles(world: World, client_for: object) -> None:
    response = client_for("referent").get(reverse("accounts:profile"))  # type: ignore[operator]
    assert "Referente dell&#x27;ATS" in response.content.decode()


def test_it_changes_the_password_with_the_rules(world: World, client_for: object) -> None:
    client = client_for("referent")  # type: ignore[operator]
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert "troppo corta" in weak.content.decode()
    strong = "Un-altra-password-robusta-2026"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong})
    assert done.status_code == 302
    assert User.objects.get(username="referent").check_password(strong)
