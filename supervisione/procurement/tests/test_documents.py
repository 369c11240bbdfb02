from __future__ import annotations

from pathlib import Path
from typing import Any

from django.urls import reverse

from supervisione.procurement.tests.conftest import Records


def test_it_removes_the_file_with_the_document(
    records: Records, media: Path, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    path = media / str(records.contract_document.file.name)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coordinator").post(
            reverse("procurement:contract_document_delete", args=[records.contract.pk, records.contract_document.pk])
        )
    assert response.status_code == 302
    assert response["Location"] == records.contract.get_absolute_url()
    assert not path.exists()
