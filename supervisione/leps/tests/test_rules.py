"""Every LEPS 2.7.2 and c. 797 rule with the numbers of the Scheda and of the law. No database."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from supervisione.leps.attendance import attendance, count_below_threshold
from supervisione.leps.cofinancing import cofinancing, describe_cofinancing, hours_cost
from supervisione.leps.compliance import ComplianceStatus, compliance, describe_compliance
from supervisione.leps.eligibility import IneligibilityReason, SupervisorProfile, describe_eligibility, eligibility
from supervisione.leps.kinds import Profession, SupervisionType
from supervisione.leps.minimums import (
    RedistributionError,
    a1_group_count,
    check_redistribution,
    minimum_hours,
    plan_minimums,
    prorated,
    suggest_groups,
)
from supervisione.leps.parameters import DEFAULT_RULES, Prorate
from supervisione.leps.ratio import ServicePeriod, assess_ratio, days_in_service, fte, year_fte
from supervisione.leps.shortfalls import GroupPlan, PlanInput, ShortfallKind, describe, shortfalls

A1, A2, A3, EXTRA = SupervisionType.A1, SupervisionType.A2, SupervisionType.A3, SupervisionType.EXTRA
D = Decimal
BY_MONTHS = replace(DEFAULT_RULES, prorate=Prorate.BY_MONTHS)


# --- Minimums of the Scheda -----------------------------------------------------------------------------------


def test_it_uses_the_scheda_minimums() -> None:
    assert minimum_hours(A1) == 16
    assert minimum_hours(A2) == 15
    assert minimum_hours(A3) == 6
    assert minimum_hours(EXTRA) == 0


def test_it_turns_56_social_workers_into_4_groups_64_a1_hours_and_a_60_hour_pool() -> None:
    assert a1_group_count(56) == 4
    minimums = plan_minimums(a1_groups=4, equipes=3)
    assert (minimums.a1_hours, minimums.a2_pool_hours, minimums.a3_hours) == (D(64), D(60), D(18))
    assert minimums.total_hours == 142


@pytest.mark.parametrize(("social_workers", "groups"), [(0, 0), (1, 1), (15, 1), (16, 2), (30, 2), (31, 3), (56, 4)])
def test_it_never_makes_a_group_larger_than_15(social_workers: int, groups: int) -> None:
    assert a1_group_count(social_workers) == groups


def test_it_follows_a_changed_maximum_group_size() -> None:
    assert a1_group_count(56, replace(DEFAULT_RULES, max_group_size=12)) == 5


def test_it_counts_6_hours_per_equipe() -> None:
    assert plan_minimums(a1_groups=0, equipes=5).a3_hours == 30


# --- Pro-rating ---------------------------------------------------------------------------------------------


def test_it_does_not_prorate_when_the_setting_is_off() -> None:
    assert prorated(D(16), 6) == 16
    assert minimum_hours(A1, months_covered=3) == 16


def test_it_prorates_by_months_rounding_up_to_the_half_hour() -> None:
    assert prorated(D(16), 6, BY_MONTHS) == 8
    assert prorated(D(16), 7, BY_MONTHS) == D("9.5")  # 9.33 -> 9.5
    assert prorated(D(6), 1, BY_MONTHS) == D("0.5")
    assert prorated(D(15), 12, BY_MONTHS) == 15
    assert plan_minimums(4, 3, months_covered=6, rules=BY_MONTHS).a2_pool_hours == 30  # 7.5 x 4


def test_it_never_prorates_above_the_yearly_minimum() -> None:
    # Found by the property tests: 0,7 h x 11/12 = 0,64 h, rounded up to 1 h, more than the whole year asks.
    assert prorated(D("0.7"), 11, BY_MONTHS) == D("0.7")


@pytest.mark.parametrize("months", [0, 13, -1])
def test_it_refuses_impossible_periods(months: int) -> None:
    with pytest.raises(ValueError, match="months_covered"):
        prorated(D(16), months, BY_MONTHS)


# --- Suggested A1 groups -------------------------------------------------------------------------------------


def test_it_splits_56_social_workers_into_balanced_groups_keeping_ambiti_together() -> None:
    members = [(f"P{i}", "POGGIARDO") for i in range(20)]
    members += [(f"M{i}", "MAGLIE") for i in range(18)]
    members += [(f"C{i}", "CASARANO") for i in range(18)]
    groups = suggest_groups(members)
    assert sorted(len(group) for group in groups) == [14, 14, 14, 14]
    assert sorted(sum(1 for key in members if key[0] in group) for group in groups) == [14, 14, 14, 14]
    # Each ATS is split across as few groups as the sizes allow: 14 + remainder.
    for prefix in ("P", "M", "C"):
        spread = sum(1 for group in groups if any(key.startswith(prefix) for key in group))
        assert spread <= 2
    assert sorted(key for group in groups for key in group) == sorted(key for key, _ in members)


def test_it_keeps_a_small_ambito_in_one_group() -> None:
    members = [(i, "A") for i in range(10)] + [(100 + i, "B") for i in range(5)]
    assert [sorted(group) for group in suggest_groups(members)] == [list(range(10)) + list(range(100, 105))]


def test_it_makes_no_group_of_nobody() -> None:
    assert suggest_groups([]) == []


def test_it_respects_the_maximum_with_many_small_ambiti() -> None:
    members = [(f"{cluster}{i}", cluster) for cluster in "ABCDEFG" for i in range(7)]  # 49 AS
    groups = suggest_groups(members)
    assert len(groups) == 4
    assert all(len(group) <= 15 for group in groups)


# --- Supervisor eligibility ------------------------------------------------------------------------------------

QUALIFIED_AS = SupervisorProfile(Profession.ASSISTENTE_SOCIALE, True, True, 10, 4)


def test_it_accepts_a_qualified_social_worker_for_every_type() -> None:
    for kind in (A1, A2, A3):
        assert eligibility(QUALIFIED_AS, kind).eligible


def test_it_requires_a_social_worker_in_the_albo_for_a1_and_a2() -> None:
    psychologist = replace(QUALIFIED_AS, profession=Profession.PSICOLOGO, albo_registered=False)
    result = eligibility(psychologist, A1)
    assert [r.reason for r in result.reasons] == [IneligibilityReason.NOT_SOCIAL_WORKER]
    assert eligibility(psychologist, A3).eligible
    unregistered = replace(QUALIFIED_AS, albo_registered=False)
    assert [r.reason for r in eligibility(unregistered, A2).reasons] == [IneligibilityReason.NOT_IN_ALBO]


def test_it_requires_supervisor_training_and_experience_with_every_reason() -> None:
    novice = SupervisorProfile(Profession.ASSISTENTE_SOCIALE, True, False, 3, 0)
    result = eligibility(novice, A1)
    assert [r.reason for r in result.reasons] == [
        IneligibilityReason.NO_SUPERVISION_TRAINING,
        IneligibilityReason.TOO_LITTLE_EXPERIENCE,
        IneligibilityReason.TOO_LITTLE_SUPERVISING,
    ]
    text = describe_eligibility(result)
    assert text.startswith("Non idoneo per A1")
    assert "manca una formazione specifica come supervisore" in text
    assert "servono almeno 5 anni di esperienza professionale (ne risultano 3)" in text
    # A3 does not ask for experience in supervising social workers.
    assert [r.reason for r in eligibility(novice, A3).reasons] == [
        IneligibilityReason.NO_SUPERVISION_TRAINING,
        IneligibilityReason.TOO_LITTLE_EXPERIENCE,
    ]


def test_it_applies_the_experience_thresholds_at_their_boundary() -> None:
    at = replace(QUALIFIED_AS, years_social_work=5, years_supervising_as=2)
    assert eligibility(at, A1).eligible
    assert not eligibility(replace(at, years_supervising_as=1), A1).eligible
    assert eligibility(
        replace(at, years_supervising_as=0), A1, rules=replace(DEFAULT_RULES, min_years_supervising_as=0)
    ).eligible


def test_it_wants_the_same_profession_for_extra_leps_groups() -> None:
    educator = replace(QUALIFIED_AS, profession=Profession.EDUCATORE, albo_registered=False)
    assert eligibility(educator, EXTRA, group_profession=Profession.EDUCATORE).eligible
    reasons = eligibility(QUALIFIED_AS, EXTRA, group_profession=Profession.EDUCATORE).reasons
    assert [r.reason for r in reasons] == [IneligibilityReason.DIFFERENT_PROFESSION]
    assert describe_eligibility(eligibility(QUALIFIED_AS, A1)) == (
        "Idoneo per A1 - supervisione di gruppo monoprofessionale."
    )


# --- Shortfalls of a plan --------------------------------------------------------------------------------------


def _a1(
    name: str, members: int = 14, hours: str = "16", pool: str = "15", eligible: bool | None = True
) -> GroupPlan[str]:
    return GroupPlan(name, name, A1, members, D(hours), eligible, D(pool))


def test_it_finds_nothing_wrong_with_a_plan_at_the_minimum() -> None:
    plan = PlanInput(
        groups=(
            *(_a1(f"G{i}") for i in range(1, 5)),
            GroupPlan("E1", "Équipe SSP", A3, 9, D(6), True),
        ),
        social_workers_in_scope=56,
        social_workers_in_groups=56,
    )
    assert shortfalls(plan) == []


def test_it_says_which_group_lacks_what() -> None:
    plan = PlanInput(
        groups=(
            _a1("G1"),
            _a1("G2", members=16, hours="10", pool="12", eligible=None),
            GroupPlan("E1", "Équipe PUA", A3, 5, D(4), False),
            GroupPlan("X1", "Educatori", EXTRA, 8, D(0), True),
        ),
        social_workers_in_scope=32,
        social_workers_in_groups=30,
    )
    found = shortfalls(plan)
    assert [(s.kind, s.group_name) for s in found] == [
        (ShortfallKind.AS_NOT_IN_GROUP, ""),
        (ShortfallKind.GROUP_TOO_LARGE, "G2"),
        (ShortfallKind.HOURS_BELOW_MINIMUM, "G2"),
        (ShortfallKind.A2_POOL_BELOW_MINIMUM, "G2"),
        (ShortfallKind.NO_SUPERVISOR, "G2"),
        (ShortfallKind.HOURS_BELOW_MINIMUM, "Équipe PUA"),
        (ShortfallKind.SUPERVISOR_NOT_ELIGIBLE, "Équipe PUA"),
    ]
    words = [describe(s) for s in found]
    assert words[0] == "2 assistenti sociali su 32 non sono in alcun gruppo A1."
    assert words[1] == "G2: 16 partecipanti, oltre il massimo di 15 per un gruppo A1."
    assert words[2] == "G2: 10 ore pianificate, il minimo LEPS è 16 (mancano 6 ore)."
    assert words[3] == "G2: 12 ore di supervisione individuale (A2) per i partecipanti, il minimo è 15 (mancano 3 ore)."
    assert words[4] == "G2: nessun supervisore assegnato."
    assert words[5] == "Équipe PUA: 4 ore pianificate, il minimo LEPS è 6 (mancano 2 ore)."


def test_it_accepts_a_group_of_exactly_15_and_refuses_16() -> None:
    ok = PlanInput(groups=(_a1("G1", members=15),), social_workers_in_scope=15, social_workers_in_groups=15)
    assert shortfalls(ok) == []
    too_big = PlanInput(groups=(_a1("G1", members=16),), social_workers_in_scope=16, social_workers_in_groups=16)
    assert [s.kind for s in shortfalls(too_big)] == [ShortfallKind.GROUP_TOO_LARGE]


def test_it_never_counts_extra_leps_hours_toward_the_minimum() -> None:
    plan = PlanInput(
        groups=(GroupPlan("X", "Educatori", EXTRA, 10, D(40), True),),
        social_workers_in_scope=12,
        social_workers_in_groups=0,
    )
    assert [s.kind for s in shortfalls(plan)] == [ShortfallKind.NO_A1_GROUP, ShortfallKind.AS_NOT_IN_GROUP]
    assert (
        describe(shortfalls(plan)[0])
        == "Nessun gruppo A1: 12 assistenti sociali in organico senza supervisione di gruppo."
    )


def test_it_checks_the_prorated_minimum_of_a_partial_year() -> None:
    plan = PlanInput(
        groups=(_a1("G1", hours="8", pool="7.5"),),
        months_covered=6,
        social_workers_in_scope=14,
        social_workers_in_groups=14,
    )
    assert shortfalls(plan, BY_MONTHS) == []
    assert [s.kind for s in shortfalls(plan)] == [
        ShortfallKind.HOURS_BELOW_MINIMUM,
        ShortfallKind.A2_POOL_BELOW_MINIMUM,
    ]
    assert describe(shortfalls(plan)[1]).endswith("il minimo è 15 (mancano 7,5 ore).")


def test_it_flags_an_empty_group() -> None:
    plan = PlanInput(groups=(_a1("G1", members=0),))
    assert ShortfallKind.GROUP_EMPTY in [s.kind for s in shortfalls(plan)]


def test_it_names_each_census_equipe_without_a3_hours() -> None:
    plan: PlanInput[str] = PlanInput(groups=(), equipes_without_group=("Équipe di Maglie",))
    [found] = shortfalls(plan)
    assert (found.kind, found.group_name, found.required) == (ShortfallKind.EQUIPE_WITHOUT_A3, "Équipe di Maglie", D(6))
    assert describe(found) == (
        "Équipe di Maglie: l'équipe del censimento non ha supervisione organizzativa A3 nel piano (servono almeno "
        "6 ore)."
    )


def test_a_plan_whose_censuses_have_no_social_worker_or_no_equipe_never_meets_the_leps() -> None:
    # Groups that would otherwise meet every minimum: 1 A1 group of 15 with 16 h and a 15 h pool, an équipe 6 h.
    groups = (
        _a1("G1", members=15),
        GroupPlan("E", "Équipe", SupervisionType.A3, members=4, planned_hours=D(6), supervisor_eligible=True),
    )
    counted: PlanInput[str] = PlanInput(
        groups=groups, social_workers_in_scope=15, social_workers_in_groups=15, staff_counted=True, equipes_in_scope=1
    )
    assert shortfalls(counted) == []
    no_equipe = shortfalls(replace(counted, equipes_in_scope=0))
    assert [item.kind for item in no_equipe] == [ShortfallKind.NO_EQUIPE]
    assert describe(no_equipe[0]).startswith("Nessuna équipe multiprofessionale nei censimenti del piano")
    nobody = shortfalls(replace(counted, social_workers_in_scope=0, social_workers_in_groups=0))
    assert [item.kind for item in nobody] == [ShortfallKind.NO_SOCIAL_WORKER]
    assert "il piano non può essere conforme" in describe(nobody[0])
    # Without the census's counts (a check of groups alone) nothing is assumed.
    assert (
        shortfalls(replace(counted, staff_counted=False, social_workers_in_scope=0, social_workers_in_groups=0)) == []
    )


# --- Redistribution of unused A2 hours -----------------------------------------------------------------------


def test_it_moves_only_unused_a2_hours_to_a1_or_a3() -> None:
    assert check_redistribution(D(15), D(6), D(0), D(5), A1) == 4
    assert check_redistribution(D(15), D(6), D(5), D(4), A3) == 0
    with pytest.raises(RedistributionError, match="al massimo 4 ore"):
        check_redistribution(D(15), D(6), D(5), D(5), A1)
    with pytest.raises(RedistributionError, match="solo su un gruppo A1 o un'équipe A3"):
        check_redistribution(D(15), D(0), D(0), D(5), EXTRA)
    with pytest.raises(RedistributionError, match="maggiore di zero"):
        check_redistribution(D(15), D(0), D(0), D(0), A1)


def test_it_reports_a_fully_used_pool_as_nothing_to_move() -> None:
    with pytest.raises(RedistributionError, match="al massimo 0 ore"):
        check_redistribution(D(15), D(16), D(0), D(1), A1)


# --- Costs, co-financing and attendance (CNOAS 80 %) -----------------------------------------------------------


def test_it_costs_hours_at_the_contract_rate_to_the_cent() -> None:
    assert hours_cost(D(64), D(65)) == D("4160.00")
    assert hours_cost(D("7.5"), D("58.33")) == D("437.48")


def test_it_spends_a_cofinancing_first_on_new_groups_then_on_more_a1_hours() -> None:
    # 29,297.33 EUR (Casarano's FNPS quota for 2023 and 2024 together, spent at once) at 65 EUR/h (A1) and 60
    # EUR/h (A2); 20 AS without a group.
    result = cofinancing(D("29297.33"), D(65), D(60), waiting=20)
    assert result.group_cost == D("1940.00")  # 16 h x 65 + 15 h x 60
    assert (result.capacity_groups, result.new_groups, result.social_workers_covered) == (15, 2, 20)
    assert result.new_group_hours == 62
    assert result.extra_a1_hours == 391  # (29,297.33 - 3,880) / 65 = 391.04, down to the half hour
    assert result.remainder == D("2.33")
    assert result.total_hours == 453
    assert describe_cofinancing(result) == (
        "Con 29.297,33 € a 65,00 €/h per A1 e 60,00 €/h per A2, un gruppo A1 al minimo con il suo monte ore A2 "
        "costa 1.940,00 €: l'importo ne paga 15. Servono 2 nuovi gruppi per 20 assistenti sociali oggi senza gruppo "
        "(62 ore A1 e A2). Restano 391 ore A1 in più per i gruppi."
    )


def test_it_covers_only_the_social_workers_the_amount_pays_for() -> None:
    result = cofinancing(D(3000), D(65), D(60), waiting=40)
    assert (result.capacity_groups, result.new_groups, result.social_workers_covered) == (1, 1, 15)
    assert result.extra_a1_hours == D("16.0")  # 1,060 EUR left / 65 = 16.3
    assert "Serve 1 nuovo gruppo per 15 assistenti sociali" in describe_cofinancing(result)
    too_little = cofinancing(D(1000), D(65), D(60), waiting=3)
    assert (too_little.new_groups, too_little.social_workers_covered, too_little.extra_a1_hours) == (0, 0, D("15"))
    assert "Non basta per un nuovo gruppo per i 3 assistenti sociali" in describe_cofinancing(too_little)


def test_it_prices_a_cofinanced_group_at_the_prorated_minimum() -> None:
    result = cofinancing(D(10000), D(65), D(60), waiting=0, months_covered=6, rules=BY_MONTHS)
    assert result.group_cost == D("8") * 65 + D("7.5") * 60
    assert result.new_groups == 0
    assert "Tutti gli assistenti sociali sono già in un gruppo." in describe_cofinancing(result)
    with pytest.raises(ValueError, match="positive"):
        cofinancing(D(100), D(0), D(60), waiting=0)


def test_it_grants_credits_from_80_percent_of_the_hours() -> None:
    assert attendance(768, 960).reaches_threshold  # 12.8 of 16 h = 80 %
    assert not attendance(767, 960).reaches_threshold
    assert attendance(767, 960).percentage == D("79.9")
    assert not attendance(0, 0).reaches_threshold
    assert attendance(600, 960, replace(DEFAULT_RULES, attendance_threshold=D("0.6"))).reaches_threshold
    # The same rule over many people at once: who has minutes planned and stays below 80 %.
    attended = {1: 768, 2: 767, 3: 0, 4: 50}
    planned = {1: 960, 2: 960, 3: 0, 4: 960}
    assert count_below_threshold(attended, planned, D("0.8")) == 2
    assert count_below_threshold(attended, planned, D("0.05")) == 0


# --- Compliance during the year (monitoring) ------------------------------------------------------------------

MET, ON_TRACK, AT_RISK, BEHIND = (
    ComplianceStatus.MET,
    ComplianceStatus.ON_TRACK,
    ComplianceStatus.AT_RISK,
    ComplianceStatus.BEHIND,
)
JAN_1, DEC_31 = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
OCT_1 = datetime.date(2026, 10, 1)  # day 274 of 365; 244 days a month earlier: 16 h x 244 / 365 = 10.7 -> 10.5 h


def _status(delivered: str, scheduled: str, awaiting: str = "0", as_of: datetime.date = OCT_1) -> ComplianceStatus:
    return compliance(D(16), D(delivered), D(scheduled), as_of, JAN_1, DEC_31, awaiting=D(awaiting)).status


def test_it_computes_the_share_of_the_minimum_due_a_month_ago_rounded_down_to_the_half_hour() -> None:
    assert compliance(D(16), D(0), D(16), OCT_1, JAN_1, DEC_31).expected == D("10.5")
    # Within the first month nothing is due yet; after the end (and a month) the whole minimum.
    assert compliance(D(16), D(0), D(16), datetime.date(2026, 1, 30), JAN_1, DEC_31).expected == 0
    assert compliance(D(16), D(0), D(0), datetime.date(2027, 3, 1), JAN_1, DEC_31).expected == 16
    # A plan from February: the share is of the plan's own period.
    assert compliance(D(16), D(0), D(16), OCT_1, datetime.date(2026, 2, 1), DEC_31).expected == D(10)


@pytest.mark.parametrize(
    ("delivered", "scheduled", "awaiting", "status"),
    [
        ("16", "0", "0", MET),  # exactly the minimum
        ("15.5", "0.5", "0", ON_TRACK),  # half an hour short, the calendar reaches it
        ("24", "0", "0", MET),
        ("10.5", "5.5", "0", ON_TRACK),  # exactly the share due, the calendar exactly the minimum
        ("10", "6", "0", AT_RISK),  # half an hour below the share due
        ("10", "5.5", "0", BEHIND),  # late, and the calendar half an hour short of the minimum
        ("12", "3.5", "0", AT_RISK),  # keeping up, but the calendar half an hour short
        ("0", "0", "0", BEHIND),
        ("8", "6", "2.5", ON_TRACK),  # registers to confirm count as held
        ("8", "5", "2.5", AT_RISK),  # held 10.5 = the share due; the calendar short
        ("7.5", "5", "2.5", BEHIND),
        ("15.5", "0", "0.5", ON_TRACK),  # held in full, the last register to confirm
    ],
)
def test_it_decides_the_status_at_each_boundary(delivered: str, scheduled: str, awaiting: str, status: str) -> None:
    assert _status(delivered, scheduled, awaiting) == status


def test_it_is_never_late_in_the_first_month_and_behind_once_the_period_is_over() -> None:
    january = datetime.date(2026, 1, 20)
    assert _status("0", "16", as_of=january) == ON_TRACK
    assert _status("0", "15.5", as_of=january) == AT_RISK  # nothing due yet: book the missing half hour
    # The example: 10 of 16 h, 4 h planned before 31/12, in mid-year: at risk.
    assert _status("10", "4", as_of=datetime.date(2026, 7, 1)) == AT_RISK
    # After the year: what was not delivered can no longer be.
    assert _status("12", "0", as_of=datetime.date(2027, 1, 15)) == BEHIND


def test_it_explains_each_status_in_italian() -> None:
    def text(delivered: str, scheduled: str, awaiting: str = "0", as_of: datetime.date = OCT_1) -> str:
        result = compliance(D(16), D(delivered), D(scheduled), as_of, JAN_1, DEC_31, awaiting=D(awaiting))
        return describe_compliance("Gruppo A1 n. 2", result)

    assert text("18", "2") == "Gruppo A1 n. 2: 18 di 16 h erogate, 2 h in calendario entro il 31/12: minimo raggiunto."
    assert text("16", "0") == "Gruppo A1 n. 2: 16 di 16 h erogate: minimo raggiunto."
    assert text("12", "4") == "Gruppo A1 n. 2: 12 di 16 h erogate, 4 h in calendario entro il 31/12: in linea."
    assert text("10", "6") == (
        "Gruppo A1 n. 2: 10 di 16 h erogate, 6 h in calendario entro il 31/12: a rischio (a questa data ne "
        "servirebbero almeno 10,5)."
    )
    assert text("10", "4") == (
        "Gruppo A1 n. 2: 10 di 16 h erogate, 4 h in calendario entro il 31/12: in ritardo (mancano 2 h al minimo "
        "anche con gli incontri in calendario)."
    )
    assert text("10", "4", as_of=datetime.date(2026, 7, 1)) == (
        "Gruppo A1 n. 2: 10 di 16 h erogate, 4 h in calendario entro il 31/12: a rischio (mancano 2 h al minimo: "
        "prenota altri incontri)."
    )
    assert text("0", "0") == (
        "Gruppo A1 n. 2: 0 di 16 h erogate, nessun incontro in calendario entro il 31/12: in ritardo (mancano 16 h "
        "al minimo anche con gli incontri in calendario)."
    )
    assert text("8", "6", "2.5") == (
        "Gruppo A1 n. 2: 8 di 16 h erogate, 2,5 h da confermare nei registri, 6 h in calendario entro il 31/12: "
        "in linea."
    )
    assert text("14", "0", "2", as_of=datetime.date(2027, 1, 10)) == (
        "Gruppo A1 n. 2: 14 di 16 h erogate, 2 h da confermare nei registri: in linea, il minimo è raggiunto "
        "quando i registri saranno confermati."
    )


def test_it_refuses_negative_hours_and_reversed_periods() -> None:
    with pytest.raises(ValueError, match="negative"):
        compliance(D(16), D(-1), D(0), OCT_1, JAN_1, DEC_31)
    with pytest.raises(ValueError, match="ends before"):
        compliance(D(16), D(0), D(0), OCT_1, DEC_31, JAN_1)


# --- FTE, ratio and c. 797 ----------------------------------------------------------------------------------------


def test_it_computes_fte_on_36_hours() -> None:
    assert fte(D(36)) == 1
    assert fte(D(18)) == D("0.5")
    assert fte(D(18), replace(DEFAULT_RULES, full_time_hours=D(38))) == D(18) / D(38)


def test_it_computes_the_law_example_of_70000_inhabitants() -> None:
    # The law's arithmetic: the floor is 70,000 / 6,500 = 10.769... FTE, not rounded.
    result = assess_ratio(70_000, D(18), D(16))
    assert (result.floor_fte, result.required_fte_for_leps, result.required_fte_for_target) == (
        D(70_000) / 6500,
        D(14),
        D("17.5"),
    )
    assert result.band1_fte == D(14) - D(70_000) / 6500
    assert result.band2_fte == 2
    assert result.contribution == D("169230.77")
    assert result.leps_met
    assert result.target_met
    assert result.inhabitants_per_as == 3889
    assert result.explanation[-2] == "Contributo stimato: 169.230,77 € all'anno."
    # The Ministry's sheet rounds the floor to 10.77: 3.23 FTE x 40,000 + 2 x 20,000 = 169,200 EUR, shown beside.
    assert result.other_contribution == D("169200.00")
    assert result.explanation[-1] == (
        "Calcolo usato: FTE esatti, senza arrotondamento (l'aritmetica della legge). Con FTE arrotondati a 2 "
        "decimali prima del confronto con le soglie: 169.200,00 €."
    )


def test_it_rounds_fte_to_two_decimals_when_the_parameters_say_so() -> None:
    result = assess_ratio(70_000, D(18), D(16), replace(DEFAULT_RULES, fte_decimals=2))
    assert result.floor_fte == D("10.77")
    assert result.band1_fte == D("3.23")
    assert result.contribution == D("169200.00")
    assert result.other_contribution == D("169230.77")
    assert result.rule == "FTE arrotondati a 2 decimali prima del confronto con le soglie"
    assert result.other_rule == "FTE esatti, senza arrotondamento (l'aritmetica della legge)"


def test_it_computes_casarano_exactly_and_as_the_ministry_sheet_does() -> None:
    # Casarano: 70,274 inhabitants, 486 weekly hours of permanent social workers (13.5 FTE), 606 in all.
    result = assess_ratio(70_274, fte(D(606)), fte(D(486)))
    assert result.contribution == D("107544.62")  # (13.5 - 70,274 / 6,500) x 40,000
    assert result.other_contribution == D("107600.00")  # (13.50 - 10.81) x 40,000
    assert result.leps_met  # all social workers: 606 / 36 = 16.83 FTE >= 70,274 / 5,000 = 14.05


def test_it_pays_nothing_below_one_in_6500() -> None:
    result = assess_ratio(65_000, D("9.99"), D("9.99"))  # floor = 10 FTE
    assert result.contribution == 0
    assert not result.leps_met
    assert result.missing_fte_for_leps == D("3.01")
    assert "nessuno" in result.explanation[-1]
    exactly = assess_ratio(65_000, D(10), D(10))
    assert exactly.contribution == 0  # at the floor: no FTE above it
    assert assess_ratio(65_000, D(11), D(11)).contribution == D("40000.00")


def test_it_pays_40000_per_fte_up_to_one_in_5000() -> None:
    # 65,000 inhabitants: floor 10, LEPS 13, target 16.25.
    assert assess_ratio(65_000, D(13), D(13)).contribution == D("120000.00")
    result = assess_ratio(65_000, D(13), D(13))
    assert result.leps_met
    assert not result.target_met


def test_it_pays_20000_per_fte_above_one_in_5000_up_to_one_in_4000_and_nothing_beyond() -> None:
    assert assess_ratio(65_000, D(14), D(14)).contribution == D("140000.00")
    at_target = assess_ratio(65_000, D("16.25"), D("16.25"))
    assert at_target.contribution == D("185000.00")  # 3 x 40,000 + 3.25 x 20,000
    assert at_target.target_met
    assert assess_ratio(65_000, D(30), D(30)).contribution == D("185000.00")


def test_it_counts_only_permanent_staff_for_the_contribution() -> None:
    result = assess_ratio(65_000, D(16), D(9))
    assert result.leps_met
    assert result.contribution == 0


def test_it_handles_an_ambito_without_social_workers_or_population() -> None:
    empty = assess_ratio(40_000, D(0), D(0))
    assert empty.inhabitants_per_as is None
    assert empty.explanation[1] == "Rapporto: nessun assistente sociale in servizio."
    assert assess_ratio(0, D(3), D(3)).contribution == 0


def test_it_rounds_fte_as_the_ministry_sheet_does() -> None:
    # 10.766... FTE rounds to 10.77 before comparison with the floor of 70,000 / 6,500 = 10.77.
    sheet = replace(DEFAULT_RULES, fte_decimals=2)
    assert assess_ratio(70_000, D("10.766"), D("10.766"), sheet).contribution == 0
    assert assess_ratio(70_000, D("10.78"), D("10.78"), sheet).contribution == D("400.00")
    # Exactly, 10.78 is 0.0108 FTE above 10.769...: 430.77 EUR.
    assert assess_ratio(70_000, D("10.78"), D("10.78")).contribution == D("430.77")
    assert assess_ratio(70_000, D("10.766"), D("10.766")).contribution == 0


def test_it_weighs_each_position_by_its_days_in_service_over_the_year() -> None:
    whole_year = ServicePeriod(D(18))
    first_half = ServicePeriod(D(36), end=datetime.date(2025, 6, 30))  # 181 days of 365
    from_march = ServicePeriod(D(36), start=datetime.date(2024, 3, 1))  # 2024 is leap: 306 of 366
    assert year_fte([whole_year], 2025) == D("0.5")
    assert year_fte([first_half], 2025) == D(181) / 365
    assert year_fte([from_march], 2024) == D(306) / 366
    assert year_fte([whole_year, first_half], 2025) == D("0.5") + D(181) / 365
    # Outside the year: nothing.
    assert year_fte([ServicePeriod(D(36), end=datetime.date(2024, 12, 31))], 2025) == 0
    assert year_fte([ServicePeriod(D(36), start=datetime.date(2026, 1, 1))], 2025) == 0
    assert days_in_service(ServicePeriod(D(36), datetime.date(2025, 12, 31)), 2025) == 1


def test_it_refuses_negative_figures() -> None:
    with pytest.raises(ValueError, match="negative"):
        assess_ratio(-1, D(1), D(1))
    with pytest.raises(ValueError, match="negative"):
        fte(D(-1))
