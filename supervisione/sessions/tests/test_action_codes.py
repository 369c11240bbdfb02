"""Each step of a session writes its action code beside the Italian message, so the audit log answers questions
such as "every register confirmation of a year" with a query on the code."""

from __future__ import annotations

import datetime
import importlib

from django.contrib.contenttypes.models import ContentType

from supervisione.audit.models import AuditEntry
from supervisione.sessions.actions.notes import set_topics
from supervisione.sessions.actions.scheduling import cancel_session
from supervisione.sessions.models import Session
from supervisione.sessions.tests.conftest import Cal
from supervisione.sessions.tests.test_register import held
from supervisione.testing.frozen import frozen

D = datetime.date
existing = importlib.import_module("supervisione.audit.migrations.0003_code_of_existing_entries")


def codes(session: Session) -> list[str]:
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Session), object_id=str(session.pk)
    ).order_by("pk")
    return list(entries.values_list("code", flat=True))


def test_every_register_confirmation_of_a_year_is_a_query_on_the_code(cal: Cal) -> None:
    with frozen(2026, 3, 20):
        first = held(cal, D(2026, 3, 3))
        second = held(cal, D(2026, 3, 10))
    cal.one(D(2026, 3, 17))  # booked, never confirmed
    confirmed = AuditEntry.objects.filter(code="sessions.register.confirmed", at__year=2026)
    assert sorted(confirmed.values_list("object_id", flat=True)) == sorted([str(first.pk), str(second.pk)])
    assert {entry.message for entry in confirmed} == {"Registro presenze confermato"}
    assert not AuditEntry.objects.filter(code="sessions.register.confirmed", at__year=2025).exists()


def test_each_step_of_a_session_writes_its_code(cal: Cal) -> None:
    with frozen(2026, 3, 20):
        session = held(cal, D(2026, 3, 3))
    assert codes(session)[:3] == ["sessions.session.booked", "sessions.register.updated", "sessions.register.confirmed"]
    later = cal.one(D(2026, 4, 14))
    set_topics(later, ["ethical"], by=cal.world.supervisor)
    later.refresh_from_db()
    cancel_session(later, reason="Sciopero", version=later.version, by=cal.world.coordinator)
    assert codes(later) == ["sessions.session.booked", "sessions.session.topics_set", "sessions.session.cancelled"]
    for entry in AuditEntry.objects.select_related("content_type"):
        kind = entry.content_type
        assert existing.code_for(kind.app_label, kind.model, entry.action, entry.message) == entry.code, entry.message
