"""Records of the supervisor registry on top of the shared world, created per test (procurement's tests add
a contract of the same provider: ``procurement/tests/conftest.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from supervisione.accounts.models import User
from supervisione.leps.choices import ProfessionChoices
from supervisione.lib.uploads import check_upload
from supervisione.supervisors import actions
from supervisione.supervisors.models import Document, DocumentKind, Supervisor, Training
from supervisione.territory.models import Organisation, OrganisationKind
from supervisione.testing.world import World

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def upload(name: str = "cv.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@dataclass
class Records:
    provider: Organisation
    own: Supervisor  # linked to the "supervisor" persona, POGGIARDO-114
    other: Supervisor  # POGGIARDO-114, not linked
    maglie: Supervisor  # owned by the ATS of Maglie
    training: Training
    own_document: Document


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def store(owner: dict[str, Any], kind: DocumentKind, by: User, name: str = "cv.pdf") -> Document:
    file = upload(name)
    checked = check_upload(file, name=name, size=len(PDF), allowed={"pdf"}, max_bytes=10_000)
    return actions.store_document(file, checked, kind=kind, title=f"Documento {name}", by=by, **owner)


def registry_records(world: World) -> Records:
    provider = Organisation.objects.create(name="Cooperativa Aurora", kind=OrganisationKind.COOPERATIVE)
    own = Supervisor.objects.create(
        partnership=world.partnership,
        surname="Longo",
        name="Chiara",
        profession=ProfessionChoices.ASSISTENTE_SOCIALE,
        albo_region=world.puglia,
        albo_section="A",
        albo_number="1287",
        years_social_work=12,
        years_supervising_as=4,
        provider=provider,
        user=world.supervisor,
    )
    training = Training.objects.create(
        supervisor=own, title="Master in supervisione", institution="UniSalento", year=2018
    )
    other = Supervisor.objects.create(
        partnership=world.partnership,
        surname="Russo",
        name="Davide",
        profession=ProfessionChoices.PSICOLOGO,
        years_social_work=10,
        provider=provider,
    )
    maglie = Supervisor.objects.create(
        ambito=world.maglie, surname="Greco", name="Anna", profession=ProfessionChoices.ASSISTENTE_SOCIALE
    )
    return Records(
        provider=provider,
        own=own,
        other=other,
        maglie=maglie,
        training=training,
        own_document=store({"supervisor": own}, DocumentKind.CV, world.coordinator),
    )


@pytest.fixture
def records(world: World, media: Path) -> Records:
    return registry_records(world)
