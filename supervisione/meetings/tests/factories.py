"""Meetings for tests and URL samples: the San Severo-style coordination meeting by video call."""

from __future__ import annotations

import datetime
from typing import Any

from supervisione.meetings.models import (
    AgendaItem,
    Invitee,
    Meeting,
    MeetingStatus,
    Minutes,
    Modality,
    Signatory,
    Task,
)
from supervisione.procurement.models import CoDesignTable
from supervisione.territory.models import Ambito, Partnership


def meeting(
    partnership: Partnership | None = None, *, ambito: Ambito | None = None, invite: Ambito | None = None, **fields: Any
) -> Meeting:
    """A remote meeting with two agenda items, two signatories and, if ``invite``, the head of that ATS's
    Ufficio di Piano among the invitees."""
    values: dict[str, Any] = {
        "title": "Coordinamento del partenariato",
        "date": datetime.date(2023, 4, 19),
        "start_time": datetime.time(9, 0),
        "end_time": datetime.time(11, 0),
        "modality": Modality.REMOTE,
        "link": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_prova",
        "convened_by": "Il Coordinamento Istituzionale",
        **fields,
    }
    made = Meeting.objects.create(partnership=partnership, ambito=ambito, **values)
    AgendaItem.objects.create(meeting=made, position=1, title="Designazione dei referenti (Allegato 1)")
    AgendaItem.objects.create(meeting=made, position=2, title="Co-finanziamento con la quota FNPS")
    Signatory.objects.create(
        meeting=made, position=1, role="Il Responsabile dell'Area Servizi Sociali", name="Anna Neri"
    )
    Signatory.objects.create(
        meeting=made, position=2, role="Il Presidente del Coordinamento Istituzionale", name="Mario Rossi"
    )
    if invite is not None:
        invitee(made, invite)
    return made


def invitee(meeting: Meeting, ambito: Ambito, name: str = "Laura Bianchi", **fields: Any) -> Invitee:
    return Invitee.objects.create(
        meeting=meeting,
        ambito=ambito,
        name=name,
        role=fields.pop("role", "Responsabile dell'Ufficio di Piano"),
        email=fields.pop("email", f"{name.split(maxsplit=1)[0].lower()}.{ambito.code.lower()}@example.it"),
        pec=fields.pop("pec", f"udp.{ambito.code.lower()}@pec.example.it"),
        **fields,
    )


def minutes(meeting: Meeting) -> Minutes:
    made, _ = Minutes.objects.get_or_create(meeting=meeting)
    return made


def task(meeting: Meeting, owner: Ambito | None, **fields: Any) -> Task:
    """A request born in the meeting, asked of ``owner`` (or of ``owner_user``), due 17/04/2023 unless told."""
    values: dict[str, Any] = {
        "title": "Trasmettere l'Allegato 2",
        "done_means": "Il censimento del personale è trasmesso.",
        "deadline": datetime.date(2023, 4, 17),
        "owner_ambito": owner,
        **fields,
    }
    return Task.objects.create(partnership=meeting.partnership, ambito=meeting.ambito, meeting=meeting, **values)


def sitting(
    table: CoDesignTable, day: datetime.date = datetime.date(2024, 10, 23), title: str = "Insediamento"
) -> Meeting:
    """A sitting of the co-design table recorded after the fact (no times or place), with one agenda item."""
    contract = table.contract
    made = Meeting.objects.create(
        partnership_id=contract.partnership_id,
        ambito_id=contract.ambito_id,
        codesign_table=table,
        title=title,
        date=day,
        modality=Modality.IN_PERSON,
        convened_by="Tavolo di co-progettazione",
        status=MeetingStatus.RECORDED,
    )
    AgendaItem.objects.create(meeting=made, position=1, title=title)
    return made
