"""A contract's uploaded documents are streamed only here, after the same access check as the contract's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.lib.downloads import stored_file
from supervisione.procurement import actions
from supervisione.procurement.access import get_contract_for_user
from supervisione.procurement.models import ContractDocument


@login_required
def contract_document_download(request: AuthenticatedHttpRequest, pk: int, document_pk: int) -> FileResponse:
    contract = get_contract_for_user(request.user, pk)
    document = get_object_or_404(ContractDocument, pk=document_pk, contract=contract)
    return stored_file(document.file, filename=document.original_name, content_type=document.content_type)


@login_required
@require_POST
def contract_document_delete(request: AuthenticatedHttpRequest, pk: int, document_pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk, write=True)
    document = get_object_or_404(ContractDocument, pk=document_pk, contract=contract)
    actions.delete_contract_document(document, by=request.user)
    messages.success(request, f"Documento «{document.title}» eliminato.")
    return redirect(contract.get_absolute_url())
