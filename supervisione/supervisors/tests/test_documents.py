from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from supervisione.supervisors import forms
from supervisione.supervisors.models import Declaration, Document, DocumentKind
from supervisione.supervisors.tests.conftest import PDF, Records, store, upload


def _files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_it_stores_an_upload_under_a_generated_name_and_serves_it_as_an_attachment(
    records: Records, media: Path, client_for: Any
) -> None:
    before = _files(media)
    response = client_for("supervisor").post(
        reverse("supervisors:document_add", args=[records.own.pk]),
        {"kind": "training", "title": "Attestato", "file": upload("../../attestato finale.pdf")},
    )
    assert response.status_code == 302
    document = Document.objects.get(title="Attestato")
    assert document.kind == DocumentKind.TRAINING
    assert document.original_name == "attestato finale.pdf"
    (added,) = _files(media) - before
    assert added.startswith(f"supervisori/{records.own.pk}/")
    assert "attestato" not in added
    download = client_for("coordinator").get(reverse("supervisors:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "attestato finale.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_it_refuses_a_disguised_or_oversized_file_and_stores_nothing(
    records: Records, media: Path, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _files(media)
    url = reverse("supervisors:document_add", args=[records.own.pk])
    client = client_for("coordinator")
    disguised = client.post(url, {"kind": "cv", "title": "CV", "file": upload("cv.pdf", b"MZ\x90\x00 program")})
    assert "non è di un tipo accettato" in disguised.content.decode()
    monkeypatch.setattr(forms, "MAX_DOCUMENT_BYTES", 10)
    too_big = client.post(url, {"kind": "cv", "title": "CV", "file": upload()})
    assert "il massimo è" in too_big.content.decode()
    bad_kind = client.post(url, {"kind": "contract", "title": "CV", "file": upload()})
    assert "Scegli un&#x27;opzione valida" in bad_kind.content.decode()
    assert not Document.objects.filter(title="CV").exists()
    assert _files(media) == before


def test_it_keeps_signed_declarations(records: Records, world: Any, client_for: Any) -> None:
    declaration = Declaration.objects.create(
        supervisor=records.own,
        subject="Gruppo 1",
        no_hierarchy=True,
        no_conflict=True,
        signed_on=datetime.date(2025, 1, 1),
    )
    document = store(
        {"supervisor": records.own, "declaration": declaration}, DocumentKind.DECLARATION, world.coordinator
    )
    response = client_for("coordinator").post(reverse("supervisors:document_delete", args=[document.pk]))
    assert response.status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


def test_it_answers_not_found_when_the_file_is_gone(records: Records, media: Path, client_for: Any) -> None:
    (media / str(records.own_document.file.name)).unlink()
    response = client_for("coordinator").get(reverse("supervisors:document_download", args=[records.own_document.pk]))
    assert response.status_code == 404


def test_it_sends_upload_forms_as_multipart(records: Records, client_for: Any) -> None:
    client = client_for("coordinator")
    upload_page = client.get(reverse("supervisors:document_add", args=[records.own.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in upload_page
    plain_page = client.get(reverse("supervisors:training_add", args=[records.own.pk])).content.decode()
    assert "multipart" not in plain_page
