"""National reference data: the 20 regions.

``ministry_prefix`` is the prefix of the ministry-style ATS codes (``VEN`` in ``VEN_09``). No public list
of those codes was found (see docs/glossary.md), so the prefixes are best knowledge, editable by an
administrator.
"""

from __future__ import annotations

from typing import NamedTuple


class RegionData(NamedTuple):
    istat_code: str
    name: str
    ministry_prefix: str


REGIONS: tuple[RegionData, ...] = (
    RegionData("01", "Piemonte", "PIE"),
    RegionData("02", "Valle d'Aosta/Vallée d'Aoste", "VDA"),
    RegionData("03", "Lombardia", "LOM"),
    RegionData("04", "Trentino-Alto Adige/Südtirol", "TAA"),
    RegionData("05", "Veneto", "VEN"),
    RegionData("06", "Friuli-Venezia Giulia", "FVG"),
    RegionData("07", "Liguria", "LIG"),
    RegionData("08", "Emilia-Romagna", "EMR"),
    RegionData("09", "Toscana", "TOS"),
    RegionData("10", "Umbria", "UMB"),
    RegionData("11", "Marche", "MAR"),
    RegionData("12", "Lazio", "LAZ"),
    RegionData("13", "Abruzzo", "ABR"),
    RegionData("14", "Molise", "MOL"),
    RegionData("15", "Campania", "CAM"),
    RegionData("16", "Puglia", "PUG"),
    RegionData("17", "Basilicata", "BAS"),
    RegionData("18", "Calabria", "CAL"),
    RegionData("19", "Sicilia", "SIC"),
    RegionData("20", "Sardegna", "SAR"),
)
