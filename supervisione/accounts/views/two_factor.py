"""Two-factor verification: a user sets it up, confirms it and turns it off; an administrator resets it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from supervisione.accounts import two_factor
from supervisione.accounts.actions import (
    confirm_two_factor,
    disable_two_factor,
    reset_two_factor,
    start_two_factor,
)
from supervisione.accounts.decorators import admin_required
from supervisione.accounts.forms import CodeForm
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.models import User
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import scope_for


def _user_with_two_factor(request: AuthenticatedHttpRequest) -> User:
    """Offered to coordinators and administrators; whoever has a device may always manage it (e.g. after
    losing the role), so as never to be locked into a verification they cannot turn off."""
    user = request.user
    if not scope_for(user).can_use_two_factor and not two_factor.active_device(user):
        raise Refused(
            "La verifica in due passaggi è offerta a chi gestisce partenariati e utenti: i coordinatori e gli "
            "amministratori.",
            forward_url=reverse("accounts:profile"),
            forward_label="Torna al profilo",
        )
    return user


def _page(
    request: AuthenticatedHttpRequest, user: User, form: CodeForm | None = None, status: int = 200
) -> HttpResponse:
    active = two_factor.active_device(user)
    pending = None if active else two_factor.pending_device(user)
    context = {
        "active": active,
        "enrolment": two_factor.Enrolment.of(pending) if pending else None,
        "form": form or CodeForm(),
    }
    return render(request, "accounts/two_factor.html", context, status=status)


@never_cache
@login_required
def two_factor_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request, _user_with_two_factor(request))


@login_required
@require_POST
def two_factor_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = _user_with_two_factor(request)
    if two_factor.active_device(user):
        messages.info(request, "La verifica in due passaggi è già attiva.")
    else:
        start_two_factor(user)
    return redirect("accounts:two_factor")


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_POST
def two_factor_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = _user_with_two_factor(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            confirm_two_factor(user, form.cleaned_data["code"])
        except two_factor.CodeRefusedError as error:
            form.add_error("code", str(error))
        else:
            messages.success(
                request, "Verifica in due passaggi attivata: dal prossimo accesso ti chiederemo il codice."
            )
            return redirect("accounts:profile")
    return _page(request, user, form)


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_POST
def two_factor_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = _user_with_two_factor(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            disable_two_factor(user, form.cleaned_data["code"])
        except two_factor.CodeRefusedError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, "Verifica in due passaggi disattivata: per accedere basta la password.")
            return redirect("accounts:profile")
    return _page(request, user, form)


@admin_required
@require_POST
def two_factor_reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    if reset_two_factor(user, by=request.user):
        messages.success(request, f"Verifica in due passaggi azzerata: {user.username} accede con la sola password.")
    else:
        messages.info(request, f"{user.username} non aveva la verifica in due passaggi.")
    return redirect("accounts:user_detail", pk=user.pk)
