"""No edit is lost silently: of two pages opened on the same version of a record, the second save is refused.

For every record with an edit page, two people (here two browsers) open the page at the same version; the
first saves a change, the second saves another change of the same field. The second is refused with the
plans' message and a link to the current version, the page keeps what the second person typed, and the
stored record keeps the first change. A post that does not say which version it was built on is refused too.
Pages are read and posted as a browser would (``testing.pages.form_data``), through the HTTP client.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from supervisione.accounts.models import User
from supervisione.audit.forms import VersionedForm
from supervisione.audit.models import Versioned
from supervisione.census.models import CensusCampaign, Position, ReferentDesignation
from supervisione.funding.models import FnpsAllocation, LedgerEntry
from supervisione.meetings.models import Meeting, Minutes, Task
from supervisione.planning.models import RuleSet
from supervisione.planning.multifondo import MultifondoFiling
from supervisione.procurement.models import (
    CoDesignTable,
    Contract,
    ContractFunding,
    ContractLine,
    FundingAgreement,
)
from supervisione.supervisors.models import Supervisor, Training
from supervisione.territory.models import Ambito, Municipality, Organisation, Partnership, Region
from supervisione.testing import factories
from supervisione.testing.pages import form_data
from supervisione.testing.url_samples import SAMPLES, Arguments
from supervisione.testing.world import World

STALE = "da un altro utente dopo che hai aperto questa pagina: nulla è stato salvato."
INCOMPLETE = "La pagina è incompleta: ricaricala e ripeti la modifica."


@dataclass(frozen=True)
class Case:
    url_name: str
    model: type[Versioned]
    field: str  # a field both people change on their copy of the page
    first: str
    second: str
    arguments: Arguments | None = None  # the URL sample's, unless the page needs an existing record

    def __str__(self) -> str:
        return self.url_name


def _codesign_table(world: World) -> dict[str, Any]:
    """The sample contract has no co-design table yet (its page would create one): here it has one."""
    contract = factories.contract(world.partnership)
    factories.codesign_table(contract)
    return {"pk": contract.pk}


CASES = [
    # The records the attack found losing edits (issue 13, point 5).
    Case("census:position_edit", Position, "weekly_hours", "24", "18"),
    Case("procurement:contract_edit", Contract, "title", "Supervisione 2026", "Supervisione 2026-2027"),
    Case("supervisors:supervisor_edit", Supervisor, "name", "Chiara Maria", "Maria Chiara"),
    Case("funding:allocation_edit", FnpsAllocation, "note", "Delibera di riparto", "Da verificare"),
    Case("territory:organisation_edit", Organisation, "name", "Cooperativa Aurora", "Cooperativa Alba"),
    Case("territory:ambito_edit", Ambito, "notes", "Sede nuova dal 1° marzo", "Sede invariata"),
    Case("territory:partnership_edit", Partnership, "notes", "Convenzione firmata", "Convenzione da firmare"),
    # Every other record with an edit page.
    Case("territory:region_edit", Region, "name", "Puglia (prima)", "Puglia (seconda)"),
    Case("territory:municipality_edit", Municipality, "name", "Maglie (prima)", "Maglie (seconda)"),
    Case("census:campaign_edit", CensusCampaign, "notes", "Scadenza prorogata", "Scadenza confermata"),
    Case("census:referent_designate", ReferentDesignation, "role", "Coordinatrice", "Responsabile"),
    Case("planning:parameters_edit", RuleSet, "note", "DM 2026", "DM 2027"),
    Case("planning:filing_edit", MultifondoFiling, "note", "Compilato dal capofila", "Compilato dall'ATS"),
    Case("supervisors:training_edit", Training, "institution", "Università di Bari", "Università del Salento"),
    Case("procurement:line_edit", ContractLine, "note", "Tariffa rivista", "Tariffa di gara"),
    Case("procurement:funding_edit", ContractFunding, "note", "Prima tranche", "Seconda tranche"),
    Case("procurement:codesign_edit", CoDesignTable, "purpose", "Supervisione A1", "Supervisione A3", _codesign_table),
    Case("funding:entry_edit", LedgerEntry, "note", "Prima tranche", "Seconda tranche"),
    Case("procurement:agreement_edit", FundingAgreement, "act", "Convenzione tra gli ATS", "Delibera del CI"),
    Case("meetings:meeting_edit", Meeting, "title", "Coordinamento di aprile", "Coordinamento di maggio"),
    Case("meetings:minutes_edit", Minutes, "opening", "Presiede Anna Neri", "Presiede Mario Rossi"),
    Case("meetings:task_edit", Task, "title", "Designare il referente", "Designare il referente (Allegato 1)"),
    Case("accounts:user_detail", User, "user-email", "rosa@example.it", "rosanna@example.it"),
]


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return response.content.decode()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_it_refuses_the_second_of_two_saves_made_on_the_same_version(
    world: World, client_for: Callable[[str], Client], settings: Any, tmp_path: Path, case: Case
) -> None:
    settings.MEDIA_ROOT = tmp_path  # documents made by the samples
    url = reverse(case.url_name, kwargs=(case.arguments or SAMPLES[case.url_name].arguments)(world))
    first, second = client_for("admin"), client_for("admin")
    first_page, second_page = form_data(_page(first, url)), form_data(_page(second, url))
    assert first_page == second_page  # the same version, the same values

    saved = first.post(url, {**first_page, case.field: case.first})
    assert saved.status_code == 302, f"the first save was refused: {saved.content.decode()[:2000]}"

    refused = second.post(url, {**second_page, case.field: case.second})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert escape(f"{case.model.stale_subject} {STALE}") in page
    assert f'<a href="{url}">Apri la versione attuale</a>' in page
    assert form_data(page)[case.field] == case.second  # what the second person typed is still on the page
    assert form_data(_page(second, url))[case.field] == case.first  # nothing overwritten

    # The same post without the version the page was built on is refused as well, never taken as current.
    current = form_data(_page(second, url))
    unversioned = {name: value for name, value in current.items() if not name.endswith("lock_version")}
    incomplete = second.post(url, {**unversioned, case.field: case.second})
    assert incomplete.status_code == 200
    assert INCOMPLETE in incomplete.content.decode()
    assert form_data(_page(second, url))[case.field] == case.first


def test_every_versioned_record_has_a_case_and_every_form_of_it_carries_the_version() -> None:
    versioned = {model for model in apps.get_models() if issubclass(model, Versioned) and not model._meta.abstract}
    assert {case.model for case in CASES} == versioned
    for config in apps.get_app_configs():
        if config.name.startswith("supervisione."):
            try:
                importlib.import_module(f"{config.name}.forms")
            except ModuleNotFoundError:
                continue

    def model_forms(cls: type[forms.BaseForm]) -> list[type[forms.BaseForm]]:
        return [cls, *(found for sub in cls.__subclasses__() for found in model_forms(sub))]

    missing = [
        form.__name__
        for form in model_forms(forms.ModelForm)
        if (model := getattr(getattr(form, "_meta", None), "model", None)) is not None
        and isinstance(model, type)
        and issubclass(model, models.Model)
        and issubclass(model, Versioned)
        and not issubclass(form, VersionedForm)
    ]
    assert not missing, f"forms of versioned records without VersionedForm: {missing}"
