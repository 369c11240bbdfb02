"""What the supervisor records about a session beside the register: its topics and a private note, stored
encrypted and audited without its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction

from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction
from supervisione.sessions.actions.base import refuse_if_closed
from supervisione.sessions.models import Session, SessionTopic, SupervisorNote, TopicCategory
from supervisione.sessions.notes_crypto import encrypt_note

if TYPE_CHECKING:
    from supervisione.accounts.models import User


def set_topics(session: Session, categories: Sequence[str], *, by: User) -> None:
    wanted = {TopicCategory(category).value for category in categories}
    refuse_if_closed(session)
    with transaction.atomic():
        existing = set(session.topics.values_list("category", flat=True))
        if existing == wanted:
            return
        session.topics.exclude(category__in=wanted).delete()
        SessionTopic.objects.bulk_create(SessionTopic(session=session, category=c) for c in sorted(wanted - existing))
        labels = ", ".join(str(TopicCategory(c).label) for c in sorted(wanted)) or "nessuna"
        record(
            session,
            by=by,
            action=AuditAction.UPDATE,
            message=f"Aree tematiche: {labels}"[:250],
            code="sessions.session.topics_set",
        )


def save_note(session: Session, text: str, *, by: User) -> None:
    """The supervisor's private note, stored encrypted. The audit log records that it changed, never the text."""
    text = text.strip()
    with transaction.atomic():
        note = SupervisorNote.objects.filter(session=session).first()
        if not text:
            if note is not None:
                note.delete()
                record(
                    session,
                    by=by,
                    action=AuditAction.UPDATE,
                    message="Nota riservata eliminata",
                    code="sessions.note.deleted",
                )
            return
        if note is None:
            note = SupervisorNote(session=session, author=by)
        note.token = encrypt_note(text)
        note.save()
        record(
            session,
            by=by,
            action=AuditAction.UPDATE,
            message="Nota riservata aggiornata",
            code="sessions.note.saved",
        )
