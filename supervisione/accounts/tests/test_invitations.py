"""Invitations (issue 17.1): from the census to a logged-in supervisee, the link's rules, resend, revoke, the
codice fiscale as the only key, and who manages the list of those who have not accepted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from supervisione.accounts.models import Invitation, Role, RoleAssignment, User
from supervisione.audit.models import AuditEntry
from supervisione.census.models import Census, Person
from supervisione.census.tests import factories as census_factories
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World

PASSWORD = "Una-password-per-l-invito-2026"
LINK = re.compile(r"http://testserver(/invito/[^/\s]+/)")


@pytest.fixture
def census(world: World) -> Census:
    return census_factories.census_of(world, world.casarano)


def _person(census: Census, number: int, **values: Any) -> Person:
    values.setdefault("email", f"persona{number}@example.it")
    person = census_factories.person(number, **values)
    census_factories.position(census, person)
    return person


def _invite(client: Client, census: Census, *people: Person) -> Any:
    url = reverse("census:census_invite", args=[census.campaign_id, census.ambito.code])
    return client.post(url, {"people": [person.pk for person in people]}, follow=True)


def _link(message: mail.EmailMessage) -> str:
    found = LINK.search(str(message.body))
    assert found, message.body
    return found.group(1)


def test_it_takes_an_invited_person_from_the_census_to_their_calendar(
    world: World, client_for: Any, census: Census
) -> None:
    person = _person(census, 1)
    page = client_for("coordinator").get(census.get_absolute_url()).content.decode()
    assert 'name="people"' in page
    assert "nessun account" in page

    response = _invite(client_for("coordinator"), census, person)
    assert "1 invito inviato: persona1@example.it" in response.content.decode()
    person.refresh_from_db()
    user = person.user
    assert user is not None
    assert user.tax_code == person.tax_code
    assert not user.has_usable_password()
    assert RoleAssignment.objects.filter(user=user, role=Role.SUPERVISEE, ambito=world.casarano).exists()
    (message,) = mail.outbox
    assert message.to == ["persona1@example.it"]
    assert "Operatore (supervisionato)" in str(message.body)
    assert user.get_username() in str(message.body)

    invited = Client()
    assert invited.get(reverse("sessions:home")).status_code == 302  # not logged in yet
    link = _link(message)
    form = invited.get(link)
    assert "Attiva il tuo account" in form.content.decode()
    done = invited.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    assert invited.get(reverse("sessions:home")).status_code == 200  # was 403 without the link to the person
    assert invited.get(reverse("sessions:person_calendar", args=[person.pk])).status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    invitation = Invitation.objects.get(user=user)
    assert invitation.accepted_at is not None
    assert invitation.token_hash == ""
    codes = set(
        AuditEntry.objects.filter(object_id__in=[str(user.pk), str(person.pk), str(invitation.pk)]).values_list(
            "code", flat=True
        )
    )
    assert {
        "accounts.user.created",
        "census.person.account_linked",
        "accounts.invitation.sent",
        "accounts.invitation.accepted",
    } <= codes
    # The link works once.
    again = Client().get(link)
    assert "non è valido" in again.content.decode()
    # And the person logs in with the e-mail as user name.
    login = Client().post(reverse("accounts:login"), {"username": user.get_username(), "password": PASSWORD})
    assert login.status_code == 302
    assert login.headers["Location"] == reverse("home:home")
    assert "account attivo" in client_for("coordinator").get(census.get_absolute_url()).content.decode()


def test_it_keeps_only_a_hash_of_the_token(world: World, client_for: Any, census: Census) -> None:
    _invite(client_for("coordinator"), census, _person(census, 2))
    token = _link(mail.outbox[0]).split("/")[2]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64


def test_it_lets_the_link_expire_after_the_days_of_the_setting(
    world: World, client_for: Any, census: Census, settings: Any
) -> None:
    settings.INVITATION_DAYS = 3
    with frozen(2026, 3, 2):
        _invite(client_for("coordinator"), census, _person(census, 3))
    link = _link(mail.outbox[0])
    with frozen(2026, 3, 5, 9):
        assert "Attiva il tuo account" in Client().get(link).content.decode()
    with frozen(2026, 3, 5, 11):
        expired = Client().get(link).content.decode()
        assert "scaduto il 05/03/2026" in expired
        response = Client().post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
        assert response.status_code == 200
    assert not Invitation.objects.get().user.has_usable_password()


def test_it_invalidates_the_old_link_when_sent_again(world: World, client_for: Any, census: Census) -> None:
    _invite(client_for("coordinator"), census, _person(census, 4))
    old = _link(mail.outbox[0])
    invitation = Invitation.objects.get()
    response = client_for("coordinator").post(reverse("accounts:invitation_resend", args=[invitation.pk]), follow=True)
    assert "il link precedente non vale più" in response.content.decode()
    new = _link(mail.outbox[1])
    assert new != old
    assert "non è valido" in Client().get(old).content.decode()
    assert Client().post(new, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 302
    assert AuditEntry.objects.filter(code="accounts.invitation.resent", object_id=str(invitation.pk)).exists()


def test_it_revokes_an_invitation_disabling_the_account_and_its_role(
    world: World, client_for: Any, census: Census
) -> None:
    person = _person(census, 5)
    _invite(client_for("coordinator"), census, person)
    link = _link(mail.outbox[0])
    invitation = Invitation.objects.get()
    client_for("coordinator").post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.token_hash == ""
    assert not invitation.user.is_active
    assert not RoleAssignment.objects.filter(user=invitation.user).exists()
    assert "non è valido" in Client().get(link).content.decode()
    assert AuditEntry.objects.filter(code="accounts.invitation.revoked", ambito_id=world.casarano.pk).exists()
    # Invited again, the person gets the same account back (it is theirs, by codice fiscale).
    _invite(client_for("coordinator"), census, person)
    second = Invitation.objects.exclude(pk=invitation.pk).get()
    assert second.user_id == invitation.user_id
    assert second.user.is_active
    assert second.new_account


def test_it_links_by_codice_fiscale_never_by_name(world: World, client_for: Any, census: Census) -> None:
    namesake = User.objects.create_user(
        username="mario.rossi", first_name="Mario", last_name="Rossi", email="mario.rossi@example.it"
    )
    first = _person(census, 6, surname="Rossi", name="Mario", email="rossi.uno@example.it")
    second = _person(census, 7, surname="Rossi", name="Mario", email="rossi.due@example.it")
    _invite(client_for("coordinator"), census, first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.user is not None
    assert first.user != namesake
    assert first.user.tax_code == first.tax_code
    assert second.user is None
    _invite(client_for("coordinator"), census, second)
    second_account = Person.objects.get(pk=second.pk).user
    assert second_account is not None
    assert second_account not in (first.user, namesake)


def test_it_refuses_bad_input_and_changes_nothing(world: World, client_for: Any, census: Census) -> None:
    client = client_for("coordinator")
    fine = _person(census, 8)
    no_email = _person(census, 9, email="")
    response = _invite(client, census, fine, no_email).content.decode()
    assert "Nessun invito inviato" in response
    assert "non ha un indirizzo e-mail" in response
    other = User.objects.create_user(username="altro", email="persona10@example.it")
    taken = _person(census, 10)
    assert "è già usata dall&#x27;account «altro»" in _invite(client, census, taken).content.decode()
    linked = _person(census, 11, user=other)
    other.tax_code = census_factories.tax_code(99)
    other.save(update_fields=["tax_code"])
    assert "di un&#x27;altra persona" in _invite(client, census, linked).content.decode()
    stranger = census_factories.person(12, email="estraneo@example.it")
    assert "non è in questo censimento" in _invite(client, census, stranger).content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox
    assert not User.objects.filter(email="persona8@example.it").exists()
    assert Person.objects.get(pk=fine.pk).user is None


def test_it_refuses_an_invalid_email_address(world: World, client_for: Any, census: Census) -> None:
    # The census form validates e-mails; an import or an older row may still hold a bad one.
    person = _person(census, 13)
    Person.objects.filter(pk=person.pk).update(email="non-una-mail")
    page = _invite(client_for("coordinator"), census, person).content.decode()
    assert "non è un&#x27;e-mail valida" in page
    assert not Invitation.objects.exists()


PAGES = {
    "coordinator": (200, 200),
    "referent": (403, 404),  # the referent of Maglie: the partnership read-only, Casarano's list not his
    "supervisor": (403, 403),
    "supervisee": (403, 403),
    "observer": (403, 403),
    "outsider": (404, 404),
    "nobody": (404, 404),
    "admin": (200, 200),
}


@pytest.mark.parametrize("persona", sorted(PAGES))
def test_it_shows_who_has_not_accepted_only_to_who_manages_them(
    world: World, client_for: Any, census: Census, persona: str
) -> None:
    _invite(client_for("coordinator"), census, _person(census, 14))
    invitation = Invitation.objects.get()
    partnership_page = reverse("accounts:partnership_invitations", args=[world.partnership.code])
    ambito_page = reverse("accounts:ambito_invitations", args=[world.casarano.code])
    client = client_for(persona)
    expected = PAGES[persona]
    assert (client.get(partnership_page).status_code, client.get(ambito_page).status_code) == expected
    if expected[0] == 200:
        assert "persona14@example.it" in client.get(partnership_page).content.decode()
    revoke = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    if persona in ("coordinator", "admin"):
        assert invitation.revoked_at is not None
    else:
        assert revoke.status_code == (404 if persona in ("outsider", "nobody", "referent") else 403)
        assert invitation.revoked_at is None


def test_it_lets_a_referent_invite_and_manage_the_people_of_his_own_ats(world: World, client_for: Any) -> None:
    maglie = census_factories.census_of(world, world.maglie)
    casarano = Census.objects.get(campaign=maglie.campaign, ambito=world.casarano)
    mine, theirs = _person(maglie, 15), _person(casarano, 16)
    assert "1 invito inviato" in _invite(client_for("referent"), maglie, mine).content.decode()
    assert _invite(client_for("referent"), casarano, theirs).status_code == 404
    page = client_for("referent").get(reverse("accounts:ambito_invitations", args=[world.maglie.code]))
    assert "persona15@example.it" in page.content.decode()
    assert client_for("supervisee").post(
        reverse("census:census_invite", args=[maglie.campaign_id, "PUG_MAGLIE"]), {"people": [mine.pk]}
    ).status_code in (403, 404)
    assert Invitation.objects.count() == 1


def test_it_gives_an_account_in_use_the_new_role_without_a_link(world: World, client_for: Any) -> None:
    maglie = census_factories.census_of(world, world.maglie)
    person = _person(maglie, 17)
    _invite(client_for("coordinator"), maglie, person)
    Client().post(_link(mail.outbox[0]), {"new_password1": PASSWORD, "new_password2": PASSWORD})
    casarano = Census.objects.get(campaign=maglie.campaign, ambito=world.casarano)
    census_factories.position(casarano, person, service="segretariato")
    _invite(client_for("coordinator"), casarano, person)
    assert "nuovo ruolo" in str(mail.outbox[1].subject)
    assert "/invito/" not in str(mail.outbox[1].body)
    person.refresh_from_db()
    assert set(RoleAssignment.objects.filter(user=person.user).values_list("ambito__code", flat=True)) == {
        "PUG_MAGLIE",
        "PUG_CASARANO",
    }
    again = _invite(client_for("coordinator"), casarano, person).content.decode()
    assert "ha già un account attivo" in again
