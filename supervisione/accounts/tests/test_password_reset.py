"""'Password dimenticata': Django's reset flow in Italian, which never tells whether an address has an account."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from supervisione.testing.world import World

NEW_PASSWORD = "Una-nuova-password-sicura-2026"


def test_it_offers_the_reset_on_the_login_page(world: World) -> None:
    assert reverse("accounts:password_reset") in Client().get(reverse("accounts:login")).content.decode()


def test_it_resets_a_password_through_the_emailed_link(world: World) -> None:
    world.referent.email = "referente@example.it"
    world.referent.save(update_fields=["email"])
    client = Client()
    sent = client.post(reverse("accounts:password_reset"), {"email": "REFERENTE@example.it"})
    assert sent.headers["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["referente@example.it"]
    assert "nuova password" in str(message.subject)
    assert "Il tuo nome utente è: referent" in str(message.body)
    link = re.search(r"http://testserver(/accedi/nuova-password/\S+/)", str(message.body))
    assert link
    form = client.get(link.group(1), follow=True)
    assert "Nuova password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.headers["Location"] == reverse("accounts:password_reset_complete")
    world.referent.refresh_from_db()
    assert world.referent.check_password(NEW_PASSWORD)
    # The link works once.
    assert "non è più valido" in Client().get(link.group(1), follow=True).content.decode()


def test_it_answers_the_same_for_an_unknown_address(world: World, client_for: Any) -> None:
    known = Client().post(reverse("accounts:password_reset"), {"email": "sconosciuto@example.it"}, follow=True)
    assert "Se l'indirizzo che hai scritto corrisponde a un account" in known.content.decode()
    assert not mail.outbox
