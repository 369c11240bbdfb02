"""Security policies that hold for the whole project: uploads, request sizes, passwords, error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from supervisione.accounts.models import User
from supervisione.testing.world import World

from .test_url_matrix import url_patterns


def test_it_serves_no_uploaded_file_by_url(world: World, client_for: Any) -> None:
    # Documents are streamed by views after an access check; MEDIA_URL itself leads nowhere.
    with pytest.raises(Resolver404):
        resolve(f"{settings.MEDIA_URL}documenti/verbale.pdf")
    assert client_for("admin").get(f"{settings.MEDIA_URL}documenti/verbale.pdf").status_code == 404
    media_prefix = settings.MEDIA_URL.strip("/")
    assert not [route for _name, route in url_patterns() if route.startswith(media_prefix)]


def test_it_keeps_uploads_apart_from_the_files_served_as_static() -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    served = [Path(settings.STATIC_ROOT).resolve(), *(Path(folder).resolve() for folder in settings.STATICFILES_DIRS)]
    assert all(not media.is_relative_to(folder) and not folder.is_relative_to(media) for folder in served)
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o640


def test_it_refuses_a_request_larger_than_the_limit_before_reading_it(
    world: World, client_for: Any, settings: Any
) -> None:
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    client = client_for("coordinator")
    url = reverse("territory:ambito_edit", args=["PUG_MAGLIE"])
    response = client.post(url, {"name": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413
    assert "supera 1 MB" in response.content.decode()
    world.maglie.refresh_from_db()
    assert world.maglie.name == "Ambito di Maglie"
    assert client.post(url, {"name": "Ambito di Maglie"}).status_code != 413


def test_it_refuses_too_many_form_fields_in_italian(world: World) -> None:
    data = {f"campo{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = Client().post(reverse("accounts:login"), data)
    assert response.status_code == 400
    assert "Richiesta non valida" in response.content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Breve-1", "troppo corta: deve contenere almeno 12 caratteri"),
        ("123456789012345", "interamente numerica"),
        ("qwertyuiop123", "troppo comune"),
        ("coordinator-2026", "troppo simile"),
    ],
)
def test_it_refuses_weak_passwords_in_italian(world: World, password: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User.objects.get(username="coordinator"))
    assert message in " ".join(refused.value.messages)


def test_it_accepts_a_long_uncommon_password(world: World) -> None:
    validate_password("Treno-per-Lecce-alle-nove", User.objects.get(username="coordinator"))
