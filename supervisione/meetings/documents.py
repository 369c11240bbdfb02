"""The meeting's documents: the convocation letter (PDF) and the minutes (PDF and DOCX)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt

from supervisione.lib.italian import euro_text
from supervisione.lib.pdf import render_pdf
from supervisione.meetings.models import Invitee, Meeting, Minutes, Modality, TaskStatus

# The text width of an A4 page with 2 cm margins: the DOCX tables' columns add up to it.
TEXT_WIDTH_CM = 17.0


@dataclass(frozen=True)
class Heading:
    name: str
    managing_body: str = ""
    address: str = ""
    contacts: str = ""


@dataclass
class AttendanceGroup:
    name: str
    people: list[Invitee] = field(default_factory=list)


def heading(meeting: Meeting) -> Heading:
    """The letterhead: the ATS's (for a partnership, its capofila's, under the partnership's name)."""
    ambito = meeting.ambito or (meeting.partnership.capofila if meeting.partnership else None)
    if ambito is None:
        return Heading(meeting.tenant_name)
    name = ambito.name if meeting.partnership is None else f"{meeting.tenant_name} (capofila {ambito.name})"
    contacts = " · ".join(
        part for part in (ambito.email, f"PEC {ambito.pec}" if ambito.pec else "", ambito.phone) if part
    )
    return Heading(name, ambito.managing_body, ambito.office_address, contacts)


def modality_text(meeting: Meeting) -> str:
    if meeting.is_recorded and not (meeting.place or meeting.link):
        return ""  # a sitting recorded after the fact whose place is not known
    if meeting.modality == Modality.IN_PERSON:
        return "in presenza"
    if meeting.modality == Modality.REMOTE:
        return "in videoconferenza"
    return "in presenza e in videoconferenza"


def _base(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "heading": heading(meeting),
        "modality_text": modality_text(meeting),
        "agenda": list(meeting.agenda_items.all()),
        "signatories": list(meeting.signatories.all()),
    }


def letter_pdf(meeting: Meeting) -> bytes:
    invitees = list(meeting.invitees.select_related("ambito"))
    return render_pdf("meetings/pdf/letter.html", {**_base(meeting), "invitees": invitees})


def attendance(meeting: Meeting) -> tuple[list[AttendanceGroup], list[str]]:
    """Who was present, grouped by ATS (people without an ATS last), and who was absent."""
    groups: dict[str, AttendanceGroup] = {}
    absent: list[str] = []
    for invitee in meeting.invitees.select_related("ambito").order_by("ambito__name", "name"):
        if not invitee.attended:
            absent.append(f"{invitee.name}{f' ({invitee.ambito.name})' if invitee.ambito else ''}")
            continue
        key = invitee.ambito.name if invitee.ambito else "Altri invitati"
        groups.setdefault(key, AttendanceGroup(key)).people.append(invitee)
    ordered = sorted(groups.values(), key=lambda group: (group.name == "Altri invitati", group.name))
    return ordered, absent


def _minutes_context(minutes: Minutes) -> dict[str, Any]:
    meeting = minutes.meeting
    groups, absent = attendance(meeting)
    decisions = list(minutes.decisions.select_related("agenda_item").prefetch_related("ambito_decisions__ambito"))
    others = [line.strip() for line in minutes.others_present.splitlines() if line.strip()]
    return {
        **_base(meeting),
        "minutes": minutes,
        "attendance": groups,
        "absent": absent,
        "others": others,
        "decisions": decisions,
        "tasks": list(meeting.tasks.exclude(status=TaskStatus.CANCELLED).select_related("owner_ambito", "owner_user")),
    }


def minutes_pdf(minutes: Minutes) -> bytes:
    return render_pdf("meetings/pdf/minutes.html", _minutes_context(minutes))


def _table(document: Any, headers: list[str], rows: list[list[str]], widths_cm: list[float]) -> None:
    """A table whose columns add up to the page's text width (Word and LibreOffice read the cells' widths)."""
    if abs(sum(widths_cm) - TEXT_WIDTH_CM) > 0.01:
        raise ValueError("the columns must fill the text width exactly")
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, text in enumerate(headers):
        cell = table.rows[0].cells[index]
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for index, text in enumerate(row):
            cells[index].text = text
    for index, width in enumerate(widths_cm):
        table.columns[index].width = Cm(width)
        for cell in table.columns[index].cells:
            cell.width = Cm(width)


def minutes_docx(minutes: Minutes) -> bytes:
    context = _minutes_context(minutes)
    meeting = minutes.meeting
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    letterhead: Heading = context["heading"]
    document.add_paragraph(letterhead.name).runs[0].bold = True
    for line in (letterhead.managing_body, letterhead.address, letterhead.contacts):
        if line:
            document.add_paragraph(line)
    document.add_heading(f"Verbale della riunione «{meeting.title}»", level=1)
    how = f", {context['modality_text']}" if context["modality_text"] else ""
    document.add_paragraph(
        f"{meeting.when_text}{how}. Seduta registrata a posteriori: {meeting.convened_by}."
        if meeting.is_recorded
        else f"{meeting.when_text}{how}. Organo che convoca: {meeting.convened_by}."
    )
    document.add_paragraph(
        f"Verbale approvato il {minutes.approved_at:%d/%m/%Y}."
        if minutes.is_approved and minutes.approved_at
        else "Bozza non approvata."
    )
    if minutes.opening:
        document.add_paragraph(minutes.opening)
    document.add_heading("Presenti", level=2)
    rows = [
        [group.name if index == 0 else "", person.name, person.role]
        for group in context["attendance"]
        for index, person in enumerate(group.people)
    ]
    _table(
        document, ["ATS", "Nome e cognome", "Ruolo"], rows or [["Nessun presente registrato.", "", ""]], [5.4, 5.8, 5.8]
    )
    if context["others"]:
        document.add_paragraph("Altri presenti: " + "; ".join(context["others"]))
    if context["absent"]:
        document.add_paragraph("Assenti: " + "; ".join(context["absent"]))
    document.add_heading("Discussione", level=2)
    for item in context["agenda"]:
        document.add_paragraph(f"{item.position}. {item.title}").runs[0].bold = True
        document.add_paragraph(item.summary or "Nessuna sintesi.")
    document.add_heading("Decisioni", level=2)
    if not context["decisions"]:
        document.add_paragraph("Nessuna decisione.")
    for number, decision in enumerate(context["decisions"], start=1):
        point = f" (punto {decision.agenda_item.position})" if decision.agenda_item else ""
        document.add_paragraph(f"{number}.{point} {decision.text}")
        if decision.per_ambito:
            rows = [
                [
                    row.ambito.name,
                    row.get_outcome_display(),
                    euro_text(row.amount, 2) if row.amount is not None else "",
                    row.act,
                ]
                for row in decision.ambito_decisions.all()
            ]
            _table(
                document,
                ["ATS", "Esito", "Importo", "Atto"],
                rows or [["Nessun ATS ha ancora deciso.", "", "", ""]],
                [5.8, 2.4, 3.4, 5.4],
            )
    if context["tasks"]:
        document.add_heading("Richieste", level=2)
        _table(
            document,
            ["Richiesta", "A chi", "Entro il", "Quando è fatta"],
            [[task.title, task.owner_text, f"{task.deadline:%d/%m/%Y}", task.done_means] for task in context["tasks"]],
            [5.6, 3.8, 2.4, 5.2],
        )
    if minutes.closing:
        document.add_paragraph(minutes.closing)
    for signatory in context["signatories"]:
        document.add_paragraph(f"{signatory.role}\n{signatory.name}\n\n______________________________")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
