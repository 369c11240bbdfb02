"""Every existing FNPS funding row names the ATS whose quota pays (issue 15), before the database requires it.

- A contract of one ATS: that ATS.
- A contract of a partnership, from the data, the first rule that gives one ATS:
  1. the partnership has one ATS;
  2. the row's note names one of its ATS (its code, its name, or its capofila municipality: "Quota FNPS di
     Casarano");
  3. the people the row paid for (members of the plan groups charged to it, people expected at its sessions)
     are all of one ATS.
- Otherwise the partnership's capofila, flagged ``payer_to_confirm``: the contract page marks the row and its
  form asks which ATS pays (the demo's Raggio di Sole rows, "Quote FNPS per la supervisione dei tre ATS", paying
  for groups of the three ATS, are such rows; the demo then names the capofila and records the agreement).

Membership dates are not read: an ATS that has left the partnership may still have paid in its years.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

FNPS = "fnps"


def _named_in(note: str, ambiti: Iterable[Any]) -> set[int]:
    """The ATS a note names, by code, name or capofila municipality (whole words, any case)."""
    found: set[int] = set()
    for ambito in ambiti:
        names = {ambito.code, ambito.name}
        if ambito.capofila_municipality_id is not None:
            names.add(ambito.capofila_municipality.name)
        if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", note, re.IGNORECASE) for name in names if name):
            found.add(ambito.pk)
    return found


def name_payers(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    ContractFunding = apps.get_model("procurement", "ContractFunding")
    Ambito = apps.get_model("territory", "Ambito")
    PartnershipMember = apps.get_model("territory", "PartnershipMember")
    PlanMember = apps.get_model("planning", "PlanMember")
    Attendance = apps.get_model("supervision_sessions", "Attendance")
    rows = ContractFunding.objects.filter(measure=FNPS, ambito__isnull=True).select_related(
        "contract", "contract__partnership"
    )
    for row in rows.order_by("pk"):
        contract = row.contract
        guessed = False
        if contract.ambito_id is not None:
            payer = contract.ambito_id
        else:
            partnership: Any = contract.partnership  # a partnership when the contract has no ATS
            member_ids = set(
                PartnershipMember.objects.filter(partnership=partnership).values_list("ambito_id", flat=True)
            ) | {partnership.capofila_id}
            members = Ambito.objects.filter(pk__in=member_ids).select_related("capofila_municipality")
            paid_for = set(PlanMember.objects.filter(group__funding=row).values_list("ambito_id", flat=True)) | set(
                Attendance.objects.filter(session__funding=row).values_list("ambito_id", flat=True)
            )
            for candidates in (member_ids, _named_in(row.note, members), paid_for):
                if len(candidates) == 1:
                    payer = next(iter(candidates))
                    break
            else:
                payer, guessed = partnership.capofila_id, True
        ContractFunding.objects.filter(pk=row.pk).update(ambito_id=payer, payer_to_confirm=guessed)


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0003_fnps_payer_and_agreements"),
        ("planning", "0005_contracts_in_procurement"),
        ("supervision_sessions", "0003_contracts_in_procurement"),
    ]

    operations = [migrations.RunPython(name_payers, migrations.RunPython.noop)]
