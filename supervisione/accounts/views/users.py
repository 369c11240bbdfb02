"""User and role management, for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.actions import grant_role, revoke_role
from supervisione.accounts.decorators import admin_required
from supervisione.accounts.forms import RoleForm, UserForm
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.models import RoleAssignment, User
from supervisione.accounts.two_factor import active_device
from supervisione.audit.actions import StaleEditError, save_audited
from supervisione.audit.forms import refuse_stale
from supervisione.audit.queries import history_for
from supervisione.territory.forms import SearchForm


@admin_required
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    users = User.objects.prefetch_related("roles__partnership", "roles__ambito", "roles__region")
    if form.is_valid() and (query := form.cleaned_data["q"].strip()):
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"form": form, "page_obj": page, "active_section": "users"})


@admin_required
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        save_audited(user, by=request.user)
        messages.success(request, "Utente creato. Ora assegnagli un ruolo.")
        return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "form_page.html", {"form": form, "title": "Nuovo utente", "active_section": "users"})


@admin_required
def user_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = UserForm(request.POST or None, instance=user, prefix="user")
    if request.method == "POST" and form.is_valid():
        try:
            save_audited(form.save(commit=False), by=request.user)
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, "Dati dell'utente salvati.")
            return redirect("accounts:user_detail", pk=user.pk)
    return _user_page(request, user, form, RoleForm(user=user, prefix="role"))


@admin_required
@require_POST
def role_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST, user=user, prefix="role")
    if form.is_valid():
        data = form.cleaned_data
        grant_role(
            user,
            data["role"],
            partnership=data["partnership"],
            ambito=data["ambito"],
            region=data["region"],
            by=request.user,
        )
        messages.success(request, "Ruolo assegnato.")
        return redirect("accounts:user_detail", pk=user.pk)
    return _user_page(request, user, UserForm(instance=user, prefix="user"), form)


@admin_required
@require_POST
def role_remove(request: AuthenticatedHttpRequest, pk: int, role_pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user"), pk=role_pk, user_id=pk)
    revoke_role(assignment, by=request.user)
    messages.success(request, "Ruolo tolto.")
    return redirect("accounts:user_detail", pk=pk)


def _user_page(request: AuthenticatedHttpRequest, user: User, form: UserForm, role_form: RoleForm) -> HttpResponse:
    context = {
        "managed": user,
        "form": form,
        "role_form": role_form,
        "roles": RoleAssignment.objects.filter(user=user).select_related("partnership", "ambito", "region"),
        "two_factor_device": active_device(user),
        "history": history_for(user),
        "active_section": "users",
    }
    return render(request, "accounts/user_detail.html", context)
