from __future__ import annotations

from typing import Any

from django.urls import reverse

from supervisione.territory.models import Organisation, OrganisationKind
from supervisione.testing.world import World


def test_it_creates_an_organisation_with_a_valid_tax_code(world: World, client_for: Any) -> None:
    response = client_for("referent").post(
        reverse("territory:organisation_create"),
        {
            "tenant": f"a:{world.maglie.pk}",
            "name": "Cooperativa Aurora",
            "kind": "cooperative",
            "tax_code": "0123456075 1",
            "municipality": "Maglie",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Cooperativa Aurora")
    assert organisation.tax_code == "01234560751"
    assert organisation.created_for_ambito == world.maglie
    assert organisation.municipality is not None
    assert organisation.municipality.name == "Maglie"


def test_it_explains_what_is_wrong_with_a_tax_code(world: World, client_for: Any) -> None:
    url = reverse("territory:organisation_create")
    page = (
        client_for("referent")
        .post(
            url,
            {
                "tenant": f"a:{world.maglie.pk}",
                "name": "X",
                "kind": "cooperative",
                "tax_code": "01234560752",
                "vat_number": "123",
                "municipality": "Atlantide",
            },
        )
        .content.decode()
    )
    assert "Il carattere di controllo del codice fiscale non corrisponde" in page
    assert "La partita IVA ha 11 cifre" in page
    assert "Nessun comune si chiama «Atlantide»" in page
    assert not Organisation.objects.filter(name="X").exists()


def test_it_accepts_a_professional_personal_tax_code(world: World, client_for: Any) -> None:
    response = client_for("admin").post(
        reverse("territory:organisation_create"),
        {
            "name": "Mario Rossi",
            "kind": "professional",
            "tax_code": "rssmra85t10a562s",
            "municipality": "075039",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Mario Rossi").tax_code == "RSSMRA85T10A562S"


def test_it_hides_professionals_from_observers(world: World, client_for: Any) -> None:
    person = Organisation.objects.create(name="Mario Rossi", kind=OrganisationKind.PROFESSIONAL)
    Organisation.objects.create(name="Comune di Maglie", kind=OrganisationKind.COMUNE)
    page = client_for("observer").get(reverse("territory:organisation_list")).content.decode()
    assert "Comune di Maglie" in page
    assert "Mario Rossi" not in page
    assert client_for("observer").get(reverse("territory:organisation_detail", args=[person.pk])).status_code == 404
    assert client_for("coordinator").get(reverse("territory:organisation_detail", args=[person.pk])).status_code == 200


def test_it_filters_the_list_and_validates_the_filter(world: World, client_for: Any) -> None:
    Organisation.objects.create(name="Comune di Maglie", kind=OrganisationKind.COMUNE)
    Organisation.objects.create(name="Cooperativa Sole", kind=OrganisationKind.COOPERATIVE)
    page = client_for("coordinator").get(reverse("territory:organisation_list"), {"kind": "comune"}).content.decode()
    assert "Comune di Maglie" in page
    assert "Cooperativa Sole" not in page
    bad = client_for("coordinator").get(reverse("territory:organisation_list"), {"kind": "astronave"})
    assert bad.status_code == 200
    assert "Scegli un&#x27;opzione valida" in bad.content.decode()
