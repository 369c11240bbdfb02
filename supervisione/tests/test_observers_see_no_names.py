"""Observers see aggregates, never people: not the staff who submitted, validated or returned a census, not
the reason given (free text that may name people), not who changed what in the history of a page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.census.tests.factories import census_of, person, position
from supervisione.testing.pages import form_data
from supervisione.testing.world import World

STAFF_SURNAME = "Martella"


def _name_the_staff(world: World) -> None:
    """The referent and the coordinator as the demo names staff: their login names are their names."""
    for user, first_name in ((world.referent, "Lucia"), (world.coordinator, "Paolo")):
        User.objects.filter(pk=user.pk).update(
            username=f"{first_name.lower()}.{STAFF_SURNAME.lower()}", first_name=first_name, last_name=STAFF_SURNAME
        )


def test_observers_follow_the_census_without_staff_names(world: World, client_for: Any) -> None:
    _name_the_staff(world)
    census = census_of(world)
    position(census, person(1))
    submit = reverse("census:census_submit", args=[census.campaign_id, census.ambito.code])
    assert client_for("referent").post(submit).status_code == 302
    validate = reverse("census:census_validate", args=[census.campaign_id, census.ambito.code])
    assert client_for("coordinator").post(validate).status_code == 302
    edit = reverse("census:campaign_edit", args=[census.campaign_id])
    changed = form_data(client_for("coordinator").get(edit).content.decode())  # with the version the page shows
    changed |= {"title": "Ricognizione 2024", "reference_date": "2024-12-31", "deadline": "2025-01-31", "notes": ""}
    assert client_for("coordinator").post(edit, changed).status_code == 302
    detail = reverse("census:census_detail", args=[census.campaign_id, census.ambito.code])
    campaign = reverse("census:campaign_detail", args=[census.campaign_id])
    admin = client_for("admin")
    assert f"da Paolo {STAFF_SURNAME}" in admin.get(detail).content.decode()  # "Validato il ... da Paolo Martella"
    assert "martella" in admin.get(campaign).content.decode()  # the history of the campaign: who changed it
    for persona in ("observer", "national_observer"):
        client = client_for(persona)
        page = client.get(detail).content.decode()
        assert "Validato il" in page
        assert STAFF_SURNAME.lower() not in page.lower(), persona
        page = client.get(campaign).content.decode()
        assert "censimenti validati" in page
        assert STAFF_SURNAME.lower() not in page.lower(), persona
        assert "Storico delle modifiche" not in page


def test_observers_read_no_return_reason(world: World, client_for: Any) -> None:
    census = census_of(world)
    position(census, person(1))
    args = [census.campaign_id, census.ambito.code]
    client_for("referent").post(reverse("census:census_submit", args=args))
    reason = "Manca la posizione di Anna Rossi"
    client_for("coordinator").post(reverse("census:census_return", args=args), {"reason": reason})
    detail = reverse("census:census_detail", args=args)
    assert reason in client_for("referent").get(detail).content.decode()
    page = client_for("observer").get(detail).content.decode()
    assert "Restituito per correzioni" in page
    assert reason not in page


def test_observers_see_no_history_of_changes(world: World, client_for: Any) -> None:
    _name_the_staff(world)
    edit = reverse("territory:ambito_edit", args=["PUG_MAGLIE"])
    data = form_data(client_for("referent").get(edit).content.decode())  # with the version the page shows
    data |= {"name": "Ambito di Maglie (nuovo nome)", "region": world.puglia.pk, "valid_from": "", "valid_to": ""}
    assert client_for("referent").post(edit, data).status_code == 302
    detail = reverse("territory:ambito_detail", args=["PUG_MAGLIE"])
    assert "lucia.martella" in client_for("admin").get(detail).content.decode()
    for persona in ("observer", "national_observer"):
        page = client_for(persona).get(detail).content.decode()
        assert "Ambito di Maglie (nuovo nome)" in page
        assert STAFF_SURNAME.lower() not in page.lower(), persona
