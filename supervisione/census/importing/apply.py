"""Stage 4, writing: the plan written in bulk inside one transaction, with its audit entries.

``apply_plan`` writes in the order the rows need: employers and équipes (positions point at them), people,
new positions, changed positions, their municipalities, then the audit log.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F

from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction, AuditEntry
from supervisione.census import vocabulary
from supervisione.census.importing.plan import Plan
from supervisione.census.importing.rows import PERSON_FIELD_LABELS, POSITION_LABELS
from supervisione.census.models import Contract, Equipe, Person, Position, PostFunding, Profession
from supervisione.lib.italian import count_text, counted, hours_text, plural
from supervisione.territory.models import Organisation, Region

if TYPE_CHECKING:
    from supervisione.accounts.models import User


@dataclass(frozen=True)
class ApplyResult:
    created: int
    updated: int
    unchanged: int
    organisations_created: int
    people_created: int

    @property
    def positions_text(self) -> str:
        """ "1 posizione creata, 2 aggiornate, 0 invariate", for the message and the audit entry."""
        return (
            f"{counted(self.created, 'posizione creata', 'posizioni create')}, "
            f"{counted(self.updated, 'aggiornata', 'aggiornate')}, {counted(self.unchanged, 'invariata', 'invariate')}"
        )


Progress = Callable[[str], None]
BATCH_SIZE = 500


def no_progress(_message: str) -> None:
    return None


def apply_plan(plan: Plan, *, by: User | None, filename: str, progress: Progress = no_progress) -> ApplyResult:
    """Write the plan in one transaction: bulk inserts and updates, and their audit entries.

    ``progress`` hears how far the writing is (people, then positions in batches): a large file takes a while,
    and whoever waits sees it move. Until the transaction commits at the end nothing of it is visible, so an
    import stopped at any point (even killed) leaves the census as it was."""
    with transaction.atomic():
        organisation_ids, organisations_created = _write_organisations(plan)
        equipe_ids = _write_equipes(plan)
        _write_people(plan, progress)
        _write_new_positions(plan, organisation_ids, equipe_ids, progress)
        _write_changed_positions(plan, equipe_ids, progress)
        _write_municipalities(plan)
        progress("Comuni di servizio scritti; ora il registro delle modifiche.")
        _audit_rows(plan, by=by, filename=filename)
        result = ApplyResult(
            created=plan.count("created"),
            updated=plan.count("updated"),
            unchanged=plan.count("unchanged"),
            organisations_created=organisations_created,
            people_created=len(plan.new_people),
        )
        if result.created or result.updated:
            _record_import(plan, result, by=by, filename=filename)
    return result


def _write_organisations(plan: Plan) -> tuple[dict[str, int], int]:
    """Every employer's pk by compacted name, the new ones created; and how many were."""
    organisation_ids = {
        vocabulary.compact(name): pk for pk, name in Organisation.objects.values_list("pk", "name").order_by("-pk")
    }
    created_organisations = Organisation.objects.bulk_create(
        [Organisation(name=name, kind=kind) for name, kind in plan.new_organisations.values()]
    )
    for organisation in created_organisations:
        organisation_ids[vocabulary.compact(organisation.name)] = organisation.pk
    return organisation_ids, len(created_organisations)


def _write_equipes(plan: Plan) -> dict[str, int]:
    """Every équipe's pk of the census's ATS by compacted name, the new ones created."""
    ambito_id = plan.census.ambito_id
    equipe_ids = {vocabulary.compact(e.name): e.pk for e in Equipe.objects.filter(ambito_id=ambito_id)}
    for equipe in Equipe.objects.bulk_create(
        [Equipe(ambito_id=ambito_id, name=name) for name in plan.new_equipes.values()]
    ):
        equipe_ids[vocabulary.compact(equipe.name)] = equipe.pk
    return equipe_ids


def _write_people(plan: Plan, progress: Progress) -> None:
    Person.objects.bulk_create(list(plan.new_people.values()), batch_size=BATCH_SIZE)
    changed_people = list(plan.changed_people.values())
    person_fields = sorted({name for _person, names in changed_people for name in names})
    if changed_people:
        Person.objects.bulk_update([person for person, _names in changed_people], person_fields, batch_size=BATCH_SIZE)
    progress(
        f"Persone scritte: {counted(len(plan.new_people), 'nuova', 'nuove')}, "
        f"{counted(len(changed_people), 'aggiornata', 'aggiornate')}."
    )


def _write_new_positions(
    plan: Plan, organisation_ids: dict[str, int], equipe_ids: dict[str, int], progress: Progress
) -> None:
    """The new positions, pointed at their person, employer and équipe now that these have a pk."""
    new_positions: list[Position] = []
    for row, position, person in plan.new_positions:
        position.person_id = person.pk
        if row.employer_key in plan.new_organisations:
            position.employer_id = organisation_ids[row.employer_key]
        position.equipe_id = equipe_ids[row.equipe_key] if row.equipe_key else None
        new_positions.append(position)
    for start in range(0, len(new_positions), BATCH_SIZE):
        Position.objects.bulk_create(new_positions[start : start + BATCH_SIZE])
        written = min(start + BATCH_SIZE, len(new_positions))
        progress(f"Posizioni nuove scritte: {count_text(written)} di {count_text(len(new_positions))}.")


def _write_changed_positions(plan: Plan, equipe_ids: dict[str, int], progress: Progress) -> None:
    changed_positions = plan.changed_positions
    for row, position, _changed, _municipalities in changed_positions:
        if row.equipe_key:
            position.equipe_id = equipe_ids[row.equipe_key]
    position_fields = sorted({name for _r, _p, names, _m in changed_positions for name in names})
    if position_fields:
        Position.objects.bulk_update(
            [position for _r, position, names, _m in changed_positions if names],
            position_fields,
            batch_size=BATCH_SIZE,
        )
        progress(f"Posizioni aggiornate: {count_text(len(changed_positions))}.")
    # An edit page of these positions opened before the import is now outdated: its save is refused
    # (audit.actions.save_audited) rather than putting back what the file changed.
    touched = [position.pk for _r, position, _names, _m in changed_positions]
    for start in range(0, len(touched), 2000):
        Position.objects.filter(pk__in=touched[start : start + 2000]).update(lock_version=F("lock_version") + 1)


def _write_municipalities(plan: Plan) -> None:
    """The municipalities of the new positions, and anew those of the changed positions whose list changed."""
    through = Position.municipalities.through
    changed_positions = plan.changed_positions
    reset = [position.pk for _r, position, _names, municipalities in changed_positions if municipalities]
    for start in range(0, len(reset), 2000):
        through.objects.filter(position_id__in=reset[start : start + 2000]).delete()
    # Made a batch at a time: a region's file has a hundred thousand links, 40 MB as objects at once.
    links = itertools.chain(
        (
            through(position_id=position.pk, municipality_id=municipality_id)
            for row, position, _person in plan.new_positions
            for municipality_id in row.municipality_ids
        ),
        (
            through(position_id=position.pk, municipality_id=municipality_id)
            for row, position, _names, municipalities in changed_positions
            if municipalities
            for municipality_id in row.municipality_ids
        ),
    )
    while batch := list(itertools.islice(links, 1000)):
        through.objects.bulk_create(batch)


def _record_import(plan: Plan, result: ApplyResult, *, by: User | None, filename: str) -> None:
    """The import's own audit entry, on the census: what it created and changed, in numbers."""
    census = plan.census
    record(
        census,
        by=by,
        action=AuditAction.ACTION,
        message=(
            f"Importato il file «{filename}»: {result.positions_text}; "
            f"{counted(result.people_created, 'persona', 'persone')} e "
            f"{counted(result.organisations_created, 'ente', 'enti')} "
            f"{plural(result.people_created + result.organisations_created, 'nuovo', 'nuovi')}"
        ),
        code="census.census.imported",
        ambito_id=census.ambito_id,
        partnership_id=census.campaign.partnership_id,
    )


def _audit_rows(plan: Plan, *, by: User | None, filename: str) -> None:
    """One audit entry per person and position the import changed, with old and new values, written in bulk.

    What the import created is recorded once, on the census ("Importato il file ...: N posizioni create"):
    an entry per created row would double the time of a large first import and say nothing more.
    """
    if not plan.changed_people and not plan.changed_positions:
        return
    user = by if getattr(by, "is_authenticated", False) else None
    username = user.get_username() if user is not None else "sistema"
    person_type = ContentType.objects.get_for_model(Person)
    position_type = ContentType.objects.get_for_model(Position)
    regions = dict(Region.objects.values_list("pk", "name"))
    equipes = dict(Equipe.objects.filter(ambito_id=plan.census.ambito_id).values_list("pk", "name"))
    source = f"Importazione del file «{filename}»"[:250]

    def text(name: str, value: Any) -> str:
        if isinstance(value, bool):
            return "sì" if value else "no"
        if value is None or value == "":
            return ""
        if name == "albo_region_id":
            return str(regions.get(value, value))
        if name == "equipe_id":
            return str(equipes.get(value, value))
        if isinstance(value, Decimal):
            return hours_text(value)
        if isinstance(value, datetime.date):
            return f"{value:%d/%m/%Y}"
        choices = {**dict(Profession.choices), **dict(Contract.choices), **dict(PostFunding.choices)}
        return str(choices.get(value, value))

    def entry(instance: Person | Position, content_type: ContentType, changes: dict[str, Any]) -> AuditEntry:
        return AuditEntry(
            user=user,
            username=username,
            action=AuditAction.UPDATE,
            content_type=content_type,
            object_id=str(instance.pk),
            object_repr=str(instance)[:250] if isinstance(instance, Person) else f"Posizione {instance.pk}",
            changes=changes,
            message=source,
            code=f"census.{content_type.model}.imported",
            ambito_id=plan.census.ambito_id,
            partnership_id=plan.census.campaign.partnership_id,
        )

    entries = []
    for code, (person, names) in plan.changed_people.items():
        old = plan.old_values.get(("person", code), {})
        entries.append(
            entry(
                person,
                person_type,
                {
                    name: {
                        "label": PERSON_FIELD_LABELS[name],
                        "old": text(name, old.get(name)),
                        "new": text(name, getattr(person, name)),
                    }
                    for name in names
                },
            )
        )
    for _row, position, names, municipalities in plan.changed_positions:
        old = plan.old_values.get(("position", position.pk), {})
        changes = {
            name: {
                "label": POSITION_LABELS[name],
                "old": text(name, old.get(name)),
                "new": text(name, getattr(position, name)),
            }
            for name in names
        }
        if municipalities:
            changes["municipalities"] = {"label": "comuni di servizio", "old": "", "new": "aggiornati dal file"}
        entries.append(entry(position, position_type, changes))
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
