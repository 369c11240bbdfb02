from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from supervisione.accounts import refusals
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import Scope, scope_for

View = TypeVar("View", bound=Callable[..., HttpResponse])


def scope_required(
    check: Callable[[Scope], bool], refusal: Callable[[Scope], PermissionDenied]
) -> Callable[[View], View]:
    """Log-in required, then 403 unless ``check(scope)`` holds, with ``refusal``'s reason and way forward for that
    user (``accounts.refusals``): required, so that no page refuses without saying why."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            scope = scope_for(request.user)
            if not check(scope):
                raise refusal(scope)
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]  # wraps() keeps the view's signature, the checker cannot tell

    return decorator


admin_required = scope_required(lambda scope: scope.is_admin, refusals.admin_only)
