"""Writes to users, roles and two-factor devices, each with its audit entry."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from supervisione.accounts.models import RoleAssignment, User
from supervisione.accounts.two_factor import DEVICE_NAME, CodeRefusedError, refusal, verify_login_code
from supervisione.audit.actions import delete_audited, record, save_audited
from supervisione.audit.models import AuditAction
from supervisione.territory.models import Ambito, Partnership, Region


def grant_role(
    user: User,
    role: str,
    *,
    partnership: Partnership | None,
    ambito: Ambito | None,
    region: Region | None,
    by: User,
) -> RoleAssignment:
    with transaction.atomic():
        assignment = RoleAssignment(user=user, role=role, partnership=partnership, ambito=ambito, region=region)
        save_audited(
            assignment,
            by=by,
            message=f"Ruolo assegnato a {user.username}",
            code="accounts.roleassignment.granted",
            ambito_id=ambito.pk if ambito else None,
            partnership_id=partnership.pk if partnership else None,
        )
    return assignment


def revoke_role(assignment: RoleAssignment, *, by: User) -> None:
    delete_audited(
        assignment,
        by=by,
        message=f"Ruolo tolto a {assignment.user.username}",
        code="accounts.roleassignment.revoked",
        ambito_id=assignment.ambito_id,
        partnership_id=assignment.partnership_id,
    )


def start_two_factor(user: User) -> TOTPDevice:
    """A new unconfirmed TOTP device with a fresh secret, replacing an unfinished set-up. Not audited: it
    changes nothing until confirmed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device: TOTPDevice = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm_two_factor(user: User, code: str) -> TOTPDevice:
    """Activate the pending device if ``code`` comes from it: from now on the login asks for a code."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        error = CodeRefusedError() if device is None else refusal(device, code)
        if error is None and device is not None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            record(
                user,
                by=user,
                action=AuditAction.ACTION,
                message="Verifica in due passaggi attivata",
                code="accounts.user.two_factor_enabled",
            )
    if error is not None:
        raise error
    assert device is not None  # noqa: S101  (no error means the pending device accepted the code)
    return device


def disable_two_factor(user: User, code: str) -> None:
    """Turn verification off; a current code proves that the person asking still holds the app."""
    verify_login_code(user, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        record(
            user,
            by=user,
            action=AuditAction.ACTION,
            message="Verifica in due passaggi disattivata",
            code="accounts.user.two_factor_disabled",
        )


def reset_two_factor(user: User, *, by: User) -> bool:
    """An administrator removes a user's TOTP devices (a lost phone): the user logs in with the password."""
    with transaction.atomic():
        deleted, _ = TOTPDevice.objects.filter(user=user).delete()
        if deleted:
            record(
                user,
                by=by,
                action=AuditAction.ACTION,
                message=f"Verifica in due passaggi azzerata per {user.get_username()}",
                code="accounts.user.two_factor_reset",
            )
    return bool(deleted)
