"""Validation of Italian identification codes, with messages in Italian.

The checks themselves come from python-stdnum; this module only turns its exceptions into messages a user
can act on.
"""

from __future__ import annotations

import re
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


# Codes that name records in addresses and commands (/territorio/ambiti/PUG_MAGLIE/): ASCII capitals, digits,
# "_" or "-" only. A "/" cannot be routed, so a code holding one was saved and then every page linking to the
# record answered 500. The models' validators use the same patterns (with ^ and $); the functions below match
# the whole text, a trailing line break included, and are called by the forms and before every save.
AMBITO_CODE_PATTERN = "[A-Z]{2,4}_[A-Z0-9_]{1,20}"
AMBITO_CODE_MESSAGE = (
    "Il codice ATS è formato da sigla regionale, trattino basso e numero o nome (es. VEN_09, PUG_MAGLIE)."
)
PARTNERSHIP_CODE_PATTERN = "[A-Z0-9][A-Z0-9-]{1,39}"
PARTNERSHIP_CODE_MESSAGE = "Usa lettere maiuscole, cifre e trattini (es. POGGIARDO-114)."
REGION_CODE_PATTERN = "[0-9]{2}"
REGION_CODE_MESSAGE = "Il codice ISTAT della regione ha 2 cifre (es. 16)."
MINISTRY_PREFIX_PATTERN = "[A-Z]{2,4}"
MINISTRY_PREFIX_MESSAGE = "La sigla ministeriale ha da 2 a 4 lettere maiuscole (es. PUG)."


def _check_code(value: object, pattern: str, message: str) -> None:
    if not isinstance(value, str) or re.fullmatch(pattern, value, flags=re.ASCII) is None:
        raise ValidationError(message, code="invalid")


def validate_ambito_code(value: object) -> None:
    _check_code(value, AMBITO_CODE_PATTERN, AMBITO_CODE_MESSAGE)


def validate_partnership_code(value: object) -> None:
    _check_code(value, PARTNERSHIP_CODE_PATTERN, PARTNERSHIP_CODE_MESSAGE)


def validate_region_code(value: object) -> None:
    _check_code(value, REGION_CODE_PATTERN, REGION_CODE_MESSAGE)


def validate_ministry_prefix(value: object) -> None:
    _check_code(value, MINISTRY_PREFIX_PATTERN, MINISTRY_PREFIX_MESSAGE)


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
