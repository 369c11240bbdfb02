"""Demo filings of each Puglia ATS's POA on the Piattaforma Multifondo, from 2023 to the present (issue 15.7).

Every ATS files its own POA each year. What the demo records, computed from the day it is loaded
(``demo/present.py``) like the rest of the present:

- every year before the current one: validated, sent before the Ministry's deadline where an act fixed one
  (30/11/2023, 31/03/2024), otherwise in the spring after the plan's approval (the Poggiardo partnership's plans are
  approved at the end of March);
- last year's POA of Troia: sent back by the Ministry for a correction in the autumn ("da rettificare"), so
  that the coordinator of San Severo has a correction to make;
- the current year: the Poggiardo partnership's plan is a draft (``present.plan_is_approved``), so Poggiardo, the
  capofila, has compiled its form from mid-February and the others have it still to fill; the ATS of the San
  Severo partnership, which has no plan in the application, have it to fill too;
- the dichiarazione di avvio attività of the Poggiardo partnership's ATS for 2025, when the convention with
  Raggio di Sole Onlus started (01/02/2025).

Protocol numbers, dates of sending and validation and the notes are illustrative and say so; the deadlines come
from the setting ``MULTIFONDO_DEADLINES`` (years without a known act have none).
"""

from __future__ import annotations

import datetime

from supervisione.accounts.models import User
from supervisione.demo.loading import Counter, ensure
from supervisione.demo.present import FIRST_YEAR, Present
from supervisione.planning.multifondo import FilingStatus, MultifondoFiling, multifondo_deadline
from supervisione.territory.models import Ambito

FIRST_FILING_YEAR = 2023
POGGIARDO_GROUP = ("PUG_POGGIARDO", "PUG_MAGLIE", "PUG_CASARANO")
SANSEVERO_GROUP = ("PUG_SANSEVERO", "PUG_LUCERA", "PUG_SANMARCO", "PUG_TROIA")
CAPOFILA = "PUG_POGGIARDO"
TO_CORRECT = "PUG_TROIA"  # last year's filing sent back for a correction
CAPOFILA_FILLS_FROM = (2, 15)  # the capofila compiles the current year's form from mid-February
ILLUSTRATIVE = "Date e protocolli illustrativi."
START = datetime.date(FIRST_YEAR, 2, 3)  # dichiarazione di avvio attività, after the convention of 01/02/2025


def load_filings(counter: Counter, present: Present) -> None:
    users = {user.username: user for user in User.objects.filter(username__startswith="coordinatore.")}
    ambiti = {ambito.code: ambito for ambito in Ambito.objects.filter(code__in=POGGIARDO_GROUP + SANSEVERO_GROUP)}
    for number, code in enumerate(POGGIARDO_GROUP + SANSEVERO_GROUP):
        ambito = ambiti.get(code)
        if ambito is None:
            continue
        by = users.get("coordinatore.poggiardo" if code in POGGIARDO_GROUP else "coordinatore.sansevero")
        for year in range(FIRST_FILING_YEAR, present.year + 1):
            ensure(
                MultifondoFiling,
                {"ambito": ambito, "year": year},
                {"status_by": by, **_filing(code, number, year, present)},
                counter=counter,
            )


def _sent_on(number: int, year: int) -> datetime.date:
    """Before the Ministry's deadline when one is known, else in the spring after the plan's approval."""
    deadline = multifondo_deadline(year)
    if deadline is not None:
        return deadline - datetime.timedelta(days=10 - number)
    return datetime.date(year, 4, 2 + number)


def _filing(code: str, number: int, year: int, present: Present) -> dict[str, object]:
    start = (
        {"start_declaration_on": START, "start_declaration_protocol": f"AVV-{FIRST_YEAR}-{41 + number:04d}"}
        if year == FIRST_YEAR and code in POGGIARDO_GROUP
        else {"start_declaration_on": None, "start_declaration_protocol": ""}
    )
    if year < present.year:
        sent = _sent_on(number, year)
        protocol = f"MF-{year}-{1200 + 37 * number:05d}"
        if code == TO_CORRECT and year == present.year - 1:
            return {
                "status": FilingStatus.TO_CORRECT,
                "status_on": datetime.date(year, 10, 15),
                "protocol": protocol,
                "note": f"Inviato il {sent:%d/%m/%Y}; il Ministero chiede di correggere le ore A3 dichiarate. "
                + ILLUSTRATIVE,
                **start,
            }
        validated = sent + datetime.timedelta(days=45)
        return {
            "status": FilingStatus.VALIDATED,
            "status_on": validated,
            "protocol": protocol,
            "note": f"Inviato il {sent:%d/%m/%Y}, validato il {validated:%d/%m/%Y}. {ILLUSTRATIVE}",
            **start,
        }
    fills_from = datetime.date(year, *CAPOFILA_FILLS_FROM)
    if code == CAPOFILA and present.today >= fills_from and not present.plan_is_approved(year):
        return {
            "status": FilingStatus.FILLED,
            "status_on": fills_from,
            "protocol": "",
            "note": "Modulo compilato in attesa dell'approvazione del POA del partenariato. " + ILLUSTRATIVE,
            **start,
        }
    return {
        "status": FilingStatus.TO_FILL,
        "status_on": datetime.date(year, 1, 1),
        "protocol": "",
        "note": "",
        **start,
    }
