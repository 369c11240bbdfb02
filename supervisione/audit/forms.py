"""The form side of optimistic locking: the page carries the version of the record it showed.

A form that edits a ``Versioned`` record mixes in ``VersionedForm``: the record's ``lock_version`` goes out in
a hidden field and comes back on the record, so that ``save_audited`` refuses the save if someone else saved
the record since the page was built. A post without the field is refused as an incomplete page, never
treated as "the current version". The view catches ``StaleEditError`` and calls ``refuse_stale``: the form
is shown again with what the user typed and a link to the current version.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from supervisione.audit.actions import StaleEditError
from supervisione.audit.models import Versioned

VERSION_FIELD = "lock_version"
INCOMPLETE = "La pagina è incompleta: ricaricala e ripeti la modifica."


class LockVersionField(forms.IntegerField):
    """The ``lock_version`` the form was built on, sent back with every edit (optimistic locking)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=0, **kwargs)
        self.error_messages["required"] = INCOMPLETE
        self.error_messages["invalid"] = INCOMPLETE
        self.error_messages["min_value"] = INCOMPLETE


class VersionedForm(forms.BaseForm):
    """Mixed in before ``forms.ModelForm`` (or ``forms.Form``, overriding ``versioned_record``)."""

    def versioned_record(self) -> Versioned | None:
        """The record the form edits: a ModelForm's instance."""
        instance = getattr(self, "instance", None)
        return instance if isinstance(instance, Versioned) else None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        record = self.versioned_record()
        if record is not None and not record._state.adding:
            self.fields[VERSION_FIELD] = LockVersionField(initial=record.lock_version)

    def full_clean(self) -> None:
        # Here rather than in clean(): a subclass's clean() that forgot super() must not skip the check.
        super().full_clean()
        record = self.versioned_record()
        version = getattr(self, "cleaned_data", {}).get(VERSION_FIELD)
        if record is not None and version is not None:
            record.lock_version = version


def stale_html(request: HttpRequest, message: str) -> SafeString:
    """The refusal with a link to the page as it is now: reloading the refused POST would only send the old
    version again."""
    return format_html('{} <a href="{}">Apri la versione attuale</a>.', message, request.get_full_path())


def refuse_stale(form: forms.BaseForm, request: HttpRequest, error: StaleEditError) -> None:
    """Show the refused form again, with what the user typed, and say why nothing was saved."""
    form.add_error(None, str(error) if error.gone else stale_html(request, str(error)))
