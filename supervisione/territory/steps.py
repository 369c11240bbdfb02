"""Home-page steps about the territory: missing data that blocks later work."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.lib.steps import Step
from supervisione.territory.models import Ambito, JoinRequest, JoinRequestStatus, Municipality, Partnership, Region


def join_request_steps(scope: Scope) -> list[Step]:
    """Requests to join a partnership waiting for the answer of an ATS the user answers for."""
    if not scope.answers_for_ambito_ids:
        return []
    pending = (
        JoinRequest.objects.filter(status=JoinRequestStatus.PENDING, ambito_id__in=scope.answers_for_ambito_ids)
        .select_related("partnership", "ambito")
        .order_by("requested_at")[:10]
    )
    return [
        Step(
            f"Rispondi alla richiesta di adesione di {request.partnership.name}",
            f"Il partenariato {request.partnership.code} chiede a {request.ambito.name} di aderire dal "
            f"{request.joined_on:%d/%m/%Y}: accettando, i suoi coordinatori vedranno i dati dell'ATS.",
            request.get_absolute_url(),
            "warning",
        )
        for request in pending
    ]


def territory_steps(user: User, scope: Scope) -> list[Step]:
    """Missing data that blocks later work: municipalities, contacts, CUP, partners; requests to answer."""
    steps: list[Step] = join_request_steps(scope)
    if scope.is_admin:
        if not Region.objects.exists() or Municipality.objects.count() < 1000:
            steps.append(
                Step(
                    "Carica l'elenco nazionale dei comuni",
                    "Esegui «python manage.py load_municipalities»: regioni e comuni ISTAT servono a ogni ATS.",
                    reverse("territory:municipality_list"),
                    "warning",
                )
            )
        if not Partnership.objects.exists():
            steps.append(
                Step(
                    "Crea il primo partenariato",
                    "Un partenariato riunisce l'ATS capofila e gli ATS partner di un progetto di supervisione.",
                    reverse("territory:partnership_create"),
                )
            )
    editable = scope.editable_ambito_ids
    ambiti = Ambito.objects.annotate(
        open_memberships=Count("memberships", filter=Q(memberships__valid_to__isnull=True))
    ).order_by("name")
    if editable is not None:
        ambiti = ambiti.filter(pk__in=editable)
    elif not scope.is_admin:
        return steps
    for ambito in ambiti[:20]:
        url = reverse("territory:ambito_detail", args=[ambito.code])
        if ambito.open_memberships == 0:
            steps.append(
                Step(
                    f"Aggiungi i comuni di {ambito.name}",
                    "Senza comuni non si calcolano popolazione e rapporto assistenti sociali/abitanti.",
                    url,
                    "warning",
                )
            )
        missing = [label for label, value in (("e-mail", ambito.email), ("PEC", ambito.pec)) if not value]
        if missing:
            steps.append(
                Step(
                    f"Completa i contatti di {ambito.name}",
                    f"Manca: {', '.join(missing)}. Servono per le convocazioni e le richieste al referente.",
                    reverse("territory:ambito_edit", args=[ambito.code]),
                )
            )
    partnerships = Partnership.objects.filter(pk__in=scope.coordinated_partnership_ids).annotate(
        member_count=Count("memberships")
    )
    for partnership in partnerships:
        url = reverse("territory:partnership_detail", args=[partnership.code])
        if partnership.member_count <= 1 and not partnership.single_ambito:
            steps.append(
                Step(
                    f"Chiedi agli ATS partner di aderire a {partnership.name}",
                    "Il partenariato ha solo il capofila: ogni ATS partner entra accettando la richiesta (se il "
                    "progetto è di un solo ATS, indicalo nella scheda del partenariato).",
                    url,
                )
            )
        if partnership.measure == "pnrr_114" and not partnership.cup:
            steps.append(
                Step(
                    f"Indica il CUP di {partnership.name}",
                    "I progetti PNRR si rendicontano per CUP: senza, registri e spese non si possono imputare.",
                    reverse("territory:partnership_edit", args=[partnership.code]),
                    "warning",
                )
            )
    return steps
