"""Checks on uploaded files: size and real type (from the first bytes, not from the name or the browser).

Uploaded documents are stored under MEDIA_ROOT with a generated name and are served only through views that
check who is asking; the name a user gave is kept as data, never used as a path.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from supervisione.lib.italian import megabytes_text

KIND_LABELS = {
    "pdf": "PDF",
    "jpeg": "JPEG",
    "png": "PNG",
    "xlsx": "Excel (.xlsx)",
    "csv": "CSV",
    "docx": "Word (.docx)",
    "odt": "OpenDocument (.odt)",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "xlsx": "xlsx", "csv": "csv", "docx": "docx", "odt": "odt"}


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    size: int
    original_name: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    def storage_name(self, folder: str) -> str:
        """A generated name under ``folder``: nothing of the user's file name reaches the file system."""
        return f"{folder}/{uuid.uuid4().hex}.{EXTENSIONS[self.kind]}"


def sniff(head: bytes, name: str) -> str | None:
    """The kind of a file from its first bytes; ZIP-based formats are told apart by their content list."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head[:200]:
            return "odt"
        if b"word/" in head:
            return "docx"
        if b"xl/" in head or b"[Content_Types].xml" in head:
            suffix = PurePath(name).suffix.lower()
            return "docx" if suffix == ".docx" else "xlsx"
        return None
    suffix = PurePath(name).suffix.lower()
    if suffix in {".csv", ".txt"} and b"\x00" not in head:
        return "csv"
    return None


def original_name(name: str) -> str:
    """The base name a user gave, safe to show and to send back in a download header.

    Browsers send a bare name, but old ones and crafted requests send a whole Windows or POSIX path, or
    control characters (a line break in a header would break the download): only the last part is kept,
    without control characters, at most 200 characters.
    """
    base = re.split(r"[\\/]", name)[-1]
    visible = "".join(" " if unicodedata.category(char).startswith("C") else char for char in base)
    cleaned = " ".join(visible.split())[:200].strip()
    return cleaned if cleaned.strip(".") else "documento"


def check_upload(file: IO[bytes], *, name: str, size: int, allowed: set[str], max_bytes: int) -> CheckedUpload:
    """Refuse a file that is too big, empty, or not of an allowed kind, with an Italian message."""
    if size == 0:
        raise ValidationError("Il file è vuoto.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            "Il file pesa %(size)s MB: il massimo è %(max)s MB.",
            code="too_big",
            params={"size": megabytes_text(size), "max": f"{max_bytes / 1_048_576:g}"},
        )
    position = file.tell()
    head = file.read(4096)
    file.seek(position)
    kind = sniff(head, name)
    if kind not in allowed:
        expected = ", ".join(KIND_LABELS[k] for k in sorted(allowed))
        raise ValidationError(
            "Il file «%(name)s» non è di un tipo accettato (%(expected)s).",
            code="type",
            params={"name": original_name(name), "expected": expected},
        )
    return CheckedUpload(kind=kind, size=size, original_name=original_name(name))


@contextmanager
def stored_upload(file: IO[bytes], checked: CheckedUpload, folder: str) -> Iterator[str]:
    """Save the file under a generated name in ``folder`` and give that name to the block, which saves the
    record naming it: if the block fails, the file is removed."""
    name = default_storage.save(checked.storage_name(folder), file)
    try:
        yield name
    except Exception:
        default_storage.delete(name)
        raise


def delete_stored_on_commit(name: str) -> None:
    """Remove a stored file once the deletion of its record is committed (never before: it could roll back)."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
