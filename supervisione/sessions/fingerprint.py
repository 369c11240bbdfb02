"""SHA-256 fingerprints of the registers issued as PDF, and their verification.

A register PDF is generated once, stored, and always served as stored: its fingerprint is the SHA-256 of
those bytes, so anyone holding a copy can check it against what is on record (the verification page). A
copy that was altered, re-saved or re-printed to PDF does not match.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import IO

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_stream(stream: IO[bytes] | Iterable[bytes]) -> str:
    """The fingerprint of a file read in chunks (an uploaded file, a stored file)."""
    digest = hashlib.sha256()
    if hasattr(stream, "read"):
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    else:
        for chunk in stream:
            digest.update(chunk)
    return digest.hexdigest()


def parse_fingerprint(text: str) -> str | None:
    """A fingerprint as pasted (spaces, colons, capitals allowed) in canonical form, or None if it is not one."""
    cleaned = re.sub(r"[\s:\-]", "", text).lower()
    return cleaned if _HEX64.match(cleaned) else None


def grouped(fingerprint: str, size: int = 8) -> str:
    """Readable on paper: "3f2a9c1e 77d0..." in groups of eight."""
    return " ".join(fingerprint[i : i + size] for i in range(0, len(fingerprint), size))
