from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from supervisione.accounts import two_factor
from supervisione.accounts.forms import CodeForm, LoginForm
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.models import RoleAssignment, User
from supervisione.accounts.scopes import scope_for

# Between the password and the code: who typed a correct password, when, and where to go afterwards.
PENDING_SESSION_KEY = "supervisione_login_pending"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """The password step. A user with active two-factor verification is not logged in yet: the code is
    asked on the next page, and only then does Django's ``login`` run."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user: User = form.get_user()
        if two_factor.active_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING_SESSION_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("accounts:login_code")


def _pending_login(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending: dict[str, Any] | None = request.session.get(PENDING_SESSION_KEY)
    if not pending or time.time() - float(pending["at"]) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=int(pending["user"]), is_active=True).first()
    return None if user is None else (user, pending)


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The code step of the login. Wrong codes count as failed logins for the throttling (django-axes)."""
    found = _pending_login(request)
    if found is None:
        if request.session.pop(PENDING_SESSION_KEY, None) is not None:
            messages.info(request, "Il tempo per inserire il codice è scaduto: accedi di nuovo.")
        return redirect("accounts:login")
    user, pending = found
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.session.pop(PENDING_SESSION_KEY, None)
        lockout: HttpResponse = get_lockout_response(request, None, credentials)
        return lockout
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs["autofocus"] = True  # the page asks for nothing else, as the login does
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.verify_login_code(user, form.cleaned_data["code"])
        except two_factor.CodeRefusedError as error:
            # Every refused code counts, those refused by django-otp's own back-off included.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("code", str(error))
        else:
            del request.session[PENDING_SESSION_KEY]
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
    return render(request, "accounts/login_code.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """ "Password dimenticata": Django's flow, in Italian. The next page reads the same whether or not the address
    belongs to an account (Django sends nothing when it does not), so that nobody learns who has one."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Password cambiata.")
        return response


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    roles = RoleAssignment.objects.filter(user=user).select_related("partnership", "ambito", "region")
    context = {
        "roles": roles,
        "two_factor_offered": scope_for(user).can_use_two_factor,
        "two_factor_device": two_factor.active_device(user),
    }
    return render(request, "accounts/profile.html", context)
