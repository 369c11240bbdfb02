"""The PNRR evidence pack of a partnership's CUP: the request (a form), the job's page with its progress (polled
by htmx while a worker builds it, ``evidence_jobs``) and the download once it is ready. Coordinators (and
administrators) only: the pack holds registers with names."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import get_partnership_for_user
from supervisione.lib import clock
from supervisione.lib.htmx import reload_at
from supervisione.territory.models import Partnership

from ..access import partnership_viewer
from ..evidence_jobs import start_job
from ..forms import EvidencePackForm
from ..jobs import stop_if_stalled
from ..models import DocumentJob, DocumentKind
from .dashboards import SECTION
from .jobs import download

RECENT_PACKS = 5


def _partnership(request: AuthenticatedHttpRequest, code: str) -> Partnership:
    """The partnership (404 outside the scope) if the user manages it; a 403 with the reason otherwise."""
    partnership = get_partnership_for_user(request.user, code)
    if not partnership_viewer(request.user, partnership).manages:
        raise Refused(
            "Il pacchetto di evidenze PNRR contiene i registri con i nomi dei partecipanti: lo prepara il "
            "coordinatore del partenariato.",
            forward_url=reverse("monitoring:partnership", args=[partnership.code]),
            forward_label="Torna al monitoraggio del partenariato",
        )
    return partnership


def _packs(partnership: Partnership) -> QuerySet[DocumentJob]:
    return DocumentJob.objects.filter(partnership=partnership, kind=DocumentKind.EVIDENCE_PACK).select_related(
        "partnership", "created_by"
    )


def _job(request: AuthenticatedHttpRequest, code: str, pk: int) -> DocumentJob:
    partnership = _partnership(request, code)
    job = get_object_or_404(_packs(partnership), pk=pk)
    return stop_if_stalled(job)


@login_required
def evidence_pack(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The request of a pack (CUP and period, prefilled from the address: the close-out page links here); a valid
    POST queues it and opens its page. The last packs asked are listed."""
    partnership = _partnership(request, code)
    today = clock.today()
    initial = {"cup": partnership.cup, "start": partnership.start_date or today.replace(month=1, day=1), "end": today}
    if request.method == "POST":
        form = EvidencePackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            job = start_job(partnership, data["cup"], data["start"], data["end"], by=request.user)
            return redirect(job)
    else:
        form = EvidencePackForm(initial={**initial, **_prefilled(request)})
    recent = list(_packs(partnership)[:RECENT_PACKS])
    return render(
        request,
        "monitoring/evidence_pack.html",
        {
            "form": form,
            "partnership": partnership,
            "recent": recent,
            "cancel_url": reverse("monitoring:partnership", args=[partnership.code]),
            "active_section": SECTION,
        },
        status=400 if form.is_bound else 200,
    )


def _prefilled(request: AuthenticatedHttpRequest) -> dict[str, object]:
    """The CUP and period the address proposes (the close-out page's link), each read as its field reads it; a
    value that does not read is left to the default."""
    fields = EvidencePackForm().fields
    found: dict[str, object] = {}
    for key in ("cup", "start", "end"):
        if key in request.GET:
            try:
                found[key] = fields[key].clean(request.GET[key])
            except ValidationError:
                continue
    return found


def _context(job: DocumentJob) -> dict[str, object]:
    return {"job": job, "partnership": job.partnership, "summary": job.summary, "active_section": SECTION}


@login_required
def evidence_pack_job(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    job = _job(request, code, pk)
    return render(request, "monitoring/evidence_pack_job.html", _context(job))


@login_required
def evidence_pack_progress(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    """The progress panel, polled while a worker builds the pack; once it is done, the whole page reloads."""
    job = _job(request, code, pk)
    if job.working:
        return render(request, "monitoring/evidence_pack_progress.html", _context(job))
    return reload_at(request, job.get_absolute_url())


@login_required
def evidence_pack_download(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponseBase:
    return download(_job(request, code, pk))
