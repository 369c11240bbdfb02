"""The benchmark's subjects: one ATS, its partnership and plan, and a user per role to look at them.

Everything is chosen from the database deterministically, so that the same data gives the same subjects and
the figures at ``--ambiti 6`` and ``--ambiti 600`` compare like with like: the ATS is the one of median size
(people in its latest census) among the ATS that belong to a partnership with an approved plan for the year
and sessions in it, ties broken by code. The users are created here (``bench.*``, no usable password: the
benchmark logs them in with ``force_login`` or a session cookie), so the benchmark needs nothing of the
generator but the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.census.models import Census, Person
from supervisione.planning.models import Plan, PlanMember, PlanStatus
from supervisione.sessions.models import Session
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Ambito, Partnership

ROLES = ("admin", "coordinator", "referent", "supervisor", "supervisee", "observer")


@dataclass(frozen=True)
class Subjects:
    year: int
    ambito: Ambito
    partnership: Partnership
    plan: Plan
    census: Census
    users: dict[str, User]
    ambito_people: int
    ambito_sessions: int
    cup: str

    def describe(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "ambito": self.ambito.code,
            "partnership": self.partnership.code,
            "plan": self.plan.pk,
            "census": self.census.pk,
            "ambito_people": self.ambito_people,
            "ambito_sessions_in_year": self.ambito_sessions,
            "cup": self.cup,
        }


def _user(username: str, role: str, **where: Any) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": "Bench", "last_name": role})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=role, **where)
    return user


def choose(today: datetime.date) -> Subjects:
    """Pick the subjects for the year of ``today`` (or the latest year with an approved plan and sessions)."""
    plans = Plan.objects.filter(status=PlanStatus.APPROVED, partnership__isnull=False)
    years = sorted(set(plans.values_list("year", flat=True)), reverse=True)
    if not years:
        raise SystemExit("No approved partnership plan in the database: generate the data first.")
    year = today.year if today.year in years else years[0]
    plans = plans.filter(year=year)
    partnership_ids = set(plans.values_list("partnership_id", flat=True))
    with_sessions = set(
        Session.objects.filter(date__year=year, partnership_id__in=partnership_ids)
        .values_list("partnership_id", flat=True)
        .distinct()
    )
    candidates = []
    for ambito in Ambito.objects.filter(partnership_memberships__partnership_id__in=with_sessions).distinct():
        census = Census.objects.filter(ambito=ambito).order_by("-campaign__reference_date", "-pk").first()
        if census is None:
            continue
        people = census.positions.values("person").distinct().count()
        candidates.append((people, ambito.code, ambito, census))
    if not candidates:
        raise SystemExit("No ATS of a partnership with sessions has a census: generate the data first.")
    candidates.sort(key=lambda item: (item[0], item[1]))
    people, _code, ambito, census = candidates[(len(candidates) - 1) // 2]
    partnership = Partnership.objects.filter(pk__in=with_sessions, memberships__ambito=ambito).order_by("code").first()
    assert partnership is not None  # noqa: S101  (the ATS was chosen among the members of such partnerships)
    plan = plans.filter(partnership=partnership).order_by("-version").first()
    assert plan is not None  # noqa: S101  (the partnership was chosen among those with a plan)
    ambito_sessions = (
        Session.objects.filter(date__year=year)
        .filter(Q(ambito=ambito) | Q(attendances__ambito=ambito))
        .distinct()
        .count()
    )

    supervisor = (
        Supervisor.objects.filter(sessions__partnership=partnership, sessions__date__year=year)
        .annotate(count=Count("sessions"))
        .order_by("-count", "pk")
        .first()
    )
    member = PlanMember.objects.filter(plan=plan, ambito=ambito).select_related("person").order_by("person_id").first()
    users = {
        "admin": _user("bench.admin", Role.ADMIN),
        "coordinator": _user("bench.coordinatore", Role.COORDINATOR, partnership=partnership),
        "referent": _user("bench.referente", Role.REFERENT, ambito=ambito),
        "observer": _user("bench.osservatore", Role.OBSERVER),
    }
    if supervisor is not None:
        if supervisor.user_id is None:
            supervisor.user = _user("bench.supervisore", Role.SUPERVISOR, partnership=partnership)
            supervisor.save(update_fields=["user"])
        else:
            RoleAssignment.objects.get_or_create(user=supervisor.user, role=Role.SUPERVISOR, partnership=partnership)
        assert supervisor.user is not None  # noqa: S101  (given or found just above)
        users["supervisor"] = supervisor.user
    if member is not None:
        person: Person = member.person
        if person.user_id is None:
            person.user = _user("bench.operatore", Role.SUPERVISEE, ambito=ambito)
            person.save(update_fields=["user"])
        else:
            RoleAssignment.objects.get_or_create(user=person.user, role=Role.SUPERVISEE, ambito=ambito)
        assert person.user is not None  # noqa: S101  (given or found just above)
        users["supervisee"] = person.user
    return Subjects(
        year=year,
        ambito=ambito,
        partnership=partnership,
        plan=plan,
        census=census,
        users=users,
        ambito_people=people,
        ambito_sessions=ambito_sessions,
        cup=partnership.cup,
    )
