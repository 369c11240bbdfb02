from __future__ import annotations

from typing import Any

from django import template

from supervisione.accounts.scopes import scope_for
from supervisione.home.navigation import menu_for

register = template.Library()


@register.inclusion_tag("includes/menu.html", takes_context=True)
def main_menu(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    return {"items": menu_for(scope_for(request.user), str(context.get("active_section") or "")), "request": request}
