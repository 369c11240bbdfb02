"""The request of a view behind the log-in, typed: its user is ours and never anonymous.

Django builds a plain ``HttpRequest`` whose ``user`` is typed ``User | AnonymousUser``; behind
``login_required`` (or ``scope_required``, which includes it) the user is always one of ours. Views there, and
the helpers they pass the request to, annotate ``request: AuthenticatedHttpRequest`` so that ``request.user`` is
an ``accounts.User`` without a check or a cast. A type for the checker only: nothing builds one at run time.
"""

from __future__ import annotations

from django.http import HttpRequest

from supervisione.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
