"""Encryption at rest of the supervisors' private notes.

The notes are stored only as Fernet tokens (AES-128-CBC with HMAC-SHA256) made with the keys in
``settings.NOTES_ENCRYPTION_KEYS``: the first key encrypts, every key decrypts, so a key is rotated by putting
the new one first and re-encrypting (``reencrypt``) before the old one is dropped. A database dump, a backup
or an administrator reading the table sees only tokens.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class NoteUnreadableError(Exception):
    """The token was not made with any configured key (or was altered)."""


def _cipher() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.NOTES_ENCRYPTION_KEYS])


def encrypt_note(text: str) -> str:
    if not text:
        return ""
    return _cipher().encrypt(text.encode()).decode("ascii")


def decrypt_note(token: str) -> str:
    if not token:
        return ""
    try:
        return _cipher().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as error:
        raise NoteUnreadableError("La nota non si può decifrare con le chiavi configurate.") from error


def reencrypt(token: str) -> str:
    """The same note under the first (newest) key."""
    if not token:
        return ""
    try:
        return _cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise NoteUnreadableError("La nota non si può decifrare con le chiavi configurate.") from error
