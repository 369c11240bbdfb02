"""Anonymity by design (issue 19.3): no column of the app's tables can link an answer to a person.

The test reads every table of the app's models from the database itself (the columns as they are, not as the
models say) and checks: the answers' tables hold the wave and the answer only (no user, person, invitation,
token, address or time); no other table points at them; the invitations hold no time of answer and nothing
shared with the answers but the wave; keys are random UUIDs, so their order follows nothing; closing a wave
deletes who was asked and rewrites the answers under new keys.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, models

from supervisione.testing.frozen import frozen
from supervisione.testing.world import World
from supervisione.wellbeing import actions
from supervisione.wellbeing.models import Answer, Comment, Invitation, Wave
from supervisione.wellbeing.tests import factories

ANSWER_TABLES = {
    Answer._meta.db_table: {"id", "wave_id", "values", "scores"},
    Comment._meta.db_table: {"id", "wave_id", "text"},
}
TIME_TYPES = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)


def _columns(table: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        return {column.name: column for column in connection.introspection.get_table_description(cursor, table)}


def _relations(table: str) -> dict[str, tuple[str, str]]:
    with connection.cursor() as cursor:
        return {
            column: (target_table, target)
            for column, (target, target_table) in connection.introspection.get_relations(cursor, table).items()
        }


@pytest.mark.django_db
def test_every_table_of_the_app_keeps_answers_apart_from_people() -> None:
    tables = {model._meta.db_table: model for model in apps.get_app_config("wellbeing").get_models()}
    assert set(ANSWER_TABLES) <= set(tables)
    wave_table = Wave._meta.db_table
    for table, model in tables.items():
        columns = _columns(table)
        relations = _relations(table)
        if table in ANSWER_TABLES:
            # Only the answer's own content and its wave: nothing else, in the database as in the model.
            assert set(columns) == ANSWER_TABLES[table], table
            assert relations == {"wave_id": (wave_table, "id")}, table
            assert all(not isinstance(field, TIME_TYPES) for field in model._meta.concrete_fields), table
            assert isinstance(model._meta.pk, models.UUIDField), table
        # No table of the app (invitations included) points at an answer or a comment.
        assert not {target for target, _ in relations.values()} & set(ANSWER_TABLES), table
    invitation_columns = set(_columns(Invitation._meta.db_table))
    assert invitation_columns == {"id", "wave_id", "email", "token_hash", "answered", "reminded_on"}
    # The only column the invitations share with the answers is the wave: nothing to join on below it.
    for answer_columns in ANSWER_TABLES.values():
        assert invitation_columns & answer_columns == {"id", "wave_id"}
    assert isinstance(Invitation._meta.pk, models.UUIDField)


@pytest.mark.django_db
def test_no_other_app_points_at_the_answers() -> None:
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and model not in (Answer, Comment):
                assert field.related_model not in (Answer, Comment), f"{model.__name__}.{field.name}"


@frozen(2025, 1, 20)
def test_an_answer_keeps_nothing_of_who_sent_it(world: World, client_for: Any) -> None:
    wave = factories.wave(world.partnership)
    actions.invite(wave, ["anna@example.it", "bruno@example.it"], by=world.coordinator, absolute=lambda path: path)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/benessere/questionario/" in line)
    before = set(Answer.objects.values_list("pk", flat=True))
    response = client_for("supervisee").post(link, {"q01": "1", "q02": "2", "q03": "0", "comment": "x"})
    assert response.status_code == 200
    answer = Answer.objects.exclude(pk__in=before).get()
    assert answer.values["q01"] == 1
    assert answer.wave_id == wave.pk
    assert uuid.UUID(str(answer.pk)).version == 4
    # The invitation knows only that someone answered, not when; nothing about the user who was logged in.
    assert Invitation.objects.filter(wave=wave, answered=True).count() == 1
    row = Answer.objects.filter(pk=answer.pk).values().get()
    assert set(row) == {"id", "wave_id", "values", "scores"}
    # The JSON holds the questionnaire's items and scales, nothing else (no user, no address, no time).
    assert set(row["values"]) == {item.key for item in wave.instrument.items}
    assert set(row["scores"]) == {scale.key for scale in wave.instrument.scales}


@frozen(2025, 1, 20)
def test_closing_a_wave_deletes_who_was_asked_and_rewrites_the_answers_in_a_new_order(world: World) -> None:
    wave = factories.wave(world.partnership)
    for number in range(6):
        factories.invitation(wave, f"persona{number}@example.it", answered=number < 5)
    old = {answer.pk for answer in factories.answers(wave, [50, 50, 75, 25, 100])}
    Comment.objects.create(wave=wave, text="Utile")
    actions.close_wave(wave, by=world.coordinator)
    wave.refresh_from_db()
    assert wave.closed
    assert (wave.invited_count, wave.answered_count) == (6, 5)
    assert not Invitation.objects.filter(wave=wave).exists()
    new = set(Answer.objects.filter(wave=wave).values_list("pk", flat=True))
    assert len(new) == 5
    assert not new & old
    assert Comment.objects.filter(wave=wave).count() == 1
