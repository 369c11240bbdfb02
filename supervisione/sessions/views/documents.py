"""Sign-in sheets, final registers and their verification, signed scans, certificates, timesheets."""

from __future__ import annotations

import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.lib import clock
from supervisione.lib.downloads import download
from supervisione.sessions.access import get_session_for_user, reach_for, require, view_for
from supervisione.sessions.actions.base import SessionError
from supervisione.sessions.actions.registers import issue_after_commit, store_scan
from supervisione.sessions.certificates import issue_certificate, normalise_code
from supervisione.sessions.documents import signin_sheet_pdf, timesheet_pdf, timesheet_xlsx
from supervisione.sessions.fingerprint import grouped, sha256_of_stream
from supervisione.sessions.forms import MonthForm, PeriodForm, ScanForm, VerifyForm
from supervisione.sessions.models import IssuedCertificate, RegisterDocument, Session, SessionStatus, SignedScan
from supervisione.sessions.queries import certificate, month_choices, registers_to_confirm, timesheet, today_sessions
from supervisione.sessions.views.calendars import get_person_for_user
from supervisione.sessions.views.common import SECTION, require_sessions_reader
from supervisione.supervisors.access import get_supervisor_for_user
from supervisione.supervisors.models import Supervisor

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _stream(file_field: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = file_field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def signin_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    view = get_session_for_user(request.user, pk)
    require(view.supervises or view.manages or view.reads, view)
    require(not view.session.is_cancelled, view, why="Questo incontro è annullato: non ha un foglio firme da stampare.")
    return download(
        signin_sheet_pdf(view.session),
        content_type="application/pdf",
        filename=f"foglio-firme-{view.session.date:%Y%m%d}-{view.session.pk}.pdf",
    )


@login_required
def register_download(request: AuthenticatedHttpRequest, pk: int, version: int) -> HttpResponseBase:
    view = get_session_for_user(request.user, pk)
    require(view.supervises or view.manages or view.reads, view)
    document = get_object_or_404(RegisterDocument, session=view.session, version=version)
    return _stream(
        document.file,
        filename=f"registro-{view.session.date:%Y%m%d}-{view.session.pk}-v{version}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def register_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Issue the final register of a confirmed session that has none (registers confirmed before this existed,
    or imported)."""
    view = get_session_for_user(request.user, pk)
    require(view.supervises or view.manages, view)
    require(
        view.session.is_confirmed,
        view,
        why="Questo incontro è annullato: non ha un registro finale."
        if view.session.is_cancelled
        else "Il registro finale si emette quando il registro presenze è confermato: lo conferma il supervisore.",
    )
    if not RegisterDocument.objects.filter(session=view.session).exists():
        issue_after_commit(view.session, by=request.user)
        messages.success(request, "Il registro finale è in preparazione: compare qui tra pochi istanti.")
    return redirect(view.session.get_absolute_url() + "#documenti")


REGISTER_CODE = re.compile(r"^R(\d{1,10})-(\d{1,5})$")


@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Does a register or certificate PDF match what is on record? By the file, its fingerprint or the code printed
    on it. Anyone logged in may ask (auditors included); the session's or the person's details are shown only to
    those who may see them."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result: dict[str, object] | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        code = form.cleaned_data["code"]
        fingerprint = ""
        document: RegisterDocument | None = None
        issued: IssuedCertificate | None = None
        registers = RegisterDocument.objects.select_related("session", "session__group")
        certificates = IssuedCertificate.objects.select_related("person", "ambito")
        if upload is not None or form.cleaned_data.get("fingerprint"):
            fingerprint = sha256_of_stream(upload) if upload is not None else form.cleaned_data["fingerprint"]
            document = registers.filter(sha256=fingerprint).first()
            issued = None if document else certificates.filter(sha256=fingerprint).first()
        elif match := REGISTER_CODE.match(code.upper().replace(" ", "")):
            document = registers.filter(session_id=int(match.group(1)), version=int(match.group(2))).first()
        else:
            issued = certificates.filter(code=normalise_code(code)).first()
        result = {
            "fingerprint": fingerprint,
            "grouped": grouped(fingerprint) if fingerprint else "",
            "code": code,
            "document": document,
            "certificate": issued,
            "visible": _sees_register(request, document) or _sees_person(request, issued),
        }
    return render(request, "sessions/verify.html", {"form": form, "result": result, "active_section": SECTION})


def _sees_register(request: AuthenticatedHttpRequest, document: RegisterDocument | None) -> bool:
    if document is None:
        return False
    try:
        return view_for(request.user, document.session).sees_participants or bool(reach_for(request.user).is_admin)
    except Http404:
        return False


def _sees_person(request: AuthenticatedHttpRequest, issued: IssuedCertificate | None) -> bool:
    if issued is None:
        return False
    try:
        get_person_for_user(request.user, issued.person_id)
    except (Http404, PermissionDenied):
        return False
    return True


@login_required
@require_POST
def scan_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    view = get_session_for_user(request.user, pk)
    require(view.can_upload, view)
    form = ScanForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            store_scan(view.session, upload, form.checked, by=request.user)
        except SessionError as refusal:  # a closed PNRR project's session: why, on its page
            for message in refusal.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Foglio firme «{form.checked.original_name}» caricato.")
    else:
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
    return redirect(view.session.get_absolute_url() + "#documenti")


@login_required
def scan_download(request: AuthenticatedHttpRequest, pk: int, scan_pk: int) -> HttpResponseBase:
    view = get_session_for_user(request.user, pk)
    require(view.sees_participants, view)
    scan = get_object_or_404(SignedScan, pk=scan_pk, session=view.session)
    return _stream(scan.file, filename=scan.original_name, content_type=scan.content_type)


@login_required
def certificate_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """A person's participation certificate for a period: the person, their ATS's managers and referents."""
    person = get_person_for_user(request.user, pk)
    require_sessions_reader(request.user)
    today = clock.today()
    initial = {"start": datetime.date(today.year, 1, 1), "end": today}
    form = PeriodForm(request.GET or None, initial=initial)
    start, end = initial["start"], initial["end"]
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    result = certificate(person, start, end)
    if request.GET.get("formato") == "pdf" and (not request.GET or form.is_valid()):
        if not result.has_sessions:
            raise Http404
        # Issued once per period and figures, then served as stored (its fingerprint and code stay valid).
        issued = issue_certificate(result, by=request.user)
        return _stream(
            issued.file,
            filename=f"attestato-{slugify(person.surname)}-{start:%Y%m%d}-{end:%Y%m%d}.pdf",
            content_type="application/pdf",
        )
    return render(
        request,
        "sessions/certificate.html",
        {
            "person": person,
            "form": form,
            "certificate": result,
            "start": start,
            "end": end,
            "active_section": SECTION,
            "crumbs": [("Calendario", reverse("sessions:home")), (f"Attestato di {person}", "")],
        },
    )


def _timesheet_supervisor(request: AuthenticatedHttpRequest, pk: int) -> Supervisor:
    if pk in reach_for(request.user).supervisor_ids:
        return get_object_or_404(Supervisor, pk=pk)
    supervisor = get_supervisor_for_user(request.user, pk)
    if not reach_for(request.user).manages_any:
        raise Refused(
            "Il foglio ore di un supervisore lo scaricano il supervisore stesso e chi gestisce i suoi incontri (il "
            "coordinatore del partenariato o il referente dell'ATS).",
            forward_url=supervisor.get_absolute_url(),
            forward_label="Torna alla scheda del supervisore",
        )
    return supervisor


def _timesheet_month(supervisor: Supervisor, today: datetime.date) -> tuple[int, int]:
    """The month a timesheet opens on: this one once the supervisor has held a session in it, the one before until
    then (in the first days of a month, the sheet to hand in is last month's, not an empty one)."""
    first = today.replace(day=1)
    held = Session.objects.filter(
        supervisor=supervisor, status=SessionStatus.SCHEDULED, date__gte=first, date__lte=today
    ).exists()
    if held:
        return today.year, today.month
    before = first - datetime.timedelta(days=1)
    return before.year, before.month


@login_required
def timesheet_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Hours held in a month per type and contract: the supervisor's own, or for the managers who pay them."""
    supervisor = _timesheet_supervisor(request, pk)
    today = clock.today()
    form = MonthForm(request.GET)
    year, month = form.month(_timesheet_month(supervisor, today))
    sheet = timesheet(supervisor, year, month)
    fmt = request.GET.get("formato")
    # A name in a header: letters, digits and hyphens only (a surname may hold quotes or line breaks).
    name = f"foglio-ore-{slugify(supervisor.surname)}-{year}-{month:02d}"
    if fmt == "pdf":
        return download(timesheet_pdf(sheet), content_type="application/pdf", filename=f"{name}.pdf")
    if fmt == "xlsx":
        return download(timesheet_xlsx(sheet), content_type=XLSX, filename=f"{name}.xlsx")
    return render(
        request,
        "sessions/timesheet.html",
        {
            "sheet": sheet,
            "supervisor": supervisor,
            "months": month_choices(today),
            "selected": f"{year}-{month:02d}",
            "active_section": SECTION,
            "crumbs": [("Calendario", reverse("sessions:home")), (f"Foglio ore di {supervisor}", "")],
        },
    )


@login_required
def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The supervisor's phone page: today's sessions, the registers still to confirm, the timesheet."""
    reach = reach_for(request.user)
    if not reach.supervisor_ids:
        if reach.person_id is not None:
            return redirect("sessions:person_calendar", reach.person_id)
        return redirect("sessions:home")
    day = clock.today()
    sessions = today_sessions(reach.supervisor_ids, day)
    upcoming = list(
        Session.objects.filter(
            supervisor_id__in=reach.supervisor_ids,
            date__gt=day,
            date__lte=day + datetime.timedelta(days=14),
            status="scheduled",
        )
        .select_related("group", "supervisee")
        .order_by("date", "start_time")[:10]
    )
    return render(
        request,
        "sessions/today.html",
        {
            "day": day,
            "sessions": sessions,
            "to_confirm": registers_to_confirm(reach.supervisor_ids, day),
            "upcoming": upcoming,
            "supervisors": list(Supervisor.objects.filter(pk__in=reach.supervisor_ids)),
            "now": clock.now(),
            "active_section": SECTION,
        },
    )
