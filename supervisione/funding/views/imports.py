"""The import of an ATS's commitments, liquidations and payments from its accounting software's export: upload,
preview (what would be written, or every problem with its row), confirmation; and the template to fill."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import scope_for
from supervisione.funding import actions
from supervisione.funding.access import get_ambito_funds_for_user
from supervisione.funding.exports import TEMPLATE_NAME, template_xlsx
from supervisione.funding.forms import ConfirmImportForm, ImportForm
from supervisione.funding.importing.columns import COLUMNS
from supervisione.funding.importing.confirmation import sign_rows, unsign_rows
from supervisione.funding.importing.parse import parse_rows
from supervisione.funding.importing.plan import plan_import
from supervisione.funding.importing.problems import ImportFileError
from supervisione.funding.importing.read import MAX_ROWS, read_rows
from supervisione.funding.views.funds import SECTION, funds_url
from supervisione.lib.downloads import download
from supervisione.lib.italian import counted
from supervisione.lib.uploads import CONTENT_TYPES
from supervisione.territory.models import Ambito


def _page(request: AuthenticatedHttpRequest, ambito: Ambito, **context: object) -> HttpResponse:
    return render(
        request,
        "funding/import.html",
        {
            "ambito": ambito,
            "columns": COLUMNS,
            "max_rows": MAX_ROWS,
            "funds_url": funds_url(ambito),
            "active_section": SECTION,
            **context,
        },
    )


@login_required
def ledger_import(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """GET: the upload form. POST: the file read and checked, and the preview of what it would write."""
    ambito, _access = get_ambito_funds_for_user(request.user, code, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, ambito, form=form)
    upload, checked = form.cleaned_data["file"]
    try:
        table = read_rows(upload.read())
    except ImportFileError as error:
        form.add_error("file", str(error))
        return _page(request, ambito, form=form)
    rows, problems = parse_rows(table, ambito)
    plan = plan_import(ambito, rows)
    if problems:
        plan.problems = sorted(problems + plan.problems, key=lambda problem: (problem.row, problem.column))
    confirm = None
    if not plan.problems and plan.changes_anything:
        token = sign_rows(rows, checked.original_name, ambito, request.user.pk)
        confirm = ConfirmImportForm(initial={"rows": token})
    return _page(
        request,
        ambito,
        form=ImportForm(),
        plan=plan,
        notices=table.notices + plan.notices,
        file_name=checked.original_name,
        confirm=confirm,
    )


@login_required
@require_POST
def ledger_import_confirm(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The preview confirmed: the rows written, all or none, after checking them again on the ledger as it is."""
    ambito, _access = get_ambito_funds_for_user(request.user, code, write=True)
    user = request.user
    form = ConfirmImportForm(request.POST)
    token = form.cleaned_data["rows"] if form.is_valid() else ""
    try:
        rows, file_name = unsign_rows(token, ambito, user.pk)
    except ImportFileError as error:
        return _page(request, ambito, form=ImportForm(), error=str(error))
    try:
        plan = actions.import_ledger(ambito, rows, by=user, file_name=file_name)
    except actions.ImportRefusedError as refused:
        return _page(request, ambito, form=ImportForm(), plan=refused.plan, file_name=file_name, changed=True)
    if plan.changes_anything:
        messages.success(
            request,
            f"Importazione completata da «{file_name}»: {counted(plan.created, 'atto nuovo', 'atti nuovi')}, "
            f"{counted(plan.updated, 'aggiornato', 'aggiornati')}, "
            f"{counted(plan.unchanged, 'già registrato', 'già registrati')}.",
        )
    else:
        messages.info(request, "Nessuna modifica: tutti gli atti del file erano già registrati così.")
    return redirect(funds_url(ambito))


@login_required
def import_template(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if not scope_for(request.user).sees_people:
        raise PermissionDenied
    return download(template_xlsx(), filename=TEMPLATE_NAME, content_type=CONTENT_TYPES["xlsx"])
