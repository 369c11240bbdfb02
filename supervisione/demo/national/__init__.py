"""A plausible national data set for load tests: ``manage.py generate_national --ambiti 600 --years 4``.

About 600 ATS over the 20 regions with their (real) municipalities and synthetic populations, about 150
partnerships, 15,000 people with their positions in a validated census for each year, supervisors and
contracts, an approved plan per partnership and year built by the LEPS rules, and about 250,000 sessions with
3 million attendance rows. Sizes scale with ``--ambiti``; ``--years`` are the years ending with ``--today``'s.

Everything derives from ``--seed`` and ``--today`` through ``random.Random`` streams named after what they
generate (one per partnership), primary keys are counted here, and nothing reads the clock: the same options
give the same rows. Rows are written in bulk (``writer``), with no model ``save()``, no signals and no audit
entries: the audit log records what people do, and nobody did this.

The parts: ``territory`` (municipalities, populations, ATS, partnerships), ``users`` (the naming scheme of the
logins), ``staff`` (people, referents, censuses, FNPS quotas), ``procurement`` (supervisors, contracts),
``plans`` (annual plans and groups), ``calendar`` (sessions, attendance, topics).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from decimal import ROUND_CEILING

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from supervisione.demo.national.calendar import Calendar
from supervisione.demo.national.context import SOURCE, Options, PartnershipInfo, World
from supervisione.demo.national.names import People
from supervisione.demo.national.plans import assign, compose_plans, needs, write_plans
from supervisione.demo.national.procurement import document_files, finish_contracts, load_procurement
from supervisione.demo.national.staff import load_staff
from supervisione.demo.national.territory import load_territory
from supervisione.demo.national.users import load_national_users
from supervisione.demo.national.writer import Ids, Writer, analyze, data_models, empty_tables
from supervisione.demo.users import DEMO_PASSWORD
from supervisione.sessions import hours_summary
from supervisione.territory.models import FundingMeasure, Municipality, Partnership, PartnershipMember, Region

Report = Callable[[str], None]


def generate(options: Options, *, clear: bool = False, report: Report = lambda _line: None) -> dict[str, int]:
    """Write the data set (emptying the database first when ``clear``); return the rows written per model."""
    started = time.monotonic()

    def step(text: str) -> None:
        report(f"[{time.monotonic() - started:6.1f} s] {text}")

    with transaction.atomic():
        if clear:
            empty_tables(data_models())
            step("Dati esistenti cancellati (regioni e comuni conservati).")
        world = World(options, Ids(), Writer(), password=make_password(DEMO_PASSWORD))
        world.files = document_files()
        load_territory(world)
        load_national_users(world)
        step(f"Territorio: {len(world.ambiti)} ATS, {len(world.partnerships)} partenariati.")
        people = People(world.places)
        total = len(world.partnerships)
        shown = 0
        for number, partnership in enumerate(world.partnerships, start=1):
            rng = random.Random(f"{options.seed}:{partnership.code}")  # noqa: S311  (reproducible synthetic data)
            _partnership(world, partnership, rng, people)
            if number * 10 // total > shown or number == total:
                shown = number * 10 // total
                written = world.writer.counts()
                step(
                    f"Partenariati: {number}/{total}, incontri {_count(written, 'Session')}, "
                    f"presenze {_count(written, 'Attendance')}."
                )
        world.writer.finish()
        step("Scrittura completata.")
        # Statistics first: the summary's queries run in this transaction, and on PostgreSQL, planned on the
        # statistics of the empty tables, read the sessions over and over (about 480 GB from the page cache, over
        # 40 minutes at 600 ATS, against a few minutes after ANALYZE, which sees this transaction's rows).
        analyze()
        hour_rows, attendance_rows = hours_summary.rebuild()
        step(f"Riepilogo per l'osservatorio: {hour_rows} righe di ore, {attendance_rows} di presenze.")
    analyze()
    step("Statistiche del database aggiornate (ANALYZE).")
    counts: dict[str, int] = {model._meta.label: count for model, count in world.writer.counts().items()}
    counts["territory.Region"] = Region.objects.count()
    counts["territory.Municipality"] = Municipality.objects.count()
    return dict(sorted(counts.items()))


def _count(counts: dict[type[models.Model], int], name: str) -> int:
    return sum(count for model, count in counts.items() if model.__name__ == name)


def _partnership(world: World, partnership: PartnershipInfo, rng: random.Random, people: People) -> None:
    options = world.options
    staff = load_staff(world, partnership, rng, people)
    plans = compose_plans(world, staff)
    procurement = load_procurement(world, partnership, staff, needs(plans), rng, people)
    assign(world, plans, procurement, rng)
    calendar = Calendar(world, partnership, staff, rng)
    for plan in plans:
        calendar.book_year(plan)
    write_plans(world, partnership, staff, plans, rng)
    budget = finish_contracts(world, partnership, staff, procurement, rng)
    start = datetime.date(options.first_year - 1, 9, 1)
    world.writer.table(
        Partnership,
        ["id", "code", "name", "capofila_id", "measure", "cup", "start_date", "end_date", "budget", "notes"],
    ).add(
        partnership.id,
        partnership.code,
        partnership.name,
        partnership.capofila.id,
        FundingMeasure.PNRR_114,
        partnership.cup,
        start,
        datetime.date(options.last_year, 12, 31),
        (budget / 1000).to_integral_value(rounding=ROUND_CEILING) * 1000,
        f"{SOURCE}: ATS, persone, piani e incontri inventati.",
    )
    members = world.writer.table(PartnershipMember, ["id", "partnership_id", "ambito_id", "joined_on"])
    for ambito in partnership.ambiti:
        members.add(world.ids.next(PartnershipMember), partnership.id, ambito.id, start)
