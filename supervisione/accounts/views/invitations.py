"""Invitations: the invited person's page (choose a password), and the list of who has not accepted yet, per
partnership and per ATS, with resend and revoke. Inviting happens from the apps that know the people (census,
referents, supervisors), through ``accounts.invitations``; here, the people a new partnership or ATS starts with:
its coordinator, invited by the administrator who created it (or another coordinator), and the referent of an ATS."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from supervisione.accounts import invitations
from supervisione.accounts.forms import InvitationForm
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.models import Invitation, Role
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user, scope_for
from supervisione.lib import clock
from supervisione.territory.models import Ambito, Partnership, PartnershipMember

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
RECENT = 20


@sensitive_variables("token")
@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the invitation e-mail: the invited person chooses a password and is logged in."""
    try:
        invitation = invitations.find(token)
    except invitations.InvitationError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(error)})
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(invitation, form.cleaned_data["new_password1"])
        except invitations.InvitationError as error:
            return render(request, "accounts/invitation_invalid.html", {"reason": str(error)})
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, f"Benvenuto in Supervisione: il tuo nome utente è «{user.get_username()}».")
        return redirect("home:home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


def _page(request: AuthenticatedHttpRequest, queryset: QuerySet[Invitation], title: str, back: str) -> HttpResponse:
    rows = queryset.select_related("user", "partnership", "ambito", "invited_by")
    now = clock.now()
    pending = [
        (invitation, invitation.status(now))
        for invitation in rows.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    ]
    closed = list(rows.exclude(accepted_at__isnull=True, revoked_at__isnull=True).order_by("-sent_at", "-pk")[:RECENT])
    context = {
        "title": title,
        "back": back,
        "pending": pending,
        "closed": closed,
        "now": now,
        "active_section": "users",
    }
    return render(request, "accounts/invitation_list.html", context)


@login_required
def partnership_invitations(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The partnership's invitations and those of its member ATS: for its coordinators."""
    partnership = get_partnership_for_user(request.user, code, write=True)
    members = PartnershipMember.objects.in_force().filter(partnership=partnership).values("ambito_id")
    queryset = Invitation.objects.filter(
        Q(partnership=partnership) | Q(ambito_id__in=members) | Q(ambito_id=partnership.capofila_id)
    )
    return _page(request, queryset, f"Inviti - {partnership.name}", partnership.get_absolute_url())


@login_required
def ambito_invitations(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The ATS's invitations: for its referents and the coordinators of its partnerships."""
    ambito = get_ambito_for_user(request.user, code, write=True)
    return _page(
        request, Invitation.objects.filter(ambito=ambito), f"Inviti - {ambito.name}", ambito.get_absolute_url()
    )


def get_invitation_for_user(request: AuthenticatedHttpRequest, pk: int) -> Invitation:
    """404 unless the user sees the invitation's partnership or ATS; 403 unless they manage it."""
    invitation = (
        Invitation.objects.select_related("user", "partnership", "ambito", "role_assignment").filter(pk=pk).first()
    )
    scope = scope_for(request.user)
    if invitation is None:
        raise Http404
    if invitation.partnership_id is not None:
        visible = scope.can_see_partnership(invitation.partnership_id)
        manages = scope.can_edit_partnership(invitation.partnership_id)
    else:
        assert invitation.ambito_id is not None  # noqa: S101  (the check constraint: a partnership or an ATS)
        visible = scope.can_see_ambito(invitation.ambito_id)
        manages = scope.can_edit_ambito(invitation.ambito_id)
    if not visible:
        raise Http404
    if not (manages and scope.sees_people):
        raise Refused(
            "Gli inviti li gestisce chi li ha inviati: il coordinatore del partenariato o il referente dell'ATS."
        )
    return invitation


def _back(request: AuthenticatedHttpRequest, invitation: Invitation) -> HttpResponse:
    if invitation.partnership is not None:
        return redirect("accounts:partnership_invitations", code=invitation.partnership.code)
    assert invitation.ambito is not None  # noqa: S101  (the check constraint)
    return redirect("accounts:ambito_invitations", code=invitation.ambito.code)


@login_required
@require_POST
def invitation_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request, pk)
    try:
        invitations.resend(invitation, by=request.user, absolute=request.build_absolute_uri)
    except invitations.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invito inviato di nuovo a {invitation.email}: il link precedente non vale più.")
    return _back(request, invitation)


@login_required
@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request, pk)
    try:
        invitations.revoke(invitation, by=request.user)
    except invitations.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invito a {invitation.email} revocato: il link non vale più.")
    return _back(request, invitation)


def _invite_page(
    request: AuthenticatedHttpRequest,
    role: Role,
    *,
    partnership: Partnership | None = None,
    ambito: Ambito | None = None,
) -> HttpResponse:
    """Invite one person by e-mail with ``role`` in the partnership or the ATS: the account is made (or found by
    codice fiscale), the role granted, the link sent; bad input or a refused invitation changes nothing."""
    place = partnership or ambito
    assert place is not None  # noqa: S101  (the two callers pass one)
    if not scope_for(request.user).sees_people:
        raise Refused("Il tuo ruolo non gestisce le persone: non puoi invitare nessuno.")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitee = invitations.Invitee(
            label=f"{data['first_name']} {data['last_name']}",
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            tax_code=data["tax_code"],
        )
        try:
            (invitation,) = invitations.invite(
                [invitations.Request(invitee, role, partnership=partnership, ambito=ambito)],
                by=request.user,
                absolute=request.build_absolute_uri,
            )
        except invitations.InvitationsRefused as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"Invito inviato a {invitation.email}: potrà accedere come {role.label.lower()} dopo aver scelto la "
                f"password dal link, valido fino al {timezone.localtime(invitation.expires_at):%d/%m/%Y}."
                if invitation.new_account
                else f"Ruolo di {role.label.lower()} aggiunto all'account di {invitation.email}, che ne è avvisato.",
            )
            if partnership is not None:
                return redirect("accounts:partnership_invitations", code=partnership.code)
            assert ambito is not None  # noqa: S101
            return redirect("accounts:ambito_invitations", code=ambito.code)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Invita {'un coordinatore' if role == Role.COORDINATOR else 'un referente'}: {place.name}",
            "intro": (
                f"La persona riceve un'e-mail con un link, valido {settings.INVITATION_DAYS} giorni e una sola volta, "
                f"per scegliere la password: da quel momento accede con il ruolo di {role.label.lower()}. "
                "Se ha già un account (stesso codice fiscale), riceve solo il nuovo ruolo."
            ),
            "submit_label": "Invia l'invito",
            "cancel_url": place.get_absolute_url(),
            "active_section": "partnerships" if partnership is not None else "ambiti",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite_coordinator(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The administrator who created the partnership, or one of its coordinators, invites a coordinator."""
    partnership = get_partnership_for_user(request.user, code, write=True)
    return _invite_page(request, Role.COORDINATOR, partnership=partnership)


@login_required
@require_http_methods(["GET", "POST"])
def invite_referent(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The administrator who created the ATS, its referents or its coordinators invite a referent."""
    ambito = get_ambito_for_user(request.user, code, write=True)
    return _invite_page(request, Role.REFERENT, ambito=ambito)
