"""A test client logged in as a user, for the tests of pages: the session ``Client.force_login`` leaves, written
directly.

``force_login`` goes through ``django.contrib.auth.login``, whose receivers record the login (the user's last
login, django-axes' access log, the attempts it clears), and the session store first looks for a free key and
saves inside a savepoint: sixteen queries and about 4 ms, while the pages' tests log in thousands of times (the
URL matrix alone opens every page as every persona). None of them is about how the session was made; logging in
itself is tested through the login form (``accounts/tests/test_login.py``). Here it is one INSERT.

The session is as its first page leaves it: refreshed now (``SessionRefreshMiddleware``). Otherwise the first
request of each client saved it again, and the tests that undo every request (the URL matrix, the form
fuzzing) saved it at every one: three statements more per page, on thousands of pages.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.test import Client
from django.utils.crypto import get_random_string

from supervisione.accounts.models import User
from supervisione.lib import clock
from supervisione.middleware import SessionRefreshMiddleware

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def log_in(client: Client, user: User) -> Client:
    """``client`` with a new session of ``user``, as ``client.force_login(user, backend=MODEL_BACKEND)`` makes it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()  # the database's (settings: the default engine)
    data = {
        SESSION_KEY: user._meta.pk.value_to_string(user),
        BACKEND_SESSION_KEY: MODEL_BACKEND,
        HASH_SESSION_KEY: user.get_session_auth_hash(),
        SessionRefreshMiddleware.KEY: int(clock.now().timestamp()),
    }
    # A key of 32 random characters is new (a clash would fail on the primary key, loudly).
    key = get_random_string(32, VALID_KEY_CHARS)
    store.model.objects.create(session_key=key, session_data=store.encode(data), expire_date=store.get_expiry_date())
    # The cookie force_login sets: the session's key, for the whole site.
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    client.cookies[settings.SESSION_COOKIE_NAME]["path"] = "/"
    return client
