"""The SIOSS export of an ATS for a year (its acts, so only who reads the ledger's acts downloads it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.urls import reverse

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.funding.access import get_ambito_funds_for_user
from supervisione.funding.sioss import filename, sioss, sioss_xlsx
from supervisione.lib import clock
from supervisione.lib.downloads import download

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def sioss_export(request: AuthenticatedHttpRequest, code: str, year: int) -> FileResponse:
    ambito, access = get_ambito_funds_for_user(request.user, code)
    if not access.sees_acts:
        # Observers, supervisors and supervisees read the ledger's totals only.
        raise Refused(
            f"L'esportazione SIOSS elenca gli atti del fondo FNPS di {ambito.name} (numeri, date, contratti): la "
            "scaricano i referenti dell'ATS e i coordinatori del partenariato. Con il tuo ruolo ne consulti i totali.",
            forward_url=reverse("funding:ambito_funds", args=[ambito.code]),
            forward_label="Vai al fondo",
        )
    if not 2000 <= year <= 2100:
        raise Http404
    data = sioss(ambito, year, clock.today())
    return download(sioss_xlsx(data), filename=filename(data), content_type=XLSX)
