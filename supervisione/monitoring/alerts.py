"""What needs attention today, for whom: the daily digest (``manage.py monitoring_alerts``) and the home page.

Four kinds, each a few aggregate queries whatever the number of sessions:

- groups and équipes **behind** or **at risk** of their LEPS minimum this year (``leps.compliance``);
- **registers not confirmed** more than ``REGISTER_DAYS`` (3) days after the session;
- **contracts nearly used up**: a line with at least ``NEARLY_USED`` (90 %) of its hours booked, or a funding
  row with at least 90 % of its amount spent;
- **deadlines within** ``DEADLINE_DAYS`` (14) days: a POA still to submit, an ATS's POA still to send on
  Multifondo (where the Ministry's deadline is known), a census still to send, a request of referents, a
  tender's term;
- **requests** born in a meeting or a letter (``meetings.requests``): a reminder from ``remind_days`` before the
  deadline, and every day once late, until done or cancelled; also the census and referent designations
  still missing up to ``LATE_DAYS`` (60) days after their deadline.

Each alert names its partnership or ATS (and, for registers, the supervisor's user): the responsible persons
are the coordinators of the partnership, the referents of the ATS, the supervisor.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.urls import reverse
from django.utils import timezone

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.accounts.scopes import scope_for
from supervisione.census.models import OPEN_STATUSES, Census, ReferentRequest
from supervisione.leps.compliance import ComplianceStatus
from supervisione.lib import clock
from supervisione.lib.italian import euro_text, hours_text
from supervisione.lib.steps import Level
from supervisione.planning.models import Plan, PlanMember, PlanStatus
from supervisione.planning.queries import filings_due
from supervisione.procurement.models import Contract, ContractFunding, ContractLine, ContractStatus, TenderDeadline
from supervisione.sessions.models import RegisterStatus, Session, SessionStatus
from supervisione.sessions.usage import minutes_to_hours
from supervisione.territory.models import Ambito, Partnership, PartnershipMember

from .figures import figures
from .figures.groups import GroupFigures
from .figures.sums import percent
from .selection import YEAR, Selection, plans_of_year

REGISTER_DAYS = 3
DEADLINE_DAYS = 14
NEARLY_USED = Decimal("0.9")
LATE_DAYS = 60
KINDS = ("group", "register", "contract", "deadline", "request")
KIND_LABELS = {
    "group": "Gruppi in ritardo o a rischio",
    "register": "Registri presenze non confermati",
    "contract": "Contratti quasi esauriti",
    "deadline": "Scadenze entro 14 giorni",
    "request": "Richieste in scadenza o in ritardo",
}


@dataclass(frozen=True)
class Alert:
    kind: str
    level: Level
    title: str
    detail: str
    url: str
    partnership_id: int | None = None
    ambito_id: int | None = None
    supervisor_user_id: int | None = None
    sort_date: datetime.date | None = None
    # A person asked directly (a request's owner), told whatever their role.
    user_id: int | None = None


@dataclass(frozen=True)
class Reach:
    """Whose alerts: ``None`` means every partnership (or ATS)."""

    partnership_ids: frozenset[int] | None
    ambito_ids: frozenset[int] | None
    supervisor_user_id: int | None = None
    user_id: int | None = None

    def q(self, partnership: str = "partnership_id", ambito: str = "ambito_id") -> Q:
        if self.partnership_ids is None or self.ambito_ids is None:
            return Q()
        return Q(**{f"{partnership}__in": sorted(self.partnership_ids)}) | Q(
            **{f"{ambito}__in": sorted(self.ambito_ids)}
        )

    def owns(self, partnership_id: int | None, ambito_id: int | None) -> bool:
        """Whether a record of this partnership or ATS is within the reach (what ``q`` selects)."""
        if self.partnership_ids is None or self.ambito_ids is None:
            return True
        return partnership_id in self.partnership_ids or ambito_id in self.ambito_ids

    @property
    def empty(self) -> bool:
        return self.partnership_ids is not None and not self.partnership_ids and not self.ambito_ids


EVERYTHING = Reach(None, None)


def _group_alert(row: GroupFigures, ambito_id: int | None = None) -> Alert:
    behind = row.compliance is not None and row.compliance.status is ComplianceStatus.BEHIND
    return Alert(
        "group",
        "danger" if behind else "warning",
        f"{row.group.name} ({row.plan.tenant.code}): {row.status_label}",
        row.reason,
        reverse("monitoring:group", args=[row.group.pk]),
        partnership_id=row.plan.partnership_id,
        ambito_id=ambito_id or row.plan.ambito_id,
    )


def _group_alerts(today: datetime.date, reach: Reach) -> list[Alert]:
    ambito_ids = sorted(reach.ambito_ids or ())
    owned = reach.q("partnership_id", "ambito_id")
    # A referent answers for his ATS's people also in the groups of the partnership's plan (those with at least one
    # participant of the ATS, as its dashboard shows them): the coordinator is not the only one told they are behind.
    # The plans of the partnerships the ATS belong to (or lead) come in the same query as the reach's own.
    sharing = Partnership.objects.filter(Q(memberships__ambito_id__in=ambito_ids) | Q(capofila_id__in=ambito_ids))
    plans = plans_of_year(today.year, owned | Q(partnership_id__in=sharing.values("pk")) if ambito_ids else owned)
    own = [plan for plan in plans if reach.owns(plan.partnership_id, plan.ambito_id)]
    shared = [plan for plan in plans if not reach.owns(plan.partnership_id, plan.ambito_id)]
    alerts = []
    if own:
        found = figures(Selection(today.year, YEAR, today, tuple(own)), groups_only=True)
        alerts = [_group_alert(row) for row in found.needing_attention]
    if shared:
        alerts += _shared_group_alerts(today, shared, ambito_ids)
    return alerts


def _shared_group_alerts(today: datetime.date, shared: list[Plan], ambito_ids: list[int]) -> list[Alert]:
    """The groups behind of the plans of the partnerships the reach's ATS belong to, for each ATS (by name) that has
    a participant in them: three queries and one reading of the figures, whatever the number of ATS."""
    sharing: dict[Ambito, set[int]] = defaultdict(set)  # ATS -> the partnerships of ``shared`` it belongs to or leads
    for plan in shared:
        if plan.partnership is not None and plan.partnership.capofila_id in ambito_ids:
            sharing[plan.partnership.capofila].add(plan.partnership.pk)
    for member in PartnershipMember.objects.filter(
        partnership_id__in={plan.partnership_id for plan in shared}, ambito_id__in=ambito_ids
    ).select_related("ambito"):
        sharing[member.ambito].add(member.partnership_id)
    with_members = Q(pk__in=PlanMember.objects.filter(ambito_id__in=ambito_ids).values("group_id"))
    needing = figures(
        Selection(today.year, YEAR, today, tuple(shared), group_q=with_members), groups_only=True
    ).needing_attention
    if not needing:
        return []
    members: dict[int, set[int]] = defaultdict(set)  # group -> the reach's ATS with a participant in it
    for group_id, ambito_id in PlanMember.objects.filter(
        group_id__in=[row.group.pk for row in needing], ambito_id__in=ambito_ids
    ).values_list("group_id", "ambito_id"):
        members[group_id].add(ambito_id)
    return [
        _group_alert(row, ambito.pk)
        for ambito in sorted(sharing, key=lambda ambito: (ambito.name, ambito.pk))
        for row in needing
        if row.plan.partnership_id in sharing[ambito] and ambito.pk in members[row.group.pk]
    ]


def _register_alerts(today: datetime.date, reach: Reach) -> list[Alert]:
    condition = reach.q()
    if reach.supervisor_user_id is not None:
        condition |= Q(supervisor__user_id=reach.supervisor_user_id)
    rows = (
        Session.objects.filter(
            condition,
            status=SessionStatus.SCHEDULED,
            register_status=RegisterStatus.OPEN,
            date__lte=today - datetime.timedelta(days=REGISTER_DAYS),
        )
        .values("supervisor_id", "supervisor__user_id", "supervisor__name", "supervisor__surname", "partnership_id")
        .annotate(count=Count("pk"), oldest=Min("date"), ambito=Min("ambito_id"))
        .order_by("oldest")
    )
    alerts = []
    for row in rows:
        count = row["count"]
        days = (today - row["oldest"]).days
        alerts.append(
            Alert(
                "register",
                "danger" if days > 14 else "warning",
                f"{count} registr{'o' if count == 1 else 'i'} presenze da confermare da più di {REGISTER_DAYS} giorni",
                f"Supervisore {row['supervisor__name']} {row['supervisor__surname']}; il più vecchio è dell'incontro "
                f"del {row['oldest']:%d/%m/%Y}. Le ore contano come erogate solo con il registro confermato.",
                reverse("sessions:supervisor_calendar", args=[row["supervisor_id"]]),
                partnership_id=row["partnership_id"],
                ambito_id=None if row["partnership_id"] else row["ambito"],
                supervisor_user_id=row["supervisor__user_id"],
                sort_date=row["oldest"],
            )
        )
    return alerts


def _contract_alerts(reach: Reach) -> list[Alert]:
    contracts = {
        contract.pk: contract
        for contract in Contract.objects.filter(reach.q(), status__in=[ContractStatus.AWARDED, ContractStatus.ACTIVE])
    }
    if not contracts:
        return []
    # The minutes booked, and those confirmed, per contract, funding row and type (one query): the lines read the
    # booked ones per contract and type, the funding rows the confirmed ones at their line's rate.
    sums = list(
        Session.objects.filter(contract_id__in=list(contracts), status=SessionStatus.SCHEDULED)
        .values("contract_id", "funding_id", "kind")
        .annotate(
            booked=Sum("minutes", default=0),
            confirmed=Sum("minutes", default=0, filter=Q(register_status=RegisterStatus.CONFIRMED)),
        )
        .order_by()
    )
    booked: dict[tuple[int, str], int] = defaultdict(int)
    for row in sums:
        booked[(row["contract_id"], row["kind"])] += row["booked"]
    lines = list(ContractLine.objects.filter(contract_id__in=list(contracts)))
    rates = {(line.contract_id, line.kind): line.hourly_rate for line in lines}
    alerts = []
    for line in lines:
        booked_hours = minutes_to_hours(booked.get((line.contract_id, line.kind), 0))
        if line.hours and booked_hours >= line.hours * NEARLY_USED:
            contract = contracts[line.contract_id]
            alerts.append(
                Alert(
                    "contract",
                    "danger" if booked_hours >= line.hours else "warning",
                    f"{contract.title}: ore {line.kind} quasi esaurite",
                    f"{percent(booked_hours, line.hours)} % delle ore {line.kind} già prenotate "
                    f"({hours_text(booked_hours)} di {hours_text(line.hours)}).",
                    contract.get_absolute_url(),
                    partnership_id=contract.partnership_id,
                    ambito_id=contract.ambito_id,
                )
            )
    spent: dict[int, Decimal] = defaultdict(Decimal)
    for confirmed in sums:
        rate = rates.get((confirmed["contract_id"], confirmed["kind"]))
        if rate is not None:
            spent[confirmed["funding_id"]] += minutes_to_hours(confirmed["confirmed"]) * rate
    for funding in ContractFunding.objects.filter(contract_id__in=list(contracts)).select_related("contract", "ambito"):
        used = spent.get(funding.pk, Decimal(0)).quantize(Decimal("0.01"))
        if used >= funding.amount * NEARLY_USED:
            contract = funding.contract
            alerts.append(
                Alert(
                    "contract",
                    "danger" if used >= funding.amount else "warning",
                    f"{contract.title}: fondi {funding} quasi esauriti",
                    f"Spesi {euro_text(used)} di {euro_text(funding.amount)} ({percent(used, funding.amount)} %).",
                    contract.get_absolute_url(),
                    partnership_id=contract.partnership_id,
                    ambito_id=contract.ambito_id,
                )
            )
    return alerts


def _when(day: datetime.date, today: datetime.date) -> str:
    days = (day - today).days
    if days == 0:
        return "oggi"
    if days == 1:
        return "domani"
    return f"tra {days} giorni, il {day:%d/%m/%Y}"


def _deadline_alerts(today: datetime.date, reach: Reach) -> list[Alert]:
    last = today + datetime.timedelta(days=DEADLINE_DAYS)
    plans = Plan.objects.filter(reach.q(), status=PlanStatus.DRAFT, deadline__gte=today, deadline__lte=last)
    alerts = [
        Alert(
            "deadline",
            "warning",
            f"POA {plan.year} di {plan.tenant.name}: da trasmettere {_when(plan.deadline, today)}",
            "Il piano è ancora in bozza.",
            plan.get_absolute_url(),
            partnership_id=plan.partnership_id,
            ambito_id=plan.ambito_id,
            sort_date=plan.deadline,
        )
        for plan in plans.select_related("partnership", "ambito")
    ]
    alerts += _filing_alerts(today, reach)
    censuses = Census.objects.filter(
        reach.q("campaign__partnership_id", "ambito_id"),
        status__in=OPEN_STATUSES,
        campaign__deadline__gte=today,
        campaign__deadline__lte=last,
    ).select_related("campaign", "ambito")
    alerts += [
        Alert(
            "deadline",
            "warning",
            f"Censimento di {census.ambito.name}: da trasmettere {_when(census.campaign.deadline, today)}",
            f"{census.campaign.title}: {census.get_status_display().lower()}.",
            census.get_absolute_url(),
            partnership_id=census.campaign.partnership_id,
            ambito_id=census.ambito_id,
            sort_date=census.campaign.deadline,
        )
        for census in censuses
    ]
    requests = ReferentRequest.objects.filter(deadline__gte=today, deadline__lte=last).annotate(
        answers=Count("designations", distinct=True), members=Count("partnership__memberships", distinct=True)
    )
    if reach.partnership_ids is not None:
        requests = requests.filter(partnership_id__in=sorted(reach.partnership_ids))
    for request in requests.select_related("partnership"):
        if request.answers >= request.members:
            continue
        alerts.append(
            Alert(
                "deadline",
                "warning",
                f"{request.title}: risposte entro {_when(request.deadline, today)}",
                f"Mancano designazioni degli ATS di {request.partnership.name}.",
                request.get_absolute_url(),
                partnership_id=request.partnership_id,
                sort_date=request.deadline,
            )
        )
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    for deadline in TenderDeadline.objects.filter(
        reach.q("contract__partnership_id", "contract__ambito_id"),
        contract__status=ContractStatus.PROCEDURE,
        due_at__gte=start,
        due_at__lt=start + datetime.timedelta(days=DEADLINE_DAYS + 1),
    ).select_related("contract"):
        local = timezone.localtime(deadline.due_at)
        alerts.append(
            Alert(
                "deadline",
                "warning",
                f"{deadline.contract.title}: {str(deadline).lower()} {_when(local.date(), today)}",
                f"Termine alle {local:%H:%M} del {local:%d/%m/%Y}"
                + (" (prorogato)." if deadline.was_postponed else "."),
                deadline.contract.get_absolute_url(),
                partnership_id=deadline.contract.partnership_id,
                ambito_id=deadline.contract.ambito_id,
                sort_date=local.date(),
            )
        )
    return alerts


def _filing_alerts(today: datetime.date, reach: Reach) -> list[Alert]:
    """Each ATS's POA not yet sent on Multifondo whose deadline (known from an act) is within two weeks."""
    ambito_ids = Ambito.objects.values_list("pk", flat=True) if reach.ambito_ids is None else reach.ambito_ids
    return [
        Alert(
            "deadline",
            "warning",
            f"POA {due.year} di {due.ambito.name}: da inviare su Multifondo {_when(due.deadline, today)}",
            f"Scadenza del Ministero; l'invio è «{due.status_label}».",
            reverse("planning:filing_detail", args=[due.ambito.code, due.year]),
            ambito_id=due.ambito.pk,
            sort_date=due.deadline,
        )
        for due in filings_due(ambito_ids, today, DEADLINE_DAYS)
    ]


def collect(today: datetime.date, reach: Reach = EVERYTHING, kinds: tuple[str, ...] = KINDS) -> list[Alert]:
    """Every alert within ``reach``, most urgent first within each kind."""
    alerts: list[Alert] = []
    if reach.empty and reach.supervisor_user_id is None and reach.user_id is None:
        return alerts
    if not reach.empty:
        if "group" in kinds:
            alerts += _group_alerts(today, reach)
        if "contract" in kinds:
            alerts += _contract_alerts(reach)
        if "deadline" in kinds:
            alerts += sorted(_deadline_alerts(today, reach), key=lambda alert: alert.sort_date or today)
    if "request" in kinds:
        from .request_alerts import request_alerts  # noqa: PLC0415  (it builds this module's Alert)

        alerts += sorted(request_alerts(today, reach), key=lambda alert: alert.sort_date or today)
    if "register" in kinds:
        alerts += _register_alerts(today, reach)
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(alerts, key=lambda alert: (KINDS.index(alert.kind), order[alert.level]))


def reach_of(user: User) -> Reach:
    """What one user answers for: coordinated partnerships and their ATS, referent ATS, own registers."""
    scope = scope_for(user)
    if scope.is_admin:
        return EVERYTHING
    supervisor_user = user.pk if scope.supervisor_partnership_ids else None
    return Reach(
        frozenset(scope.coordinated_partnership_ids),
        frozenset(scope.editable_ambito_ids or ()),
        supervisor_user,
        user.pk,
    )


def alerts_for(user: User, today: datetime.date | None = None, kinds: tuple[str, ...] = KINDS) -> list[Alert]:
    return collect(today or clock.today(), reach_of(user), kinds)


# --- The daily digest ----------------------------------------------------------------------------------------


def recipients(alerts: list[Alert]) -> dict[User, list[Alert]]:
    """Each responsible person and their alerts: coordinators of the partnership (or of a partnership the ATS
    belongs to), referents of the ATS, the supervisor for their own registers (three queries)."""
    partnership_ids = {alert.partnership_id for alert in alerts if alert.partnership_id}
    ambito_ids = {alert.ambito_id for alert in alerts if alert.ambito_id}
    partnerships_of_ambito: dict[int, set[int]] = defaultdict(set)
    for partnership_id, ambito_id in (
        PartnershipMember.objects.in_force().filter(ambito_id__in=ambito_ids).values_list("partnership_id", "ambito_id")
    ):
        partnerships_of_ambito[ambito_id].add(partnership_id)
    all_partnerships = partnership_ids | {pk for ids in partnerships_of_ambito.values() for pk in ids}
    assignments = RoleAssignment.objects.filter(
        Q(role=Role.COORDINATOR, partnership_id__in=all_partnerships) | Q(role=Role.REFERENT, ambito_id__in=ambito_ids)
    ).select_related("user")
    coordinators: dict[int, set[User]] = defaultdict(set)
    referents: dict[int, set[User]] = defaultdict(set)
    for assignment in assignments:
        if not assignment.user.is_active:
            continue
        if assignment.role == Role.COORDINATOR and assignment.partnership_id:
            coordinators[assignment.partnership_id].add(assignment.user)
        elif assignment.ambito_id:
            referents[assignment.ambito_id].add(assignment.user)
    supervisors = {
        user.pk: user
        for user in User.objects.filter(
            pk__in={pk for alert in alerts for pk in (alert.supervisor_user_id, alert.user_id) if pk},
            is_active=True,
        )
    }
    found: dict[User, list[Alert]] = defaultdict(list)
    for alert in alerts:
        people: set[User] = set()
        if alert.partnership_id:
            people |= coordinators[alert.partnership_id]
        if alert.ambito_id:
            people |= referents[alert.ambito_id]
            if not alert.partnership_id:
                for partnership_id in partnerships_of_ambito[alert.ambito_id]:
                    people |= coordinators[partnership_id]
        if alert.supervisor_user_id in supervisors:
            people.add(supervisors[alert.supervisor_user_id])
        if alert.user_id in supervisors:
            people.add(supervisors[alert.user_id])
        for person in people:
            found[person].append(alert)
    return dict(found)


def digest_text(user: User, alerts: list[Alert], base_url: str, today: datetime.date) -> str:
    lines = [
        f"Gentile {user.get_full_name() or user.username},",
        "",
        f"ecco cosa richiede attenzione oggi, {today:%d/%m/%Y}:",
    ]
    for kind in KINDS:
        items = [alert for alert in alerts if alert.kind == kind]
        if not items:
            continue
        lines += ["", f"{KIND_LABELS[kind]} ({len(items)})"]
        for alert in items:
            lines.append(f"- {alert.title}. {alert.detail}")
            lines.append(f"  {base_url}{alert.url}")
    lines += ["", "Questo riepilogo è inviato ogni giorno da Supervisione finché qualcosa richiede attenzione."]
    return "\n".join(lines)
