"""Every unsafe request without a CSRF token is refused before it reaches a view, on every URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse

from supervisione.testing.url_samples import SAMPLES
from supervisione.testing.world import World

UNSAFE = ("post", "put", "patch", "delete")


def every_row() -> dict[str, list[tuple[str, ...]]]:
    """The content of every table but the sessions, which a refused request may still touch."""
    return {
        model._meta.label: sorted(tuple(map(str, row)) for row in model._default_manager.values_list())
        for model in apps.get_models()
        if model._meta.app_label != "sessions"
    }


def test_it_refuses_unsafe_methods_without_a_token_on_every_url(world: World, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # documents made by the samples
    # An administrator may do everything: only the missing token can stop these requests.
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin, backend="django.contrib.auth.backends.ModelBackend")
    client.get(reverse("accounts:profile"))
    assert settings.CSRF_COOKIE_NAME in client.cookies, "the CSRF cookie is set, only the token is missing"
    urls = {name: reverse(name, kwargs=sample.arguments(world)) for name, sample in SAMPLES.items()}
    before = every_row()
    failures: list[str] = []
    for name, url in sorted(urls.items()):
        for method in UNSAFE:
            response: Any = getattr(client, method)(url)
            if response.status_code != 403 or "Il modulo è scaduto" not in response.content.decode():
                failures.append(f"{method.upper()} {url} ({name}) answered {response.status_code}")
    assert not failures, "Unsafe requests without a CSRF token were not refused:\n" + "\n".join(failures)
    assert every_row() == before


def test_it_accepts_the_same_request_with_the_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin, backend="django.contrib.auth.backends.ModelBackend")
    client.get(reverse("accounts:profile"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    url = reverse("territory:ambito_edit", args=["PUG_MAGLIE"])
    data = {
        "name": "Ambito di Maglie",
        "code": "PUG_MAGLIE",
        "region": world.puglia.pk,
        "pec": "maglie@pec.it",
        "lock_version": world.maglie.lock_version,  # the version the edit page rendered
    }
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    world.maglie.refresh_from_db()
    assert world.maglie.pec == "maglie@pec.it"
