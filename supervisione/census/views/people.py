"""Accounts of the census's people: invitations from the census page, and an administrator's link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.decorators import admin_required
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.invitations import InvitationError, InvitationsRefused
from supervisione.audit.queries import history_for
from supervisione.census import invitations
from supervisione.census.access import get_census_for_user, require_people
from supervisione.census.forms import AccountLinkForm, InviteForm
from supervisione.census.models import Person


@login_required
@require_POST
def census_invite(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    """Invite the people ticked on the census page: all of them, or nobody with the reason for each."""
    census = get_census_for_user(request.user, pk, code)
    require_people(request.user, census)
    form = InviteForm(request.POST, census=census)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(census)
    people = list(form.cleaned_data["people"])
    try:
        sent = invitations.invite_people(census, people, by=request.user, absolute=request.build_absolute_uri)
    except InvitationsRefused as refused:
        messages.error(request, "Nessun invito inviato: " + " ".join(refused.messages))
    else:
        addresses = ", ".join(invitation.email for invitation in sent)
        count = len(sent)
        messages.success(
            request, f"{count} invito inviato: {addresses}." if count == 1 else f"{count} inviti inviati: {addresses}."
        )
    return redirect(census)


@admin_required
def person_account(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An administrator links an account that already exists to a census person (checked by codice fiscale)."""
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    form = AccountLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.link_account(person, form.cleaned_data["account"], by=request.user)
        except InvitationError as error:
            form.add_error("account", str(error))
        else:
            messages.success(request, f"{person} collegata all'account {form.cleaned_data['account'].get_username()}.")
            return redirect("census:person_account", pk=person.pk)
    return render(
        request,
        "census/person_account.html",
        {"person": person, "form": form, "history": history_for(person), "active_section": "census"},
    )
