"""The referent designated on Allegato 1 and the supervisor registered get the same invitation; an administrator
links an existing account to a census person by codice fiscale (issue 17.1)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.urls import reverse

from supervisione.accounts.models import Invitation, Role, RoleAssignment, User
from supervisione.audit.models import AuditEntry
from supervisione.census.models import ReferentDesignation, ReferentRequest
from supervisione.census.tests import factories as census_factories
from supervisione.supervisors.models import Supervisor
from supervisione.testing import factories
from supervisione.testing.world import World


def _designation_data(**values: str) -> dict[str, str]:
    data = {
        "full_name": "Lucia Bianchi",
        "tax_code": "",
        "role": "Responsabile dell'Ufficio di Piano",
        "email": "lucia.bianchi@example.it",
        "phone": "",
        "act_number": "Determina 12",
        "act_date": "02/09/2024",
        "answered_on": "03/09/2024",
        "invite": "on",
    }
    data.update(values)
    return data


def test_it_invites_the_designated_referent_with_the_designation(world: World, client_for: Any) -> None:
    request = ReferentRequest.objects.create(partnership=world.partnership, deadline=datetime.date(2024, 9, 30))
    person = census_factories.person(40, email="lucia@comune.it")
    url = reverse("census:referent_designate", args=[request.pk, "PUG_CASARANO"])
    response = client_for("coordinator").post(url, _designation_data(tax_code=person.tax_code.lower()))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.ambito_id, invitation.email) == (
        Role.REFERENT,
        world.casarano.pk,
        "lucia.bianchi@example.it",
    )
    person.refresh_from_db()
    assert person.user == invitation.user
    assert invitation.user.tax_code == person.tax_code
    assert len(mail.outbox) == 1
    assert "Referente dell'ATS" in str(mail.outbox[0].body)


def test_it_saves_no_designation_when_the_invitation_is_refused(world: World, client_for: Any) -> None:
    User.objects.create_user(username="occupato", email="lucia.bianchi@example.it")
    request = ReferentRequest.objects.create(partnership=world.partnership, deadline=datetime.date(2024, 9, 30))
    url = reverse("census:referent_designate", args=[request.pk, "PUG_MAGLIE"])
    page = client_for("referent").post(url, _designation_data()).content.decode()
    assert "è già usata dall&#x27;account «occupato»" in page
    assert not ReferentDesignation.objects.exists()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_it_invites_a_referent_designated_before(world: World, client_for: Any) -> None:
    request = ReferentRequest.objects.create(partnership=world.partnership, deadline=datetime.date(2024, 9, 30))
    url = reverse("census:referent_designate", args=[request.pk, "PUG_MAGLIE"])
    client_for("referent").post(url, _designation_data(invite=""))
    assert not Invitation.objects.exists()
    invite = reverse("census:referent_invite", args=[request.pk, "PUG_MAGLIE"])
    assert client_for("outsider").post(invite).status_code == 404
    assert client_for("supervisor").post(invite).status_code == 403
    client_for("coordinator").post(invite)
    assert Invitation.objects.get().ambito == world.maglie


def test_it_invites_a_supervisor_with_one_account_for_one_codice_fiscale(world: World, client_for: Any) -> None:
    code = census_factories.tax_code(41)
    record = factories.supervisor(world.partnership, tax_code=code, email="chiara.longo@example.it")
    response = client_for("coordinator").post(reverse("supervisors:supervisor_invite", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.user is not None
    assert record.user.tax_code == code
    assert RoleAssignment.objects.filter(user=record.user, role=Role.SUPERVISOR, partnership=world.partnership).exists()
    assert AuditEntry.objects.filter(code="supervisors.supervisor.account_linked", object_id=str(record.pk)).exists()
    # The same person registered by San Severo: the same account, not a namesake's new one.
    other = factories.supervisor(world.sansevero_partnership, tax_code=code, email="chiara.longo@example.it")
    client_for("admin").post(reverse("supervisors:supervisor_invite", args=[other.pk]))
    other.refresh_from_db()
    assert other.user == record.user
    namesake = factories.supervisor(
        world.sansevero_partnership, tax_code=census_factories.tax_code(42), email="altra.chiara@example.it"
    )
    client_for("admin").post(reverse("supervisors:supervisor_invite", args=[namesake.pk]))
    namesake.refresh_from_db()
    assert namesake.user is not None
    assert namesake.user != record.user


def test_it_refuses_to_invite_a_supervisor_without_codice_fiscale(world: World, client_for: Any) -> None:
    record = factories.supervisor(world.partnership, email="senza.cf@example.it")
    page = client_for("coordinator").post(reverse("supervisors:supervisor_invite", args=[record.pk]), follow=True)
    assert "Indica il codice fiscale" in page.content.decode()
    assert client_for("referent").post(reverse("supervisors:supervisor_invite", args=[record.pk])).status_code == 403
    assert not Invitation.objects.exists()
    assert not Supervisor.objects.filter(user__isnull=False, pk=record.pk).exists()


def test_it_registers_and_invites_a_supervisor_at_once(world: World, client_for: Any) -> None:
    data = {
        "tenant": f"p:{world.partnership.pk}",
        "surname": "Verdi",
        "name": "Anna",
        "tax_code": census_factories.tax_code(43),
        "email": "anna.verdi@example.it",
        "profession": "assistente_sociale",
        "years_social_work": "10",
        "years_supervising_as": "2",
        "external": "on",
        "active": "on",
        "invite": "on",
    }
    response = client_for("coordinator").post(reverse("supervisors:supervisor_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = Supervisor.objects.get(surname="Verdi")
    assert record.user is not None
    assert Invitation.objects.get().user == record.user


def test_it_lets_an_administrator_link_an_existing_account_by_codice_fiscale(world: World, client_for: Any) -> None:
    census = census_factories.census_of(world, world.casarano)
    person = census_factories.person(44)
    census_factories.position(census, person)
    account = User.objects.create_user(username="gia.esistente", email="gia@example.it")
    url = reverse("census:person_account", args=[person.pk])
    assert client_for("coordinator").post(url, {"account": "gia.esistente"}).status_code == 403
    assert client_for("admin").post(url, {"account": "gia@example.it"}).status_code == 302
    person.refresh_from_db()
    account.refresh_from_db()
    assert person.user == account
    assert account.tax_code == person.tax_code
    assert AuditEntry.objects.filter(code="census.person.account_linked", object_id=str(person.pk)).exists()
    # Another person cannot take the same account.
    other = census_factories.person(45)
    page = client_for("admin").post(reverse("census:person_account", args=[other.pk]), {"account": "gia.esistente"})
    assert "è di un&#x27;altra persona" in page.content.decode()
    other.refresh_from_db()
    assert other.user is None
