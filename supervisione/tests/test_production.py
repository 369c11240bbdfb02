"""The production configuration, checked in a separate process with SUPERVISIONE_ENV=production.

``manage.py check --deploy`` must find nothing, and real responses must carry HSTS, redirect plain HTTP to
HTTPS and set cookies that travel only over HTTPS.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
HOST = "supervisione.example.org"

# Run in the production process: answers of the application to a browser, as JSON.
PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

# The manifest of collected static files exists only after collectstatic: plain storage for this probe.
storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    plain = Client(HTTP_HOST="%(host)s").get("/accedi/")
    client = Client(HTTP_HOST="%(host)s")
    page = client.get("/accedi/", secure=True)
    health = client.get("/healthz", secure=True)
csrf = page.cookies[settings.CSRF_COOKIE_NAME]
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location", "")],
    "page": page.status_code,
    "hsts": page.headers.get("Strict-Transport-Security", ""),
    "csp": page.headers.get("Content-Security-Policy", ""),
    "health": health.status_code,
    "csrf_cookie_secure": bool(csrf["secure"]),
    "session_cookie": [
        settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE
    ],
    "csrf_cookie": [settings.CSRF_COOKIE_SECURE, settings.CSRF_COOKIE_SAMESITE],
    "debug": settings.DEBUG,
}))
"""


@pytest.fixture(scope="module")
def production_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env.update(
        SUPERVISIONE_ENV="production",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(64)),
        ALLOWED_HOSTS=HOST,
        NOTES_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('production') / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="supervisione.settings",
        PYTHONWARNINGS="ignore::UserWarning:whitenoise.base",  # no collected static folder in a test
    )
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603  (this interpreter, arguments from this file)


def test_it_passes_the_deployment_checklist(production_env: dict[str, str]) -> None:
    result = run(production_env, "manage.py", "check", "--deploy", "--fail-level", "INFO")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_it_answers_over_https_only_with_secure_cookies(production_env: dict[str, str]) -> None:
    result = run(production_env, "-c", PROBE % {"host": HOST})
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert answers["plain"] == [301, f"https://{HOST}/accedi/"]
    assert answers["page"] == 200
    assert answers["health"] == 200
    assert answers["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self';" in answers["csp"]
    assert answers["csrf_cookie_secure"] is True
    assert answers["session_cookie"] == [True, True, "Lax"]
    assert answers["csrf_cookie"] == [True, "Lax"]
    assert answers["debug"] is False
