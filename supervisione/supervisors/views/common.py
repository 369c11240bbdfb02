"""Shared pieces of the supervisor and contract views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.audit.actions import StaleEditError
from supervisione.audit.forms import refuse_stale


def form_page(
    request: AuthenticatedHttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    cancel_url: str,
    on_valid: Callable[[], Any],
    success: str,
    active_section: str,
    intro: str = "",
) -> HttpResponse:
    """Validate ``form`` on POST, call ``on_valid`` and go to the URL it returns (or back to ``cancel_url``);
    otherwise show the generic form page with the errors (also when the record changed since the page was
    built: ``StaleEditError``)."""
    if request.method == "POST" and form.is_valid():
        try:
            target = on_valid()
        except StaleEditError as error:
            refuse_stale(form, request, error)
        else:
            messages.success(request, success)
            return redirect(target if isinstance(target, str) else cancel_url)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "cancel_url": cancel_url,
            "active_section": active_section,
        },
    )
