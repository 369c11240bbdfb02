"""Organisations are not a shared notice board (issue 13, point 4).

Every tenant reads an organisation's name and kind; editing it belongs to administrators and to the tenants
that use it (territory/organisation_use.py), with the audit saying who and for whom; a freelance
professional's personal data shows only to the tenants that use him.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervisione.accounts.models import Role, RoleAssignment, User
from supervisione.audit.actions import save_audited
from supervisione.audit.models import AuditEntry
from supervisione.census.tests import factories as census_factories
from supervisione.procurement.models import CoDesignMember, CoDesignTable
from supervisione.territory.models import Organisation, OrganisationKind
from supervisione.testing import factories
from supervisione.testing.world import PERSONAS, World

EVERYONE = [name for name, _role, _where in PERSONAS]
TAX_CODE = "RSSMRA85T10A562S"


def _edit_data(organisation: Organisation, **changes: str) -> dict[str, str]:
    organisation.refresh_from_db()  # the version the edit page shows now
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "email": organisation.email,
        "lock_version": str(organisation.lock_version),
    }
    data.update(changes)
    return data


def _answers(client_for: Any, url: str) -> dict[str, int]:
    return {persona: client_for(persona).get(url).status_code for persona in EVERYONE}


def _expect(allowed: set[str], hidden: set[str] | frozenset[str] = frozenset()) -> dict[str, int]:
    return {persona: 200 if persona in allowed else 404 if persona in hidden else 403 for persona in EVERYONE}


def _sansevero_coordinator(world: World) -> Client:
    user = User.objects.create_user(username="coordinatore.sansevero")
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR, partnership=world.sansevero_partnership)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_it_lets_only_the_tenants_that_use_a_provider_edit_it(world: World, client_for: Any) -> None:
    provider = factories.organisation(name="Cooperativa Sole", email="info@sole.example.it")
    factories.contract(world.sansevero_partnership, provider=provider)
    url = reverse("territory:organisation_edit", args=[provider.pk])
    assert _answers(client_for, url) == _expect({"admin"})
    for persona in ("coordinator", "referent", "outsider"):
        response = client_for(persona).post(url, _edit_data(provider, name="Presa", email="phish@example.it"))
        assert response.status_code == 403
    provider.refresh_from_db()
    assert (provider.name, provider.email) == ("Cooperativa Sole", "info@sole.example.it")
    assert url not in client_for("coordinator").get(provider.get_absolute_url()).content.decode()
    # San Severo's coordinator uses it: may correct it, and the audit says who and for whom.
    client = _sansevero_coordinator(world)
    assert client.post(url, _edit_data(provider, email="segreteria@sole.example.it")).status_code == 302
    provider.refresh_from_db()
    assert provider.email == "segreteria@sole.example.it"
    entry = AuditEntry.objects.get(object_id=str(provider.pk), action="update")
    assert entry.username == "coordinatore.sansevero"
    assert entry.message == "Per conto di SANSEVERO-114"


@pytest.mark.parametrize(
    ("link", "allowed"),
    [
        ("partnership_contract", {"admin", "coordinator"}),
        ("ambito_contract", {"admin", "coordinator", "referent"}),
        ("census_employer", {"admin", "coordinator", "referent"}),
        ("supervisor_body", {"admin", "coordinator"}),
        ("codesign_member", {"admin", "coordinator"}),
        ("codesign_proposer", {"admin", "coordinator"}),
        ("registered_for_maglie", {"admin", "coordinator", "referent"}),
        ("registered_for_treviso", {"admin", "outsider"}),
        ("nothing", {"admin"}),
    ],
)
def test_it_defines_use_by_each_link(world: World, client_for: Any, link: str, allowed: set[str]) -> None:
    organisation = factories.organisation(name="Ente collegato")
    if link == "partnership_contract":
        factories.contract(world.partnership, provider=organisation)
    elif link == "ambito_contract":
        factories.contract(None, ambito=world.maglie, provider=organisation)
    elif link == "census_employer":
        census = census_factories.census_of(world)
        census_factories.position(census, census_factories.person(1), employer=organisation)
    elif link == "supervisor_body":
        factories.supervisor(world.partnership, provider=organisation)
    elif link == "codesign_member":
        table = factories.codesign_table(factories.contract(world.partnership))
        CoDesignMember.objects.create(table=table, organisation=organisation, role="Proponente")
    elif link == "codesign_proposer":
        CoDesignTable.objects.create(
            contract=factories.contract(world.partnership),
            opened_on=datetime.date(2024, 10, 23),
            proposer=organisation,
        )
    elif link == "registered_for_maglie":
        Organisation.objects.filter(pk=organisation.pk).update(created_for_ambito=world.maglie)
    elif link == "registered_for_treviso":
        Organisation.objects.filter(pk=organisation.pk).update(created_for_partnership=world.treviso_partnership)
    url = reverse("territory:organisation_edit", args=[organisation.pk])
    assert _answers(client_for, url) == _expect(allowed)


def test_it_shows_a_professionals_personal_data_only_to_the_tenants_that_contract_him(
    world: World, client_for: Any
) -> None:
    professional = Organisation.objects.create(
        name="Mario Rossi", kind=OrganisationKind.PROFESSIONAL, tax_code=TAX_CODE, email="mario@example.it"
    )
    professional.name = "Mario Rossi (studio)"
    save_audited(professional, by=world.admin)  # a history entry that must not leak either
    factories.contract(world.sansevero_partnership, provider=professional)
    detail = professional.get_absolute_url()
    listing = reverse("territory:organisation_list")
    for persona in ("coordinator", "referent", "supervisor", "supervisee", "outsider"):
        client = client_for(persona)
        for page in (client.get(detail), client.get(listing)):
            assert page.status_code == 200
            text = page.content.decode()
            assert TAX_CODE not in text
            assert "mario@example.it" not in text
        # The search by tax code finds him only for who may read it (the page repeats what was typed).
        assert "Mario Rossi" not in client.get(listing, {"q": TAX_CODE}).content.decode()
    for persona in ("observer", "national_observer", "nobody"):
        assert client_for(persona).get(detail).status_code == 404
        assert "Mario Rossi" not in client_for(persona).get(listing).content.decode()
    for client in (client_for("admin"), _sansevero_coordinator(world)):
        assert TAX_CODE in client.get(detail).content.decode()
        assert TAX_CODE in client.get(listing).content.decode()
        assert "Mario Rossi" in client.get(listing, {"q": TAX_CODE}).content.decode()
    # Once Poggiardo contracts him too, its coordinator reads them.
    factories.contract(world.partnership, provider=professional)
    assert TAX_CODE in client_for("coordinator").get(detail).content.decode()


def test_it_answers_404_to_who_cannot_see_a_professional_and_403_to_who_only_reads_him(
    world: World, client_for: Any
) -> None:
    professional = Organisation.objects.create(name="Mario Rossi", kind=OrganisationKind.PROFESSIONAL)
    factories.contract(world.partnership, provider=professional)
    url = reverse("territory:organisation_edit", args=[professional.pk])
    hidden = {"observer", "national_observer", "nobody"}
    assert _answers(client_for, url) == _expect({"admin", "coordinator"}, hidden)


def test_it_registers_an_organisation_for_a_tenant_of_the_author_which_may_then_correct_it(
    world: World, client_for: Any
) -> None:
    create = reverse("territory:organisation_create")
    client = client_for("coordinator")
    form = client.get(create).content.decode()
    assert "Partenariato POGGIARDO-114" in form
    assert "Ambito di Maglie" in form
    assert "SANSEVERO" not in form
    data = {"name": "Cooperativa Nuova", "kind": "cooperative", "tenant": f"p:{world.partnership.pk}"}
    assert client.post(create, data).status_code == 302
    organisation = Organisation.objects.get(name="Cooperativa Nuova")
    assert organisation.created_for_partnership == world.partnership
    entry = AuditEntry.objects.get(object_id=str(organisation.pk), action="create")
    assert (entry.username, entry.message, entry.partnership_id) == (
        "coordinator",
        "Registrata per conto di POGGIARDO-114",
        world.partnership.pk,
    )
    edit = reverse("territory:organisation_edit", args=[organisation.pk])
    assert client.get(edit).status_code == 200
    assert client_for("outsider").get(edit).status_code == 403
    # Administrators register without a tenant.
    assert client_for("admin").post(create, {"name": "Ente di tutti", "kind": "other"}).status_code == 302
    assert Organisation.objects.get(name="Ente di tutti").created_for_partnership is None
