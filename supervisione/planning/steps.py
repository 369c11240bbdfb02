"""What to do next about the annual plans (home page): prepare, complete, submit and approve each year's POA, and
send each ATS's POA on Multifondo before the Ministry's deadline (or correct it when the Ministry asks)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.lib import clock
from supervisione.lib.steps import Step
from supervisione.planning.models import Plan, PlanStatus, default_deadline
from supervisione.planning.plan_page import plan_page
from supervisione.planning.queries import filings_due, filings_to_correct
from supervisione.territory.models import Partnership

LIMIT = 5
# A filing on Multifondo not sent yet is a step from this many days before the Ministry's deadline.
FILING_DAYS = 14
# From this month on, next year's POA is worth preparing.
NEXT_YEAR_FROM_MONTH = 10


def _covers(partnership: Partnership, year: int) -> bool:
    starts = partnership.start_date is None or partnership.start_date.year <= year
    ends = partnership.end_date is None or partnership.end_date.year >= year
    return starts and ends


def planning_steps(user: User, scope: Scope) -> list[Step]:
    """Steps for coordinators (their partnerships' plans) and referents (their ATS's own plans)."""
    coordinated = scope.coordinated_partnership_ids
    referent_of = scope.referent_ambito_ids
    if not coordinated and not referent_of:
        return []
    today = clock.today()
    owned = Q(partnership_id__in=coordinated) | Q(ambito_id__in=referent_of)
    steps: list[Step] = []
    open_plans = list(
        Plan.objects.filter(owned, status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED])
        .select_related("partnership", "ambito")
        .order_by("deadline", "pk")[:LIMIT]
    )
    for plan in open_plans:
        name = plan.tenant.name
        if plan.status == PlanStatus.SUBMITTED:
            steps.append(
                Step(
                    f"POA {plan.year} di {name}: trasmesso, in attesa di approvazione",
                    f"Trasmesso il {timezone.localtime(plan.submitted_at):%d/%m/%Y}: registra l'approvazione (o "
                    "restituiscilo in bozza) dalla pagina del piano."
                    if plan.submitted_at
                    else "Registra l'approvazione dalla pagina del piano.",
                    plan.get_absolute_url(),
                )
            )
            continue
        problems = len(plan_page(plan).blocking)
        late = today > plan.deadline
        state = (
            f"bozza, {problems} {'carenza' if problems == 1 else 'carenze'} da risolvere"
            if problems
            else "bozza pronta da trasmettere"
        )
        due = f"scaduto il {plan.deadline:%d/%m/%Y}" if late else f"da trasmettere entro il {plan.deadline:%d/%m/%Y}"
        steps.append(
            Step(
                f"POA {plan.year} di {name} {due}: {state}",
                "Il piano dice quale gruppo manca di cosa: ore sotto il minimo, supervisori da assegnare, "
                "dichiarazioni."
                if problems
                else "Ogni gruppo raggiunge il minimo LEPS: trasmetti il piano.",
                plan.get_absolute_url(),
                "danger" if late else "warning" if problems else "info",
            )
        )
    steps += _missing_plans(coordinated, today)
    steps += _filing_steps(scope, today)
    return steps


def _filing_steps(scope: Scope, today: datetime.date) -> list[Step]:
    """Each ATS the user files for (a referent's, the members of a coordinated partnership): a POA to send on
    Multifondo within two weeks of the Ministry's deadline, or one the Ministry sent back for a correction."""
    ambito_ids = scope.editable_ambito_ids or frozenset()
    if not ambito_ids:
        return []
    steps = []
    for item in filings_due(ambito_ids, today, FILING_DAYS)[:LIMIT]:
        days = (item.deadline - today).days
        when = "oggi" if days == 0 else "domani" if days == 1 else f"tra {days} giorni"
        steps.append(
            Step(
                f"POA {item.year} di {item.ambito.name}: da inviare su Multifondo entro il {item.deadline:%d/%m/%Y}",
                f"La scadenza del Ministero è {when}; l'invio è «{item.status_label}».",
                reverse("planning:filing_detail", args=[item.ambito.code, item.year]),
                "danger" if days <= 3 else "warning",
            )
        )
    steps += [
        Step(
            f"POA {filing.year} di {filing.ambito.name}: da rettificare su Multifondo",
            f"Il Ministero ha chiesto una correzione (dal {filing.status_on:%d/%m/%Y}): correggi il POA sulla "
            "piattaforma e registra il nuovo invio.",
            filing.get_absolute_url(),
            "danger",
        )
        for filing in filings_to_correct(ambito_ids)[:LIMIT]
    ]
    return steps


def _missing_plans(coordinated: frozenset[int], today: datetime.date) -> list[Step]:
    """A partnership running this year (or next, from October) without a POA for it."""
    if not coordinated:
        return []
    years = [today.year] + ([today.year + 1] if today.month >= NEXT_YEAR_FROM_MONTH else [])
    # Each partnership with whether it has a plan of each year, in one query.
    partnerships = list(
        Partnership.objects.filter(pk__in=coordinated)
        .annotate(
            **{
                f"planned_{year}": Exists(
                    Plan.objects.filter(partnership=OuterRef("pk"), year=year).exclude(status=PlanStatus.SUPERSEDED)
                )
                for year in years
            }
        )
        .order_by("name")
    )
    steps = []
    for partnership in partnerships:
        for year in years:
            if getattr(partnership, f"planned_{year}") or not _covers(partnership, year):
                continue
            deadline = default_deadline(year)
            late = today > deadline
            steps.append(
                Step(
                    f"Prepara il POA {year} di {partnership.name}",
                    f"Il piano annuale andava trasmesso entro il {deadline:%d/%m/%Y}."
                    if late
                    else f"Da trasmettere entro il {deadline:%d/%m/%Y}: si parte dal censimento.",
                    reverse("planning:plan_create"),
                    "danger" if late else "warning",
                )
            )
    return steps
