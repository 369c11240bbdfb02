"""A supervisor's uploaded documents are streamed only here, after the same access check as the record's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.lib.downloads import stored_file
from supervisione.supervisors import actions
from supervisione.supervisors.access import get_supervisor_for_user
from supervisione.supervisors.models import Document


@login_required
def document_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document, pk=pk)
    get_supervisor_for_user(request.user, document.supervisor_id)
    return stored_file(document.file, filename=document.original_name, content_type=document.content_type)


@login_required
@require_POST
def document_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    supervisor = get_supervisor_for_user(request.user, document.supervisor_id, own_parts=True)
    if document.declaration_id is not None:
        raise Refused(
            "La dichiarazione firmata è la prova dell'incarico del supervisore: resta agli atti e non si elimina.",
            forward_url=supervisor.get_absolute_url(),
            forward_label="Torna alla scheda del supervisore",
        )
    actions.delete_document(document, by=request.user)
    messages.success(request, f"Documento «{document.title}» eliminato.")
    return redirect(supervisor.get_absolute_url())
