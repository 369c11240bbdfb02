"""A reader asked to change a meeting or a request is told who convenes or makes it (issue 17.3), with a link back."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.html import escape

from supervisione.meetings.models import TaskStatus
from supervisione.meetings.tests import factories
from supervisione.testing.pages import refusal
from supervisione.testing.world import World


def test_an_invited_referent_is_told_who_convenes_the_meeting(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership, invite=world.maglie)
    page = refusal(client_for("referent").get(reverse("meetings:meeting_edit", args=[meeting.pk])))
    assert (
        escape(f"La riunione «{meeting}» la convocano e la gestiscono i coordinatori di {world.partnership.name}")
        in page
    )
    assert f'href="{meeting.get_absolute_url()}"' in page
    assert "Torna alla riunione" in page


def test_a_request_is_changed_and_closed_by_who_made_it(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership, invite=world.maglie)
    task = factories.task(meeting, world.maglie)
    page = refusal(client_for("referent").get(reverse("meetings:task_edit", args=[task.pk])))
    assert escape(f"La richiesta «{task.title}» è rivolta a te o al tuo ATS") in page
    assert f'href="{task.get_absolute_url()}"' in page
    page = refusal(client_for("referent").post(task.get_absolute_url(), {"outcome": "done", "note": "Fatto"}))
    assert escape("la modificano e la chiudono i coordinatori") in page
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_a_closed_request_is_not_closed_again(world: World, client_for: Any) -> None:
    meeting = factories.meeting(world.partnership)
    task = factories.task(meeting, world.maglie, status=TaskStatus.DONE, done_on=datetime.date(2023, 4, 15))
    page = refusal(client_for("coordinator").post(task.get_absolute_url(), {"outcome": "done", "note": "Fatto"}))
    assert escape("La richiesta è già chiusa come «fatta»") in page
