"""Optional two-factor verification with a time-based code (TOTP, RFC 6238) from an authenticator app.

A user has at most one TOTP device (django-otp's ``TOTPDevice``). It is created unconfirmed when the user
starts the set-up and becomes active only when the user types a code from the app
(``accounts.actions.confirm_two_factor``). From then on the login asks for a code after the password
(``accounts.views.auth``). The secret is shown only while the device is unconfirmed and never reaches the
audit log, which records only that verification was turned on, off or reset, and by whom.
"""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass

import segno
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from supervisione.accounts.models import User

DEVICE_NAME = "App di autenticazione"


class CodeRefusedError(Exception):
    """The code is wrong, expired or already used, or too many wrong codes were typed just now."""

    def __init__(self, *, throttled: bool = False) -> None:
        self.throttled = throttled
        super().__init__(
            "Troppi codici errati: attendi qualche secondo e riprova con il codice attuale."
            if throttled
            else "Il codice non è corretto o è scaduto: inserisci il codice che l'app mostra adesso "
            "(controlla che l'ora del telefono sia esatta)."
        )


def active_device(user: User) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def pending_device(user: User) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device


@dataclass(frozen=True)
class Enrolment:
    """What the set-up page shows for an unconfirmed device: the otpauth URI as a QR code and as text."""

    uri: str
    secret: str
    qr_data_uri: str

    @classmethod
    def of(cls, device: TOTPDevice) -> Enrolment:
        uri: str = device.config_url
        secret = b32encode(device.bin_key).decode()
        # An SVG made here and embedded as a data: URI: no script, no external service, allowed by the CSP.
        qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")
        grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        return cls(uri=uri, secret=grouped, qr_data_uri=qr)


def refusal(device: TOTPDevice, code: str) -> CodeRefusedError | None:
    """Check ``code`` with django-otp's throttling and replay protection; the error to raise, or None.

    Returned rather than raised: the caller's transaction must commit the failure count that django-otp
    saves on a wrong code, or the throttling would be rolled back with it.
    """
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return CodeRefusedError(throttled=True)
    if not device.verify_token(code):
        return CodeRefusedError()
    return None


def verify_login_code(user: User, code: str) -> TOTPDevice:
    """The active device if ``code`` matches it (the second step of the login); ``CodeRefusedError`` if not."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        error = CodeRefusedError() if device is None else refusal(device, code)
    if error is not None:
        raise error
    assert device is not None  # noqa: S101  (no error means a device accepted the code)
    return device
