"""During the year: whether a group or équipe is getting its minimum (met, on track, at risk, behind), from the
hours delivered, those awaiting their register and those in the calendar; ``describe_compliance`` says why,
in words. The day is an argument (``as_of``): the rules never read the clock.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from supervisione.leps.rounding import ZERO, round_down_to_half_hour
from supervisione.leps.wording import hours_text

# A group meets monthly or so: its delivered hours are compared with the share of the minimum due a month ago,
# so that a group meeting at the end of each month is not "at risk" for most of every month.
COMPLIANCE_GRACE_DAYS = 30


class ComplianceStatus(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"

    @property
    def label(self) -> str:
        return {
            ComplianceStatus.MET: "minimo raggiunto",
            ComplianceStatus.ON_TRACK: "in linea",
            ComplianceStatus.AT_RISK: "a rischio",
            ComplianceStatus.BEHIND: "in ritardo",
        }[self]


@dataclass(frozen=True)
class Compliance:
    """Where one group or équipe stands against its yearly minimum on a day (``as_of``)."""

    status: ComplianceStatus
    minimum: Decimal
    delivered: Decimal  # registers confirmed, sessions up to as_of
    awaiting: Decimal  # sessions held before as_of whose register is still to confirm
    scheduled: Decimal  # sessions in the calendar from as_of to the end of the period
    expected: Decimal  # the share of the minimum due by now (pro rata, a grace period earlier)
    as_of: datetime.date
    period_end: datetime.date

    @property
    def held(self) -> Decimal:
        return self.delivered + self.awaiting

    @property
    def forecast(self) -> Decimal:
        """What the group will have by the end of the period if every session in the calendar takes place."""
        return self.delivered + self.awaiting + self.scheduled

    @property
    def missing(self) -> Decimal:
        """Hours the calendar still lacks to reach the minimum."""
        return max(self.minimum - self.forecast, ZERO)

    @property
    def lag(self) -> Decimal:
        """Hours behind the share due by now."""
        return max(self.expected - self.held, ZERO)


def compliance(
    minimum: Decimal,
    delivered: Decimal,
    scheduled: Decimal,
    as_of: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date,
    awaiting: Decimal = ZERO,
    grace_days: int = COMPLIANCE_GRACE_DAYS,
) -> Compliance:
    """The compliance of a group with its minimum on ``as_of``, for a plan period (usually the year).

    Two things can go wrong before the minimum is delivered: the **calendar is short** (even if every session
    booked before the end of the period takes place, held sessions awaiting their register included, the
    minimum is not reached: sessions must be booked), or **delivery is late** (the hours held so far are below
    the share of the minimum due by now: the minimum pro rata for the days of the period elapsed ``grace_days``
    ago, rounded down to the half hour; the grace keeps a group that meets at the end of each month from being
    flagged most of the month). Then, in this order:

    - **met**: the hours delivered (registers confirmed) reach the minimum;
    - **behind**: the calendar is short and either delivery is late or the period is over: the minimum will not
      be reached without recovering hours;
    - **at risk**: one of the two problems: the calendar is short but delivery keeps up (book more sessions), or
      the calendar reaches the minimum but delivery leans on the last months (a cancellation would put it
      behind);
    - **on track**: the calendar reaches the minimum and the hours held keep up with the share due.

    Examples, minimum 16 h over the calendar year. On 1 October (274 days elapsed, 244 of them a month ago) the
    share due is 16 x 244 / 365 = 10.7, rounded down to 10.5 h: 12 h held and 4 h in the calendar: on track;
    10 h held and 6 h in the calendar: at risk (late); 10 h held and 4 h in the calendar: behind. On 1 July
    (share due 6.5 h), 10 h held and 4 h in the calendar: at risk (the issue's example "10 of 16 h delivered,
    4 h planned before 31/12: at risk").
    """
    for value in (minimum, delivered, scheduled, awaiting):
        if value < 0:
            raise ValueError("hours cannot be negative")
    if period_end < period_start:
        raise ValueError("the period ends before it starts")
    total_days = (period_end - period_start).days + 1
    elapsed = min(max((as_of - period_start).days + 1 - grace_days, 0), total_days)
    expected = round_down_to_half_hour(minimum * elapsed / total_days)
    held = delivered + awaiting
    calendar_short = held + scheduled < minimum
    late = held < expected
    if delivered >= minimum:
        status = ComplianceStatus.MET
    elif calendar_short and (late or as_of >= period_end):
        status = ComplianceStatus.BEHIND
    elif calendar_short or late:
        status = ComplianceStatus.AT_RISK
    else:
        status = ComplianceStatus.ON_TRACK
    return Compliance(status, minimum, delivered, awaiting, scheduled, expected, as_of, period_end)


def describe_compliance(name: str, result: Compliance) -> str:
    """The status in words, e.g. "Gruppo 2: 10 di 16 h erogate, 6 h in calendario entro il 31/12: a rischio
    (a questa data ne servirebbero almeno 10,5)"."""
    parts = [f"{name}: {hours_text(result.delivered)} di {hours_text(result.minimum)} h erogate"]
    if result.awaiting:
        parts.append(f"{hours_text(result.awaiting)} h da confermare nei registri")
    end = f"{result.period_end:%d/%m}"
    if result.scheduled:
        parts.append(f"{hours_text(result.scheduled)} h in calendario entro il {end}")
    elif result.status is not ComplianceStatus.MET and result.as_of < result.period_end:
        parts.append(f"nessun incontro in calendario entro il {end}")
    head = ", ".join(parts)
    match result.status:
        case ComplianceStatus.MET:
            return f"{head}: minimo raggiunto."
        case ComplianceStatus.ON_TRACK:
            if result.as_of >= result.period_end:
                return f"{head}: in linea, il minimo è raggiunto quando i registri saranno confermati."
            return f"{head}: in linea."
        case ComplianceStatus.AT_RISK:
            if result.missing:
                return f"{head}: a rischio (mancano {hours_text(result.missing)} h al minimo: prenota altri incontri)."
            return f"{head}: a rischio (a questa data ne servirebbero almeno {hours_text(result.expected)})."
        case ComplianceStatus.BEHIND:
            return (
                f"{head}: in ritardo (mancano {hours_text(result.missing)} h al minimo anche con gli incontri in "
                "calendario)."
            )
    raise AssertionError(result.status)  # pragma: no cover  (every status is handled above)
