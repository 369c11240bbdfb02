"""The private addresses of a user's calendar feeds: created (the previous one stops working) and revoked."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import transaction

from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction
from supervisione.sessions.models import FeedToken

if TYPE_CHECKING:
    from supervisione.accounts.models import User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed_token(user: User) -> str:
    """A new private address for the user's feeds; the previous one stops working. Returns the token."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        FeedToken.objects.filter(user=user).delete()
        feed = FeedToken.objects.create(user=user, token_hash=token_hash(token))
        record(feed, by=user, action=AuditAction.CREATE, message="Nuovo indirizzo privato del calendario")
    return token


def revoke_feed_token(user: User) -> bool:
    with transaction.atomic():
        feed = FeedToken.objects.filter(user=user).first()
        if feed is None:
            return False
        record(
            feed,
            by=user,
            action=AuditAction.DELETE,
            message="Indirizzo privato del calendario revocato",
            code="sessions.feedtoken.revoked",
        )
        feed.delete()
    return True
