"""What the demo must show of the end of POGGIARDO-114's PNRR project (issue 16); called by
demo/tests/test_demo.py."""

from __future__ import annotations

import tempfile
import zipfile

from django.test import Client
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.demo.present import PNRR_END
from supervisione.funding.pnrr.closeout import missing
from supervisione.funding.pnrr.queries import after_end, projects_of
from supervisione.lib import clock
from supervisione.monitoring.evidence import build_pack, pnrr_sessions
from supervisione.planning.models import Plan, PlanStatus
from supervisione.planning.plan_page import plan_page
from supervisione.sessions.models import RegisterDocument
from supervisione.territory.models import Partnership


def check_pnrr_demo() -> None:
    """Nothing is charged to the project after 30/06/2026: the sessions after it are on the FNPS quota, and the
    2026 plan's groups name that quota for after the end (its costs split, none left without a source)."""
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    [project] = projects_of(poggiardo)
    assert project.end.last_day == PNRR_END
    assert after_end(project).is_empty
    plan = Plan.objects.filter(partnership=poggiardo, year=PNRR_END.year).exclude(status=PlanStatus.SUPERSEDED).first()
    if plan is not None:
        keys = {line.key for line in plan_page(plan).costs}
        assert "none" not in keys, keys
        assert any(key.startswith("fnps:") for key in keys), keys
    client = Client()
    client.force_login(User.objects.get(username="coordinatore.poggiardo"))
    page = client.get(reverse("funding:pnrr_after_end", args=[poggiardo.code, project.cup]))
    assert page.status_code == 200
    assert "Nulla da consegnare" in page.content.decode()
    check_pnrr_closeout_demo(client)


def check_pnrr_closeout_demo(client: Client) -> None:
    """The project ended on 30/06/2026 and is ready to close but for one thing, on the close-out page: the registers
    confirmed in the demo were never issued as final PDFs. The evidence pack of the CUP issues them, holds one for
    every confirmed session, and then nothing is missing."""
    poggiardo = Partnership.objects.get(code="POGGIARDO-114")
    [project] = projects_of(poggiardo)
    [item] = missing(project, clock.today())
    assert item.what.endswith("senza il registro finale (PDF)"), item.what
    page = client.get(reverse("funding:pnrr_closeout", args=[poggiardo.code, project.cup])).content.decode()
    assert "Cosa manca prima della chiusura" in page
    assert "Prepara il pacchetto di evidenze del CUP" in page
    assert project.start is not None
    confirmed = set(pnrr_sessions(project.cup, project.start, PNRR_END, poggiardo).values_list("pk", flat=True))
    assert confirmed
    issued = set(RegisterDocument.objects.filter(session_id__in=confirmed).values_list("session_id", flat=True))
    with tempfile.TemporaryFile() as out:
        pack = build_pack(project.cup, project.start, PNRR_END, poggiardo, out=out)
        out.seek(0)
        with zipfile.ZipFile(out) as archive:
            registers = {
                int(name.split("-incontro-")[1].split("-")[0])
                for name in archive.namelist()
                if name.startswith("registri/")
            }
    assert registers == confirmed
    assert pack.generated == len(confirmed - issued)
    assert pack.summary is not None
    assert not pack.summary.gaps, pack.summary.gaps[:3]
    assert missing(project, clock.today()) == []
