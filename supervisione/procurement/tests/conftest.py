"""A contract of the registry's provider, with every part, on top of the supervisor records of
``supervisors/tests/conftest.py``, created per test."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.lib.uploads import check_upload
from supervisione.procurement import actions
from supervisione.procurement.models import (
    CoDesignMember,
    CoDesignTable,
    Contract,
    ContractDocument,
    ContractDocumentKind,
    ContractFunding,
    ContractLine,
    ContractStatus,
    DeadlineKind,
    Procedure,
    TenderDeadline,
)
from supervisione.supervisors.tests.conftest import PDF, registry_records, upload
from supervisione.supervisors.tests.conftest import Records as RegistryRecords
from supervisione.testing.world import World


@dataclass
class Records(RegistryRecords):
    contract: Contract
    line: ContractLine
    funding: ContractFunding
    deadline: TenderDeadline
    table: CoDesignTable
    member: CoDesignMember
    contract_document: ContractDocument


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def store(owner: dict[str, Any], kind: ContractDocumentKind, by: User, name: str = "cv.pdf") -> ContractDocument:
    file = upload(name)
    checked = check_upload(file, name=name, size=len(PDF), allowed={"pdf"}, max_bytes=10_000)
    return actions.store_contract_document(file, checked, kind=kind, title=f"Documento {name}", by=by, **owner)


@pytest.fixture
def records(world: World, media: Path) -> Records:
    registry = registry_records(world)
    contract = Contract.objects.create(
        partnership=world.partnership,
        title="Supervisione con Aurora",
        procedure=Procedure.CO_DESIGN,
        status=ContractStatus.ACTIVE,
        provider=registry.provider,
        amount=Decimal("20000"),
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    table = CoDesignTable.objects.create(contract=contract, opened_on=datetime.date(2024, 10, 23))
    return Records(
        **vars(registry),
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
        contract_document=store(
            {"contract": contract}, ContractDocumentKind.CONTRACT, world.coordinator, "convenzione.pdf"
        ),
    )
