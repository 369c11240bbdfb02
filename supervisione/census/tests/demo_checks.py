"""What the demo must contain for the census; called by demo/tests/test_demo.py (one demo load)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from stdnum.it import codicefiscale

from supervisione.census.models import SOCIAL_WORKER_PROFESSIONS, Census, CensusStatus, Person, ReferentDesignation


def check_census_demo() -> None:
    """Exactly 56 AS for Poggiardo-Maglie-Casarano, with équipes and referents; a late San Severo campaign."""

    def social_workers(code: str) -> int:
        return (
            Person.objects.filter(
                profession__in=SOCIAL_WORKER_PROFESSIONS,
                positions__census__ambito__code=code,
                positions__census__campaign__partnership__code="POGGIARDO-114",
            )
            .distinct()
            .count()
        )

    counts = {code: social_workers(code) for code in ("PUG_POGGIARDO", "PUG_MAGLIE", "PUG_CASARANO")}
    assert counts == {"PUG_POGGIARDO": 20, "PUG_MAGLIE": 18, "PUG_CASARANO": 18}
    assert sum(counts.values()) == 56
    censuses = Census.objects.filter(campaign__partnership__code="POGGIARDO-114")
    assert {census.status for census in censuses} == {CensusStatus.VALIDATED}
    for census in censuses:
        professions = set(census.positions.values_list("person__profession", flat=True))
        assert {"educatore_professionale", "psicologo", "amministrativo"} <= professions
        assert census.positions.filter(equipe__isnull=False).exists()
    assert Person.objects.filter(surname="De Santis", name="Marco").exists()
    assert ReferentDesignation.objects.filter(request__partnership__code="POGGIARDO-114").count() == 3
    # Fictional people, with codici fiscali that pass the check.
    for code in Person.objects.values_list("tax_code", flat=True):
        assert codicefiscale.is_valid(code), code

    # San Severo: due 17/04/2023, some ATS late (one test: loading the demo takes seconds).
    by_code = {c.ambito.code: c for c in Census.objects.filter(campaign__partnership__code="SANSEVERO-114")}
    assert {c.campaign.deadline for c in by_code.values()} == {datetime.date(2023, 4, 17)}
    today = timezone.localdate()
    assert sorted(code for code, census in by_code.items() if census.is_late(today)) == ["PUG_SANMARCO", "PUG_TROIA"]
    assert by_code["PUG_LUCERA"].submitted_late
    assert by_code["PUG_SANSEVERO"].status == CensusStatus.VALIDATED
    answered = set(
        ReferentDesignation.objects.filter(request__partnership__code="SANSEVERO-114").values_list(
            "ambito__code", flat=True
        )
    )
    assert answered == {"PUG_SANSEVERO", "PUG_LUCERA"}
