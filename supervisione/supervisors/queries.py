"""Reads for the registry pages and for the annual plan; queries do not grow with the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet

from supervisione.accounts.scopes import scope_for
from supervisione.leps.parameters import LepsRules
from supervisione.supervisors.eligibility import LEPS_TYPES, TypeEligibility, eligibility_table, with_qualifications
from supervisione.supervisors.models import Declaration, Document, Supervisor
from supervisione.territory.models import Ambito, Partnership, PartnershipMember

if TYPE_CHECKING:
    from supervisione.accounts.models import User

# --- For the annual plan ---------------------------------------------------------------------------------


def supervisors_for_partnership(partnership: Partnership) -> QuerySet[Supervisor]:
    """Supervisors a partnership's plan may use: its own and those of its member ATS."""
    members = PartnershipMember.objects.in_force().filter(partnership=partnership).values("ambito_id")
    return Supervisor.objects.filter(Q(partnership=partnership) | Q(ambito_id__in=members))


def supervisors_for_ambito(ambito: Ambito) -> QuerySet[Supervisor]:
    """Supervisors an ATS's own plan may use: its own and those of the partnerships it belongs to."""
    partnerships = PartnershipMember.objects.in_force().filter(ambito=ambito).values("partnership_id")
    return Supervisor.objects.filter(Q(ambito=ambito) | Q(partnership_id__in=partnerships))


# --- Registry ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryRow:
    supervisor: Supervisor
    types: list[TypeEligibility]

    @property
    def reason_groups(self) -> list[tuple[str, str]]:
        """Reasons of ineligibility, types with the same reasons together: [("A1, A2", "manca ...; ...")]."""
        groups: dict[str, list[str]] = {}
        for item in self.types:
            if not item.eligible:
                groups.setdefault("; ".join(item.reasons), []).append(item.code)
        return [(", ".join(codes), reasons) for reasons, codes in groups.items()]


def registry_rows(queryset: QuerySet[Supervisor], rules: LepsRules) -> list[RegistryRow]:
    supervisors = list(
        with_qualifications(queryset).select_related("partnership", "ambito", "provider", "albo_region", "user")
    )
    table = eligibility_table(supervisors, rules)
    return [RegistryRow(supervisor, table[supervisor.pk]) for supervisor in supervisors]


@dataclass
class TenantFigures:
    """Aggregates of one partnership or ATS for users who see no names (observers)."""

    label: str
    supervisors: int = 0
    eligible: dict[str, int] = field(default_factory=lambda: {kind.value: 0 for kind in LEPS_TYPES})


def registry_aggregates(user: User, rules: LepsRules) -> list[TenantFigures]:
    """Active supervisors and how many are eligible per type, by partnership or ATS, for the user's scope."""
    scope = scope_for(user)
    supervisors = Supervisor.objects.filter(active=True)
    if scope.visible_partnership_ids is not None and scope.visible_ambito_ids is not None:
        supervisors = supervisors.filter(
            Q(partnership_id__in=scope.visible_partnership_ids) | Q(ambito_id__in=scope.visible_ambito_ids)
        )
    rows = list(with_qualifications(supervisors).select_related("partnership", "ambito"))
    table = eligibility_table(rows, rules)
    figures: dict[str, TenantFigures] = {}
    for supervisor in rows:
        tenant = supervisor.tenant
        label = f"{tenant.name} ({tenant.code})"
        entry = figures.setdefault(label, TenantFigures(label))
        entry.supervisors += 1
        for item in table[supervisor.pk]:
            entry.eligible[item.code] += int(item.eligible)
    return sorted(figures.values(), key=lambda entry: entry.label)


@dataclass(frozen=True)
class SupervisorPage:
    supervisor: Supervisor
    trainings: list[Any]
    slots: list[Any]
    absences: list[Any]
    documents: list[Document]
    declarations: list[Declaration]


def supervisor_page(supervisor: Supervisor) -> SupervisorPage:
    return SupervisorPage(
        supervisor=supervisor,
        trainings=list(supervisor.trainings.all()),
        slots=list(supervisor.weekly_slots.all()),
        absences=list(supervisor.absences.all()),
        documents=list(supervisor.documents.filter(declaration__isnull=True).select_related("uploaded_by")),
        declarations=list(
            supervisor.declarations.select_related("recorded_by").prefetch_related(
                Prefetch("documents", queryset=Document.objects.order_by("-uploaded_at"))
            )
        ),
    )
