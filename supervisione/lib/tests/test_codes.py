from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from supervisione.lib.codes import (
    validate_ambito_code,
    validate_ministry_prefix,
    validate_organisation_tax_code,
    validate_partita_iva,
    validate_partnership_code,
    validate_personal_tax_code,
    validate_region_code,
)


def test_it_accepts_valid_codes() -> None:
    validate_personal_tax_code("RSSMRA85T10A562S")
    validate_personal_tax_code("rssmra85t10a562s")
    validate_organisation_tax_code("01234560751")
    validate_partita_iva("01234560751")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("RSSMRA85T10A562", "16 caratteri"),
        ("RSSMRA85T10A562X", "carattere di controllo"),
        ("RSS#MRA85T10A562", "formato"),
    ],
)
def test_it_explains_a_bad_personal_code(code: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_personal_tax_code(code)
    assert message in " ".join(error.value.messages)


def test_it_rejects_a_bad_partita_iva() -> None:
    with pytest.raises(ValidationError):
        validate_partita_iva("01234560752")
    with pytest.raises(ValidationError):
        validate_partita_iva("ABC")


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (validate_ambito_code, ["PUG_MAGLIE", "VEN_09", "TAA_BZ_1"], ["PUG_A/B", "pug_a", "PUG_A\n", "VEN-09", ""]),
        (validate_partnership_code, ["POGGIARDO-114", "T1"], ["POGGIARDO/114", "-114", "POGGIARDO_114", "X\n"]),
        (validate_region_code, ["16", "05"], ["1/", "\u0661\u0666", "160", "16\n"]),
        (validate_ministry_prefix, ["PUG", "VEN", "TAA"], ["P/G", "pug", "PUGLI", "P"]),
    ],
)
def test_codes_in_addresses_match_the_whole_pattern(check: Any, good: list[str], bad: list[str]) -> None:
    for code in good:
        check(code)
    for code in bad:
        with pytest.raises(ValidationError):
            check(code)
