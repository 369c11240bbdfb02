"""Uploaded documents are streamed only here, after the same access check as their owner's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from supervisione.accounts.decorators import current_user
from supervisione.supervisors import actions
from supervisione.supervisors.access import get_contract_for_user, get_supervisor_for_user
from supervisione.supervisors.models import Contract, Document, Supervisor


def _owner(request: HttpRequest, document: Document, *, write: bool) -> Supervisor | Contract:
    if document.supervisor_id is not None:
        return get_supervisor_for_user(request.user, document.supervisor_id, own_parts=write)
    if document.contract_id is not None:
        return get_contract_for_user(request.user, document.contract_id, write=write)
    raise Http404  # pragma: no cover  (the database constraint guarantees an owner)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document, pk=pk)
    _owner(request, document, write=False)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    owner = _owner(request, document, write=True)
    if document.declaration_id is not None:
        # The signed declaration is the evidence of an assignment: it stays.
        raise PermissionDenied
    actions.delete_document(document, by=current_user(request))
    messages.success(request, f"Documento «{document.title}» eliminato.")
    return redirect(owner.get_absolute_url())
