"""The close-out of a PNRR project (CUP): what is still missing before it can be closed, and the closing itself.

Missing, each with how many and where (``missing``): what is still charged after the end (the hand-over first);
sessions held within the project without a confirmed register; confirmed registers without their final PDF, or
without the signed sign-in sheet where an ATS of the participants requires it (``Ambito.requires_signed_scans``);
contracts without the contract document; the target not recorded. Timesheets are drawn from the confirmed
registers, so they follow. Closing (``close_project``, the coordinator's, audited ``funding.pnrr.closed``) records
when and by whom on every PNRR row of the CUP, after which every write to the project's sessions, registers, plan
groups, plans, contract lines and the row itself is refused (``ContractFunding.closed_refusal``, asked by
sessions, planning and procurement).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, OuterRef

from supervisione.audit.actions import record
from supervisione.audit.models import AuditAction
from supervisione.funding.pnrr.actions import HandOverError
from supervisione.funding.pnrr.queries import Project, after_end, charged_within
from supervisione.lib import clock
from supervisione.lib.italian import counted
from supervisione.procurement.models import ContractDocument, ContractDocumentKind, ContractFunding
from supervisione.sessions.models import (
    Attendance,
    RegisterDocument,
    RegisterStatus,
    Session,
    SignedScan,
)
from supervisione.territory.models import Partnership

if TYPE_CHECKING:
    from supervisione.accounts.models import User

CLOSED_CODE = "funding.pnrr.closed"


@dataclass(frozen=True)
class Missing:
    what: str  # the item, in words, with its count
    todo: str  # what to do about it
    dates: tuple[datetime.date, ...] = ()  # the first few dates, where they help find the sessions


def missing(project: Project, today: datetime.date) -> list[Missing]:
    """What keeps the project from being closed (empty: it can be closed). A fixed number of queries."""
    found: list[Missing] = []
    items = after_end(project)
    if not items.is_empty:
        found.append(
            Missing(
                f"{counted(len(items.sessions), 'incontro', 'incontri')}, "
                f"{counted(len(items.groups), 'gruppo', 'gruppi')} e "
                f"{counted(len(items.rows), 'fonte di contratto', 'fonti di contratti')} imputati dopo la fine delle "
                "attività",
                "Consegnali alla quota FNPS dell'ATS o ad altra fonte dalla pagina «dopo la fine».",
            )
        )
    sessions = Session.objects.filter(charged_within(project))
    open_registers = list(
        sessions.filter(register_status=RegisterStatus.OPEN, date__lte=today)
        .order_by("date")
        .values_list("date", flat=True)
    )
    if open_registers:
        found.append(
            Missing(
                f"{counted(len(open_registers), 'incontro svolto', 'incontri svolti')} senza registro confermato",
                "Il supervisore registra le presenze e conferma il registro; un incontro non svolto si annulla.",
                tuple(open_registers[:5]),
            )
        )
    current_pdf = RegisterDocument.objects.filter(session=OuterRef("pk"), superseded_at__isnull=True)
    without_pdf = list(
        sessions.filter(register_status=RegisterStatus.CONFIRMED)
        .exclude(Exists(current_pdf))
        .order_by("date")
        .values_list("date", flat=True)
    )
    if without_pdf:
        found.append(
            Missing(
                f"{counted(len(without_pdf), 'registro confermato', 'registri confermati')} senza il registro finale "
                "(PDF)",
                "Il pacchetto di evidenze del progetto emette i registri finali mancanti dai dati confermati, che non "
                "cambiano; oppure emettili dalla pagina di ciascun incontro.",
                tuple(without_pdf[:5]),
            )
        )
    requiring = Attendance.objects.filter(session=OuterRef("pk"), ambito__requires_signed_scans=True)
    without_scan = list(
        sessions.filter(register_status=RegisterStatus.CONFIRMED)
        .filter(Exists(requiring))
        .exclude(Exists(SignedScan.objects.filter(session=OuterRef("pk"))))
        .order_by("date")
        .values_list("date", flat=True)
    )
    if without_scan:
        found.append(
            Missing(
                f"{counted(len(without_scan), 'registro confermato', 'registri confermati')} senza il foglio firme "
                "firmato, che l'ATS dei partecipanti richiede",
                "Il supervisore o il referente carica la scansione del foglio firme firmato nella pagina di ciascun "
                "incontro.",
                tuple(without_scan[:5]),
            )
        )
    contract_ids = {row.contract_id for row in project.rows}
    documented = set(
        ContractDocument.objects.filter(contract_id__in=contract_ids, kind=ContractDocumentKind.CONTRACT).values_list(
            "contract_id", flat=True
        )
    )
    undocumented = sorted({row.contract.title for row in project.rows if row.contract_id not in documented})
    if undocumented:
        found.append(
            Missing(
                f"{counted(len(undocumented), 'contratto', 'contratti')} senza il documento del contratto: "
                f"{', '.join(undocumented)}",
                "Carica il contratto o la convenzione firmati nella pagina del contratto.",
            )
        )
    if project.target[1] is None:
        found.append(
            Missing(
                "il target del progetto non è indicato",
                "Indica nella fonte PNRR del contratto l'indicatore rendicontato e il suo valore (es. operatori "
                "sociali supervisionati).",
            )
        )
    return found


def close_project(partnership: Partnership, project: Project, *, by: User) -> list[ContractFunding]:
    """Close the project: refused while something is missing or before the end of its activities."""
    today = clock.today()
    with transaction.atomic():
        rows = list(
            ContractFunding.objects.select_for_update()
            .filter(pk__in=[row.pk for row in project.rows])
            .select_related("contract")
        )
        if any(row.is_closed for row in rows):
            raise HandOverError(f"Il progetto PNRR (CUP {project.cup}) è già chiuso.")
        if today <= project.end.last_day:
            raise HandOverError(
                f"Il progetto conclude le attività {project.end.describe()}: si chiude dal giorno dopo."
            )
        if problems := missing(Project(project.cup, rows), today):
            raise HandOverError(
                "Prima di chiudere il progetto manca: " + "; ".join(item.what for item in problems) + "."
            )
        now = clock.now()
        for row in rows:
            row.closed_at, row.closed_by = now, by
            row.lock_version += 1
            row.save(update_fields=["closed_at", "closed_by", "lock_version"])
            record(
                row,
                by=by,
                action=AuditAction.ACTION,
                message=f"Progetto PNRR chiuso (CUP {project.cup})",
                code=CLOSED_CODE,
            )
        record(
            partnership,
            by=by,
            action=AuditAction.ACTION,
            message=f"Progetto PNRR chiuso (CUP {project.cup}): registri, costi e piani congelati",
            code=CLOSED_CODE,
        )
    return rows
