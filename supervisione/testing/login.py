"""A test client logged in as a user, for the tests of pages: the session ``Client.force_login`` leaves, written
directly.

``force_login`` goes through ``django.contrib.auth.login``, whose receivers record the login (the user's last
login, django-axes' access log, the attempts it clears): sixteen queries and about 4 ms, while the pages' tests
log in thousands of times (the URL matrix alone opens every page as every persona). None of them is about how
the session was made; logging in itself is tested through the login form (``accounts/tests/test_login.py``).
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client

from supervisione.accounts.models import User

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def log_in(client: Client, user: User) -> Client:
    """``client`` with a new session of ``user``, as ``client.force_login(user, backend=MODEL_BACKEND)`` makes it."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = MODEL_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    # The cookie force_login sets: the session's key, for the whole site.
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME]["path"] = "/"
    return client
