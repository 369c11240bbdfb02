"""Supervisor eligibility per supervision type, computed with ``leps.eligibility`` (never stored).

Also what the annual plan needs to assign a supervisor to a group: the eligible supervisors for a type
(``eligible_supervisors``) and every reason an assignment cannot stand (``assignment_problems``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from supervisione.leps.eligibility import Eligibility, describe_eligibility, describe_ineligibility, eligibility
from supervisione.leps.kinds import Profession, SupervisionType
from supervisione.leps.parameters import LepsRules, rules_at
from supervisione.lib import clock
from supervisione.supervisors.models import Declaration, Document, DocumentKind, Supervisor, Training

LEPS_TYPES = (SupervisionType.A1, SupervisionType.A2, SupervisionType.A3)


def with_qualifications(queryset: QuerySet[Supervisor]) -> QuerySet[Supervisor]:
    """Annotate ``has_training`` and ``has_training_document`` (two subqueries, no extra round trip)."""
    return queryset.annotate(
        has_training=Exists(Training.objects.filter(supervisor=OuterRef("pk"))),
        has_training_document=Exists(Document.objects.filter(supervisor=OuterRef("pk"), kind=DocumentKind.TRAINING)),
    )


def _has_training(supervisor: Supervisor) -> bool:
    annotated = getattr(supervisor, "has_training", None)
    if annotated is not None:
        return bool(annotated)
    return supervisor.trainings.exists()


@dataclass(frozen=True)
class TypeEligibility:
    """One supervision type for one supervisor, ready for a badge: the reasons are Italian sentences."""

    kind: SupervisionType
    result: Eligibility

    @property
    def eligible(self) -> bool:
        return self.result.eligible

    @property
    def code(self) -> str:
        return self.kind.value

    @property
    def reasons(self) -> list[str]:
        return [describe_ineligibility(item) for item in self.result.reasons]

    @property
    def sentence(self) -> str:
        return describe_eligibility(self.result)


def eligibility_of(
    supervisor: Supervisor,
    kind: SupervisionType,
    *,
    group_profession: Profession | None = None,
    rules: LepsRules | None = None,
) -> Eligibility:
    rules = rules or rules_at(clock.today())
    return eligibility(supervisor.profile(has_training=_has_training(supervisor)), kind, group_profession, rules)


def eligibility_table(supervisors: Iterable[Supervisor], rules: LepsRules) -> dict[int, list[TypeEligibility]]:
    """A1, A2 and A3 eligibility of each supervisor (annotate with ``with_qualifications`` first)."""
    return {
        supervisor.pk: [
            TypeEligibility(
                kind, eligibility(supervisor.profile(has_training=_has_training(supervisor)), kind, None, rules)
            )
            for kind in LEPS_TYPES
        ]
        for supervisor in supervisors
    }


def eligible_supervisors(
    candidates: QuerySet[Supervisor],
    kind: SupervisionType,
    *,
    group_profession: Profession | None = None,
    on: datetime.date | None = None,
) -> list[Supervisor]:
    """The active supervisors among ``candidates`` who may lead a group of this type: what the plan offers."""
    rules = rules_at(on or clock.today())
    supervisors = with_qualifications(candidates.filter(active=True)).select_related("provider")
    return [
        supervisor
        for supervisor in supervisors
        if eligibility(
            supervisor.profile(has_training=_has_training(supervisor)), kind, group_profession, rules
        ).eligible
    ]


def assignment_problems(
    supervisor: Supervisor,
    kind: SupervisionType,
    declaration: Declaration | None,
    *,
    on: datetime.date,
    group_profession: Profession | None = None,
) -> list[str]:
    """Why this supervisor cannot be assigned to a group of this type on this date; empty when they can.

    An assignment needs an active, eligible supervisor and their signed declaration of no hierarchical
    relation and no conflict of interest, valid on the date.
    """
    problems: list[str] = []
    if not supervisor.active:
        problems.append(f"{supervisor} non è più un supervisore attivo.")
    result = eligibility_of(supervisor, kind, group_profession=group_profession, rules=rules_at(on))
    if not result.eligible:
        problems.append(describe_eligibility(result))
    problems.extend(declaration_problems(supervisor, declaration, on=on))
    return problems


def with_document_flag(queryset: QuerySet[Declaration]) -> QuerySet[Declaration]:
    """Annotate ``has_document`` so that ``declaration_problems`` needs no query per declaration."""
    return queryset.annotate(has_document=Exists(Document.objects.filter(declaration=OuterRef("pk"))))


def declaration_problems(supervisor: Supervisor, declaration: Declaration | None, *, on: datetime.date) -> list[str]:
    """What is wrong with the declaration that backs an assignment (missing, someone else's, expired, unsigned)."""
    if declaration is None:
        return ["Manca la dichiarazione di assenza di rapporti gerarchici e di conflitto di interessi del supervisore."]
    if declaration.supervisor_id != supervisor.pk:
        return ["La dichiarazione indicata è di un altro supervisore."]
    problems = []
    if not declaration.is_valid_on(on):
        problems.append(f"La dichiarazione del {declaration.signed_on:%d/%m/%Y} non è valida al {on:%d/%m/%Y}.")
    annotated = getattr(declaration, "has_document", None)
    has_document = bool(annotated) if annotated is not None else declaration.documents.exists()
    if not has_document:
        problems.append("La dichiarazione non ha il documento firmato.")
    return problems
