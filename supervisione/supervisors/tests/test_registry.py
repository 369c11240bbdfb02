from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from supervisione.audit.models import AuditEntry
from supervisione.planning.models import RuleSet
from supervisione.supervisors.models import Absence, Declaration, Document, Supervisor, Training, WeeklyAvailability
from supervisione.supervisors.tests.conftest import PDF, Records, upload
from supervisione.testing.world import World


def supervisor_data(**changes: Any) -> dict[str, Any]:
    data = {
        "surname": "Bianchi",
        "name": "Marta",
        "tax_code": "",
        "profession": "assistente_sociale",
        "albo_region": "",
        "albo_section": "",
        "albo_number": "",
        "years_social_work": "8",
        "years_supervising_as": "3",
        "external": "on",
        "active": "on",
    }
    data.update(changes)
    return data


def test_it_registers_a_supervisor_for_a_partnership_the_coordinator_manages(
    records: Records, world: World, client_for: Any
) -> None:
    response = client_for("coordinator").post(
        reverse("supervisors:supervisor_create"),
        supervisor_data(tenant=f"p:{world.partnership.pk}", albo_region=world.puglia.pk, albo_number=" 2201 "),
    )
    supervisor = Supervisor.objects.get(surname="Bianchi")
    assert response.status_code == 302
    assert response["Location"] == supervisor.get_absolute_url()
    assert supervisor.partnership == world.partnership
    assert supervisor.albo_number == "2201"
    entry = AuditEntry.objects.get(object_id=str(supervisor.pk), content_type__model="supervisor")
    assert entry.partnership_id == world.partnership.pk


def test_it_refuses_a_partnership_the_coordinator_does_not_manage(
    records: Records, world: World, client_for: Any
) -> None:
    page = (
        client_for("coordinator")
        .post(reverse("supervisors:supervisor_create"), supervisor_data(tenant=f"p:{world.treviso_partnership.pk}"))
        .content.decode()
    )
    assert "Scegli un&#x27;opzione valida" in page
    assert not Supervisor.objects.filter(surname="Bianchi").exists()


def test_it_explains_every_mistake_and_saves_nothing(records: Records, world: World, client_for: Any) -> None:
    page = (
        client_for("coordinator")
        .post(
            reverse("supervisors:supervisor_create"),
            supervisor_data(
                tenant=f"p:{world.partnership.pk}",
                profession="assistente_sociale_specialista",
                albo_section="B",
                albo_number="12",
                years_social_work="3",
                years_supervising_as="5",
                tax_code="RSSMRA85T10A562X",
            ),
        )
        .content.decode()
    )
    assert "Indica la regione dell&#x27;Albo" in page
    assert "sezione A dell&#x27;Albo" in page
    assert "non possono superare gli anni di esperienza" in page
    assert "codice fiscale non corrisponde" in page
    assert not Supervisor.objects.filter(surname="Bianchi").exists()


def test_it_links_only_a_user_with_the_supervisor_role_once(records: Records, world: World, client_for: Any) -> None:
    url = reverse("supervisors:supervisor_edit", args=[records.other.pk])
    client = client_for("coordinator")
    base = supervisor_data(
        surname="Russo",
        name="Davide",
        profession="psicologo",
        years_supervising_as="0",
        lock_version=records.other.lock_version,  # the version the edit page rendered
    )
    wrong_role = client.post(url, {**base, "user": world.supervisee.pk}).content.decode()
    assert "Scegli un&#x27;opzione valida" in wrong_role
    taken = client.post(url, {**base, "user": world.supervisor.pk}).content.decode()
    assert "già collegato a un&#x27;altra scheda" in taken
    records.other.refresh_from_db()
    assert records.other.user is None


def test_it_shows_eligibility_badges_with_the_reasons_in_words(records: Records, client_for: Any) -> None:
    page = client_for("coordinator").get(reverse("supervisors:supervisor_list")).content.decode()
    assert "A1, A2: la supervisione di assistenti sociali richiede un assistente sociale" in page
    assert "manca una formazione specifica come supervisore" in page
    detail = client_for("coordinator").get(records.own.get_absolute_url()).content.decode()
    assert "Idoneo per A1 - supervisione di gruppo monoprofessionale." in detail
    maglie = client_for("coordinator").get(records.maglie.get_absolute_url()).content.decode()
    assert "non risulta iscritto all&#x27;Albo degli Assistenti Sociali" in maglie


def test_it_applies_the_rules_in_force_today(records: Records, client_for: Any) -> None:
    RuleSet.objects.create(valid_from=datetime.date(2020, 1, 1), min_years_supervising_as=5)
    page = client_for("coordinator").get(records.own.get_absolute_url()).content.decode()
    assert "servono almeno 5 anni di esperienza nella supervisione di assistenti sociali (ne risultano 4)" in page


def test_it_filters_by_eligibility_and_refuses_a_bad_filter(records: Records, client_for: Any) -> None:
    client = client_for("coordinator")
    url = reverse("supervisors:supervisor_list")
    eligible = client.get(url, {"eligible_for": "A1"}).content.decode()
    assert "Longo" in eligible
    assert "Russo" not in eligible
    by_name = client.get(url, {"q": "russo"}).content.decode()
    assert "Russo" in by_name
    assert "Longo" not in by_name
    bad = client.get(url, {"eligible_for": "A9", "tenant": "x:1"})
    assert bad.status_code == 200
    assert "Filtro non valido" in bad.content.decode()


def test_it_hides_inactive_supervisors_unless_asked(records: Records, client_for: Any) -> None:
    records.other.active = False
    records.other.save(update_fields=["active"])
    url = reverse("supervisors:supervisor_list")
    assert "Russo" not in client_for("coordinator").get(url).content.decode()
    assert "Russo" in client_for("coordinator").get(url, {"include_inactive": "on"}).content.decode()


def test_it_lets_the_supervisor_keep_training_and_availability_up_to_date(records: Records, client_for: Any) -> None:
    client = client_for("supervisor")
    pk = records.own.pk
    response = client.post(
        reverse("supervisors:training_add", args=[pk]),
        {"title": "Corso CROAS", "institution": "Ordine AS Puglia", "hours": "40", "year": "2022"},
    )
    assert response.status_code == 302
    assert Training.objects.filter(supervisor=records.own, title="Corso CROAS").exists()
    future = client.post(
        reverse("supervisors:training_add", args=[pk]),
        {"title": "Futuro", "institution": "X", "year": str(timezone.localdate().year + 1)},
    )
    assert "non può essere nel futuro" in future.content.decode()
    slot = client.post(
        reverse("supervisors:slot_add", args=[pk]), {"weekday": "1", "start_time": "14:00", "end_time": "09:00"}
    )
    assert "L&#x27;orario di fine deve seguire quello di inizio" in slot.content.decode()
    assert not WeeklyAvailability.objects.exists()
    client.post(
        reverse("supervisors:slot_add", args=[pk]), {"weekday": "1", "start_time": "09:00", "end_time": "13:00"}
    )
    client.post(
        reverse("supervisors:absence_add", args=[pk]),
        {"start_date": "2026-08-01", "end_date": "2026-08-31", "reason": "ferie"},
    )
    page = client.get(records.own.get_absolute_url()).content.decode()
    assert "Martedì 09:00-13:00" in page
    assert "Dal 01/08/2026 al 31/08/2026 · ferie" in page
    assert Absence.objects.filter(supervisor=records.own).count() == 1


def test_it_refuses_profile_changes_from_the_supervisor(records: Records, client_for: Any) -> None:
    response = client_for("supervisor").post(
        reverse("supervisors:supervisor_edit", args=[records.own.pk]),
        supervisor_data(surname="Longo", years_supervising_as="30", years_social_work="30"),
    )
    assert response.status_code == 403
    records.own.refresh_from_db()
    assert records.own.years_supervising_as == 4


def test_it_records_a_declaration_only_with_both_statements_and_the_signed_file(
    records: Records, client_for: Any
) -> None:
    url = reverse("supervisors:declaration_add", args=[records.own.pk])
    client = client_for("supervisor")
    missing = client.post(
        url, {"subject": "Gruppo A1 n. 1", "no_hierarchy": "on", "signed_on": "2025-01-20", "file": upload()}
    ).content.decode()
    assert "deve contenere entrambe le attestazioni" in missing
    disguised = client.post(
        url,
        {
            "subject": "Gruppo A1 n. 1",
            "no_hierarchy": "on",
            "no_conflict": "on",
            "signed_on": "2025-01-20",
            "file": upload("dichiarazione.pdf", b"MZ\x90\x00 not a pdf"),
        },
    ).content.decode()
    assert "non è di un tipo accettato" in disguised
    assert not Declaration.objects.exists()
    response = client.post(
        url,
        {
            "subject": "Gruppo A1 n. 1",
            "no_hierarchy": "on",
            "no_conflict": "on",
            "signed_on": "2025-01-20",
            "valid_until": "2025-12-31",
            "file": upload("dichiarazione.pdf", PDF),
        },
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.recorded_by is not None
    assert declaration.recorded_by.username == "supervisor"
    document = Document.objects.get(declaration=declaration)
    assert document.supervisor == records.own
    assert document.original_name == "dichiarazione.pdf"


def test_it_lists_supervisors_in_a_constant_number_of_queries(
    records: Records, world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("coordinator")
    url = reverse("supervisors:supervisor_list")
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for index in range(10):
        supervisor = Supervisor.objects.create(
            partnership=world.partnership, surname=f"Extra{index}", name="X", profession="assistente_sociale"
        )
        Training.objects.create(supervisor=supervisor, title="Corso", institution="X", year=2020)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Extra9" in page
