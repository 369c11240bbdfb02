"""The monitoring's 403 pages say why and where to go (issue 17.3): a supervisee is sent to their own dashboard, a
supervisor or an observer to the dashboard whose figures they read, everyone else to the list of their dashboards."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import escape

from supervisione.accounts.models import Role, RoleAssignment
from supervisione.sessions.tests.conftest import Cal
from supervisione.testing.pages import refusal
from supervisione.testing.world import World


def test_a_supervisee_is_sent_to_their_own_dashboard(cal: Cal, client_for: Any) -> None:
    page = refusal(client_for("supervisee").get(reverse("monitoring:partnership", args=["POGGIARDO-114"])))
    assert escape(f"Il cruscotto di {cal.world.partnership.name} è per chi coordina il partenariato") in page
    assert f'href="{reverse("monitoring:person", args=[cal.marco.pk])}"' in page
    assert "Vai al tuo cruscotto" in page


def test_a_supervisee_not_linked_to_a_person_is_told_how_to_get_a_dashboard(world: World, client_for: Any) -> None:
    page = refusal(client_for("supervisee").get(reverse("monitoring:ambito", args=["PUG_CASARANO"])))
    assert escape(f"Il cruscotto di {world.casarano.name} è per chi coordina") in page
    assert escape("quando il tuo account è collegato a una persona del censimento") in page
    page = refusal(client_for("supervisee").get(reverse("monitoring:index")))
    assert escape("Il tuo account non è ancora collegato a una persona del censimento") in page


def test_a_user_without_a_role_is_told_to_ask_for_one(world: World, client_for: Any) -> None:
    for name in ("monitoring:index", "monitoring:observatory"):
        page = refusal(client_for("nobody").get(reverse(name)))
        assert escape("Il tuo account non ha ancora un ruolo") in page


def test_the_observatory_is_for_observers(world: World, client_for: Any) -> None:
    page = refusal(client_for("coordinator").get(reverse("monitoring:observatory")))
    assert escape("è per gli osservatori regionali e nazionali") in page
    assert f'href="{reverse("monitoring:index")}"' in page


def test_a_role_elsewhere_is_sent_to_the_dashboards_it_follows(world: World, client_for: Any) -> None:
    # A supervisee of Casarano who supervises in San Severo sees Poggiardo's partnership, and follows it by no role.
    RoleAssignment.objects.create(user=world.supervisee, role=Role.SUPERVISOR, partnership=world.sansevero_partnership)
    page = refusal(client_for("supervisee").get(reverse("monitoring:partnership", args=["POGGIARDO-114"])))
    assert escape("nessuno dei tuoi ruoli vi rientra") in page
    assert "I tuoi cruscotti" in page


def test_a_referent_reads_the_supervisors_record_not_their_dashboard(cal: Cal, client_for: Any) -> None:
    page = refusal(client_for("referent").get(reverse("monitoring:supervisor", args=[cal.supervisor.pk])))
    assert escape("lo consultano il supervisore e chi lo incarica") in page
    assert f'href="{cal.supervisor.get_absolute_url()}"' in page


def test_the_report_sends_a_supervisor_and_an_observer_to_the_dashboard(cal: Cal, client_for: Any) -> None:
    dashboard = reverse("monitoring:partnership", args=["POGGIARDO-114"])
    page = refusal(client_for("supervisor").get(reverse("monitoring:partnership_report", args=["POGGIARDO-114"])))
    assert escape("La relazione al Coordinamento Istituzionale la preparano il coordinatore") in page
    assert escape("Le cifre dei gruppi, senza nomi né spesa, le trovi nel cruscotto") in page
    assert f'href="{dashboard}"' in page
    page = refusal(client_for("observer").get(reverse("monitoring:ambito_report", args=["PUG_MAGLIE"])))
    assert escape("Il tuo ruolo di osservatore vede le stesse cifre, aggregate, nel cruscotto") in page
    assert f'href="{reverse("monitoring:ambito", args=["PUG_MAGLIE"])}"' in page
    page = refusal(client_for("supervisor").get(reverse("monitoring:poa_monitoring", args=[cal.plan.pk])))
    assert escape("Il monitoraggio nel formato del POA riporta nomi e spesa") in page
    assert f'href="{dashboard}"' in page


def test_a2_hours_are_moved_by_who_manages_the_plan(cal: Cal, client_for: Any) -> None:
    url = reverse("monitoring:a2_pools", args=[cal.plan.pk])
    page = refusal(client_for("referent").post(url, {}))
    assert escape("Le ore A2 non usate le sposta chi gestisce il POA, il coordinatore del partenariato") in page
    assert f'href="{url}"' in page
    page = refusal(client_for("observer").post(url, {}))
    assert escape("Il tuo ruolo di osservatore è di sola consultazione") in page
