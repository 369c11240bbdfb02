"""Contracts and FNPS agreements refused with the reason (issue 17.3): roles that see the partnership but keep no
contract are told who keeps them, a referent that the coordinator records the agreements."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import escape

from supervisione.testing import factories
from supervisione.testing.pages import refusal
from supervisione.testing.world import World


def test_a_contract_says_who_keeps_contracts(world: World, client_for: Any) -> None:
    contract = factories.contract(world.partnership)
    for persona in ("supervisor", "supervisee"):
        page = refusal(client_for(persona).get(contract.get_absolute_url()))
        assert escape("I contratti li registrano e gestiscono i coordinatori dei partenariati") in page
    page = refusal(client_for("observer").get(contract.get_absolute_url()))
    assert escape("Il tuo ruolo di osservatore è di sola consultazione") in page


def test_the_agreements_say_who_records_and_who_reads_them(world: World, client_for: Any) -> None:
    code = world.partnership.code
    page = refusal(client_for("referent").get(reverse("procurement:agreement_create", args=[code])))
    assert escape(f"Gli accordi di ripartizione FNPS di {world.partnership.name} li registra e li modifica") in page
    assert f'href="{reverse("procurement:agreement_list", args=[code])}"' in page
    page = refusal(client_for("supervisor").get(reverse("procurement:agreement_list", args=[code])))
    assert escape("li consultano il coordinatore del partenariato e i referenti dei suoi ATS") in page
    page = refusal(client_for("observer").get(reverse("procurement:agreement_list", args=[code])))
    assert escape("Il tuo ruolo di osservatore è di sola consultazione") in page
