"""What the actions on sessions share: the refusals they raise and the version check of optimistic
locking (``locked_at``, ``save_next_version``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supervisione.sessions.models import Session

if TYPE_CHECKING:
    from supervisione.accounts.models import User


class SessionError(Exception):
    """A write refused with a message for the user (Italian); nothing was changed."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


class StaleVersionError(SessionError):
    def __init__(self) -> None:
        super().__init__(
            "Nel frattempo qualcun altro ha modificato questo incontro: le tue modifiche non sono state salvate. "
            "Ricarica la pagina per vedere la versione aggiornata e ripeti la modifica."
        )


def recorded_user(user: User | None) -> User | None:
    """Who a row records as having done something: the user, or nobody for the system."""
    return user if getattr(user, "is_authenticated", False) else None


def locked_at(session: Session, version: int) -> Session:
    """The session re-read under a row lock, if nobody changed it since ``version``."""
    current = Session.objects.select_for_update().get(pk=session.pk)
    if current.version != version:
        raise StaleVersionError
    refuse_if_closed(current)
    return current


def refuse_if_closed(session: Session) -> None:
    """A closed PNRR project's sessions are frozen: registers, times, topics, scans (every write asks this)."""
    if problem := session.funding.closed_refusal("l'incontro"):
        raise SessionError(problem)


def save_next_version(session: Session, *fields: str) -> None:
    """Save ``fields`` and move the session to its next version: a page opened before is now outdated."""
    session.version += 1
    session.save(update_fields=[*fields, "version", "updated_at"])
