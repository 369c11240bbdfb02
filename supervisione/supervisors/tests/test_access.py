"""Every supervisor page against every persona: allowed (200), read-only (403) or invisible (404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervisione.supervisors.models import Document, Supervisor, Training
from supervisione.supervisors.tests.conftest import Records
from supervisione.testing.world import PERSONAS, World

PERSONA_NAMES = [name for name, _role, _where in PERSONAS]
INVISIBLE = {"outsider", "nobody"}  # POGGIARDO-114 and its ATS do not exist for them


def only(allowed: set[str], *, hidden: set[str] = INVISIBLE) -> dict[str, int]:
    return {name: 200 if name in allowed else 404 if name in hidden else 403 for name in PERSONA_NAMES}


MANAGERS = {"admin", "coordinator"}
READERS = MANAGERS | {"referent"}
LIST_ANYONE_WITH_A_ROLE = only(set(PERSONA_NAMES) - {"supervisee", "nobody"}, hidden=set())
MANAGERS_ANYWHERE = only({"admin", "coordinator", "outsider"}, hidden=set())

Url = Callable[[Records], str]

PAGES: list[tuple[str, Url, dict[str, int]]] = [
    ("supervisor_list", lambda _: reverse("supervisors:supervisor_list"), LIST_ANYONE_WITH_A_ROLE),
    ("supervisor_create", lambda _: reverse("supervisors:supervisor_create"), MANAGERS_ANYWHERE),
    ("own_detail", lambda r: reverse("supervisors:supervisor_detail", args=[r.own.pk]), only(READERS | {"supervisor"})),
    ("other_detail", lambda r: reverse("supervisors:supervisor_detail", args=[r.other.pk]), only(READERS)),
    (
        "maglie_detail",
        lambda r: reverse("supervisors:supervisor_detail", args=[r.maglie.pk]),
        only(READERS, hidden=INVISIBLE | {"supervisee"}),
    ),
    ("own_edit", lambda r: reverse("supervisors:supervisor_edit", args=[r.own.pk]), only(MANAGERS)),
    ("training_add", lambda r: reverse("supervisors:training_add", args=[r.own.pk]), only(MANAGERS | {"supervisor"})),
    (
        "training_edit",
        lambda r: reverse("supervisors:training_edit", args=[r.own.pk, r.training.pk]),
        only(MANAGERS | {"supervisor"}),
    ),
    ("other_training_add", lambda r: reverse("supervisors:training_add", args=[r.other.pk]), only(MANAGERS)),
    ("slot_add", lambda r: reverse("supervisors:slot_add", args=[r.own.pk]), only(MANAGERS | {"supervisor"})),
    ("absence_add", lambda r: reverse("supervisors:absence_add", args=[r.own.pk]), only(MANAGERS | {"supervisor"})),
    ("document_add", lambda r: reverse("supervisors:document_add", args=[r.own.pk]), only(MANAGERS | {"supervisor"})),
    (
        "declaration_add",
        lambda r: reverse("supervisors:declaration_add", args=[r.own.pk]),
        only(MANAGERS | {"supervisor"}),
    ),
    (
        "supervisor_document",
        lambda r: reverse("supervisors:document_download", args=[r.own_document.pk]),
        only(READERS | {"supervisor"}),
    ),
]


@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_it_answers_each_persona_as_the_scope_says(
    records: Records, client_for: Any, name: str, url: Url, expected: dict[str, int]
) -> None:
    target = url(records)
    answers = {persona: status(client_for(persona), target) for persona in PERSONA_NAMES}
    assert answers == expected


def status(client: Client, url: str) -> int:
    """The status of a GET. A streamed file (a download) is read to the end, which closes it as a server would;
    calling ``close()`` again would fire ``request_finished`` and close the database connection."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # type: ignore[attr-defined]  # a FileResponse
    return int(response.status_code)


def test_it_sends_anonymous_users_to_login(records: Records) -> None:
    login = reverse("accounts:login")
    for name, url, _expected in PAGES:
        response = Client().get(url(records))
        assert response.status_code == 302, name
        assert response["Location"].startswith(login), name


POSTS: list[tuple[str, Url, Callable[[Records], bool]]] = [
    (
        "training_delete",
        lambda r: reverse("supervisors:training_delete", args=[r.own.pk, r.training.pk]),
        lambda r: Training.objects.filter(pk=r.training.pk).exists(),
    ),
    (
        "document_delete",
        lambda r: reverse("supervisors:document_delete", args=[r.own_document.pk]),
        lambda r: Document.objects.filter(pk=r.own_document.pk).exists(),
    ),
]


@pytest.mark.parametrize(("name", "url", "exists"), POSTS, ids=[post[0] for post in POSTS])
def test_it_refuses_deletions_outside_the_scope_and_changes_nothing(
    records: Records, client_for: Any, name: str, url: Url, exists: Callable[[Records], bool]
) -> None:
    target = url(records)
    assert client_for("outsider").post(target).status_code == 404
    assert client_for("referent").post(target).status_code == 403
    assert client_for("observer").post(target).status_code == 403
    assert exists(records)
    assert client_for("coordinator").get(target).status_code == 405
    assert client_for("coordinator").post(target).status_code == 302
    assert not exists(records)


def test_it_lets_the_supervisor_delete_only_on_their_own_record(records: Records, client_for: Any) -> None:
    other_training = Training.objects.create(supervisor=records.other, title="Corso", institution="X", year=2020)
    client = client_for("supervisor")
    denied = client.post(reverse("supervisors:training_delete", args=[records.other.pk, other_training.pk]))
    assert denied.status_code == 403
    assert Training.objects.filter(pk=other_training.pk).exists()
    allowed = client.post(reverse("supervisors:training_delete", args=[records.own.pk, records.training.pk]))
    assert allowed.status_code == 302
    assert not Training.objects.filter(pk=records.training.pk).exists()


def test_it_does_not_let_a_supervisor_without_the_role_use_a_linked_record(
    records: Records, world: World, client_for: Any
) -> None:
    # A record linked to a user who is only a supervisee: the link alone gives nothing.
    records.other.user = world.supervisee
    records.other.save(update_fields=["user"])
    assert client_for("supervisee").get(records.other.get_absolute_url()).status_code == 403


def test_it_lists_every_supervisor_to_an_administrator(records: Records, client_for: Any) -> None:
    page = client_for("admin").get(reverse("supervisors:supervisor_list")).content.decode()
    assert all(name in page for name in ("Longo", "Russo", "Greco"))


def test_it_lists_only_the_supervisors_the_user_may_read(records: Records, client_for: Any) -> None:
    coordinator_page = client_for("coordinator").get(reverse("supervisors:supervisor_list")).content.decode()
    assert all(name in coordinator_page for name in ("Longo", "Russo", "Greco"))
    referent_page = client_for("referent").get(reverse("supervisors:supervisor_list")).content.decode()
    assert all(name in referent_page for name in ("Longo", "Russo", "Greco"))
    supervisor_page = client_for("supervisor").get(reverse("supervisors:supervisor_list")).content.decode()
    assert "Longo" in supervisor_page
    assert "Russo" not in supervisor_page
    assert "Greco" not in supervisor_page
    outsider_page = client_for("outsider").get(reverse("supervisors:supervisor_list")).content.decode()
    assert "Longo" not in outsider_page


def test_it_shows_observers_counts_and_never_names(records: Records, client_for: Any) -> None:
    for persona in ("observer", "national_observer"):
        page = client_for(persona).get(reverse("supervisors:supervisor_list")).content.decode()
        assert "dati aggregati" in page
        assert "Longo" not in page
        assert "Russo" not in page
        assert "Partenariato POGGIARDO-114 (POGGIARDO-114)" in page


def test_it_offers_only_managed_tenants_when_creating(records: Records, client_for: Any) -> None:
    page = client_for("outsider").get(reverse("supervisors:supervisor_create")).content.decode()
    assert "TREVISO-114" in page
    assert "POGGIARDO-114" not in page


def test_it_keeps_supervisor_records_out_of_reach_by_guessing(records: Records, client_for: Any) -> None:
    missing = Supervisor.objects.order_by("-pk").first()
    assert missing is not None
    assert (
        client_for("coordinator").get(reverse("supervisors:supervisor_detail", args=[missing.pk + 100])).status_code
        == 404
    )
