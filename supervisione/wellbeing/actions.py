"""Every write of the wellbeing app, each in one transaction.

Waves, invitations, reminders and closings are audited like every other write. An answer is not: an audit entry
would put a time and a name beside it. ``submit_answer`` writes the answer (and the free text) with its wave only,
and marks the invitation answered, in one transaction; nothing of the request (user, address, time) is kept.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from supervisione.audit.actions import delete_audited, record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.wellbeing.models import Answer, Comment, Invitation, Objective, Wave
from supervisione.wellbeing.scoring import AnswerError, scale_scores

if TYPE_CHECKING:
    from supervisione.accounts.models import User

Absolute = Callable[[str], str]


class WellbeingError(Exception):
    """A write refused, with the Italian sentence that says why; nothing was written."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_wave(wave: Wave, *, by: User) -> Wave:
    wave.created_by = by
    save_audited(wave, by=by, message=f"Rilevazione creata: {wave}", code="wellbeing.wave.created")
    return wave


def _link(invitation: Invitation, absolute: Absolute) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    return absolute(reverse("wellbeing:answer", args=[token]))


def _message(wave: Wave, url: str, *, reminder: bool) -> EmailMessage:
    instrument = wave.instrument
    first = "Ti ricordiamo il questionario" if reminder else "Ti invitiamo a rispondere al questionario"
    body = (
        f"{first} «{instrument.label}» per {wave.unit_name} ({wave.round_label.lower()}).\n\n"
        f"Puoi rispondere fino al {wave.closes_on:%d/%m/%Y} da questo link personale, valido per una sola "
        f"risposta:\n{url}\n\n"
        "Le risposte sono anonime: sono conservate senza il tuo nome, il tuo indirizzo e l'ora in cui rispondi, e "
        "i risultati si vedono solo per gruppi abbastanza numerosi da non riconoscere nessuno. Il link serve solo "
        "a non farti rispondere due volte e a non sollecitarti dopo che hai risposto.\n"
    )
    subject = f"{'Promemoria: ' if reminder else ''}questionario sul benessere: {wave.unit_name}"
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL)


def _check_open(wave: Wave) -> None:
    if wave.closed or wave.closes_on < clock.today():
        raise WellbeingError("La rilevazione è chiusa: non si possono più inviare inviti o solleciti.")


def invite(wave: Wave, addresses: Iterable[str], *, by: User, absolute: Absolute) -> list[Invitation]:
    """Invite each new address (those already invited are left alone) with a personal link by e-mail."""
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave.pk)
        _check_open(wave)
        known = set(wave.invitations.values_list("email", flat=True))
        new = sorted({address.strip().lower() for address in addresses} - known - {""})
        if not new:
            raise WellbeingError("Tutti gli indirizzi indicati sono già stati invitati: nessun invito inviato.")
        made, messages = [], []
        for address in new:
            invitation = Invitation(wave=wave, email=address)
            message = _message(wave, _link(invitation, absolute), reminder=False)
            message.to = [address]
            made.append(invitation)
            messages.append(message)
        Invitation.objects.bulk_create(made)
        record(
            wave,
            by=by,
            action=AuditAction.ACTION,
            message=f"Inviti inviati a {counted(len(made), 'persona', 'persone')}",
            code="wellbeing.wave.invited",
        )
        for message in messages:
            message.send()
    return made


def remind(wave: Wave, *, by: User, absolute: Absolute) -> int:
    """A new personal link by e-mail to everyone who has not answered yet (the old link stops working)."""
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave.pk)
        _check_open(wave)
        waiting = list(wave.invitations.filter(answered=False))
        if not waiting:
            raise WellbeingError("Hanno già risposto tutti gli invitati: nessun sollecito da inviare.")
        today = clock.today()
        messages = []
        for invitation in waiting:
            message = _message(wave, _link(invitation, absolute), reminder=True)
            message.to = [invitation.email]
            invitation.reminded_on = today
            messages.append(message)
        Invitation.objects.bulk_update(waiting, ["token_hash", "reminded_on"])
        record(
            wave,
            by=by,
            action=AuditAction.ACTION,
            message=f"Sollecito inviato a {counted(len(waiting), 'persona', 'persone')}",
            code="wellbeing.wave.reminded",
        )
        for message in messages:
            message.send()
    return len(waiting)


def find_invitation(token: str) -> Invitation | None:
    """The invitation of a personal link still usable: not answered, its wave open today."""
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("wave", "wave__group", "wave__partnership", "wave__ambito")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or invitation.answered or not invitation.wave.is_open_on(clock.today()):
        return None
    return invitation


def submit_answer(token: str, values: Mapping[str, int | None], comment: str = "") -> None:
    """Store one anonymous answer and spend the link, together or not at all."""
    with transaction.atomic():
        invitation = find_invitation(token)
        if invitation is None:
            raise WellbeingError("Il link non è più valido: hai già risposto, oppure la rilevazione è chiusa.")
        # Lock the row and look again: two tabs sending the same link answer once.
        spent = Invitation.objects.select_for_update().filter(pk=invitation.pk, answered=False).update(answered=True)
        if not spent:
            raise WellbeingError("Hai già risposto a questo questionario: grazie.")
        wave = invitation.wave
        try:
            scores = scale_scores(wave.instrument, values)
        except AnswerError as error:
            raise WellbeingError(str(error)) from None
        Answer.objects.create(wave=wave, values=dict(values), scores=scores)
        if comment.strip() and wave.instrument.free_text:
            Comment.objects.create(wave=wave, text=comment.strip()[:2000])


def close_wave(wave: Wave, *, by: User | None) -> Wave:
    """Close a wave: keep its counts, delete who was asked, and write its answers again in a random order under
    new keys, so that nothing left on disk follows the order in which people answered."""
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave.pk)
        if wave.closed:
            raise WellbeingError("La rilevazione è già chiusa.")
        wave.invited_count = wave.invitations.count()
        wave.answered_count = wave.invitations.filter(answered=True).count()
        wave.invitations.all().delete()
        _shuffle(wave)
        wave.closed = True
        if wave.opens_on <= clock.today() < wave.closes_on:
            wave.closes_on = clock.today()
        wave.save(update_fields=["closed", "closes_on", "invited_count", "answered_count"])
        record(
            wave,
            by=by,
            action=AuditAction.ACTION,
            message=f"Rilevazione chiusa: {counted(wave.answered_count, 'risposta', 'risposte')} su "
            f"{counted(wave.invited_count, 'invito', 'inviti')}",
            code="wellbeing.wave.closed",
        )
    return wave


def _shuffle(wave: Wave) -> None:
    generator = random.SystemRandom()
    answers = [(row.values, row.scores) for row in Answer.objects.filter(wave=wave)]
    comments = list(Comment.objects.filter(wave=wave).values_list("text", flat=True))
    generator.shuffle(answers)
    generator.shuffle(comments)
    Answer.objects.filter(wave=wave).delete()
    Comment.objects.filter(wave=wave).delete()
    Answer.objects.bulk_create(
        [Answer(id=uuid.uuid4(), wave=wave, values=values, scores=scores) for values, scores in answers]
    )
    Comment.objects.bulk_create([Comment(id=uuid.uuid4(), wave=wave, text=text) for text in comments])


def close_due_waves(today: datetime.date) -> list[Wave]:
    """Close every wave whose last day has passed (``manage.py close_wellbeing_waves``, daily)."""
    return [close_wave(wave, by=None) for wave in Wave.objects.filter(closed=False, closes_on__lt=today)]


def add_objective(objective: Objective, *, by: User) -> Objective:
    objective.created_by = by
    save_audited(objective, by=by, message=f"Obiettivo sul burn-out registrato: {objective}")
    return objective


def remove_objective(objective: Objective, *, by: User) -> None:
    delete_audited(objective, by=by, message=f"Obiettivo sul burn-out eliminato: {objective}")
