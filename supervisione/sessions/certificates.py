"""Participation certificates as issued documents: who issues them, what they certify, and how to verify them.

A certificate is issued by the person's ATS (the ATS they were last planned for, else that of their latest census)
and signed by its referent for supervision as designated on Allegato 1 (or, without one, by the ATS's Ufficio di
Piano). It is rendered once, stored, and served as stored, so that its SHA-256 stays valid; the verification code
printed on it finds it on the verification page, as a register's does. Asking again for the same period with the
same figures gives back the same certificate; once another register of the period is confirmed, the figures change
and a new certificate is issued, the old one staying verifiable.
"""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from supervisione.accounts.models import User
from supervisione.census.models import Person, Position, ReferentDesignation
from supervisione.lib import clock
from supervisione.planning.models import PlanMember
from supervisione.sessions.actions.base import recorded_user
from supervisione.sessions.fingerprint import sha256_hex
from supervisione.sessions.models import IssuedCertificate
from supervisione.sessions.queries import Certificate
from supervisione.territory.models import Ambito

# Letters and digits that cannot be read one for another (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "A"


def new_code() -> str:
    """A verification code such as ``A-7K2M-9QXD``: 40 bits, easy to type from paper."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{CODE_PREFIX}-{letters[:4]}-{letters[4:]}"


def normalise_code(text: str) -> str:
    """What a person types, read as a code: case, spaces and dashes do not matter."""
    compact = "".join(character for character in text.upper() if character.isalnum())
    if compact.startswith(CODE_PREFIX) and len(compact) == 9:
        return f"{CODE_PREFIX}-{compact[1:5]}-{compact[5:]}"
    return text.strip().upper()


def issuing_ambito(person: Person) -> Ambito | None:
    """The ATS the person was supervised for (their latest plan membership), else the ATS of their latest census."""
    member = PlanMember.objects.filter(person=person).select_related("ambito").order_by("-plan__year", "-pk").first()
    if member is not None:
        return member.ambito
    position = (
        Position.objects.filter(person=person)
        .select_related("census__ambito")
        .order_by("-census__campaign__reference_date", "-census_id")
        .first()
    )
    return position.census.ambito if position is not None else None


def signatory_of(ambito: Ambito | None) -> str:
    """Who signs for the ATS: its designated referent for supervision, else its Ufficio di Piano."""
    if ambito is None:
        return "Ufficio di Piano dell'ATS"
    designation = ReferentDesignation.objects.filter(ambito=ambito).order_by("-answered_on", "-pk").first()
    if designation is not None:
        return f"{designation.full_name}, referente per la supervisione professionale dell'{ambito.name}"
    return f"Ufficio di Piano dell'{ambito.name}"


def issue_certificate(certificate: Certificate, *, by: User | None) -> IssuedCertificate:
    """The certificate of ``certificate``'s person, period and figures: the one issued before, or a new one."""
    from supervisione.sessions.documents import certificate_pdf  # noqa: PLC0415  (WeasyPrint only when needed)

    person, total = certificate.person, certificate.total
    key = {
        "person": person,
        "start": certificate.start,
        "end": certificate.end,
        "planned_minutes": total.planned_minutes,
        "attended_minutes": total.attended_minutes,
    }
    existing = IssuedCertificate.objects.filter(**key).first()
    if existing is not None:
        return existing
    ambito = issuing_ambito(person)
    issued = IssuedCertificate(
        **key,
        ambito=ambito,
        signatory=signatory_of(ambito),
        code=new_code(),
        issued_at=clock.now(),
        issued_by=recorded_user(by),
    )
    content = certificate_pdf(certificate, issued=issued)
    name = default_storage.save(f"attestati/{person.pk}/attestato-{issued.code}.pdf", ContentFile(content))
    issued.file.name = name
    issued.size = len(content)
    issued.sha256 = sha256_hex(content)
    try:
        with transaction.atomic():
            issued.save()
    except IntegrityError:
        # Issued meanwhile by another request for the same period: that one stands.
        default_storage.delete(name)
        return IssuedCertificate.objects.get(**key)
    return issued
