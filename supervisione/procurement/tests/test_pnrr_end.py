"""A PNRR funding row carries the end of its project: an exception only with its act and never after 31/08/2026,
and no PNRR row on a contract that starts after the end. Bad input changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from supervisione.procurement.models import ContractFunding
from supervisione.procurement.tests.conftest import Records

D = datetime.date


def _edit(records: Records, client_for: Any, **fields: str) -> Any:
    url = reverse("procurement:funding_edit", args=[records.contract.pk, records.funding.pk])
    data = {
        "measure": "pnrr_114",
        "amount": "15000",
        "cup": "J81H22000130006",
        "lock_version": str(records.funding.lock_version),
        **fields,
    }
    return client_for("coordinator").post(url, data)


def test_it_records_an_exception_with_its_act_and_the_target(records: Records, client_for: Any) -> None:
    response = _edit(
        records,
        client_for,
        exception_end="31/08/2026",
        exception_act="Nota del Ministero n. 12 del 10/06/2026",
        target_indicator="Operatori sociali supervisionati",
        target_value="56",
    )
    assert response.status_code == 302
    funding = ContractFunding.objects.get(pk=records.funding.pk)
    assert funding.project_end is not None
    assert funding.project_end.last_day == D(2026, 8, 31)
    assert (funding.target_indicator, funding.target_value) == ("Operatori sociali supervisionati", 56)


def test_it_refuses_an_exception_after_31_august_or_without_its_act(records: Records, client_for: Any) -> None:
    late = _edit(records, client_for, exception_end="01/09/2026", exception_act="Nota n. 12")
    assert "non può andare oltre il 31/08/2026" in late.content.decode()
    no_act = _edit(records, client_for, exception_end="31/07/2026").content.decode()
    assert "Indica l&#x27;atto che concede la deroga" in no_act
    earlier = _edit(records, client_for, exception_end="30/06/2026", exception_act="Nota n. 12").content.decode()
    assert "deve prolungare le attività oltre la fine ordinaria del 30/06/2026" in earlier
    funding = ContractFunding.objects.get(pk=records.funding.pk)
    assert (funding.exception_end, funding.exception_act, funding.lock_version) == (None, "", 0)


def test_it_refuses_a_pnrr_row_on_a_contract_that_starts_after_the_end(records: Records, client_for: Any) -> None:
    records.contract.start_date = D(2026, 9, 1)
    records.contract.save(update_fields=["start_date"])
    html = _edit(records, client_for).content.decode()
    assert "ha concluso le attività il 30/06/2026: non si può imputare il contratto del 01/09/2026" in html
    assert "quota FNPS dell&#x27;ATS o ad altra fonte" in html


def test_other_sources_carry_no_end(records: Records, client_for: Any) -> None:
    response = _edit(records, client_for, measure="other", exception_end="31/07/2026", exception_act="Nota n. 12")
    assert response.status_code == 302
    funding = ContractFunding.objects.get(pk=records.funding.pk)
    assert (funding.measure, funding.project_end, funding.exception_end) == ("other", None, None)


def test_the_end_defaults_to_the_setting(records: Records, settings: Any) -> None:
    settings.PNRR_ACTIVITIES_END = D(2026, 3, 31)
    funding = ContractFunding.objects.get(pk=records.funding.pk)
    assert funding.project_end is not None
    assert funding.project_end.last_day == D(2026, 3, 31)
    assert funding.refusal_after_end("l'incontro", [D(2026, 3, 31)]) == ""
