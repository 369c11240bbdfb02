from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from supervisione.lib.codes import (
    validate_organisation_tax_code,
    validate_partita_iva,
    validate_personal_tax_code,
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
