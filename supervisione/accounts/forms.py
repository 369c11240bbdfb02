from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from supervisione.accounts.models import USERNAME_MAX_LENGTH, Role, RoleAssignment, User
from supervisione.audit.forms import VersionedForm
from supervisione.lib.codes import normalise_code, validate_personal_tax_code
from supervisione.territory.models import Ambito, Partnership, Region


class UserForm(VersionedForm, forms.ModelForm[User]):
    password = forms.CharField(
        label="Nuova password",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Lascia vuoto per non cambiarla. Almeno 12 caratteri; comunicala all'utente di persona.",
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        if self.instance._state.adding:
            self.fields["password"].required = True
            self.fields["password"].help_text = "Almeno 12 caratteri; comunicala all'utente di persona."

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if password:
            password_validation.validate_password(password, self.instance)
        return password

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if self.cleaned_data["password"]:
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Ruolo", choices=Role.choices)
    partnership = forms.ModelChoiceField(
        label="Partenariato",
        queryset=Partnership.objects.all(),
        required=False,
        help_text="Per coordinatori e supervisori.",
    )
    ambito = forms.ModelChoiceField(
        label="ATS", queryset=Ambito.objects.all(), required=False, help_text="Per referenti e operatori."
    )
    region = forms.ModelChoiceField(
        label="Regione",
        queryset=Region.objects.all(),
        required=False,
        help_text="Per gli osservatori: vuota significa tutto il territorio nazionale.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        partnership, ambito, region = cleaned.get("partnership"), cleaned.get("ambito"), cleaned.get("region")
        if role in (Role.COORDINATOR, Role.SUPERVISOR):
            if partnership is None:
                self.add_error("partnership", "Indica il partenariato in cui l'utente ha questo ruolo.")
            ambito = region = None
        elif role in (Role.REFERENT, Role.SUPERVISEE):
            if ambito is None:
                self.add_error("ambito", "Indica l'ATS in cui l'utente ha questo ruolo.")
            partnership = region = None
        elif role == Role.OBSERVER:
            partnership = ambito = None
        else:
            partnership = ambito = region = None
        cleaned.update(partnership=partnership, ambito=ambito, region=region)
        if role and not self.errors:
            exists = RoleAssignment.objects.filter(
                user=self.user, role=role, partnership=partnership, ambito=ambito, region=region
            ).exists()
            if exists:
                raise forms.ValidationError("L'utente ha già questo ruolo.")
        return cleaned


class CodeForm(forms.Form):
    """The six-digit code of an authenticator app; spaces are ignored (some apps show "123 456")."""

    code = forms.CharField(
        label="Codice di verifica",
        max_length=20,
        help_text="Le 6 cifre che l'app di autenticazione mostra in questo momento.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("Il codice è fatto di 6 cifre, ad esempio 123456.")
        return code


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a user name longer than any user can have before anything looks it up.

    Django sets the field's ``max_length`` only for the browser: the server took a user name of any length
    and handed it to the authentication backends and django-axes, which stored it whole in its throttling
    tables on SQLite (anyone could grow them) and failed with a 500 on PostgreSQL (255 characters)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(
                USERNAME_MAX_LENGTH,
                message=f"Il nome utente ha al massimo {USERNAME_MAX_LENGTH} caratteri: controlla di averlo scritto.",
            )
        )


class InvitationForm(forms.Form):
    """Who to invite by e-mail with a role: a coordinator of a partnership, a referent of an ATS. The codice
    fiscale, when given, is how the account is found again and linked to the person in the census."""

    first_name = forms.CharField(label="Nome", max_length=150)
    last_name = forms.CharField(label="Cognome", max_length=150)
    email = forms.EmailField(label="E-mail", help_text="Riceverà il link per scegliere la password.")
    tax_code = forms.CharField(
        label="Codice fiscale",
        max_length=16,
        required=False,
        help_text="Facoltativo: collega l'account alla persona del censimento che ha lo stesso codice fiscale.",
    )

    def clean_tax_code(self) -> str:
        code = normalise_code(self.cleaned_data["tax_code"])
        if code:
            validate_personal_tax_code(code)
        return code

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        return email.strip()
