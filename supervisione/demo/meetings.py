"""Demo meetings (issue 18): San Severo's coordination by video call in 2023 and Poggiardo's co-design table.

- **San Severo, 07/03/2023**: the video meeting of the partnership being set up, with its approved minutes and
  the three requests to each ATS, due 17/04/2023: a referent by Allegato 1 and the staff census by Allegato 2
  (the census app's request and campaign, ``demo/census.py``, which the requests list shows beside these) and a
  decision on co-financing the service with the FNPS quota (one ``Task`` per ATS, closed by the ATS's decision).
- **San Severo, 19/04/2023 09:00** on Microsoft Teams: convened by the head of the social services area and the
  president of the Coordinamento Istituzionale; its minutes, still a draft, record the FNPS co-financing
  decision of Lucera (yes) and San Marco in Lamis (no), which update their 2023 allocations
  (``funding.cofinancing``); San Severo and Troia have not decided yet, their requests are late.
- **Poggiardo, today**: the current year's POA is due within ten days (``demo/present.py``) and Casarano still has
  to send its act on co-financing with its FNPS quota: a request by letter, due that day, whose reminder the
  daily digest carries (San Severo's requests of 2023 left it 60 days after their deadline, as the census's do).
- **Poggiardo, 23/10/2024 and 14/01/2025**: the two sittings of the co-design table (``Meeting.codesign_table``),
  recorded after the fact (date and minutes; their times and place are not in the sources), with approved
  minutes; the second approves Raggio di Sole Onlus's proposal (``demo/procurement.py`` keeps the table itself).

Dates, the modality and the three requests are the San Severo letter's and the co-design table's. People are
fictional (as everywhere in the demo) and the Teams link is illustrative. Every value is fixed: running the demo
twice changes nothing; nothing depends on the day it loads.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from supervisione.accounts.models import User
from supervisione.demo.loading import Counter, ensure
from supervisione.demo.present import Present
from supervisione.meetings.decision_hooks import apply_decision
from supervisione.meetings.models import (
    AgendaItem,
    AmbitoDecision,
    Decision,
    DecisionTopic,
    Invitee,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Modality,
    Outcome,
    Response,
    Signatory,
    Task,
    TaskStatus,
)
from supervisione.procurement.models import CoDesignTable
from supervisione.territory.models import Ambito, Partnership

ROME = ZoneInfo("Europe/Rome")
TEAMS_LINK = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_demo-alto-tavoliere%40thread.v2/0"
DEADLINE = datetime.date(2023, 4, 17)
FNPS_YEAR = 2023
SIGNATORIES = (
    ("Il Responsabile dell'Area Servizi Sociali del Comune di San Severo", "Franco Lupo"),
    ("Il Presidente del Coordinamento Istituzionale dell'Ambito Alto Tavoliere", "Vittorio Sereno"),
)


@dataclass(frozen=True)
class Head:
    """The head of an ATS's Ufficio di Piano, invited for it."""

    code: str
    name: str


SANSEVERO_HEADS = (
    Head("PUG_SANSEVERO", "Michele Russo"),
    Head("PUG_LUCERA", "Carla Fiore"),
    Head("PUG_SANMARCO", "Nicola Valente"),
    Head("PUG_TROIA", "Rosa Gentile"),
)
COFINANCING_DECISION = (
    f"Ogni ATS decide se co-finanziare il servizio di supervisione con la propria quota FNPS {FNPS_YEAR} e ne "
    "comunica l'esito, con l'importo e l'atto."
)
# The ATS that decided by the meeting of 19/04/2023: outcome, amount, act (acts are demo values).
DECIDED = {
    "PUG_LUCERA": (Outcome.YES, Decimal("12160.00"), "Deliberazione n. 4/2023 (numero dimostrativo)"),
    "PUG_SANMARCO": (Outcome.NO, None, "Nota del 14/04/2023 (dimostrativa)"),
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ROME)


def load_meetings(counter: Counter, present: Present) -> None:
    users = {
        u.username: u for u in User.objects.filter(username__in=["coordinatore.sansevero", "coordinatore.poggiardo"])
    }
    sansevero = Partnership.objects.get(code="SANSEVERO-114")
    first = _sansevero_march(sansevero, users.get("coordinatore.sansevero"), counter)
    _sansevero_april(sansevero, first, users.get("coordinatore.sansevero"), counter)
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    _poggiardo_codesign(poggiardo, users.get("coordinatore.poggiardo"), counter)
    _poggiardo_request(poggiardo, users.get("coordinatore.poggiardo"), present, counter)


def _meeting(
    partnership: Partnership, day: datetime.date, title: str, values: dict[str, Any], counter: Counter
) -> Meeting:
    return ensure(Meeting, {"partnership": partnership, "date": day, "title": title}, values, counter=counter)


def _agenda(meeting: Meeting, items: tuple[tuple[str, str], ...], counter: Counter) -> list[AgendaItem]:
    return [
        ensure(
            AgendaItem,
            {"meeting": meeting, "position": position},
            {"title": title, "summary": summary},
            counter=counter,
        )
        for position, (title, summary) in enumerate(items, start=1)
    ]


def _signatories(meeting: Meeting, lines: tuple[tuple[str, str], ...], counter: Counter) -> None:
    for position, (role, name) in enumerate(lines, start=1):
        ensure(Signatory, {"meeting": meeting, "position": position}, {"role": role, "name": name}, counter=counter)


def _heads(meeting: Meeting, attended: bool, answered: datetime.datetime | None, counter: Counter) -> None:
    for head in SANSEVERO_HEADS:
        ambito = Ambito.objects.get(code=head.code)
        ensure(
            Invitee,
            {"meeting": meeting, "email": f"udp.{head.code.lower()}@demo.supervisione.invalid"},
            {
                "name": head.name,
                "role": "Responsabile dell'Ufficio di Piano",
                "ambito": ambito,
                "pec": f"udp.{head.code.lower()}@pec.demo.supervisione.invalid",
                "response": Response.ATTENDING if answered else Response.PENDING,
                "responded_at": answered,
                "attended": attended,
            },
            counter=counter,
        )


def _minutes(meeting: Meeting, values: dict[str, Any], approved_by: User | None, counter: Counter) -> Minutes:
    approved = values.pop("approved_at", None)
    status = {"status": MinutesStatus.APPROVED, "approved_at": approved, "approved_by": approved_by} if approved else {}
    return ensure(Minutes, {"meeting": meeting}, {**values, **status}, counter=counter)


def _sansevero_march(partnership: Partnership, coordinator: User | None, counter: Counter) -> Meeting:
    day = datetime.date(2023, 3, 7)
    meeting = _meeting(
        partnership,
        day,
        "Riunione di coordinamento per l'avvio della supervisione professionale",
        {
            "start_time": datetime.time(10, 0),
            "end_time": datetime.time(12, 0),
            "modality": Modality.REMOTE,
            "link": TEAMS_LINK,
            "convened_by": "Il Coordinamento Istituzionale dell'Ambito Alto Tavoliere (capofila)",
            "status": MeetingStatus.CONVENED,
            "sent_sequence": 0,
        },
        counter,
    )
    items = _agenda(
        meeting,
        (
            (
                "Avvio del servizio di supervisione professionale in forma associata (LEPS 2.7.2)",
                (
                    "Il capofila illustra il LEPS e la gestione associata con gli ATS di Lucera, San Marco in Lamis e "
                    "Troia; si concorda di procedere con un unico affidamento."
                ),
            ),
            (
                "Designazione dei referenti (Allegato 1)",
                "Ogni ATS designa con un atto il proprio referente, con l'Allegato 1, entro il 17/04/2023.",
            ),
            (
                "Ricognizione del personale (Allegato 2)",
                "Ogni ATS trasmette la ricognizione del personale al 31/03/2023 con l'Allegato 2, entro il 17/04/2023.",
            ),
            (
                "Co-finanziamento con la quota FNPS",
                (
                    "Si propone di aggiungere la quota FNPS (circa il 3 % del FNPS di ciascun ATS) come "
                    "co-finanziamento: ogni ATS decide e comunica l'esito entro il 17/04/2023."
                ),
            ),
        ),
        counter,
    )
    _signatories(meeting, SIGNATORIES, counter)
    _heads(meeting, attended=True, answered=None, counter=counter)
    minutes = _minutes(
        meeting,
        {
            "opening": "Presiede il Presidente del Coordinamento Istituzionale; verbalizza il Responsabile dell'Area "
            "Servizi Sociali. La riunione si svolge su Microsoft Teams; sono collegati i responsabili degli Uffici "
            "di Piano dei quattro ATS.",
            "closing": "Il capofila convoca la prossima riunione per il 19/04/2023 alle ore 09:00 su Microsoft "
            "Teams. La seduta si chiude alle 12:00.",
            "approved_at": _at(datetime.date(2023, 3, 9), 12),
        },
        coordinator,
        counter,
    )
    for item, text in (
        (items[1], "Ogni ATS designa il proprio referente con l'Allegato 1 entro il 17/04/2023."),
        (items[2], "Ogni ATS trasmette la ricognizione del personale (Allegato 2) entro il 17/04/2023."),
        (items[3], "Ogni ATS comunica entro il 17/04/2023 se co-finanzia il servizio con la quota FNPS."),
    ):
        ensure(Decision, {"minutes": minutes, "agenda_item": item}, {"text": text}, counter=counter)
    return meeting


def _sansevero_april(partnership: Partnership, first: Meeting, coordinator: User | None, counter: Counter) -> None:
    day = datetime.date(2023, 4, 19)
    meeting = _meeting(
        partnership,
        day,
        "Riunione di coordinamento del partenariato per la supervisione",
        {
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(11, 0),
            "modality": Modality.REMOTE,
            "link": TEAMS_LINK,
            "convened_by": "Il Coordinamento Istituzionale dell'Ambito Alto Tavoliere (capofila)",
            "letter_object": "Convocazione della riunione di coordinamento del 19/04/2023 alle ore 09:00 su "
            "Microsoft Teams: supervisione professionale degli assistenti sociali (LEPS)",
            "status": MeetingStatus.CONVENED,
            "sent_sequence": 0,
        },
        counter,
    )
    items = _agenda(
        meeting,
        (
            (
                "Esiti delle designazioni dei referenti (Allegato 1) e della ricognizione del personale (Allegato 2)",
                "Hanno risposto San Severo e, in ritardo, Lucera; si sollecitano San Marco in Lamis e Troia.",
            ),
            (
                "Decisioni sul co-finanziamento con la quota FNPS",
                (
                    "Lucera co-finanzia con l'intera quota FNPS 2023 per la supervisione; San Marco in Lamis non "
                    "co-finanzia; San Severo e Troia devono ancora decidere."
                ),
            ),
            ("Varie ed eventuali", ""),
        ),
        counter,
    )
    _signatories(meeting, SIGNATORIES, counter)
    _heads(meeting, attended=True, answered=_at(datetime.date(2023, 4, 13), 11), counter=counter)
    minutes = _minutes(meeting, {"opening": "Presiede il Presidente del Coordinamento Istituzionale."}, None, counter)
    decision = ensure(
        Decision,
        {"minutes": minutes, "agenda_item": items[1]},
        {
            "text": COFINANCING_DECISION,
            "per_ambito": True,
            "topic": DecisionTopic.FNPS_COFINANCING,
            "fnps_year": FNPS_YEAR,
        },
        counter=counter,
    )
    for head in SANSEVERO_HEADS:
        ambito = Ambito.objects.get(code=head.code)
        outcome, amount, act = DECIDED.get(head.code, (Outcome.PENDING, None, ""))
        row = ensure(
            AmbitoDecision,
            {"decision": decision, "ambito": ambito},
            {"outcome": outcome, "amount": amount, "act": act},
            counter=counter,
        )
        if coordinator is not None:
            apply_decision(row, by=coordinator)  # the ATS's 2023 allocation follows (idempotent, audited)
        decided = head.code in DECIDED
        ensure(
            Task,
            {
                "meeting": first,
                "owner_ambito": ambito,
                "title": f"Decisione sul co-finanziamento con la quota FNPS {FNPS_YEAR}",
            },
            {
                "partnership": partnership,
                "done_means": "L'ATS comunica se co-finanzia il servizio con la quota FNPS (sì o no, importo, atto) "
                "e la decisione è registrata nel verbale.",
                "deadline": DEADLINE,
                "decision": decision,
                "status": TaskStatus.DONE if decided else TaskStatus.OPEN,
                "done_on": day if decided else None,
                "outcome_note": f"Deciso: {Outcome(outcome).label}" if decided else "",
                "created_by": coordinator,
            },
            counter=counter,
        )


CODESIGN_MEMBERS = (
    ("PUG_POGGIARDO", "Lucia Martella", "Ufficio di Piano capofila, RUP"),
    ("PUG_MAGLIE", "Paolo Greco", "Referente dell'ATS"),
    ("PUG_CASARANO", "Giulia Ferrari", "Referente dell'ATS"),
)


def _poggiardo_codesign(partnership: Partnership, coordinator: User | None, counter: Counter) -> None:
    sittings = (
        (
            datetime.date(2024, 10, 23),
            "Tavolo di co-progettazione: seduta di insediamento",
            (
                (
                    "Insediamento del tavolo e fabbisogno",
                    (
                        "Apertura del tavolo. Fabbisogno: 56 assistenti sociali dei tre ATS (20 Poggiardo, 18 Maglie, "
                        "18 Casarano)."
                    ),
                ),
                (
                    "Invito a presentare una proposta",
                    (
                        "Si invita la cooperativa a presentare una proposta di supervisione di gruppo, individuale e "
                        "organizzativa."
                    ),
                ),
            ),
            "Si invita Raggio di Sole Onlus a presentare la proposta progettuale.",
        ),
        (
            datetime.date(2025, 1, 14),
            "Tavolo di co-progettazione: seduta conclusiva",
            (
                (
                    "Esame della proposta di Raggio di Sole Onlus",
                    (
                        "Il tavolo esamina la proposta: supervisione di gruppo monoprofessionale (A1), "
                        "individuale (A2) e organizzativa delle équipe (A3) per i 56 assistenti sociali."
                    ),
                ),
                ("Approvazione della proposta e mandato", "Il tavolo approva la proposta all'unanimità."),
            ),
            (
                "Approvata la proposta di Raggio di Sole Onlus per la supervisione di gruppo, individuale e "
                "organizzativa di 56 assistenti sociali. Si dà mandato di stipulare la convenzione."
            ),
        ),
    )
    table = CoDesignTable.objects.get(contract__partnership=partnership, contract__procedure="co_design")
    for day, title, agenda, decision_text in sittings:
        meeting = _meeting(
            partnership,
            day,
            title,
            {
                "codesign_table": table,
                "start_time": None,
                "end_time": None,
                "modality": Modality.IN_PERSON,
                "place": "",
                "link": "",
                "convened_by": "Il Responsabile dell'Ufficio di Piano capofila (RUP della co-progettazione)",
                "status": MeetingStatus.RECORDED,
                "sent_sequence": None,
            },
            counter,
        )
        items = _agenda(meeting, agenda, counter)
        _signatories(meeting, (("Il RUP della co-progettazione", "Lucia Martella"),), counter)
        for code, name, role in CODESIGN_MEMBERS:
            ensure(
                Invitee,
                {"meeting": meeting, "email": f"tavolo.{code.lower()}@demo.supervisione.invalid"},
                {"name": name, "role": role, "ambito": Ambito.objects.get(code=code), "attended": True},
                counter=counter,
            )
        ensure(
            Invitee,
            {"meeting": meeting, "email": "progettazione@raggiodisole.demo.supervisione.invalid"},
            {"name": "Raggio di Sole Onlus", "role": "Ente del terzo settore proponente", "attended": True},
            counter=counter,
        )
        minutes = _minutes(
            meeting,
            {
                "opening": "Presiede il RUP della co-progettazione; sono presenti i componenti del tavolo.",
                "approved_at": _at(day + datetime.timedelta(days=7), 12),
            },
            coordinator,
            counter,
        )
        ensure(Decision, {"minutes": minutes, "agenda_item": items[-1]}, {"text": decision_text}, counter=counter)


def _poggiardo_request(partnership: Partnership, coordinator: User | None, present: Present, counter: Counter) -> None:
    """The request of the present: Casarano's act on the FNPS co-financing, due with the current year's POA."""
    year = present.year
    ensure(
        Task,
        {
            "partnership": partnership,
            "owner_ambito": Ambito.objects.get(code="PUG_CASARANO"),
            "title": f"Trasmettere l'atto di co-finanziamento con la quota FNPS {year}",
        },
        {
            "source": f"Nota del coordinatore del partenariato sul POA {year}",
            "done_means": f"L'atto dell'ATS che destina la quota FNPS {year} alla supervisione è trasmesso al "
            "capofila, per allegarlo al POA.",
            "deadline": present.draft_deadline(year),
            "remind_days": 14,
            "created_by": coordinator,
        },
        counter=counter,
    )
