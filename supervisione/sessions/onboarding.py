"""The start of a partnership, in order, for its coordinator's home page (issue 17.2).

A new coordinator is guided through the five steps that lead to supervision, each done when the data says so:

1. the referents of every member ATS (an account with the role, or a designation on Allegato 1);
2. the census: a campaign opened and every ATS's census of the latest one validated;
3. the supervisors and the contract: an active supervisor and a contract awarded or in force;
4. the POA approved;
5. the calendar: a session booked on the plan's groups.

The card says which step comes next and disappears once all five are done. It lives in sessions, the highest app
it reads (census, supervisors, procurement, planning and its own sessions); the home page asks it through
``settings.HOME_ONBOARDING`` and imports none of them.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.accounts.scopes import Scope
from supervisione.census.models import Census, CensusCampaign, CensusStatus, ReferentDesignation, ReferentRequest
from supervisione.lib.steps import Milestone, Onboarding
from supervisione.planning.models import Plan, PlanStatus
from supervisione.procurement.models import Contract, ContractStatus
from supervisione.sessions.models import Session
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Partnership, PartnershipMember

LIMIT = 3  # partnerships shown at once: a coordinator rarely starts more


def onboarding(user: User, scope: Scope) -> list[Onboarding]:
    """The start of each partnership the user coordinates that is not yet under way, its next step marked."""
    if scope.is_admin or not scope.coordinated_partnership_ids:
        return []
    partnerships = Partnership.objects.filter(pk__in=scope.coordinated_partnership_ids).order_by("name")
    cards = []
    for partnership in partnerships[:LIMIT]:
        steps = _steps(partnership)
        if not all(step.done for step in steps):
            cards.append(Onboarding(partnership.name, steps))
    return cards


def _steps(partnership: Partnership) -> list[Milestone]:
    code = partnership.code
    members = set(
        PartnershipMember.objects.in_force().filter(partnership=partnership).values_list("ambito_id", flat=True)
    )
    with_referent = set(
        RoleAssignment.objects.filter(role=Role.REFERENT, ambito_id__in=members).values_list("ambito_id", flat=True)
    ) | set(
        ReferentDesignation.objects.filter(request__partnership=partnership, ambito_id__in=members).values_list(
            "ambito_id", flat=True
        )
    )
    missing_referents = len(members - with_referent)
    request = ReferentRequest.objects.filter(partnership=partnership).order_by("-deadline", "-pk").first()
    campaign = CensusCampaign.objects.filter(partnership=partnership).order_by("-reference_date", "-pk").first()
    to_validate = (
        Census.objects.filter(campaign=campaign).exclude(status=CensusStatus.VALIDATED).count() if campaign else 0
    )
    has_supervisor = Supervisor.objects.filter(partnership=partnership, active=True).exists()
    has_contract = Contract.objects.filter(
        partnership=partnership, status__in=[ContractStatus.AWARDED, ContractStatus.ACTIVE]
    ).exists()
    approved = Plan.objects.filter(partnership=partnership, status=PlanStatus.APPROVED).exists()
    booked = Session.objects.filter(group__plan__partnership=partnership).exists()
    return _numbered(
        [
            (
                "Referenti degli ATS",
                "Ogni ATS ha il suo referente."
                if not missing_referents
                else ngettext(
                    "Manca il referente di %(count)d ATS: chiedilo con l'Allegato 1 e invitalo.",
                    "Mancano i referenti di %(count)d ATS: chiedili con l'Allegato 1 e invitali.",
                    missing_referents,
                )
                % {"count": missing_referents},
                reverse("census:referent_request_detail", args=[request.pk])
                if request
                else reverse("census:referent_request_create", args=[code]),
                not missing_referents,
            ),
            (
                "Censimento del personale",
                "Apri la campagna di censimento: ogni ATS inserisce o importa il suo personale."
                if campaign is None
                else (
                    f"«{campaign.title}»: tutti i censimenti sono validati."
                    if not to_validate
                    else f"«{campaign.title}»: "
                    + ngettext(
                        "%(count)d censimento ancora da validare.",
                        "%(count)d censimenti ancora da validare.",
                        to_validate,
                    )
                    % {"count": to_validate}
                ),
                reverse("census:campaign_create", args=[code]) if campaign is None else campaign.get_absolute_url(),
                campaign is not None and not to_validate,
            ),
            (
                "Supervisori e contratto",
                "Registra i supervisori con i loro requisiti e il contratto con le ore per tipo."
                if not (has_supervisor and has_contract)
                else "Supervisori registrati e contratto in vigore.",
                reverse("supervisors:supervisor_list") if not has_supervisor else reverse("procurement:contract_list"),
                has_supervisor and has_contract,
            ),
            (
                "Piano operativo (POA)",
                "Costruisci i gruppi dal censimento, assegna supervisori e ore, poi trasmetti e approva il piano."
                if not approved
                else "Il POA è approvato.",
                reverse("planning:plan_list"),
                approved,
            ),
            (
                "Calendario degli incontri",
                "Prenota gli incontri dei gruppi." if not booked else "Gli incontri sono in calendario.",
                reverse("sessions:home"),
                booked,
            ),
        ]
    )


def _numbered(rows: list[tuple[str, str, str, bool]]) -> list[Milestone]:
    steps = []
    next_found = False
    for number, (title, detail, url, done) in enumerate(rows, start=1):
        is_next = not done and not next_found
        next_found = next_found or is_next
        steps.append(Milestone(number, title, detail, url, done=done, is_next=is_next))
    return steps
