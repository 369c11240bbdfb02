"""The rows between the preview and the confirmation: carried by the page, signed by the server, bound to the ATS
and the user, valid for an hour."""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing

from supervisione.funding.importing.problems import ImportFileError
from supervisione.funding.importing.rows import ParsedRow
from supervisione.territory.models import Ambito

SIGNED_FOR_SECONDS = 3600


def _salt(ambito: Ambito, user_id: int) -> str:
    return f"supervisione.funding.import:{ambito.pk}:{user_id}"


def sign_rows(rows: Iterable[ParsedRow], file_name: str, ambito: Ambito, user_id: int) -> str:
    payload = {"file": file_name, "rows": [row.as_data() for row in rows]}
    return signing.dumps(payload, salt=_salt(ambito, user_id), compress=True)


def unsign_rows(token: str, ambito: Ambito, user_id: int) -> tuple[list[ParsedRow], str]:
    """The rows of the preview, or ``ImportFileError`` if the page was changed or is too old."""
    try:
        payload = signing.loads(token, salt=_salt(ambito, user_id), max_age=SIGNED_FOR_SECONDS)
        return [ParsedRow.from_data(data) for data in payload["rows"]], str(payload["file"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, ArithmeticError):
        raise ImportFileError(
            "La conferma non corrisponde all'anteprima (pagina scaduta dopo un'ora, o modificata): carica di nuovo "
            "il file."
        ) from None
