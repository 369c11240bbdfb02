"""Existing FNPS funding rows get the ATS whose quota pays (issue 15), worked out from the data.

A database of its own (``moving_database``), on the schema before the field existed, gets FNPS rows of every
kind: of a contract of one ATS, of a partnership with one ATS, named in the note, paying for people of one ATS
(plan group members, people expected at a session), and two that the data cannot attribute (a mixed group, a
note naming two ATS). Migrated forward, each names its ATS; the last two name the capofila and are flagged for
the form to ask. Rows of other sources keep none, and an FNPS row without an ATS is refused by the database.
Models are the migrations' own (historical) models.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import IntegrityError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from supervisione.testing.migrations import ALIAS, migrate, model

BEFORE = [
    ("procurement", "0002_contractdocument"),
    ("planning", "0006_fte_exact_by_default"),
    ("supervision_sessions", "0003_contracts_in_procurement"),
    ("territory", "0003_join_requests_membership_periods_organisation_creators"),
]
AFTER = [("procurement", "0005_fnps_row_payer_required")]


def fill(apps: Apps) -> dict[str, int]:
    def make(label: str, **fields: Any) -> Any:
        return model(apps, label).objects.using(ALIAS).create(**fields)

    region = make("territory.Region", istat_code="16", name="Puglia", ministry_prefix="PUG")
    ambiti: dict[str, Any] = {}
    for code, name, town in (
        ("PUG_POGGIARDO", "Ambito di Poggiardo", "Poggiardo"),
        ("PUG_MAGLIE", "Ambito di Maglie", "Maglie"),
        ("PUG_CASARANO", "Ambito territoriale sociale n. 3", "Casarano"),
        ("PUG_SANSEVERO", "Ambito Alto Tavoliere", "San Severo"),
    ):
        municipality = make("territory.Municipality", istat_code=f"07{len(ambiti):04d}", name=town, region=region)
        ambiti[code] = make("territory.Ambito", code=code, name=name, region=region, capofila_municipality=municipality)
    poggiardo, maglie, casarano, sansevero = ambiti.values()
    partnership = make("territory.Partnership", code="POGGIARDO-114", name="Poggiardo", capofila=poggiardo)
    for ambito in (poggiardo, maglie, casarano):
        make("territory.PartnershipMember", partnership=partnership, ambito=ambito)
    alone = make("territory.Partnership", code="SANSEVERO-114", name="San Severo", capofila=sansevero)
    make("territory.PartnershipMember", partnership=alone, ambito=sansevero)

    shared = make("procurement.Contract", partnership=partnership, title="Convenzione", procedure="co_design")
    own = make("procurement.Contract", ambito=maglie, title="Affidamento di Maglie", procedure="direct")
    lone = make("procurement.Contract", partnership=alone, title="Gara di San Severo", procedure="mepa")

    def row(contract: Any, note: str = "", measure: str = "fnps") -> Any:
        return make(
            "procurement.ContractFunding",
            contract=contract,
            measure=measure,
            amount=Decimal(1000),
            year=2027,
            note=note,
        )

    rows = {
        "own": row(own),
        "alone": row(lone),
        "by_town": row(shared, "Quota FNPS di casarano per il 2027"),
        "by_code": row(shared, "Riparto PUG_MAGLIE"),
        "by_name": row(shared, "Quota dell'Ambito di Poggiardo"),
        "members": row(shared, "Quota FNPS"),
        "attendances": row(shared),
        "mixed": row(shared, "Quote FNPS per la supervisione dei tre ATS"),
        "two_named": row(shared, "Metà Maglie, metà Casarano"),
        "pnrr": row(shared, "Avviso 1/2022, quota di Poggiardo", measure="pnrr_114"),
    }
    # "Poggiardo" inside another word names nobody: the rule reads whole words.
    rows["inside"] = row(shared, "Poggiardonia")

    plan = make("planning.Plan", partnership=partnership, year=2027, deadline=datetime.date(2027, 3, 31))
    people = [
        make(
            "census.Person",
            surname=f"Rossi {n}",
            name="Anna",
            tax_code=f"RSSNNA80A41F{n:03d}X",
            profession="educatore_professionale",
        )
        for n in range(4)
    ]

    def group(name: str, funding: Any, members: list[tuple[Any, Any]]) -> Any:
        made = make("planning.PlanGroup", plan=plan, kind="extra", profession="educatore_professionale", name=name)
        made.contract, made.funding = shared, funding
        made.save()
        for person, ambito in members:
            make("planning.PlanMember", group=made, plan=plan, kind="extra", person=person, ambito=ambito)
        return made

    group("Di Maglie", rows["members"], [(people[0], maglie), (people[1], maglie)])
    group("Misto", rows["mixed"], [(people[0], maglie), (people[2], casarano)])
    paid = group("Senza fonte", None, [(people[3], casarano)])
    supervisor = make(
        "supervisors.Supervisor",
        partnership=partnership,
        surname="Longo",
        name="Chiara",
        profession="educatore_professionale",
    )
    session = make(
        "supervision_sessions.Session",
        partnership=partnership,
        kind="extra",
        group=paid,
        supervisor=supervisor,
        contract=shared,
        funding=rows["attendances"],
        date=datetime.date(2027, 2, 2),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        minutes=120,
        modality="in_person",
        checkin_code="ABCD1234",
    )
    make("supervision_sessions.Attendance", session=session, person=people[3], ambito=casarano)
    return {name: made.pk for name, made in {**rows, **ambiti}.items()}


def test_it_names_the_paying_ats_of_every_fnps_row_from_the_data(
    moving_database: BaseDatabaseWrapper, settings: Any, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        data = fill(migrate(moving_database, BEFORE, settings))
        after = migrate(moving_database, AFTER, settings)
        fundings = model(after, "procurement.ContractFunding").objects.using(ALIAS)
        payers = {
            pk: (ambito, guessed) for pk, ambito, guessed in fundings.values_list("pk", "ambito", "payer_to_confirm")
        }
        poggiardo, maglie, casarano = data["PUG_POGGIARDO"], data["PUG_MAGLIE"], data["PUG_CASARANO"]
        assert payers[data["own"]] == (maglie, False)  # the contract's ATS
        assert payers[data["alone"]] == (data["PUG_SANSEVERO"], False)  # the partnership's one ATS
        assert payers[data["by_town"]] == (casarano, False)  # its capofila municipality, any case
        assert payers[data["by_code"]] == (maglie, False)
        assert payers[data["by_name"]] == (poggiardo, False)
        assert payers[data["members"]] == (maglie, False)  # the plan group's members are all of Maglie
        assert payers[data["attendances"]] == (casarano, False)  # the session's people are of Casarano
        # What the data cannot attribute goes to the capofila, to confirm.
        assert payers[data["mixed"]] == (poggiardo, True)
        assert payers[data["two_named"]] == (poggiardo, True)
        assert payers[data["inside"]] == (poggiardo, True)
        # Other sources name no ATS.
        assert payers[data["pnrr"]] == (None, False)

        # From now on the database refuses an FNPS row without its ATS; other sources go on without one.
        contract = model(after, "procurement.Contract").objects.using(ALIAS).get(title="Convenzione")
        with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
            fundings.create(contract=contract, measure="fnps", amount=Decimal(1), year=2028)
        fundings.create(contract=contract, measure="other", amount=Decimal(1))
        fundings.create(contract=contract, measure="fnps", amount=Decimal(1), year=2028, ambito_id=maglie)

        # Back to the schema before, the rows are there without the field.
        back = migrate(moving_database, BEFORE, settings)
        assert model(back, "procurement.ContractFunding").objects.using(ALIAS).count() == len(payers) + 2
