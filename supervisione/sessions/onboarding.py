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

from collections import Counter
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import ngettext

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.accounts.scopes import Scope
from supervisione.census.models import CensusCampaign, CensusStatus, ReferentDesignation, ReferentRequest
from supervisione.lib.steps import Milestone, Onboarding
from supervisione.planning.models import Plan, PlanStatus
from supervisione.procurement.models import Contract, ContractStatus
from supervisione.sessions.models import Session
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Partnership, PartnershipMember

LIMIT = 3  # partnerships shown at once: a coordinator rarely starts more


def onboarding(user: User, scope: Scope) -> list[Onboarding]:
    """The start of each partnership the user coordinates that is not yet under way, its next step marked (three
    queries whatever the number of partnerships)."""
    if scope.is_admin or not scope.coordinated_partnership_ids:
        return []
    partnerships = _started(scope.coordinated_partnership_ids)
    if not partnerships:
        return []
    campaigns = {
        campaign.pk: campaign
        for campaign in CensusCampaign.objects.filter(
            pk__in=[p.campaign_pk for p in partnerships if p.campaign_pk is not None]
        ).annotate(to_validate=Count("censuses", filter=~Q(censuses__status=CensusStatus.VALIDATED)))
    }
    missing_referents = _missing_referents([partnership.pk for partnership in partnerships])
    cards = []
    for partnership in partnerships:
        steps = _steps(partnership, campaigns.get(partnership.campaign_pk), missing_referents[partnership.pk])
        if not all(step.done for step in steps):
            cards.append(Onboarding(partnership.name, steps))
    return cards


def _started(coordinated: frozenset[int]) -> list[Any]:
    """The first partnerships by name, each with what says how far its start has gone (one query)."""
    return list(
        Partnership.objects.filter(pk__in=coordinated)
        .annotate(
            request_pk=Subquery(
                ReferentRequest.objects.filter(partnership=OuterRef("pk")).order_by("-deadline", "-pk").values("pk")[:1]
            ),
            campaign_pk=Subquery(
                CensusCampaign.objects.filter(partnership=OuterRef("pk"))
                .order_by("-reference_date", "-pk")
                .values("pk")[:1]
            ),
            has_supervisor=Exists(Supervisor.objects.filter(partnership=OuterRef("pk"), active=True)),
            has_contract=Exists(
                Contract.objects.filter(
                    partnership=OuterRef("pk"), status__in=[ContractStatus.AWARDED, ContractStatus.ACTIVE]
                )
            ),
            approved=Exists(Plan.objects.filter(partnership=OuterRef("pk"), status=PlanStatus.APPROVED)),
            booked=Exists(Session.objects.filter(group__plan__partnership=OuterRef("pk"))),
        )
        .order_by("name")[:LIMIT]
    )


def _missing_referents(partnership_ids: list[int]) -> Counter[int]:
    """How many member ATS of each partnership have no referent: neither an account with the role nor a
    designation on the partnership's Allegato 1 (one query)."""
    members = (
        PartnershipMember.objects.in_force()
        .filter(partnership_id__in=partnership_ids)
        .annotate(
            has_account=Exists(RoleAssignment.objects.filter(role=Role.REFERENT, ambito_id=OuterRef("ambito_id"))),
            designated=Exists(
                ReferentDesignation.objects.filter(
                    request__partnership_id=OuterRef("partnership_id"), ambito_id=OuterRef("ambito_id")
                )
            ),
        )
        .filter(has_account=False, designated=False)
        .values_list("partnership_id", "ambito_id")
        .order_by()
        .distinct()
    )
    return Counter(partnership_id for partnership_id, _ambito_id in members)


def _steps(partnership: Any, campaign: CensusCampaign | None, missing_referents: int) -> list[Milestone]:
    code = partnership.code
    request_pk = partnership.request_pk
    to_validate = campaign.to_validate if campaign else 0  # type: ignore[attr-defined]  # annotated by onboarding()
    has_supervisor, has_contract = partnership.has_supervisor, partnership.has_contract
    approved, booked = partnership.approved, partnership.booked
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
                reverse("census:referent_request_detail", args=[request_pk])
                if request_pk
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
