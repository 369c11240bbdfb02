from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError

from supervisione.accounts.models import User


class ItalianMinimumLengthValidator(MinimumLengthValidator):
    """Django's length rule with the message in Italian (Django's own catalogue lacks this one)."""

    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                "Questa password è troppo corta: deve contenere almeno %(min_length)d caratteri.",
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return f"La password deve contenere almeno {self.min_length} caratteri."
