"""Campaigns, the census workflow (draft -> submitted -> validated / returned) and the position form."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.census.models import Census, CensusCampaign, CensusStatus, Equipe, Person, Position, Service
from supervisione.census.tests.factories import census_of, organisation, person, position, tax_code
from supervisione.territory.models import OrganisationKind
from supervisione.testing.world import World


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "surname": "Greco",
        "name": "Rita",
        "tax_code": tax_code(7),
        "email": "rita@example.it",
        "profession": "assistente_sociale",
        "albo_region": "",
        "albo_section": "B",
        "albo_number": "321",
        "employer": "Comune di Maglie",
        "service": "ssp",
        "equipe_name": "",
        "contract": "permanent",
        "weekly_hours": "36",
        "funding": "",
        "start_date": "",
        "end_date": "",
    }
    data.update(changes)
    return data


def _url(name: str, census: Census) -> str:
    return reverse(name, args=[census.campaign_id, census.ambito.code])


def test_it_opens_a_campaign_with_a_census_per_member_copying_the_previous_positions(
    world: World, client_for: Any
) -> None:
    old = census_of(world, reference_date=datetime.date(2023, 12, 31))
    kept = position(old, person(1), on_behalf_of_ambito=True)
    position(old, person(2), end_date=datetime.date(2024, 3, 1))
    response = client_for("coordinator").post(
        reverse("census:campaign_create", args=["POGGIARDO-114"]),
        {"title": "Ricognizione 2025", "reference_date": "2025-06-30", "deadline": "2025-07-31", "notes": ""},
    )
    campaign = CensusCampaign.objects.get(title="Ricognizione 2025")
    assert response.status_code == 302
    assert sorted(campaign.censuses.values_list("ambito__code", flat=True)) == [
        "PUG_CASARANO",
        "PUG_MAGLIE",
        "PUG_POGGIARDO",
    ]
    copied = Position.objects.filter(census__campaign=campaign)
    assert [p.person_id for p in copied] == [kept.person_id]
    assert copied[0].on_behalf_of_ambito
    assert list(copied[0].municipalities.all()) == list(kept.municipalities.all())


def test_it_refuses_to_submit_an_empty_census(world: World, client_for: Any) -> None:
    census = census_of(world)
    page = client_for("referent").post(_url("census:census_submit", census), follow=True).content.decode()
    assert "Il censimento è vuoto: aggiungi almeno una posizione" in page
    census.refresh_from_db()
    assert census.status == CensusStatus.DRAFT


def test_it_runs_the_whole_workflow(world: World, client_for: Any) -> None:
    census = census_of(world)
    position(census, person(1))
    referent, coordinator = client_for("referent"), client_for("coordinator")

    assert referent.post(_url("census:census_submit", census)).status_code == 302
    census.refresh_from_db()
    assert census.status == CensusStatus.SUBMITTED
    assert census.submitted_by == world.referent
    # Submitted: read-only for the referent, who cannot validate either.
    assert referent.get(_url("census:position_create", census)).status_code == 403
    assert referent.post(_url("census:census_validate", census)).status_code == 403
    # The coordinator may still correct it before validating.
    assert coordinator.get(_url("census:position_create", census)).status_code == 200

    empty = coordinator.post(_url("census:census_return", census), {"reason": "  "})
    assert "Questo campo è obbligatorio" in empty.content.decode()
    assert coordinator.post(_url("census:census_return", census), {"reason": "Manca l'équipe"}).status_code == 302
    census.refresh_from_db()
    assert (census.status, census.return_reason) == (CensusStatus.RETURNED, "Manca l'équipe")
    assert "Manca l&#x27;équipe" in referent.get(census.get_absolute_url()).content.decode()

    referent.post(_url("census:census_submit", census))
    coordinator.post(_url("census:census_validate", census))
    census.refresh_from_db()
    assert census.status == CensusStatus.VALIDATED
    # Validated: locked for everyone until the coordinator returns it.
    assert coordinator.get(_url("census:position_create", census)).status_code == 403
    actions = list(AuditEntry.objects.filter(object_id=str(census.pk), message__startswith="Censimento"))
    assert len(actions) == 4


def test_it_refuses_to_validate_a_draft(world: World, client_for: Any) -> None:
    census = census_of(world)
    page = client_for("coordinator").post(_url("census:census_validate", census), follow=True).content.decode()
    assert "Si può validare solo un censimento trasmesso." in page


def test_it_adds_a_position_and_its_person(world: World, client_for: Any) -> None:
    organisation()
    census = census_of(world)
    response = client_for("referent").post(
        _url("census:position_create", census),
        _form(albo_region=world.puglia.pk, weekly_hours="50%", municipalities=[]),
    )
    assert response.status_code == 302
    saved = Position.objects.get(census=census)
    assert saved.weekly_hours == Decimal(18)
    assert saved.person.surname == "Greco"
    assert saved.counts_for_c797


def test_it_records_a_social_worker_of_the_asl_in_service_for_the_ambito(world: World, client_for: Any) -> None:
    organisation("ASL Lecce", OrganisationKind.ASL)
    census = census_of(world)
    referent = client_for("referent")
    url = _url("census:position_create", census)
    assert "In servizio per conto dell&#x27;ATS" in referent.get(url).content.decode()
    referent.post(url, _form(albo_region=world.puglia.pk, employer="ASL Lecce", on_behalf_of_ambito="on"))
    saved = Position.objects.get(census=census)
    assert saved.on_behalf_of_ambito
    assert saved.counts_for_c797
    assert referent.get(reverse("census:position_edit", args=[saved.pk])).context["form"]["on_behalf_of_ambito"].value()


def test_it_refuses_a_municipality_key_too_large_for_any_record(world: World, client_for: Any) -> None:
    """SQLite cannot compare with a number past 64 bits: the lookup of the chosen municipalities was a 500."""
    organisation()
    census = census_of(world)
    response = client_for("referent").post(
        _url("census:position_create", census), _form(municipalities=["99999999999999999999999"])
    )
    assert response.status_code == 200
    assert "Comuni di servizio" in response.content.decode()
    assert not Position.objects.filter(census=census).exists()


def test_it_reuses_a_person_already_censused_elsewhere(world: World, client_for: Any) -> None:
    organisation()
    census = census_of(world)
    casarano = Census.objects.get(campaign=census.campaign, ambito=world.casarano)
    known = person(7, surname="Greco", name="Rita")
    position(casarano, known)
    client_for("referent").post(_url("census:position_create", census), _form(albo_region=world.puglia.pk))
    assert Person.objects.filter(tax_code=tax_code(7)).count() == 1
    assert Position.objects.filter(person=known).count() == 2


def test_it_explains_what_is_wrong_in_the_position_form(world: World, client_for: Any) -> None:
    organisation()
    census = census_of(world)
    page = (
        client_for("referent")
        .post(
            _url("census:position_create", census),
            _form(
                tax_code="RSSMRA85T10A562X",
                albo_section="",
                albo_number="",
                employer="Ente Fantasma",
                weekly_hours="60",
                start_date="2024-05-01",
                end_date="2024-01-01",
                equipe_name="Équipe minori",
            ),
        )
        .content.decode()
    )
    for message in (
        "Il carattere di controllo del codice fiscale non corrisponde",
        "Per un assistente sociale indica la regione dell&#x27;Albo in cui è iscritto.",
        "Per un assistente sociale indica la sezione dell&#x27;Albo (A o B).",
        "Per un assistente sociale indica il numero di iscrizione all&#x27;Albo.",
        "Nessuna organizzazione si chiama «Ente Fantasma»",
        "Le ore settimanali devono essere più di 0 e al massimo 48 (indicate: 60).",
        "La data di fine (01/01/2024) precede la data di inizio (01/05/2024).",
        "L&#x27;équipe si indica solo per il servizio «Équipe multidisciplinare».",
    ):
        assert message in page, message
    assert not Position.objects.exists()
    assert not Person.objects.exists()


def test_it_refuses_a_specialist_in_section_b_and_a_duplicate_position(world: World, client_for: Any) -> None:
    organisation()
    census = census_of(world)
    page = (
        client_for("referent")
        .post(
            _url("census:position_create", census),
            _form(profession="assistente_sociale_specialista", albo_region=world.puglia.pk),
        )
        .content.decode()
    )
    assert "L&#x27;assistente sociale specialista è iscritto alla sezione A dell&#x27;Albo, non alla B." in page
    position(census, person(7))
    page = (
        client_for("referent")
        .post(_url("census:position_create", census), _form(albo_region=world.puglia.pk))
        .content.decode()
    )
    assert "Questa persona ha già una posizione con lo stesso ente e lo stesso servizio" in page


def test_it_puts_an_equipe_position_in_a_named_equipe(world: World, client_for: Any) -> None:
    organisation()
    census = census_of(world)
    client_for("referent").post(
        _url("census:position_create", census),
        _form(albo_region=world.puglia.pk, service="equipe", equipe_name="Équipe minori e famiglie"),
    )
    saved = Position.objects.get()
    assert saved.service == Service.EQUIPE
    assert saved.equipe == Equipe.objects.get(ambito=world.maglie, name="Équipe minori e famiglie")


def test_it_edits_and_deletes_a_position(world: World, client_for: Any) -> None:
    organisation()
    census = census_of(world)
    held = position(census, person(7))
    client = client_for("referent")
    page = client.get(reverse("census:position_edit", args=[held.pk])).content.decode()
    assert "Cognome7" in page
    response = client.post(
        reverse("census:position_edit", args=[held.pk]),
        _form(
            surname="Cognome7",
            name="Nome7",
            albo_region=world.puglia.pk,
            weekly_hours="24",
            lock_version=held.lock_version,  # the version the edit page rendered
        ),
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.weekly_hours == Decimal(24)
    assert client.post(reverse("census:position_delete", args=[held.pk])).status_code == 302
    assert not Position.objects.exists()


def test_it_shows_a_read_only_position_in_a_validated_census(world: World, client_for: Any) -> None:
    census = census_of(world)
    held = position(census, person(7))
    Census.objects.filter(pk=census.pk).update(
        status=CensusStatus.VALIDATED, submitted_at=datetime.datetime.now(tz=datetime.UTC)
    )
    page = client_for("referent").get(reverse("census:position_edit", args=[held.pk]))
    assert page.status_code == 200
    assert "in sola lettura" in page.content.decode()
    assert client_for("referent").post(reverse("census:position_edit", args=[held.pk]), _form()).status_code == 403


def test_it_lists_a_census_in_a_constant_number_of_queries(
    world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    census = census_of(world)
    for number in range(30):
        position(census, person(number))
    client = client_for("coordinator")
    client.get(census.get_absolute_url())
    with django_assert_max_num_queries(25):
        response = client.get(census.get_absolute_url())
    assert response.content.decode().count("Cognome") >= 30


def test_the_campaign_page_shows_completion_and_lateness(world: World, client_for: Any) -> None:
    census = census_of(world, deadline=datetime.date(2020, 1, 1))
    position(census, person(1))
    page = client_for("coordinator").get(census.campaign.get_absolute_url()).content.decode()
    assert page.count("in ritardo") >= 3
    assert "0 di 3" in page
