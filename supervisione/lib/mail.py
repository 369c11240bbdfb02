"""E-mail through the task queue (docs/DEPLOYMENT.md): ``EMAIL_BACKEND = "supervisione.lib.mail.QueuedEmailBackend"``.

Sending an e-mail (an invitation, a reminder, the daily digest, a convocation) queues it, once the transaction
that sends it is committed, for a worker (``manage.py db_worker``) that hands it to the real backend,
``EMAIL_DELIVERY_BACKEND`` (SMTP in production). A message rolled back with its transaction is never sent; a
delivery that fails (the mail server down, a timeout) is tried again later, ``RETRY_MINUTES`` apart, and the
last failure stays in the queue's results with its error. The message travels as its MIME bytes (attachments
included, base64 in the queue's JSON), never as a pickled object.

An app that records what it sent (a meeting's convocations) learns the outcome from two signals sent by the worker,
``email_delivered`` (handed to the mail server) and ``email_given_up`` (the last attempt failed), with the message's
``Message-ID``: it gives its messages one with ``new_message_id`` and keeps it. With ``EMAIL_QUEUED=0`` nothing
waits: ``delivered_on_send()`` says so, and a message sent without an error was handed over at once.
"""

from __future__ import annotations

import base64
import datetime
import logging
import smtplib
from collections.abc import Sequence
from email.parser import BytesHeaderParser
from email.utils import make_msgid
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.dispatch import Signal
from django.utils.module_loading import import_string
from django_tasks import task

from supervisione.lib import clock

logger = logging.getLogger(__name__)

# The waits before the second, third and fourth attempt; after the last one the delivery is given up.
RETRY_MINUTES = (1, 10, 60)

# Sent by the worker with ``message_id`` (the Message-ID header, "" if none) and ``recipients``; ``email_given_up``
# also with ``error`` (its text, in English as the mail server wrote it).
email_delivered = Signal()
email_given_up = Signal()


def new_message_id() -> str:
    """A Message-ID for a message whose delivery the caller records (``EmailMessage(headers={"Message-ID": ...})``)."""
    return make_msgid(domain="supervisione")


def delivered_on_send() -> bool:
    """True when sending hands the message to the mail server at once (``EMAIL_QUEUED=0``): no signal follows."""
    return import_string(settings.EMAIL_BACKEND) is not QueuedEmailBackend


def message_id_of(raw: bytes) -> str:
    return str(BytesHeaderParser().parsebytes(raw).get("Message-ID", "")).strip()


class QueuedEmailBackend(BaseEmailBackend):
    """Queues each message for ``deliver_email`` at the commit of the current transaction."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        queued = 0
        for message in email_messages:
            recipients = message.recipients()
            if not recipients:
                continue
            payload = base64.b64encode(message.message().as_bytes()).decode("ascii")
            sender = message.from_email or settings.DEFAULT_FROM_EMAIL
            transaction.on_commit(partial(deliver_email.enqueue, payload, sender, list(recipients)))
            queued += 1
        return queued


class _StoredMessage:
    """The MIME message as it was queued, as the delivery backends read it (``as_bytes``, ``get_charset``)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.raw if linesep == "\n" else self.raw.replace(b"\n", linesep.encode())

    def get_charset(self) -> None:
        return None


class StoredEmail(EmailMessage):
    """A queued message handed to the delivery backend: its envelope and its MIME bytes as they were written."""

    def __init__(self, raw: bytes, sender: str, recipients: list[str]) -> None:
        super().__init__(from_email=sender, to=recipients)
        self.raw = raw

    def message(self, **_kwargs: Any) -> Any:
        return _StoredMessage(self.raw)

    def recipients(self) -> list[str]:
        return list(self.to)


@task()
def deliver_email(payload: str, sender: str, recipients: list[str], attempt: int = 1) -> None:
    """Hand a queued message to ``EMAIL_DELIVERY_BACKEND``; after a failure, queue the next attempt."""
    raw = base64.b64decode(payload)
    try:
        get_connection(settings.EMAIL_DELIVERY_BACKEND).send_messages([StoredEmail(raw, sender, recipients)])
    except (smtplib.SMTPException, OSError) as error:
        if attempt > len(RETRY_MINUTES):
            logger.exception("E-mail to %s given up after %d attempts", ", ".join(recipients), attempt)
            email_given_up.send(
                deliver_email, message_id=message_id_of(raw), recipients=recipients, error=str(error) or repr(error)
            )
            raise
        logger.warning("E-mail to %s not delivered (attempt %d): %s", ", ".join(recipients), attempt, error)
        retry = deliver_email
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=clock.now() + datetime.timedelta(minutes=RETRY_MINUTES[attempt - 1]))
        retry.enqueue(payload, sender, recipients, attempt + 1)
        return
    email_delivered.send(deliver_email, message_id=message_id_of(raw), recipients=recipients)
