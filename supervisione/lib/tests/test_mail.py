"""E-mails go through the task queue: sent at the commit, delivered by a worker, tried again after a failure."""

from __future__ import annotations

import email
import smtplib
from typing import Any, ClassVar, cast

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from supervisione.lib import mail as queued_mail
from supervisione.testing.commits import committed

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class FlakyBackend(BaseEmailBackend):
    """A mail server that refuses the first ``failures`` deliveries."""

    failures = 0
    attempts: ClassVar[list[int]] = []

    def send_messages(self, email_messages: Any) -> int:
        FlakyBackend.attempts.append(len(email_messages))
        if len(FlakyBackend.attempts) <= FlakyBackend.failures:
            raise smtplib.SMTPServerDisconnected("connessione chiusa dal server")
        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.fixture
def queued(settings: Any) -> Any:
    settings.EMAIL_BACKEND = "supervisione.lib.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    FlakyBackend.failures, FlakyBackend.attempts = 0, []
    return settings


def invitation() -> EmailMessage:
    message = EmailMessage(
        subject="Invito a Supervisione: àèìòù",
        body="Apri il collegamento per scegliere la password.",
        to=["operatrice@example.it"],
        cc=["referente@example.it"],
    )
    message.attach("convocazione.pdf", b"%PDF-1.4 contenuto", "application/pdf")
    return message


def delivered() -> list[email.message.Message]:
    return [email.message_from_bytes(cast(queued_mail.StoredEmail, message).raw) for message in mail.outbox]


@pytest.mark.django_db
def test_a_message_is_delivered_whole_once_its_transaction_commits(queued: Any) -> None:
    with committed():
        assert invitation().send() == 1
        assert mail.outbox == []  # queued, not sent inside the transaction
    (message,) = delivered()
    assert str(email.header.make_header(email.header.decode_header(message["Subject"]))) == (
        "Invito a Supervisione: àèìòù"
    )
    assert mail.outbox[0].recipients() == ["operatrice@example.it", "referente@example.it"]
    parts = {part.get_filename(): part.get_payload(decode=True) for part in message.walk() if part.get_filename()}
    assert parts == {"convocazione.pdf": b"%PDF-1.4 contenuto"}


@pytest.mark.django_db
def test_a_message_rolled_back_with_its_transaction_is_never_sent(queued: Any) -> None:
    def failing() -> None:
        with transaction.atomic():
            invitation().send()
            raise RuntimeError("l'invito non è stato salvato")

    with committed() as callbacks, pytest.raises(RuntimeError):
        failing()
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failed_delivery_is_tried_again_until_it_succeeds(queued: Any) -> None:
    queued.EMAIL_DELIVERY_BACKEND = "supervisione.lib.tests.test_mail.FlakyBackend"
    FlakyBackend.failures = 2
    with committed():
        invitation().send()
    assert len(FlakyBackend.attempts) == 3
    assert len(delivered()) == 1


@pytest.mark.django_db
def test_a_delivery_is_given_up_after_the_last_attempt(queued: Any, caplog: pytest.LogCaptureFixture) -> None:
    queued.EMAIL_DELIVERY_BACKEND = "supervisione.lib.tests.test_mail.FlakyBackend"
    FlakyBackend.failures = 10
    with committed():
        invitation().send()
    assert len(FlakyBackend.attempts) == len(queued_mail.RETRY_MINUTES) + 1
    assert mail.outbox == []
    assert "E-mail to operatrice@example.it, referente@example.it given up after 4 attempts" in caplog.text


@pytest.mark.django_db
def test_the_outcome_of_a_delivery_is_signalled_with_the_message_id(queued: Any) -> None:
    heard: list[tuple[str, dict[str, Any]]] = []

    def delivered_to(signal: str) -> Any:
        return lambda **kwargs: heard.append((signal, kwargs))

    on_delivered, on_given_up = delivered_to("delivered"), delivered_to("given_up")
    queued_mail.email_delivered.connect(on_delivered)
    queued_mail.email_given_up.connect(on_given_up)
    try:
        first, second = queued_mail.new_message_id(), queued_mail.new_message_id()
        assert first != second
        message = invitation()
        message.extra_headers["Message-ID"] = first
        with committed():
            message.send()
        queued.EMAIL_DELIVERY_BACKEND = "supervisione.lib.tests.test_mail.FlakyBackend"
        FlakyBackend.failures = 10
        message = invitation()
        message.extra_headers["Message-ID"] = second
        with committed():
            message.send()
    finally:
        queued_mail.email_delivered.disconnect(on_delivered)
        queued_mail.email_given_up.disconnect(on_given_up)
    recipients = ["operatrice@example.it", "referente@example.it"]
    assert heard == [
        (
            "delivered",
            {
                "signal": queued_mail.email_delivered,
                "sender": queued_mail.deliver_email,
                "message_id": first,
                "recipients": recipients,
            },
        ),
        (
            "given_up",
            {
                "signal": queued_mail.email_given_up,
                "sender": queued_mail.deliver_email,
                "message_id": second,
                "recipients": recipients,
                "error": "connessione chiusa dal server",
            },
        ),
    ]
    assert not queued_mail.delivered_on_send()
    queued.EMAIL_BACKEND = LOCMEM
    assert queued_mail.delivered_on_send()


@pytest.mark.django_db
def test_the_worker_delivers_through_the_database_queue_and_waits_before_trying_again(
    queued: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued.TASKS = DATABASE_TASKS
    queued.EMAIL_DELIVERY_BACKEND = "supervisione.lib.tests.test_mail.FlakyBackend"
    FlakyBackend.failures = 1
    with committed():
        invitation().send()
    assert mail.outbox == []
    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs["args"][1:] == [
        "Supervisione <noreply@supervisione.invalid>",
        ["operatrice@example.it", "referente@example.it"],
    ]
    # The worker closes connections it finds in a transaction (as between requests): this test's is one.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    retry = DBTaskResult.objects.exclude(pk=task.pk).get()
    assert retry.args_kwargs["args"][3] == 2
    assert retry.run_after is not None  # a minute later, not at once
    assert mail.outbox == []
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=retry.enqueued_at)  # the minute has passed
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    assert len(delivered()) == 1


def test_the_smtp_backend_gets_the_bytes_with_its_line_endings() -> None:
    raw = invitation().message().as_bytes()
    stored = queued_mail.StoredEmail(raw, "noreply@example.it", ["operatrice@example.it"])
    assert stored.message().as_bytes(linesep="\r\n") == raw.replace(b"\n", b"\r\n")
    assert stored.message().get_charset() is None
