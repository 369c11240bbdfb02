from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from supervisione.accounts.decorators import current_user
from supervisione.accounts.models import RoleAssignment


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Password cambiata.")
        return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    roles = RoleAssignment.objects.filter(user=current_user(request)).select_related("partnership", "ambito", "region")
    return render(request, "accounts/profile.html", {"roles": roles})
