"""Every contract page against every persona: allowed (200), read-only (403) or invisible (404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from supervisione.procurement.models import Contract, ContractDocument, ContractLine
from supervisione.procurement.tests.conftest import Records
from supervisione.testing.frozen import frozen
from supervisione.testing.world import PERSONAS, World

PERSONA_NAMES = [name for name, _role, _where in PERSONAS]
INVISIBLE = {"outsider", "nobody"}  # POGGIARDO-114 and its ATS do not exist for them


def only(allowed: set[str], *, hidden: set[str] = INVISIBLE) -> dict[str, int]:
    return {name: 200 if name in allowed else 404 if name in hidden else 403 for name in PERSONA_NAMES}


MANAGERS = {"admin", "coordinator"}
READERS = MANAGERS | {"referent"}
MANAGERS_ANYWHERE = only({"admin", "coordinator", "outsider"}, hidden=set())

Url = Callable[[Records], str]

PAGES: list[tuple[str, Url, dict[str, int]]] = [
    (
        "contract_list",
        lambda _: reverse("procurement:contract_list"),
        only({"admin", "coordinator", "referent", "outsider"}, hidden=set()),
    ),
    ("contract_create", lambda _: reverse("procurement:contract_create"), MANAGERS_ANYWHERE),
    ("contract_detail", lambda r: reverse("procurement:contract_detail", args=[r.contract.pk]), only(READERS)),
    ("contract_edit", lambda r: reverse("procurement:contract_edit", args=[r.contract.pk]), only(MANAGERS)),
    ("line_add", lambda r: reverse("procurement:line_add", args=[r.contract.pk]), only(MANAGERS)),
    ("line_edit", lambda r: reverse("procurement:line_edit", args=[r.contract.pk, r.line.pk]), only(MANAGERS)),
    ("funding_add", lambda r: reverse("procurement:funding_add", args=[r.contract.pk]), only(MANAGERS)),
    (
        "funding_edit",
        lambda r: reverse("procurement:funding_edit", args=[r.contract.pk, r.funding.pk]),
        only(MANAGERS),
    ),
    ("deadline_add", lambda r: reverse("procurement:deadline_add", args=[r.contract.pk]), only(MANAGERS)),
    (
        "deadline_postpone",
        lambda r: reverse("procurement:deadline_postpone", args=[r.contract.pk, r.deadline.pk]),
        only(MANAGERS),
    ),
    (
        "contract_document_add",
        lambda r: reverse("procurement:contract_document_add", args=[r.contract.pk]),
        only(MANAGERS),
    ),
    ("codesign_edit", lambda r: reverse("procurement:codesign_edit", args=[r.contract.pk]), only(MANAGERS)),
    ("member_add", lambda r: reverse("procurement:member_add", args=[r.contract.pk]), only(MANAGERS)),
    (
        "codesign_sitting_create",
        lambda r: reverse("meetings:codesign_sitting_create", args=[r.contract.pk]),
        only(MANAGERS),
    ),
    (
        "contract_document",
        lambda r: reverse("procurement:contract_document_download", args=[r.contract.pk, r.contract_document.pk]),
        only(READERS),
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
        "line_delete",
        lambda r: reverse("procurement:line_delete", args=[r.contract.pk, r.line.pk]),
        lambda r: ContractLine.objects.filter(pk=r.line.pk).exists(),
    ),
    (
        "contract_document_delete",
        lambda r: reverse("procurement:contract_document_delete", args=[r.contract.pk, r.contract_document.pk]),
        lambda r: ContractDocument.objects.filter(pk=r.contract_document.pk).exists(),
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


@frozen(2026, 11, 10)
def test_it_hides_contract_money_from_the_supervisor(records: Records, client_for: Any) -> None:
    page = client_for("supervisor").get(records.own.get_absolute_url()).content.decode()
    assert "Supervisione con Aurora" not in page
    assert "20.000" not in page
    coordinator_page = client_for("coordinator").get(records.own.get_absolute_url()).content.decode()
    assert "Supervisione con Aurora" in coordinator_page


def test_it_lists_only_visible_contracts(records: Records, world: World, client_for: Any) -> None:
    Contract.objects.create(
        partnership=world.treviso_partnership, title="Gara Treviso", procedure="mepa", status="procedure"
    )
    coordinator_page = client_for("coordinator").get(reverse("procurement:contract_list")).content.decode()
    assert "Supervisione con Aurora" in coordinator_page
    assert "Gara Treviso" not in coordinator_page
    outsider_page = client_for("outsider").get(reverse("procurement:contract_list")).content.decode()
    assert "Gara Treviso" in outsider_page
    assert "Supervisione con Aurora" not in outsider_page


def test_it_keeps_a_contract_document_to_its_own_contract(records: Records, world: World, client_for: Any) -> None:
    other = Contract.objects.create(partnership=world.partnership, title="Altro contratto", procedure="direct")
    url = reverse("procurement:contract_document_download", args=[other.pk, records.contract_document.pk])
    assert client_for("coordinator").get(url).status_code == 404
