"""The 403 page says the real reason and the way forward (issue 17.3)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from supervisione.accounts.refusals import permission_denied
from supervisione.census.models import Census, CensusStatus
from supervisione.census.tests.factories import census_of
from supervisione.testing.pages import refusal
from supervisione.testing.world import World


def test_an_observer_is_told_the_role_only_reads_and_sent_to_the_observatory(world: World, client_for: Any) -> None:
    page = refusal(client_for("observer").get(reverse("territory:ambito_edit", args=[world.maglie.code])))
    assert "Il tuo ruolo di osservatore è di sola consultazione" in page
    assert f'href="{reverse("monitoring:observatory")}"' in page
    page = refusal(client_for("observer").get(reverse("sessions:home")))
    assert escape("I calendari mostrano persone e incontri") in page
    assert "Vai all&#x27;osservatorio" in page


def test_someone_of_another_ats_is_told_it_is_not_theirs(world: World, client_for: Any) -> None:
    page = refusal(client_for("supervisee").get(reverse("territory:ambito_edit", args=[world.casarano.code])))
    assert "Ambito di Casarano non è un ATS di cui sei referente" in page
    page = refusal(client_for("referent").get(reverse("territory:partnership_edit", args=[world.partnership.code])))
    assert "lo gestisce il coordinatore del partenariato" in page


def test_a_validated_census_says_how_to_have_it_reopened(world: World, client_for: Any) -> None:
    census = census_of(world)
    Census.objects.filter(pk=census.pk).update(status=CensusStatus.VALIDATED, submitted_at=timezone.now())
    url = reverse("census:position_create", args=[census.campaign_id, census.ambito.code])
    page = refusal(client_for("referent").get(url))
    assert "Il censimento di Ambito di Maglie è validato: è in sola lettura" in page
    assert escape("«Chiedi di riaprire il censimento»") in page
    assert f'href="{census.get_absolute_url()}"' in page
    Census.objects.filter(pk=census.pk).update(status=CensusStatus.SUBMITTED)
    page = refusal(client_for("referent").get(url))
    assert "è trasmesso al coordinatore: è in sola lettura finché non lo valida" in page


def test_a_supervisee_not_linked_to_a_person_is_told_whom_to_ask(client_for: Any) -> None:
    page = refusal(client_for("supervisee").get(reverse("sessions:home")))
    assert "Il tuo account non è ancora collegato a una persona del censimento" in page


def test_a_refusal_without_a_reason_keeps_the_default_words(world: World, rf: RequestFactory) -> None:
    # Every view now says why it refuses; the handler still words a bare PermissionDenied by itself.
    request = rf.get("/")
    request.user = world.user("observer")
    response = permission_denied(request, PermissionDenied())
    page = refusal(response)
    assert "Puoi consultare questa pagina ma non modificarla con il tuo ruolo." in page


def test_the_census_template_is_for_those_who_census(world: World, client_for: Any) -> None:
    page = refusal(client_for("observer").get(reverse("census:import_template")))
    assert "Il modello del censimento serve a chi censisce gli operatori" in page
