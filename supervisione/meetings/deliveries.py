"""What became of each convocation e-mail: the mail worker's signals (``lib.mail``) mark its ``Dispatch`` row
delivered, or failed with the mail server's reason, found by the Message-ID the row keeps. Connected in
``MeetingsConfig.ready``."""

from __future__ import annotations

from typing import Any

from supervisione.lib import clock
from supervisione.meetings.models import Dispatch


def mark_delivered(*, message_id: str, **_kwargs: Any) -> None:
    if message_id:
        Dispatch.objects.filter(message_id=message_id).update(delivered_at=clock.now(), failure="")


def mark_given_up(*, message_id: str, error: str, **_kwargs: Any) -> None:
    if message_id:
        Dispatch.objects.filter(message_id=message_id, delivered_at__isnull=True).update(failure=error[:500])
