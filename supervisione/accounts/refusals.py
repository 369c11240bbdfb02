"""A 403 that says the real reason and the way forward (issue 17.3).

Django hands the exception to the 403 page (``permission_denied``, the project's ``handler403``): a plain
``PermissionDenied`` gets the page's default words; a ``Refused`` says why in Italian and links where the user can
go on (the census page to ask for it to be reopened, the observatory for an observer...). ``read_only`` is the
refusal of a record the user sees but may not change, worded for their role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from supervisione.accounts.models import Role

if TYPE_CHECKING:
    from supervisione.accounts.scopes import Scope


class Refused(PermissionDenied):
    """Permission denied, with the reason in words and a link forward for the 403 page."""

    def __init__(self, message: str, *, forward_url: str = "", forward_label: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.forward_url = forward_url
        self.forward_label = forward_label

    def __str__(self) -> str:
        return self.message


def is_observer_only(scope: Scope) -> bool:
    """An observer (of a region or the country) with no role that changes anything."""
    return not scope.is_admin and scope.roles == {Role.OBSERVER.value}


def read_only(scope: Scope, what: str, *, kind: str = "ambito") -> Refused:
    """The user sees ``what`` (an ATS or a partnership, by name) but may not change it: why, by role."""
    if is_observer_only(scope):
        return Refused(
            "Il tuo ruolo di osservatore è di sola consultazione: vedi i dati aggregati degli ATS ma non modifichi "
            "nulla.",
            forward_url=reverse("monitoring:observatory"),
            forward_label="Vai all'osservatorio",
        )
    if kind == "partnership":
        return Refused(
            f"Puoi consultare {what} ma non modificarlo: lo gestisce il coordinatore del partenariato. "
            "Se devi cambiare qualcosa, chiediglielo."
        )
    return Refused(
        f"{what} non è un ATS di cui sei referente: puoi consultarlo ma lo modificano i suoi referenti e il "
        "coordinatore del partenariato."
    )


def without_role() -> Refused:
    """A user whose account has no role yet: they see nothing until one is given."""
    return Refused(
        "Il tuo account non ha ancora un ruolo in un ATS o in un partenariato, e senza un ruolo non si vedono dati: "
        "chiedi all'amministratore della piattaforma di assegnartelo, o al referente del tuo ATS di invitarti."
    )


def admin_only(scope: Scope) -> Refused:
    """A page only the administrator of the platform uses (creating ATS, partnerships, regions, users)."""
    if is_observer_only(scope):
        return read_only(scope, "")
    return Refused(
        "Questa operazione è riservata all'amministratore della piattaforma, che crea regioni, ATS e partenariati e "
        "gestisce gli utenti. Se serve, chiediglielo: il coordinatore del partenariato e i referenti degli ATS "
        "gestiscono poi i dati dal loro ruolo."
    )


def people_hidden(scope: Scope, where: str) -> Refused:
    """Pages that name people, for a role that sees the ATS only as aggregates."""
    if is_observer_only(scope):
        return read_only(scope, where)
    return Refused(
        f"Il tuo ruolo vede {where} solo in forma aggregata: i dati delle singole persone li consultano i suoi "
        "referenti e il coordinatore del partenariato."
    )


def managed_by_others(what: str, *, forward_url: str = "") -> Refused:
    """A record the user reads but that its owner's managers change; ``what`` is masculine ("questo contratto")."""
    return Refused(
        f"{what[:1].upper()}{what[1:]} lo gestiscono il coordinatore del partenariato o il referente dell'ATS a cui "
        "appartiene: tu puoi consultarlo, non modificarlo. Se devi cambiare qualcosa, chiediglielo.",
        forward_url=forward_url,
        forward_label="Torna alla scheda" if forward_url else "",
    )


def not_a_manager(scope: Scope, what: str) -> Refused:
    """Registries that coordinators and referents keep (``what``: "I contratti", "I supervisori"): for a role
    that has no part in them."""
    if is_observer_only(scope):
        return read_only(scope, "")
    if not scope.has_any_role:
        return without_role()
    return Refused(
        f"{what} li registrano e gestiscono i coordinatori dei partenariati e i referenti degli ATS: il tuo ruolo "
        "non vi accede. Se ti serve un dato, chiedilo a loro."
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page, with the exception's reason and link when it gives them."""
    context = {
        "exception": str(exception) if exception is not None else "",
        "forward_url": getattr(exception, "forward_url", ""),
        "forward_label": getattr(exception, "forward_label", ""),
    }
    return render(request, "403.html", context, status=403)
