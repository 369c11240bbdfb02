"""What the annual plan uses: eligible supervisors, assignment checks, availability (contracts in force:
procurement/tests/test_contracts.py)."""

from __future__ import annotations

import datetime

from supervisione.leps.choices import ProfessionChoices, SupervisionTypeChoices
from supervisione.leps.kinds import Profession, SupervisionType
from supervisione.supervisors.availability import availability_problem
from supervisione.supervisors.eligibility import assignment_problems, eligible_supervisors
from supervisione.supervisors.models import (
    Absence,
    Declaration,
    DocumentKind,
    Supervisor,
    Training,
    WeeklyAvailability,
)
from supervisione.supervisors.queries import supervisors_for_ambito, supervisors_for_partnership
from supervisione.supervisors.tests.conftest import Records, store
from supervisione.testing.world import World

ON = datetime.date(2025, 6, 1)


def test_it_shares_the_professions_and_types_of_the_rules_module() -> None:
    assert set(ProfessionChoices.values) == {p.value for p in Profession}
    assert set(SupervisionTypeChoices.values) == {t.value for t in SupervisionType}


def test_it_offers_only_eligible_active_supervisors_for_a_type(records: Records, world: World) -> None:
    Training.objects.create(supervisor=records.other, title="Équipe", institution="X", year=2019)
    candidates = supervisors_for_partnership(world.partnership)
    assert [s.surname for s in eligible_supervisors(candidates, SupervisionType.A1, on=ON)] == ["Longo"]
    assert {s.surname for s in eligible_supervisors(candidates, SupervisionType.A3, on=ON)} == {"Longo", "Russo"}
    extra_psychologists = eligible_supervisors(
        candidates, SupervisionType.EXTRA, group_profession=Profession.PSICOLOGO, on=ON
    )
    assert [s.surname for s in extra_psychologists] == ["Russo"]
    records.own.active = False
    records.own.save(update_fields=["active"])
    assert eligible_supervisors(candidates, SupervisionType.A1, on=ON) == []


def test_it_finds_the_supervisors_a_plan_may_use(records: Records, world: World) -> None:
    outside = Supervisor.objects.create(
        partnership=world.treviso_partnership, surname="Fuori", name="X", profession="assistente_sociale"
    )
    of_partnership = set(supervisors_for_partnership(world.partnership))
    assert of_partnership == {records.own, records.other, records.maglie}
    assert set(supervisors_for_ambito(world.maglie)) == {records.own, records.other, records.maglie}
    assert outside not in set(supervisors_for_ambito(world.casarano))


def test_it_says_why_an_assignment_cannot_stand(records: Records, world: World) -> None:
    assert assignment_problems(records.own, SupervisionType.A1, None, on=ON) == [
        "Manca la dichiarazione di assenza di rapporti gerarchici e di conflitto di interessi del supervisore."
    ]
    declaration = Declaration.objects.create(
        supervisor=records.own,
        subject="Gruppo 1",
        no_hierarchy=True,
        no_conflict=True,
        signed_on=datetime.date(2025, 1, 10),
        valid_until=datetime.date(2025, 12, 31),
    )
    assert assignment_problems(records.own, SupervisionType.A1, declaration, on=ON) == [
        "La dichiarazione non ha il documento firmato."
    ]
    store({"supervisor": records.own, "declaration": declaration}, DocumentKind.DECLARATION, world.coordinator)
    assert assignment_problems(records.own, SupervisionType.A1, declaration, on=ON) == []
    assert assignment_problems(records.own, SupervisionType.A1, declaration, on=datetime.date(2026, 1, 1)) == [
        "La dichiarazione del 10/01/2025 non è valida al 01/01/2026."
    ]
    other = assignment_problems(records.other, SupervisionType.A1, declaration, on=ON)
    assert other[0].startswith("Non idoneo per A1 - supervisione di gruppo monoprofessionale: la supervisione di")
    assert other[1] == "La dichiarazione indicata è di un altro supervisore."


def test_it_checks_a_session_against_availability_and_absences(records: Records) -> None:
    slot = WeeklyAvailability(
        supervisor=records.own, weekday=1, start_time=datetime.time(9), end_time=datetime.time(13)
    )
    absence = Absence(
        supervisor=records.own,
        start_date=datetime.date(2025, 8, 1),
        end_date=datetime.date(2025, 8, 31),
        reason="ferie",
    )
    tuesday = datetime.datetime(2025, 6, 3, 10, 0)  # noqa: DTZ001  (local wall-clock times)
    assert availability_problem([], [], tuesday, tuesday + datetime.timedelta(hours=2)) is None
    assert availability_problem([slot], [absence], tuesday, tuesday + datetime.timedelta(hours=2)) is None
    late = availability_problem([slot], [], tuesday, tuesday + datetime.timedelta(hours=4))
    assert late == "Il 03/06/2025 il supervisore è disponibile solo 09:00-13:00."
    wednesday = tuesday + datetime.timedelta(days=1)
    assert availability_problem([slot], [], wednesday, wednesday + datetime.timedelta(hours=1)) == (
        "Il supervisore non ha disponibilità il 04/06/2025."
    )
    august = datetime.datetime(2025, 8, 5, 10, 0)  # noqa: DTZ001  (local wall-clock times)
    assert availability_problem([slot], [absence], august, august + datetime.timedelta(hours=1)) == (
        "Il supervisore non è disponibile dal 01/08/2025 al 31/08/2025 (ferie)."
    )
