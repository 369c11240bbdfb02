"""Records of the supervisor registry and contracts on top of the shared world, created per test."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from supervisione.leps.choices import ProfessionChoices
from supervisione.lib.uploads import check_upload
from supervisione.supervisors import actions
from supervisione.supervisors.models import (
    CoDesignMeeting,
    CoDesignMember,
    CoDesignTable,
    Contract,
    ContractFunding,
    ContractLine,
    ContractStatus,
    DeadlineKind,
    Document,
    DocumentKind,
    Procedure,
    Supervisor,
    TenderDeadline,
    Training,
)
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
    contract: Contract
    line: ContractLine
    funding: ContractFunding
    deadline: TenderDeadline
    table: CoDesignTable
    member: CoDesignMember
    meeting: CoDesignMeeting
    contract_document: Document


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def store(owner: dict[str, Any], kind: DocumentKind, by: Any, name: str = "cv.pdf") -> Document:
    file = upload(name)
    checked = check_upload(file, name=name, size=len(PDF), allowed={"pdf"}, max_bytes=10_000)
    return actions.store_document(file, checked, kind=kind, title=f"Documento {name}", by=by, **owner)


@pytest.fixture
def records(world: World, media: Path) -> Records:
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
    contract = Contract.objects.create(
        partnership=world.partnership,
        title="Supervisione con Aurora",
        procedure=Procedure.CO_DESIGN,
        status=ContractStatus.ACTIVE,
        provider=provider,
        amount=Decimal("20000"),
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    table = CoDesignTable.objects.create(contract=contract, opened_on=datetime.date(2024, 10, 23))
    return Records(
        provider=provider,
        own=own,
        other=other,
        maglie=maglie,
        training=training,
        own_document=store({"supervisor": own}, DocumentKind.CV, world.coordinator),
        contract=contract,
        line=ContractLine.objects.create(contract=contract, kind="A1", hourly_rate=Decimal(65), hours=Decimal(64)),
        funding=ContractFunding.objects.create(
            contract=contract, measure="pnrr_114", amount=Decimal(15000), cup="J81H22000130006"
        ),
        deadline=TenderDeadline.objects.create(
            contract=contract,
            kind=DeadlineKind.OFFERS,
            original_due_at=timezone.now(),
            due_at=timezone.now(),
        ),
        table=table,
        member=CoDesignMember.objects.create(table=table, ambito=world.maglie, role="Referente"),
        meeting=CoDesignMeeting.objects.create(table=table, held_on=datetime.date(2024, 10, 23), title="Insediamento"),
        contract_document=store({"contract": contract}, DocumentKind.CONTRACT, world.coordinator, "convenzione.pdf"),
    )
