from __future__ import annotations

from django.http import HttpRequest

from supervisione.accounts.scopes import Scope, scope_for


def scope(request: HttpRequest) -> dict[str, Scope]:
    """Expose the user's scope to templates (menus show only what the user may open)."""
    return {"scope": scope_for(request.user)}
