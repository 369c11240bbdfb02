"""Demo questionnaire waves of Poggiardo-Maglie-Casarano: INVENTED answers, marked so on every wave.

Each year with a plan up to the present, the CBI is given to A1 groups 1-3 and to the three équipes: a baseline
from 15/01 to 10/02 (before the year's first session), a follow-up from 01/07 to 20/07 and a final one from 01/12
to 20/12; a wave exists once its first day has come, and is closed (``wellbeing.actions.close_wave``) once its last
day has passed. A wave in progress has its members invited, most of them already answered. The answers are
synthetic and seeded by the wave's identity, so that a second load the same day changes nothing:

- groups 1 and 2 and the équipes of Casarano and Poggiardo improve from wave to wave;
- group 3 does not (its scores drift upwards);
- the équipe of Maglie has 4 answers per wave: too few, its results are never shown;
- group 1 also answers the session-feedback form (non validato) at the end of the year, with a few comments.

Each year also has two objectives with their indicators: Casarano's Piano Sociale di Zona's "prevenire e
contrastare il burn out" (the share at 50 or more on work-related burn-out falls from the baseline), reached once a
follow-up has closed, and a target on client-related burn-out that the pooled mean may or may not meet.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from decimal import Decimal

from supervisione.demo.loading import Counter, ensure
from supervisione.demo.present import Present
from supervisione.planning.models import Plan, PlanGroup, PlanMember
from supervisione.territory.models import Partnership
from supervisione.wellbeing import instruments
from supervisione.wellbeing.actions import close_wave, token_hash
from supervisione.wellbeing.models import Answer, Comment, Invitation, Objective, ObjectiveKind, Wave
from supervisione.wellbeing.scoring import scale_scores

NOTE = "Dati dimostrativi: risposte inventate, non raccolte da persone reali."
ROUNDS = (((1, 15), (2, 10)), ((7, 1), (7, 20)), ((12, 1), (12, 20)))
# Unit -> (starting score, change per wave, answers per wave or None for most of the members).
PROFILES: dict[str, tuple[int, int, int | None]] = {
    "Gruppo A1 n. 1": (60, -8, None),
    "Gruppo A1 n. 2": (54, -5, None),
    "Gruppo A1 n. 3": (50, 4, None),
    "Équipe multidisciplinare (Ambito di Casarano)": (62, -7, None),
    "Équipe multidisciplinare (Ambito di Poggiardo)": (48, -4, None),
    "Équipe multidisciplinare (Ambito di Maglie)": (52, 0, 4),
}
COMMENTS = (
    "Mi ha aiutato portare i casi difficili al gruppo.",
    "Vorrei incontri più lunghi prima dell'estate.",
    "Il clima del gruppo è migliorato.",
)


def _generator(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))  # noqa: S311  (reproducible demo data, not security)


def _cbi_values(instrument: instruments.Instrument, level: float, rng: random.Random) -> dict[str, int | None]:
    person = level + rng.gauss(0, 10)
    values: dict[str, int | None] = {}
    for item in instrument.items:
        score = min(100.0, max(0.0, person + rng.gauss(0, 12)))
        option = round((100 - score) / 25)
        values[item.key] = 4 - option if item.reverse else option
    return values


def load_wellbeing(counter: Counter, present: Present) -> None:
    poggiardo = Partnership.objects.filter(code="POGGIARDO-114").first()
    if poggiardo is None:
        return
    for year in range(present.plan_years.start, present.year + 1):
        plan = Plan.objects.filter(partnership=poggiardo, year=year).order_by("-version").first()
        if plan is None:
            continue
        for group in PlanGroup.objects.filter(plan=plan, name__in=PROFILES):
            for number, ((open_month, open_day), (close_month, close_day)) in enumerate(ROUNDS):
                opens = datetime.date(year, open_month, open_day)
                if opens <= present.today:
                    closes = datetime.date(year, close_month, close_day)
                    _wave(counter, present, group, "cbi-it", number, opens, closes)
        _objectives(counter, poggiardo, year)
        group_one = PlanGroup.objects.filter(plan=plan, name="Gruppo A1 n. 1").first()
        final = datetime.date(year, 12, 1)
        if group_one is not None and final <= present.today:
            _wave(counter, present, group_one, "feedback-it", 0, final, datetime.date(year, 12, 20))


def _objectives(counter: Counter, partnership: Partnership, year: int) -> None:
    ensure(
        Objective,
        {"partnership": partnership, "year": year, "title": "Prevenire e contrastare il burn out"},
        {
            "source": "Piano Sociale di Zona dell'Ambito di Casarano, risultati attesi",
            "scale_key": "work",
            "kind": ObjectiveKind.SHARE_FALLS,
        },
        counter=counter,
    )
    ensure(
        Objective,
        {"partnership": partnership, "year": year, "title": "Burn-out legato agli utenti contenuto a fine anno"},
        {
            "source": "Obiettivo del partenariato (dimostrativo)",
            "scale_key": "client",
            "kind": ObjectiveKind.MEAN_AT_MOST,
            "target": Decimal(45),
        },
        counter=counter,
    )


def _wave(
    counter: Counter,
    present: Present,
    group: PlanGroup,
    key: str,
    number: int,
    opens: datetime.date,
    closes: datetime.date,
) -> None:
    wave = Wave.objects.filter(group=group, instrument_key=key, round=number).first()
    instrument = instruments.latest_of(key)
    if wave is None:
        wave = Wave.objects.create(
            partnership=group.plan.partnership,
            group=group,
            round=number,
            instrument_key=key,
            instrument_version=instrument.version,
            opens_on=opens,
            closes_on=closes,
            note=NOTE,
        )
        counter.created += 1
        _answer(wave, group, instrument)
    if not wave.closed and closes < present.today:
        close_wave(wave, by=None)
        counter.updated += 1


def _answer(wave: Wave, group: PlanGroup, instrument: instruments.Instrument) -> None:
    """Invitations for the members (the wave still open) and the synthetic answers of those who answered."""
    rng = _generator(group.plan.year, group.name, wave.instrument_key, wave.round)
    emails = sorted(set(PlanMember.objects.filter(group=group).values_list("person__email", flat=True)) - {""})
    start, change, fixed = PROFILES.get(group.name, (50, 0, None))
    answered = fixed if fixed is not None else max(5, round(len(emails) * rng.uniform(0.6, 0.85)))
    answered = min(answered, len(emails))
    Invitation.objects.bulk_create(
        Invitation(
            wave=wave,
            email=email,
            token_hash=token_hash(f"demo-{wave.pk}-{email}-{rng.random()}"),
            answered=index < answered,
        )
        for index, email in enumerate(rng.sample(emails, len(emails)))
    )
    level = start + change * wave.round
    for _ in range(answered):
        if wave.instrument_key == "cbi-it":
            values = _cbi_values(instrument, level, rng)
        else:
            values = {item.key: min(10, max(0, round(rng.gauss(7.5, 1.5)))) for item in instrument.items}
        Answer.objects.create(wave=wave, values=values, scores=scale_scores(instrument, values))
    if wave.instrument_key == "feedback-it":
        Comment.objects.bulk_create(Comment(wave=wave, text=text) for text in COMMENTS[: max(0, answered - 2)])
