"""The pure helpers of the calendar: public holidays, check-in codes, fingerprints, encrypted notes."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from supervisione.sessions import checkin
from supervisione.sessions.fingerprint import grouped, parse_fingerprint, sha256_hex, sha256_of_stream
from supervisione.sessions.notes_crypto import NoteUnreadableError, decrypt_note, encrypt_note, reencrypt
from supervisione.sessions.public_holidays import describe_holidays, holiday_name, holidays_among

ROME = ZoneInfo("Europe/Rome")
D = datetime.date


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 6, 2), "Festa della Repubblica"),
        (D(2026, 4, 6), "Lunedì dell'Angelo"),
        (D(2025, 4, 21), "Lunedì dell'Angelo"),
        (D(2026, 12, 8), "Immacolata Concezione"),
        (D(2026, 10, 4), "Festa nazionale di San Francesco d'Assisi, patrono d'Italia"),
    ],
)
def test_it_names_italian_public_holidays(day: datetime.date, name: str) -> None:
    assert holiday_name(day) == name


def test_it_knows_working_days_and_local_patrons_are_not_national_holidays() -> None:
    assert holiday_name(D(2026, 6, 3)) is None
    assert holiday_name(D(2026, 8, 26)) is None  # Sant'Oronzo: Lecce only
    assert holiday_name(D(2025, 10, 4)) is None  # San Francesco is a national holiday from 2026


def test_it_lists_holidays_among_dates_in_words() -> None:
    found = holidays_among([D(2026, 6, 1), D(2026, 6, 2), D(2026, 8, 15)])
    assert describe_holidays(found) == (
        "il 02/06/2026 (Festa della Repubblica) e il 15/08/2026 (Assunzione della Beata Vergine Maria)"
    )


def test_it_makes_short_readable_check_in_codes() -> None:
    codes = {checkin.new_code() for _ in range(200)}
    assert len(codes) > 190
    assert all(len(code) == 6 and set(code) <= set(checkin.ALPHABET) for code in codes)
    assert not set("01OIL") & set(checkin.ALPHABET)
    assert checkin.codes_match("AB3K7Q", " ab3-k7q ")
    assert not checkin.codes_match("AB3K7Q", "AB3K7R")
    assert not checkin.codes_match("", "")


def test_it_opens_check_in_before_the_start_and_closes_it_at_the_end() -> None:
    start = datetime.datetime(2026, 3, 3, 9, 0, tzinfo=ROME)
    end = datetime.datetime(2026, 3, 3, 11, 0, tzinfo=ROME)
    assert not checkin.is_open(start, end, start - datetime.timedelta(minutes=31))
    assert checkin.is_open(start, end, start - datetime.timedelta(minutes=30))
    assert checkin.is_open(start, end, end)
    assert not checkin.is_open(start, end, end + datetime.timedelta(seconds=1))


def test_it_draws_the_qr_code_as_an_svg_without_inline_styles() -> None:
    svg = checkin.qr_svg("https://example.org/incontri/presenza/?codice=AB3K7Q", title="Codice QR")
    assert svg.startswith("<svg")
    assert "<title>Codice QR</title>" in svg
    assert "style=" not in svg
    assert "<script" not in svg


def test_it_fingerprints_bytes_and_streams_alike() -> None:
    data = b"%PDF-1.7 registro" * 100_000
    assert sha256_hex(data) == sha256_of_stream(io.BytesIO(data)) == sha256_of_stream([data[:10], data[10:]])
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_it_reads_pasted_fingerprints() -> None:
    fingerprint = sha256_hex(b"x")
    assert parse_fingerprint(grouped(fingerprint).upper()) == fingerprint
    assert parse_fingerprint(fingerprint[:-1]) is None
    assert parse_fingerprint("z" * 64) is None


def test_it_encrypts_notes_so_that_the_text_is_not_stored() -> None:
    token = encrypt_note("Il gruppo fatica a parlare del carico di lavoro.")
    assert "carico" not in token
    assert token != encrypt_note("Il gruppo fatica a parlare del carico di lavoro.")  # random IV
    assert decrypt_note(token) == "Il gruppo fatica a parlare del carico di lavoro."
    assert encrypt_note("") == decrypt_note("") == ""


def test_it_rotates_keys_and_refuses_tokens_of_unknown_keys() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(NOTES_ENCRYPTION_KEYS=[old]):
        token = encrypt_note("nota")
    with override_settings(NOTES_ENCRYPTION_KEYS=[new, old]):
        assert decrypt_note(token) == "nota"
        rotated = reencrypt(token)
    with override_settings(NOTES_ENCRYPTION_KEYS=[new]):
        assert decrypt_note(rotated) == "nota"
        with pytest.raises(NoteUnreadableError):
            decrypt_note(token)
