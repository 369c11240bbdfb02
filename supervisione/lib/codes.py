"""Validation of Italian identification codes, with messages in Italian.

The checks themselves come from python-stdnum; this module only turns its exceptions into messages a user
can act on.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as StdnumError,
)
from stdnum.it import codicefiscale, iva


def normalise_code(value: str) -> str:
    return "".join(value.split()).upper()


def validate_personal_tax_code(value: str) -> None:
    """A person's codice fiscale: 16 characters with a valid check character."""
    number = normalise_code(value)
    if len(number) != 16:
        raise ValidationError(
            "Il codice fiscale di una persona ha 16 caratteri (ne sono stati indicati %(n)s).",
            code="length",
            params={"n": len(number)},
        )
    _validate(codicefiscale.validate, number, "codice fiscale")


def validate_organisation_tax_code(value: str) -> None:
    """An organisation's codice fiscale: 11 digits, or 16 characters for a sole trader or professional."""
    number = normalise_code(value)
    if len(number) not in (11, 16):
        raise ValidationError(
            "Il codice fiscale ha 11 cifre (enti e società) o 16 caratteri (persone fisiche).",
            code="length",
        )
    _validate(codicefiscale.validate, number, "codice fiscale")


def validate_partita_iva(value: str) -> None:
    number = normalise_code(value)
    if len(number) != 11 or not number.isdigit():
        raise ValidationError("La partita IVA ha 11 cifre.", code="length")
    _validate(iva.validate, number, "partita IVA")


def _validate(check: Callable[[str], str], number: str, label: str) -> None:
    try:
        check(number)
    except InvalidChecksum:
        raise ValidationError(
            "Il carattere di controllo del %(label)s non corrisponde: verifica di averlo trascritto bene.",
            code="checksum",
            params={"label": label},
        ) from None
    except (InvalidFormat, InvalidLength):
        raise ValidationError(
            "Il %(label)s non ha un formato valido.", code="format", params={"label": label}
        ) from None
    except InvalidComponent:
        raise ValidationError(
            "Il %(label)s contiene una parte non valida (data di nascita, comune o ufficio).",
            code="component",
            params={"label": label},
        ) from None
    except StdnumError:
        raise ValidationError("Il %(label)s non è valido.", code="invalid", params={"label": label}) from None
