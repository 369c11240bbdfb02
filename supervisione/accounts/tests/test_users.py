from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.audit.models import AuditEntry
from supervisione.testing.world import PERSONAS, World


@pytest.mark.parametrize("persona", [name for name, _role, _where in PERSONAS])
def test_it_lets_only_administrators_manage_users(world: World, client_for: Any, persona: str) -> None:
    expected = 200 if persona == "admin" else 403
    assert client_for(persona).get(reverse("accounts:user_list")).status_code == expected
    assert client_for(persona).get(reverse("accounts:user_detail", args=[world.nobody.pk])).status_code == expected


def test_it_creates_a_user_with_a_strong_password(world: World, client_for: Any) -> None:
    url = reverse("accounts:user_create")
    data = {
        "username": "nuovo.referente",
        "first_name": "Nuovo",
        "last_name": "Referente",
        "email": "n@example.it",
        "is_active": "on",
        "password": "corta",
    }
    weak = client_for("admin").post(url, data)
    assert "troppo corta" in weak.content.decode()
    assert not User.objects.filter(username="nuovo.referente").exists()
    data["password"] = "Una-password-abbastanza-lunga"
    assert client_for("admin").post(url, data).status_code == 302
    user = User.objects.get(username="nuovo.referente")
    assert user.check_password("Una-password-abbastanza-lunga")
    entry = AuditEntry.objects.get(object_id=str(user.pk), action="create")
    assert "password" not in entry.changes


def test_it_grants_and_revokes_a_role_with_checks(world: World, client_for: Any) -> None:
    url = reverse("accounts:role_add", args=[world.nobody.pk])
    missing = client_for("admin").post(url, {"role-role": "referent"})
    assert "Indica l&#x27;ATS in cui l&#x27;utente ha questo ruolo" in missing.content.decode()
    assert not RoleAssignment.objects.filter(user=world.nobody).exists()
    done = client_for("admin").post(
        url, {"role-role": "referent", "role-ambito": world.casarano.pk, "role-partnership": world.partnership.pk}
    )
    assert done.status_code == 302
    assignment = RoleAssignment.objects.get(user=world.nobody)
    assert (assignment.role, assignment.ambito_id, assignment.partnership_id) == (
        Role.REFERENT,
        world.casarano.pk,
        None,
    )
    again = client_for("admin").post(url, {"role-role": "referent", "role-ambito": world.casarano.pk})
    assert "L&#x27;utente ha già questo ruolo" in again.content.decode()
    # The new referent now sees Casarano.
    assert client_for("nobody").get(reverse("territory:ambito_detail", args=["PUG_CASARANO"])).status_code == 200
    remove = reverse("accounts:role_remove", args=[world.nobody.pk, assignment.pk])
    assert client_for("admin").post(remove).status_code == 302
    assert client_for("nobody").get(reverse("territory:ambito_detail", args=["PUG_CASARANO"])).status_code == 404
    assert AuditEntry.objects.filter(action="delete", ambito_id=world.casarano.pk).exists()


def test_it_deactivates_a_user_who_then_cannot_log_in(world: World, client_for: Any) -> None:
    url = reverse("accounts:user_detail", args=[world.referent.pk])
    response = client_for("admin").post(
        url,
        {
            "user-username": "referent",
            "user-first_name": "R",
            "user-last_name": "",
            "user-email": "r@example.it",
            "user-lock_version": world.referent.lock_version,  # the version the page rendered
        },
    )
    assert response.status_code == 302
    world.referent.refresh_from_db()
    assert world.referent.is_active is False
