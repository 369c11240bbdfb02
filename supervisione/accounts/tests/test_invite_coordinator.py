"""Inviting the people a new partnership or ATS starts with (issue 17.1): the coordinator of a partnership, by
the administrator who created it, and the referent of an ATS; who may, and what bad input does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from supervisione.accounts.models import Invitation, Role, RoleAssignment, User
from supervisione.audit.models import AuditEntry
from supervisione.testing.world import World

PASSWORD = "Una-password-per-l-invito-2026"
LINK = re.compile(r"http://testserver(/invito/[^/\s]+/)")
TAX_CODE = "RSSMRA80A41F205B"


def _coordinator_url(world: World) -> str:
    return reverse("accounts:invite_coordinator", args=[world.partnership.code])


def _referent_url(world: World) -> str:
    return reverse("accounts:invite_referent", args=[world.maglie.code])


def _data(**values: str) -> dict[str, str]:
    return {"first_name": "Maria", "last_name": "Rossi", "email": "maria.rossi@example.it", "tax_code": ""} | values


def test_it_lets_the_administrator_invite_the_coordinator_of_a_partnership(world: World, client_for: Any) -> None:
    admin = client_for("admin")
    detail = admin.get(world.partnership.get_absolute_url()).content.decode()
    assert _coordinator_url(world) in detail
    form = admin.get(_coordinator_url(world)).content.decode()
    assert f"Invita un coordinatore: {world.partnership.name}" in form
    response = admin.post(_coordinator_url(world), _data(tax_code=TAX_CODE.lower()), follow=True)
    page = response.content.decode()
    assert "Invito inviato a maria.rossi@example.it" in page
    assert "maria.rossi@example.it" in page  # the list of pending invitations
    user = User.objects.get(email="maria.rossi@example.it")
    assert (user.first_name, user.last_name, user.tax_code) == ("Maria", "Rossi", TAX_CODE)
    assert not user.has_usable_password()
    assert RoleAssignment.objects.filter(user=user, role=Role.COORDINATOR, partnership=world.partnership).exists()
    (message,) = mail.outbox
    assert message.to == ["maria.rossi@example.it"]
    assert "Coordinatore" in str(message.body)
    assert world.partnership.name in str(message.body)
    assert AuditEntry.objects.filter(code="accounts.invitation.sent").count() == 1

    found = LINK.search(str(message.body))
    assert found
    invited = Client()
    invited.post(found.group(1), {"new_password1": PASSWORD, "new_password2": PASSWORD})
    home = invited.get(reverse("home:home"))
    assert home.status_code == 200
    assert invited.get(reverse("territory:partnership_edit", args=[world.partnership.code])).status_code == 200
    assert Invitation.objects.get().accepted_at is not None


def test_it_lets_the_coordinator_invite_the_referent_of_a_member_ats(world: World, client_for: Any) -> None:
    coordinator = client_for("coordinator")
    assert _referent_url(world) in coordinator.get(world.maglie.get_absolute_url()).content.decode()
    response = coordinator.post(_referent_url(world), _data(email="ref@example.it"), follow=True)
    assert "Invito inviato a ref@example.it" in response.content.decode()
    user = User.objects.get(email="ref@example.it")
    assert RoleAssignment.objects.filter(user=user, role=Role.REFERENT, ambito=world.maglie).exists()
    assert "Referente" in str(mail.outbox[0].body)


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"email": "non-una-email"}, "Inserisci un indirizzo email valido"),
        ({"tax_code": "RSSMRA80A41F205Y"}, "codice fiscale"),
        ({"first_name": ""}, "Questo campo è obbligatorio"),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(
    world: World, client_for: Any, values: dict[str, str], error: str
) -> None:
    users = User.objects.count()
    response = client_for("admin").post(_coordinator_url(world), _data(**values))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert (User.objects.count(), Invitation.objects.count(), len(mail.outbox)) == (users, 0, 0)


def test_it_refuses_an_email_of_another_account(world: World, client_for: Any) -> None:
    User.objects.filter(pk=world.referent.pk).update(email="referente@example.it")
    taken = "Referente@example.it"
    response = client_for("admin").post(_coordinator_url(world), _data(email=taken))
    assert "è già usata dall&#x27;account" in response.content.decode()
    assert (Invitation.objects.count(), len(mail.outbox)) == (0, 0)


@pytest.mark.parametrize(
    ("persona", "coordinator_page", "referent_page"),
    [
        ("admin", 200, 200),
        ("coordinator", 200, 200),
        ("referent", 403, 200),
        ("supervisor", 403, 403),
        ("supervisee", 403, 404),
        ("observer", 403, 403),
        ("outsider", 404, 404),
        ("nobody", 404, 404),
    ],
)
def test_it_lets_only_who_manages_the_partnership_or_the_ats_invite(
    world: World, client_for: Any, persona: str, coordinator_page: int, referent_page: int
) -> None:
    client = client_for(persona)
    assert client.get(_coordinator_url(world)).status_code == coordinator_page
    assert client.get(_referent_url(world)).status_code == referent_page
    client.post(_coordinator_url(world), _data())
    assert Invitation.objects.filter(role=Role.COORDINATOR).exists() == (coordinator_page == 200)
