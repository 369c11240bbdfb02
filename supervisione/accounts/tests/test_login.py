from __future__ import annotations

import datetime
from typing import Any

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert 0 < settings.SESSION_REFRESH_SECONDS * 4 <= settings.SESSION_COOKIE_AGE


def _expiry(client: Client) -> datetime.datetime:
    return DjangoSession.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_in_use_is_saved_again_only_after_the_refresh_interval(
    world: World, client_for: Any, time_machine: Any
) -> None:
    """No write per page: the expiry moves ahead at most every SESSION_REFRESH_SECONDS, so that a session left
    idle ends between SESSION_COOKIE_AGE minus that interval and SESSION_COOKIE_AGE after its last request."""
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False)
    client = client_for("coordinator")
    assert client.get(reverse("home:home")).status_code == 200
    first = _expiry(client)
    time_machine.shift(datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS - 1))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home:home")).status_code == 200
    assert not [query for query in queries if "django_session" in query["sql"] and "UPDATE" in query["sql"]]
    assert _expiry(client) == first
    time_machine.shift(datetime.timedelta(seconds=2))
    assert client.get(reverse("home:home")).status_code == 200
    assert _expiry(client) - first == datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 1)
    # Idle for longer than SESSION_COOKIE_AGE, the session has expired: back to the login page.
    time_machine.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    assert client.get(reverse("home:home")).status_code == 302


def test_an_anonymous_visit_stores_no_session(db: Any, client: Client) -> None:
    assert client.get(reverse("accounts:login")).status_code == 200
    assert not DjangoSession.objects.exists()


def test_it_logs_out_only_by_post(world: World, client_for: Any) -> None:
    client = client_for("coordinator")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home:home")).status_code == 302


def test_it_sends_anonymous_users_to_the_login_page(world: World) -> None:
    response = Client().get(reverse("territory:ambito_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_shows_the_profile_with_the_roles(world: World, client_for: Any) -> None:
    response = client_for("referent").get(reverse("accounts:profile"))
    assert "Referente dell&#x27;ATS" in response.content.decode()


def test_it_changes_the_password_with_the_rules(world: World, client_for: Any) -> None:
    client = client_for("referent")
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    assert "troppo corta" in weak.content.decode()
    strong = "Un-altra-password-robusta-2026"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong})
    assert done.status_code == 302
    assert User.objects.get(username="referent").check_password(strong)


@pytest.fixture
def quick_lockout(settings: Any) -> None:
    """Two failures lock out: each attempt costs an Argon2 hash, and the rule is the same at any limit."""
    settings.AXES_FAILURE_LIMIT = 2


def lock_out(username: str, client: Client | None = None) -> Client:
    client = client or Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": username, "password": "sbagliata"})
    return client


def test_it_answers_unknown_user_names_as_it_answers_known_ones(world: World, quick_lockout: None) -> None:
    # Nothing tells an attacker which user names exist.
    unknown = Client().post(reverse("accounts:login"), {"username": "nessuno-così", "password": "sbagliata"})
    known = Client().post(reverse("accounts:login"), {"username": "referent", "password": "sbagliata"})
    assert unknown.status_code == known.status_code == 200
    assert "Inserisci nome utente e password corretti" in unknown.content.decode()
    again = lock_out("nessuno-così").post(reverse("accounts:login"), {"username": "nessuno-così", "password": "x"})
    assert again.status_code == 429


def test_it_lifts_the_lockout_after_the_cool_off(world: World, quick_lockout: None) -> None:
    client = lock_out("referent")
    assert client.post(reverse("accounts:login"), {"username": "referent", "password": PASSWORD}).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(1))
    assert client.post(reverse("accounts:login"), {"username": "referent", "password": PASSWORD}).status_code == 302


def test_it_locks_the_user_name_only_from_the_address_that_failed(world: World, quick_lockout: None) -> None:
    lock_out("referent", Client(REMOTE_ADDR="192.0.2.10"))
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.post(reverse("accounts:login"), {"username": "referent", "password": PASSWORD}).status_code == 302


def test_it_reads_the_client_address_behind_a_trusted_proxy(world: World, settings: Any, quick_lockout: None) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the left entry; the proxy appended the address it saw.
    lock_out("referent", Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.10"))
    same = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.10")
    assert same.post(reverse("accounts:login"), {"username": "referent", "password": PASSWORD}).status_code == 429
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.20")
    assert other.post(reverse("accounts:login"), {"username": "referent", "password": PASSWORD}).status_code == 302


def test_it_ignores_forwarded_addresses_without_a_trusted_proxy(world: World, quick_lockout: None) -> None:
    lock_out("referent", Client(REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.9"))
    forged = Client(REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert forged.post(reverse("accounts:login"), {"username": "referent", "password": PASSWORD}).status_code == 429


def test_it_keeps_a_record_of_failed_logins_without_the_secrets(world: World) -> None:
    Client().post(reverse("accounts:login"), {"username": "referent", "password": "il-mio-segreto"})
    failure = AccessFailureLog.objects.get(username="referent")
    assert failure.ip_address == "127.0.0.1"
    attempt = AccessAttempt.objects.get(username="referent")
    assert "il-mio-segreto" not in attempt.post_data


def test_it_locks_an_address_that_tries_a_few_passwords_on_every_user(world: World, settings: Any) -> None:
    """Below the limit per user name on each, but past the limit per address across them."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    attacker = Client(REMOTE_ADDR="192.0.2.66")
    tries = [(username, attempt) for username in ("referent", "supervisor", "supervisee") for attempt in range(2)]
    statuses = [
        attacker.post(reverse("accounts:login"), {"username": username, "password": f"tentativo{attempt}"}).status_code
        for username, attempt in tries  # two on each user name: fewer than AXES_FAILURE_LIMIT (5)
    ]
    assert statuses == [200] * 5 + [429]  # the failure that reaches the limit is answered with the lockout
    # The next try from that address is refused, even with the right password of a user never tried.
    response = attacker.post(reverse("accounts:login"), {"username": "coordinator", "password": PASSWORD})
    assert response.status_code == 429
    assert "Accesso temporaneamente bloccato" in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    # Other addresses are not affected.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        elsewhere.post(reverse("accounts:login"), {"username": "coordinator", "password": PASSWORD}).status_code == 302
    )
    # The lock lifts with the cool-off, as the lock per user name does.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(1))
    assert (
        attacker.post(reverse("accounts:login"), {"username": "coordinator", "password": PASSWORD}).status_code == 302
    )


def test_the_limit_per_address_is_a_setting_of_twenty_by_default() -> None:
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize("length", [151, 300, 100_000])
def test_it_refuses_a_user_name_longer_than_any_before_throttling_or_authentication_see_it(
    world: World, length: int
) -> None:
    """On PostgreSQL django-axes failed with a 500 on a user name over 255 characters; on SQLite it stored it
    whole, and anyone could grow the throttling tables."""
    response = Client().post(reverse("accounts:login"), {"username": "a" * length, "password": "sbagliata"})
    assert response.status_code == 200
    assert "Il nome utente ha al massimo 150 caratteri" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()


def test_throttling_never_records_more_of_a_user_name_than_a_user_name_can_hold(world: World) -> None:
    from supervisione.accounts.throttling import username  # noqa: PLC0415  (lock_out() takes a parameter of this name)

    request = RequestFactory().post(reverse("accounts:login"), {"username": "b" * 400})
    assert username(request) == "b" * 150
    assert username(request, {"username": "c" * 400}) == "c" * 150
    # Any other caller that reports a failure (the code step, later an API) goes through the same cut.
    request = RequestFactory(REMOTE_ADDR="192.0.2.1").post(reverse("accounts:login"), {})
    AxesProxyHandler.update_request(request)
    user_login_failed.send(sender=__name__, credentials={"username": "d" * 400}, request=request)
    assert AccessAttempt.objects.get().username == "d" * 150
