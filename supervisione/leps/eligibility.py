"""Piano nazionale 2021-2023, p. 56, who may supervise: for A1 and A2 (social workers) a social worker in the
Albo, trained as supervisor, with experience in social work and in supervising social workers; for A3
(équipe) any profession with supervisor training and experience; for extra-LEPS groups the group's own
profession. The years of experience are parameters (``LepsRules``): the Piano sets no number.

What a supervisor lacks is returned as ``Ineligibility`` values, said in words by ``describe_eligibility``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from supervisione.leps.kinds import Profession, SupervisionType
from supervisione.leps.parameters import DEFAULT_RULES, LepsRules


@dataclass(frozen=True)
class SupervisorProfile:
    profession: Profession
    albo_registered: bool
    supervision_training: bool
    years_social_work: int
    years_supervising_as: int


class IneligibilityReason(StrEnum):
    NOT_SOCIAL_WORKER = "not_social_worker"
    NOT_IN_ALBO = "not_in_albo"
    NO_SUPERVISION_TRAINING = "no_supervision_training"
    TOO_LITTLE_EXPERIENCE = "too_little_experience"
    TOO_LITTLE_SUPERVISING = "too_little_supervising"
    DIFFERENT_PROFESSION = "different_profession"


@dataclass(frozen=True)
class Ineligibility:
    reason: IneligibilityReason
    required: int = 0
    actual: int = 0


@dataclass(frozen=True)
class Eligibility:
    kind: SupervisionType
    reasons: tuple[Ineligibility, ...] = ()

    @property
    def eligible(self) -> bool:
        return not self.reasons


def eligibility(
    profile: SupervisorProfile,
    kind: SupervisionType,
    group_profession: Profession | None = None,
    rules: LepsRules = DEFAULT_RULES,
) -> Eligibility:
    """Whether a supervisor may lead supervision of this type, with every reason when not (Piano p. 56).

    A1 and A2 (social workers): a social worker in the Albo, trained as supervisor, with experience in social
    work and in supervising social workers. A3 (équipe): any profession with supervisor training and
    experience. Extra-LEPS: the same profession as the group, trained as supervisor.
    """
    reasons: list[Ineligibility] = []
    if kind in (SupervisionType.A1, SupervisionType.A2):
        if not profile.profession.is_social_worker:
            reasons.append(Ineligibility(IneligibilityReason.NOT_SOCIAL_WORKER))
        elif not profile.albo_registered:
            reasons.append(Ineligibility(IneligibilityReason.NOT_IN_ALBO))
    if kind is SupervisionType.EXTRA and group_profession is not None:
        same = profile.profession == group_profession or (
            profile.profession.is_social_worker and group_profession.is_social_worker
        )
        if not same:
            reasons.append(Ineligibility(IneligibilityReason.DIFFERENT_PROFESSION))
    if not profile.supervision_training:
        reasons.append(Ineligibility(IneligibilityReason.NO_SUPERVISION_TRAINING))
    if profile.years_social_work < rules.min_years_social_work:
        reasons.append(
            Ineligibility(
                IneligibilityReason.TOO_LITTLE_EXPERIENCE, rules.min_years_social_work, profile.years_social_work
            )
        )
    if (
        kind in (SupervisionType.A1, SupervisionType.A2)
        and profile.years_supervising_as < rules.min_years_supervising_as
    ):
        reasons.append(
            Ineligibility(
                IneligibilityReason.TOO_LITTLE_SUPERVISING, rules.min_years_supervising_as, profile.years_supervising_as
            )
        )
    return Eligibility(kind, tuple(reasons))


def describe_ineligibility(item: Ineligibility) -> str:
    return {
        IneligibilityReason.NOT_SOCIAL_WORKER: "la supervisione di assistenti sociali richiede un assistente sociale",
        IneligibilityReason.NOT_IN_ALBO: "non risulta iscritto all'Albo degli Assistenti Sociali",
        IneligibilityReason.NO_SUPERVISION_TRAINING: "manca una formazione specifica come supervisore",
        IneligibilityReason.TOO_LITTLE_EXPERIENCE: (
            f"servono almeno {item.required} anni di esperienza professionale (ne risultano {item.actual})"
        ),
        IneligibilityReason.TOO_LITTLE_SUPERVISING: (
            f"servono almeno {item.required} anni di esperienza nella supervisione di assistenti sociali "
            f"(ne risultano {item.actual})"
        ),
        IneligibilityReason.DIFFERENT_PROFESSION: "deve avere la stessa professione del gruppo supervisionato",
    }[item.reason]


def describe_eligibility(result: Eligibility) -> str:
    if result.eligible:
        return f"Idoneo per {result.kind.label}."
    reasons = "; ".join(describe_ineligibility(item) for item in result.reasons)
    return f"Non idoneo per {result.kind.label}: {reasons}."
