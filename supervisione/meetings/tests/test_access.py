"""Who sees and changes a meeting: its convenors edit, the referents of invited ATS and invited users read, the
others (supervisors and supervisees not invited, observers, the outsider, users without roles) get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervisione.meetings.tests import factories
from supervisione.testing.world import World

# persona -> (detail page, edit page) for a partnership meeting to which Maglie's head of the Ufficio di Piano
# is invited.
EXPECTED = {
    "admin": (200, 200),
    "coordinator": (200, 200),
    "referent": (200, 403),
    "supervisor": (404, 404),
    "supervisee": (404, 404),
    "observer": (404, 404),
    "national_observer": (404, 404),
    "outsider": (404, 404),
    "nobody": (404, 404),
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_it_scopes_a_partnership_meeting(world: World, client_for: Any, persona: str) -> None:
    meeting = factories.meeting(world.partnership, invite=world.maglie)
    client = client_for(persona)
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code
    edit = client.get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code
    assert (detail, edit) == EXPECTED[persona]
    listed = meeting.title in client.get(reverse("meetings:meeting_list")).content.decode()
    assert listed == (EXPECTED[persona][0] == 200)


def test_it_hides_a_meeting_from_the_referents_of_ats_not_invited(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership, invite=world.casarano)
    assert client_for("referent").get(meeting.get_absolute_url()).status_code == 404


def test_it_shows_a_meeting_to_a_user_invited_in_person(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership)
    factories.invitee(meeting, world.casarano, name="Supervisee Casarano", user=world.supervisee)
    client = client_for("supervisee")
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.post(reverse("meetings:convene", args=[meeting.pk])).status_code == 403


def test_it_lets_those_who_edit_an_ats_manage_its_meetings(world: World, client_for: Any) -> None:
    meeting = factories.meeting(ambito=world.maglie)
    for persona, status in {"referent": 200, "coordinator": 200, "outsider": 404, "supervisee": 404}.items():
        assert client_for(persona).get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == status


def test_it_refuses_a_meeting_in_a_partnership_the_user_does_not_coordinate(world: World, client_for: Any) -> None:
    url = reverse("meetings:meeting_create_partnership", args=[world.partnership.code])
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("referent").get(url).status_code == 403  # visible, not editable


def test_it_lists_meetings_in_a_fixed_number_of_queries(world: World, client_for: Any) -> None:
    client = client_for("referent")
    factories.meeting(world.partnership, invite=world.maglie)
    client.get(reverse("home:home"))  # the session's first page saves it (SessionRefreshMiddleware), later ones not
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("meetings:meeting_list"))
    for number in range(5):
        factories.meeting(world.partnership, invite=world.maglie, title=f"Riunione {number}")
    with CaptureQueriesContext(connection) as six:
        page = client.get(reverse("meetings:meeting_list")).content.decode()
    assert page.count("Riunione ") >= 5
    assert len(six.captured_queries) == len(one.captured_queries)
