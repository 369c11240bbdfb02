"""The documents of a session and of a person: sign-in sheet, final register, certificate, timesheet.

PDFs are rendered by WeasyPrint from templates under ``sessions/pdf/``; the final register is rendered once
when issued (``actions.registers.issue_register_document``) and then served as stored, so that its SHA-256 fingerprint
stays valid. The timesheet is also an XLSX workbook.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from supervisione.lib import clock
from supervisione.lib.exports import (
    DATE_FORMAT,
    HOURS_FORMAT,
    LABEL_FONT,
    TITLE_FONT,
    append,
    set_widths,
    style_header,
    workbook_bytes,
)
from supervisione.lib.pdf import render_pdf
from supervisione.sessions.models import IssuedCertificate, Session
from supervisione.sessions.queries import Certificate, Timesheet, register_rows


def _session_context(session: Session) -> dict[str, Any]:
    group = session.group
    plan = group.plan
    funding = session.funding
    return {
        "session": session,
        "group": group,
        "plan": plan,
        "tenant": plan.partnership or plan.ambito,
        "supervisor": session.supervisor,
        "contract": session.contract,
        "funding": funding,
        # The CUP of the PNRR project that pays for the session, never the contract's on a session another source
        # pays (after the project's end, on FNPS): a sheet is evidence of what was charged where.
        "cup": session.contract.cup if funding is None else funding.project_cup,
        "rows": register_rows(session),
    }


def signin_sheet_pdf(session: Session) -> bytes:
    """Before the session: names pre-filled, a column for the signature, and blank rows for late additions."""
    context = _session_context(session)
    context["blank_rows"] = range(3)
    context["printed_at"] = clock.localnow()
    return render_pdf("sessions/pdf/signin_sheet.html", context)


def register_pdf(session: Session, *, version: int, issued_at: datetime.datetime) -> bytes:
    context = _session_context(session)
    context.update(
        {
            "version": version,
            "issued_at": timezone.localtime(issued_at),
            "verify_path": reverse("sessions:verify"),
            "code": f"R{session.pk}-{version}",
        }
    )
    return render_pdf("sessions/pdf/register.html", context)


def certificate_pdf(certificate: Certificate, *, issued: IssuedCertificate) -> bytes:
    """The certificate as issued (``sessions.certificates.issue_certificate``): by whom, with its verification code."""
    return render_pdf(
        "sessions/pdf/certificate.html",
        {
            "certificate": certificate,
            "issued": issued,
            "issued_on": timezone.localtime(issued.issued_at).date(),
            "verify_path": reverse("sessions:verify"),
        },
    )


def timesheet_pdf(sheet: Timesheet) -> bytes:
    return render_pdf("sessions/pdf/timesheet.html", {"sheet": sheet, "printed_at": clock.localnow()})


TIMESHEET_HEADERS = ["Data", "Dalle", "Alle", "Ore", "Tipo", "Gruppo o persona", "Contratto", "CIG", "CUP", "Fonte"]


def timesheet_xlsx(sheet: Timesheet) -> bytes:
    workbook = Workbook()
    detail = workbook.active
    assert detail is not None  # noqa: S101  (a new workbook has one sheet)
    detail.title = "Incontri"
    append(detail, [f"Foglio ore di {sheet.supervisor} - {sheet.month_name}"])
    detail["A1"].font = TITLE_FONT
    append(detail, [])
    append(detail, TIMESHEET_HEADERS)
    style_header(detail, 3, len(TIMESHEET_HEADERS))
    set_widths(detail, [12, 8, 8, 8, 30, 36, 50, 13, 17, 34])
    for session in sheet.sessions:
        who = session.supervisee if session.is_individual else session.group.name
        append(
            detail,
            [
                session.date,
                session.start_time.strftime("%H:%M"),
                session.end_time.strftime("%H:%M"),
                session.minutes / 60,
                session.get_kind_display(),
                str(who),
                session.contract.title,
                session.contract.cig,
                session.contract.cup,
                str(session.funding),
            ],
        )
        row = detail.max_row
        detail.cell(row=row, column=1).number_format = DATE_FORMAT
        detail.cell(row=row, column=4).number_format = HOURS_FORMAT
    summary = workbook.create_sheet("Riepilogo")
    append(summary, ["Contratto", "CIG", "CUP", "Tipo", "Incontri", "Ore"])
    style_header(summary, 1, 6)
    set_widths(summary, [50, 13, 17, 30, 10, 10])
    for total in sheet.totals:
        append(
            summary, [total.contract_title, total.cig, total.cup, total.kind_label, total.sessions, float(total.hours)]
        )
    append(summary, ["Totale", "", "", "", sum(t.sessions for t in sheet.totals), float(sheet.total_hours)])
    summary.cell(row=summary.max_row, column=1).font = LABEL_FONT
    return workbook_bytes(workbook, title=f"Foglio ore di {sheet.supervisor} - {sheet.month_name}")
