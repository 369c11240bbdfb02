"""Checks shared by the census forms and the spreadsheet import, so that both say the same thing.

Each function returns Italian messages; the caller attaches them to a form field or to a spreadsheet cell.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from supervisione.census.models import SOCIAL_WORKER_PROFESSIONS, AlboSection, Profession, Service
from supervisione.lib.italian import hours_text

MAX_WEEKLY_HOURS = Decimal(48)

ALBO_REGION_REQUIRED = "Per un assistente sociale indica la regione dell'Albo in cui è iscritto."
ALBO_SECTION_REQUIRED = "Per un assistente sociale indica la sezione dell'Albo (A o B)."
ALBO_NUMBER_REQUIRED = "Per un assistente sociale indica il numero di iscrizione all'Albo."
SPECIALIST_IN_SECTION_A = "L'assistente sociale specialista è iscritto alla sezione A dell'Albo, non alla B."
HOURS_OUT_OF_RANGE = "Le ore settimanali devono essere più di 0 e al massimo 48 (indicate: %(hours)s)."
HOURS_TOO_PRECISE = "Le ore settimanali hanno al massimo due decimali (indicate: %(hours)s)."
END_BEFORE_START = "La data di fine (%(end)s) precede la data di inizio (%(start)s)."
EQUIPE_ONLY_FOR_EQUIPE_SERVICE = "L'équipe si indica solo per il servizio «Équipe multidisciplinare»."


def albo_problems(profession: str, *, region: object, section: str, number: str) -> dict[str, str]:
    """Missing or inconsistent Albo data, by field (``albo_region``, ``albo_section``, ``albo_number``)."""
    problems: dict[str, str] = {}
    if profession in SOCIAL_WORKER_PROFESSIONS:
        if region is None:
            problems["albo_region"] = ALBO_REGION_REQUIRED
        if not section:
            problems["albo_section"] = ALBO_SECTION_REQUIRED
        if not number:
            problems["albo_number"] = ALBO_NUMBER_REQUIRED
    if profession == Profession.SPECIALIST_SOCIAL_WORKER and section == AlboSection.B:
        problems["albo_section"] = SPECIALIST_IN_SECTION_A
    return problems


def hours_problem(hours: Decimal) -> str | None:
    if hours <= 0 or hours > MAX_WEEKLY_HOURS:
        return HOURS_OUT_OF_RANGE % {"hours": hours_text(hours)}
    exponent = hours.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return HOURS_TOO_PRECISE % {"hours": hours_text(hours)}
    return None


def dates_problem(start: datetime.date | None, end: datetime.date | None) -> str | None:
    if start is not None and end is not None and end < start:
        return END_BEFORE_START % {"end": f"{end:%d/%m/%Y}", "start": f"{start:%d/%m/%Y}"}
    return None


def equipe_problem(service: str, equipe_name: str) -> str | None:
    if equipe_name and service != Service.EQUIPE:
        return EQUIPE_ONLY_FOR_EQUIPE_SERVICE
    return None
