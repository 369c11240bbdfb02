"""Writes to users and roles, each with its audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from supervisione.accounts.models import RoleAssignment, User
from supervisione.audit.actions import delete_audited, save_audited
from supervisione.territory.models import Ambito, Partnership, Region


def grant_role(
    user: User,
    role: str,
    *,
    partnership: Partnership | None,
    ambito: Ambito | None,
    region: Region | None,
    by: Any,
) -> RoleAssignment:
    with transaction.atomic():
        assignment = RoleAssignment(user=user, role=role, partnership=partnership, ambito=ambito, region=region)
        save_audited(
            assignment,
            by=by,
            message=f"Ruolo assegnato a {user.username}",
            ambito_id=ambito.pk if ambito else None,
            partnership_id=partnership.pk if partnership else None,
        )
    return assignment


def revoke_role(assignment: RoleAssignment, *, by: Any) -> None:
    delete_audited(
        assignment,
        by=by,
        message=f"Ruolo tolto a {assignment.user.username}",
        ambito_id=assignment.ambito_id,
        partnership_id=assignment.partnership_id,
    )
