"""Stage 3, planning: what the valid rows would create, update or leave alone, before anything is written.

The plan is what the preview shows and what ``apply.apply_plan`` writes; it is made from what is stored, read
once (``_Stored``), then each row in turn: its employer and équipe, its person, its position.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from supervisione.census import vocabulary
from supervisione.census.importing.rows import PERSON_FIELD_LABELS, POSITION_LABELS, ParsedRow
from supervisione.census.models import Census, Equipe, Person, Position
from supervisione.territory.models import Organisation, OrganisationKind

RowAction = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class RowOutcome:
    row: int
    action: RowAction
    person: str
    detail: str


def guess_organisation_kind(name: str) -> str:
    """The kind of a new employer from its name: it decides whether its AS count for c.797."""
    words = f" {vocabulary.normalise(name)} "
    if " comune " in words or words.startswith(" comune"):
        return OrganisationKind.COMUNE
    if any(word in words for word in (" asl ", " asp ", " asst ", " ulss ", " azienda sanitaria ", " ausl ")):
        return OrganisationKind.ASL
    if any(
        word in words
        for word in (" consorzio ", " unione ", " ambito ", " ats ", " azienda speciale ", " comunita montana ")
    ):
        return OrganisationKind.ATS
    if any(word in words for word in (" cooperativa ", " coop ", " onlus ", " impresa sociale ", " ets ", " scs ")):
        return OrganisationKind.COOPERATIVE
    return OrganisationKind.OTHER


@dataclass
class Plan:
    census: Census
    rows: list[ParsedRow]
    outcomes: list[RowOutcome] = field(default_factory=list)
    new_organisations: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (name, kind)
    new_equipes: dict[str, str] = field(default_factory=dict)  # key -> name
    new_people: dict[str, Person] = field(default_factory=dict)  # tax code -> unsaved person
    changed_people: dict[str, tuple[Person, list[str]]] = field(default_factory=dict)
    new_positions: list[tuple[ParsedRow, Position, Person]] = field(default_factory=list)
    changed_positions: list[tuple[ParsedRow, Position, list[str], bool]] = field(default_factory=list)
    not_in_file: int = 0
    # Values before the change, for the audit log: ("person", tax code) or ("position", pk) -> {field: value}.
    old_values: dict[tuple[str, Any], dict[str, Any]] = field(default_factory=dict)

    def count(self, action: RowAction) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)


def _chunks(items: Sequence[str], size: int = 2000) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Stored:
    """What is stored that the rows may match: read once per plan, about six queries whatever their number."""

    people: dict[str, Person]  # tax code -> person
    organisations: dict[str, int]  # compacted name -> pk
    equipes: dict[str, int]  # compacted name -> pk, of the census's ATS
    positions: dict[tuple[int, int, str], Position]  # (person, employer, service) -> the census's position
    municipalities: dict[int, set[int]]  # position pk -> its municipalities

    @classmethod
    def load(cls, census: Census, rows: Sequence[ParsedRow]) -> _Stored:
        codes = sorted({row.tax_code for row in rows})
        people: dict[str, Person] = {}
        for chunk in _chunks(codes):
            people.update({person.tax_code: person for person in Person.objects.filter(tax_code__in=chunk)})
        organisations = {
            vocabulary.compact(name): pk for pk, name in Organisation.objects.values_list("pk", "name").order_by("-pk")
        }
        equipes = {vocabulary.compact(e.name): e.pk for e in Equipe.objects.filter(ambito_id=census.ambito_id)}
        positions: dict[tuple[int, int, str], Position] = {}
        municipalities: dict[int, set[int]] = defaultdict(set)
        for position in Position.objects.filter(census=census):
            positions[(position.person_id, position.employer_id, position.service)] = position
        through = Position.municipalities.through
        for position_id, municipality_id in through.objects.filter(position__census=census).values_list(
            "position_id", "municipality_id"
        ):
            municipalities[position_id].add(municipality_id)
        return cls(people, organisations, equipes, positions, municipalities)


def plan_import(census: Census, rows: Sequence[ParsedRow]) -> Plan:
    """Compare the valid rows with what is stored: about six queries whatever the number of rows."""
    plan = Plan(census=census, rows=list(rows))
    stored = _Stored.load(census, rows)
    matched: set[int] = set()
    for row in rows:
        employer_id = _plan_employer(plan, stored, row)
        equipe_id = _plan_equipe(plan, stored, row)
        person, person_changed = _plan_person(plan, stored, row)
        matched_pk = _plan_position(
            plan, stored, row, person, employer_id=employer_id, equipe_id=equipe_id, person_changed=person_changed
        )
        if matched_pk is not None:
            matched.add(matched_pk)
    plan.not_in_file = len({p.pk for p in stored.positions.values()} - matched)
    return plan


def _plan_employer(plan: Plan, stored: _Stored, row: ParsedRow) -> int | None:
    """The stored employer's pk, or None for one the file adds (planned once per name)."""
    employer_id = stored.organisations.get(row.employer_key)
    if employer_id is None and row.employer_key not in plan.new_organisations:
        plan.new_organisations[row.employer_key] = (row.employer_name, guess_organisation_kind(row.employer_name))
    return employer_id


def _plan_equipe(plan: Plan, stored: _Stored, row: ParsedRow) -> int | None:
    """The stored équipe's pk, or None for none or for one the file adds (planned once per name)."""
    equipe_id = stored.equipes.get(row.equipe_key) if row.equipe_key else None
    if row.equipe_key and equipe_id is None:
        plan.new_equipes.setdefault(row.equipe_key, row.equipe_name)
    return equipe_id


def _plan_person(plan: Plan, stored: _Stored, row: ParsedRow) -> tuple[Person, list[str]]:
    """The row's person, stored or new, and the fields this row changes (the first row of a person only)."""
    person = stored.people.get(row.tax_code) or plan.new_people.get(row.tax_code)
    person_changed: list[str] = []
    if person is None:
        person = Person(tax_code=row.tax_code, **row.person_values())
        plan.new_people[row.tax_code] = person
    elif person.pk is not None and row.tax_code not in plan.changed_people:
        for key, value in row.person_values().items():
            # An empty e-mail or Albo cell does not erase what another ATS (or a form) recorded.
            if value in ("", None) and key in {"email", "albo_region_id", "albo_section", "albo_number"}:
                continue
            if getattr(person, key) != value:
                plan.old_values.setdefault(("person", row.tax_code), {})[key] = getattr(person, key)
                setattr(person, key, value)
                person_changed.append(key)
        if person_changed:
            plan.changed_people[row.tax_code] = (person, person_changed)
    return person, person_changed


def _plan_position(
    plan: Plan,
    stored: _Stored,
    row: ParsedRow,
    person: Person,
    *,
    employer_id: int | None,
    equipe_id: int | None,
    person_changed: list[str],
) -> int | None:
    """The row's position: a new one, or the stored one of the same person, employer and service (its pk)."""
    values = {
        "contract": row.contract,
        "weekly_hours": row.hours,
        "funding": row.funding,
        "start_date": row.start,
        "end_date": row.end,
        "equipe_id": equipe_id,
        "service_detail": row.service_detail,
    }
    if row.on_behalf_of_ambito is not None:
        values["on_behalf_of_ambito"] = row.on_behalf_of_ambito
    existing = (
        stored.positions.get((person.pk, employer_id, row.service)) if person.pk and employer_id is not None else None
    )
    if existing is None:
        position = Position(census=plan.census, service=row.service, **values)
        if employer_id is not None:
            position.employer_id = employer_id
        plan.new_positions.append((row, position, person))
        plan.outcomes.append(RowOutcome(row.row, "created", f"{row.surname} {row.name}", ""))
        return None
    _plan_changes(plan, stored, row, existing, values, person_changed=person_changed)
    return existing.pk


def _plan_changes(
    plan: Plan,
    stored: _Stored,
    row: ParsedRow,
    existing: Position,
    values: dict[str, Any],
    *,
    person_changed: list[str],
) -> None:
    """What the row changes of a stored position (set on it, old values kept) and the row's outcome."""
    changed = [key for key, value in values.items() if getattr(existing, key) != value]
    if changed:
        plan.old_values[("position", existing.pk)] = {key: getattr(existing, key) for key in changed}
    for key in changed:
        setattr(existing, key, values[key])
    if row.equipe_key and values["equipe_id"] is None:
        changed.append("equipe_id")  # an équipe the file adds: its pk is known when it is written
    municipalities_changed = stored.municipalities.get(existing.pk, set()) != set(row.municipality_ids)
    labels = [POSITION_LABELS[key] for key in changed]
    if municipalities_changed:
        labels.append("comuni di servizio")
    labels += [PERSON_FIELD_LABELS[key] for key in person_changed]
    if changed or municipalities_changed:
        plan.changed_positions.append((row, existing, changed, municipalities_changed))
    action: RowAction = "updated" if labels else "unchanged"
    plan.outcomes.append(RowOutcome(row.row, action, f"{row.surname} {row.name}", ", ".join(labels)))
