"""Objectives of a tender or Piano di Zona on burn-out (issue 19.5): assessed on the shown totals only, recorded
and removed by those who edit the tenant (audited), read by those who read its results, 404 for everyone else."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.testing.world import World
from supervisione.wellbeing import results
from supervisione.wellbeing.models import Objective, Wave
from supervisione.wellbeing.objectives import Status, assess, assess_all
from supervisione.wellbeing.tests import factories

URL = "wellbeing:objectives_partnership"


def _objective(world: World, kind: str, target: Decimal | None = None, scale: str = "work") -> Objective:
    return Objective(
        partnership=world.partnership,
        title="Prevenire il burn-out",
        year=2025,
        scale_key=scale,
        kind=kind,
        target=target,
    )


def _table(wave: Wave) -> results.Table:
    return results.tenant_table(results.tenant_waves(wave))


def test_each_indicator_reads_the_pooled_totals(world: World) -> None:
    # Baseline 6 at 50 and 6 at 75 (mean 62.5, all at 50 or more); follow-up 6 at 25 and 6 at 50 (37.5, half).
    first = factories.unit(world.partnership, "Gruppo A", [50] * 6, [25] * 6)
    factories.unit(world.partnership, "Gruppo B", [75] * 6, [50] * 6)
    table = _table(first)
    falls = assess(_objective(world, "mean_falls"), table)
    assert (falls.status, falls.baseline, falls.last, falls.last_label) == (
        Status.REACHED,
        Decimal("62.5"),
        Decimal("37.5"),
        "Follow-up 1",
    )
    assert assess(_objective(world, "share_falls"), table).status is Status.REACHED
    assert assess(_objective(world, "share_at_most", Decimal(40)), table).status is Status.NOT_REACHED
    assert assess(_objective(world, "share_at_most", Decimal(50)), table).status is Status.REACHED
    assert assess(_objective(world, "mean_at_most", Decimal("37.4")), table).status is Status.NOT_REACHED
    assert assess(_objective(world, "mean_at_most", Decimal("37.5")), table).last_text == "Follow-up 1: 37,5"


def test_equal_shown_figures_are_no_fall(world: World) -> None:
    first = factories.unit(world.partnership, "Gruppo A", [50] * 6, [50] * 6)
    assert assess(_objective(world, "mean_falls"), _table(first)).status is Status.NOT_REACHED


@pytest.mark.parametrize(
    ("follow_up", "reason"),
    [(None, "nessun follow-up chiuso"), ([25] * 6, "rilevazione iniziale: totale non mostrato (meno di 5 risposte")],
)
def test_missing_waves_or_a_hidden_total_make_it_not_assessable(
    world: World, follow_up: list[int] | None, reason: str
) -> None:
    first = factories.unit(world.partnership, "Gruppo A", [75, 75, 75, 50], follow_up)
    found = assess(_objective(world, "mean_falls"), _table(first))
    assert found.status is Status.NOT_ASSESSABLE
    assert found.reason.startswith(reason)
    assert found.baseline is None
    assert found.last is None
    assert assess(_objective(world, "mean_falls"), None).reason == "nessuna rilevazione"


def test_a_follow_up_still_open_is_not_read(world: World) -> None:
    first = factories.unit(world.partnership, "Gruppo A", [50] * 6)
    factories.wave(world.partnership, group=first.group, round=1)  # open
    assert assess(_objective(world, "mean_falls"), _table(first)).reason == "nessun follow-up chiuso"


def test_an_objective_of_a_year_not_over_is_provisional(world: World) -> None:
    first = factories.unit(world.partnership, "Gruppo A", [50] * 6, [25] * 6)
    table = _table(first)
    objective, hidden = _objective(world, "mean_falls"), _objective(world, "mean_falls", scale="personal")
    during, after = datetime.date(2025, 7, 30), datetime.date(2025, 12, 31)
    [found] = assess_all([objective], {2025: table}, today=during)
    assert (found.status, found.provisional, found.label) == (Status.REACHED, True, "finora raggiunto")
    [found] = assess_all([objective], {2025: table}, today=after)
    assert (found.provisional, found.label) == (False, "raggiunto")
    [found] = assess_all([objective], {2025: table}, until=datetime.date(2025, 6, 30), today=after)
    assert found.label == "finora raggiunto"  # a half-year report reads the year as it stood at its end
    [found] = assess_all([hidden], {}, today=during)
    assert found.label == "non valutabile"  # nothing to say "finora" of


def test_the_coordinator_records_and_removes_an_objective(world: World, client_for: Any) -> None:
    client = client_for("coordinator")
    url = reverse(URL, args=[world.partnership.code])
    data = {
        "title": "Prevenire e contrastare il burn out",
        "source": "Piano di Zona",
        "year": "2025",
        "scale_key": "work",
        "kind": "mean_at_most",
    }
    refused = client.post(url, data)
    assert "Per questo indicatore serve il valore da non superare." in refused.content.decode()
    assert not Objective.objects.exists()
    refused = client.post(url, {**data, "kind": "mean_falls", "target": "40"})
    assert "lascia vuoto il valore" in refused.content.decode()
    refused = client.post(url, {**data, "target": "140"})
    assert "Il valore va da 0 a 100" in refused.content.decode()
    assert not Objective.objects.exists()
    assert client.post(url, {**data, "target": "45,5"}).status_code == 302
    objective = Objective.objects.get()
    assert objective.target == Decimal("45.5")
    assert AuditEntry.objects.filter(code="wellbeing.objective.created").count() == 1
    page = client.get(url).content.decode()
    assert "Prevenire e contrastare il burn out" in page
    assert "non valutabile" in page
    assert client.post(reverse("wellbeing:objective_remove", args=[objective.pk])).status_code == 302
    assert not Objective.objects.exists()
    assert AuditEntry.objects.filter(code="wellbeing.objective.deleted").count() == 1


# persona -> (the page, recording, removing)
EXPECTED = {
    "admin": (200, 302, 302),
    "coordinator": (200, 302, 302),
    "supervisor": (200, 403, 403),
    "referent": (404, 404, 404),
    "supervisee": (404, 404, 404),
    "observer": (404, 404, 404),
    "outsider": (404, 404, 404),
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_it_answers_by_role(world: World, client_for: Any, persona: str) -> None:
    objective = _objective(world, "mean_falls")
    objective.save()
    client = client_for(persona)
    url = reverse(URL, args=[world.partnership.code])
    data = {"title": "Altro", "year": "2025", "scale_key": "work", "kind": "mean_falls"}
    statuses = (
        client.get(url).status_code,
        client.post(url, data).status_code,
        client.post(reverse("wellbeing:objective_remove", args=[objective.pk])).status_code,
    )
    assert statuses == EXPECTED[persona]


def test_the_ats_referent_keeps_the_ats_objectives(world: World, client_for: Any) -> None:
    url = reverse("wellbeing:objectives_ambito", args=[world.maglie.code])
    client = client_for("referent")
    data = {"title": "Burn-out in calo", "year": "2025", "scale_key": "personal", "kind": "share_falls"}
    assert client.post(url, data).status_code == 302
    assert Objective.objects.get().ambito == world.maglie
    assert client_for("outsider").get(url).status_code == 404


def test_a_supervisor_is_told_who_records_objectives(world: World, client_for: Any) -> None:
    data = {"title": "Altro", "year": "2025", "scale_key": "work", "kind": "mean_falls"}
    page = client_for("supervisor").post(reverse(URL, args=[world.partnership.code]), data).content.decode()
    assert "Gli obiettivi li registrano e li tolgono il coordinatore del partenariato" in page
    assert not Objective.objects.exists()
