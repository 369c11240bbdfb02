from __future__ import annotations

import io
import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from supervisione.lib.uploads import check_upload, original_name

PDF = b"%PDF-1.7\n..."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def test_it_recognises_files_by_their_content() -> None:
    checked = check_upload(io.BytesIO(PDF), name="verbale.png", size=len(PDF), allowed={"pdf"}, max_bytes=1000)
    assert checked.kind == "pdf"
    assert checked.content_type == "application/pdf"
    assert checked.storage_name("documenti").startswith("documenti/")
    assert checked.storage_name("documenti").endswith(".pdf")


def test_it_refuses_a_disguised_file() -> None:
    with pytest.raises(ValidationError, match="non è di un tipo accettato"):
        check_upload(io.BytesIO(b"MZ\x90\x00 exe"), name="cv.pdf", size=8, allowed={"pdf", "png"}, max_bytes=1000)


def test_it_refuses_files_too_big_or_empty() -> None:
    with pytest.raises(ValidationError, match="il massimo è"):
        check_upload(io.BytesIO(PNG), name="a.png", size=5_000_000, allowed={"png"}, max_bytes=1_048_576)
    with pytest.raises(ValidationError, match="vuoto"):
        check_upload(io.BytesIO(b""), name="a.png", size=0, allowed={"png"}, max_bytes=1000)


def test_it_accepts_csv_by_name_only_when_it_is_text() -> None:
    assert check_upload(io.BytesIO(b"a;b\n1;2\n"), name="x.csv", size=8, allowed={"csv"}, max_bytes=100).kind == "csv"
    with pytest.raises(ValidationError):
        check_upload(io.BytesIO(b"a\x00b"), name="x.csv", size=3, allowed={"csv"}, max_bytes=100)


def test_it_keeps_only_the_base_name_of_the_original() -> None:
    checked = check_upload(io.BytesIO(PDF), name="../../etc/passwd.pdf", size=len(PDF), allowed={"pdf"}, max_bytes=100)
    assert checked.original_name == "passwd.pdf"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\Users\\mario\\Documenti\\verbale.pdf", "verbale.pdf"),
        ("..\\..\\evil.pdf", "evil.pdf"),
        ("registro\r\nSet-Cookie: x.pdf", "registro Set-Cookie: x.pdf"),
        ("a\x00b.pdf", "a b.pdf"),
        ("..", "documento"),
        ("", "documento"),
    ],
)
def test_it_keeps_a_safe_base_name_whatever_the_browser_sends(sent: str, kept: str) -> None:
    assert original_name(sent) == kept


@given(st.text(), st.sampled_from(["documenti", "registri/2026"]))
def test_it_never_lets_the_user_name_reach_the_file_system_or_a_header(name: str, folder: str) -> None:
    checked = check_upload(io.BytesIO(PDF), name=name, size=len(PDF), allowed={"pdf"}, max_bytes=100)
    assert re.fullmatch(rf"{folder}/[0-9a-f]{{32}}\.pdf", checked.storage_name(folder))
    kept = checked.original_name
    assert 0 < len(kept) <= 200
    assert "/" not in kept
    assert "\\" not in kept
    assert not any(unicodedata.category(char).startswith("C") for char in kept)
