from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from supervisione.leps.parameters import DEFAULT_RULES, Prorate, rules_at
from supervisione.planning.models import RuleSet
from supervisione.testing.world import PERSONAS, World

NEXT_YEAR = datetime.date(timezone.localdate().year + 1, 1, 1)


def _data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "valid_from": NEXT_YEAR.isoformat(),
        "a1_min_hours_per_group": "16",
        "a2_pool_hours_per_a1_group": "15",
        "a3_min_hours_per_equipe": "6",
        "max_group_size": "15",
        "prorate": "off",
        "min_years_social_work": "5",
        "min_years_supervising_as": "2",
        "attendance_threshold": "0,80",
        "full_time_hours": "36",
        "leps_inhabitants_per_as": "5000",
        "target_inhabitants_per_as": "4000",
        "floor_inhabitants_per_as": "6500",
        "contribution_band1_eur": "40.000,00",
        "contribution_band2_eur": "20000",
        "fte_decimals": "2",
        "note": "",
    }
    data.update(changes)
    return data


def test_it_uses_the_scheda_defaults_until_a_rule_set_applies(db: Any) -> None:
    assert rules_at(datetime.date(2025, 1, 1)) == DEFAULT_RULES
    RuleSet.objects.create(
        valid_from=datetime.date(2026, 1, 1), a1_min_hours_per_group=Decimal(20), prorate="by_months"
    )
    assert rules_at(datetime.date(2025, 12, 31)) == DEFAULT_RULES
    from_2026 = rules_at(datetime.date(2026, 1, 1))
    assert from_2026.a1_min_hours_per_group == 20
    assert from_2026.prorate is Prorate.BY_MONTHS
    assert from_2026.a2_pool_hours_per_a1_group == 15


@pytest.mark.parametrize("persona", [name for name, _role, _where in PERSONAS])
def test_it_shows_the_rules_to_everyone_and_changes_them_only_for_admins(
    world: World, client_for: Any, persona: str
) -> None:
    assert client_for(persona).get(reverse("planning:parameters")).status_code == 200
    expected = 200 if persona == "admin" else 403
    assert client_for(persona).get(reverse("planning:parameters_create")).status_code == expected


def test_it_creates_a_rule_set_from_a_future_date_with_audit(world: World, client_for: Any) -> None:
    response = client_for("admin").post(
        reverse("planning:parameters_create"), _data(a1_min_hours_per_group="20", note="DGR 123/2026")
    )
    assert response.status_code == 302, response.content.decode()
    rule_set = RuleSet.objects.get()
    assert rule_set.contribution_band1_eur == Decimal("40000.00")
    assert rules_at(NEXT_YEAR).a1_min_hours_per_group == 20
    page = client_for("referent").get(reverse("planning:parameters")).content.decode()
    assert "DGR 123/2026" in page


def test_it_refuses_a_past_date_and_unordered_thresholds(world: World, client_for: Any) -> None:
    page = (
        client_for("admin")
        .post(
            reverse("planning:parameters_create"),
            _data(valid_from="2020-01-01", target_inhabitants_per_as="6000", attendance_threshold="1,5"),
        )
        .content.decode()
    )
    assert "valgono da una data futura" in page
    assert "Le soglie devono essere ordinate" in page
    assert "minore o uguale a 1" in page
    assert not RuleSet.objects.exists()


def test_it_locks_rule_sets_already_in_force(world: World, client_for: Any) -> None:
    past = RuleSet.objects.create(valid_from=datetime.date(2024, 1, 1))
    future = RuleSet.objects.create(valid_from=NEXT_YEAR)
    refused = client_for("admin").get(reverse("planning:parameters_edit", args=[past.pk]))
    assert refused.status_code == 403
    assert "I parametri in vigore dal 01/01/2024 non si modificano più" in refused.content.decode()
    response = client_for("admin").post(
        reverse("planning:parameters_edit", args=[future.pk]),
        _data(max_group_size="12", lock_version=future.lock_version),
    )
    assert response.status_code == 302
    future.refresh_from_db()
    assert future.max_group_size == 12


def test_it_writes_the_rules_in_italian(world: World, client_for: Any) -> None:
    text = client_for("coordinator").get(reverse("planning:parameters")).content.decode()
    assert '<td>Riproporzionamento per anno parziale</td><td class="text-end">nessuno: minimo annuale intero' in text
    assert '<td>Decimali degli FTE</td><td class="text-end">nessuno: FTE esatti' in text
    assert "40.000" in text
    assert ">None<" not in text
    assert ">off<" not in text
