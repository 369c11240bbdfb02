"""The filing of each ATS's POA on Multifondo: the moves the platform allows, each with its audit entry; what is
refused changes nothing; the Ministry's deadline only where an act fixed it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from supervisione.accounts.models import User
from supervisione.audit.models import AuditEntry
from supervisione.planning import actions
from supervisione.planning.multifondo import NEXT, FilingStatus, MultifondoFiling, multifondo_deadline
from supervisione.planning.queries import filings_due, filings_to_correct
from supervisione.testing.frozen import frozen
from supervisione.testing.world import World

D = datetime.date


def codes(filing: MultifondoFiling) -> list[str]:
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(MultifondoFiling), object_id=str(filing.pk)
    )
    return list(entries.order_by("pk").values_list("code", flat=True))


def move(filing: MultifondoFiling, status: FilingStatus, on: datetime.date, by: User, **extra: str) -> MultifondoFiling:
    return actions.change_filing_status(filing, status, on=on, by=by, expected=filing.lock_version, **extra)


@frozen(2025, 7, 1)
def test_it_follows_a_filing_from_the_form_to_the_validation_and_back_through_a_correction(world: World) -> None:
    filing = actions.filing_of(world.maglie, 2024)
    assert (filing.is_recorded, filing.status, filing.deadline) == (False, "da_compilare", D(2024, 3, 31))
    filing = move(filing, FilingStatus.FILLED, D(2024, 3, 18), world.referent)
    filing = move(filing, FilingStatus.SENT, D(2024, 3, 25), world.referent, protocol="MF-2024-0815")
    filing = move(filing, FilingStatus.VALIDATED, D(2024, 5, 10), world.coordinator)
    filing = move(filing, FilingStatus.TO_CORRECT, D(2024, 6, 3), world.referent, reason="Rilievi sulle ore A3.")
    filing = move(filing, FilingStatus.SENT, D(2024, 6, 12), world.referent, protocol="MF-2024-0990")
    stored = MultifondoFiling.objects.get(ambito=world.maglie, year=2024)
    assert (stored.status, stored.status_on, stored.protocol, stored.status_by) == (
        "inviato",
        D(2024, 6, 12),
        "MF-2024-0990",
        world.referent,
    )
    assert codes(stored) == [
        "planning.multifondofiling.filled",
        "planning.multifondofiling.sent",
        "planning.multifondofiling.validated",
        "planning.multifondofiling.correction_requested",
        "planning.multifondofiling.sent",
    ]
    entry = AuditEntry.objects.filter(code="planning.multifondofiling.correction_requested").get()
    assert entry.message == "POA 2024 su Multifondo: da rettificare dal 03/06/2024. Rilievi sulle ore A3."
    assert entry.changes["status"] == {"label": "stato", "old": "Validato", "new": "Da rettificare"}
    assert (entry.user, entry.ambito_id) == (world.referent, world.maglie.pk)
    last = AuditEntry.objects.filter(code="planning.multifondofiling.sent").order_by("pk").last()
    assert last is not None
    assert last.changes["protocol"] == {"label": "protocollo dell'invio", "old": "MF-2024-0815", "new": "MF-2024-0990"}


@pytest.mark.parametrize(
    ("status", "target", "message"),
    [
        ("da_compilare", "inviato", "Da «Da compilare» l'invio passa solo a «Compilato», non a «Inviato»."),
        ("validato", "compilato", "Da «Validato» l'invio passa solo a «Da rettificare», non a «Compilato»."),
        ("inviato", "da_compilare", "passa solo a «Validato» o «Da rettificare», non a «Da compilare»."),
    ],
)
@frozen(2025, 7, 1)
def test_it_refuses_a_move_the_platform_does_not_make(world: World, status: str, target: str, message: str) -> None:
    filing = MultifondoFiling.objects.create(
        ambito=world.maglie, year=2025, status=status, status_on=D(2025, 4, 1), protocol="MF-1"
    )
    with pytest.raises(actions.FilingError, match=message):
        move(filing, FilingStatus(target), D(2025, 5, 1), world.referent)
    assert MultifondoFiling.objects.get(pk=filing.pk).status == status
    assert codes(filing) == []


def test_every_status_has_its_moves_and_every_move_its_code() -> None:
    assert set(NEXT) == set(FilingStatus.values)
    for targets in NEXT.values():
        assert targets
        for target in targets:
            assert target in actions.FILING_CODES


@frozen(2025, 7, 1)
def test_it_refuses_a_day_in_the_future_or_before_the_current_status_a_sending_without_protocol_and_a_stale_page(
    world: World,
) -> None:
    filing = move(actions.filing_of(world.maglie, 2025), FilingStatus.FILLED, D(2025, 4, 1), world.referent)
    with pytest.raises(actions.FilingError, match="non può essere futura"):
        move(filing, FilingStatus.SENT, D(2025, 7, 2), world.referent, protocol="MF-2")
    with pytest.raises(actions.FilingError, match=r"non può precedere quella dello stato attuale \(01/04/2025\)"):
        move(filing, FilingStatus.SENT, D(2025, 3, 31), world.referent, protocol="MF-2")
    with pytest.raises(actions.FilingError, match="indica il numero di protocollo"):
        move(filing, FilingStatus.SENT, D(2025, 4, 2), world.referent, protocol="  ")
    with pytest.raises(actions.FilingError, match="modificato da un altro utente"):
        actions.change_filing_status(
            filing, FilingStatus.SENT, on=D(2025, 4, 2), by=world.referent, expected=0, protocol="MF-2"
        )
    stored = MultifondoFiling.objects.get(pk=filing.pk)
    assert (stored.status, stored.protocol, stored.lock_version) == ("compilato", "", 1)
    assert codes(stored) == ["planning.multifondofiling.filled"]


@frozen(2025, 7, 1)
def test_a_first_move_on_a_page_built_before_someone_else_recorded_the_filing_is_refused(world: World) -> None:
    page_filing = actions.filing_of(world.maglie, 2025)  # nothing recorded when the page was built
    move(actions.filing_of(world.maglie, 2025), FilingStatus.FILLED, D(2025, 4, 1), world.coordinator)
    with pytest.raises(actions.FilingError, match="modificato da un altro utente"):
        move(page_filing, FilingStatus.FILLED, D(2025, 4, 2), world.referent)
    assert MultifondoFiling.objects.get().status_by == world.coordinator


def test_it_knows_a_deadline_only_where_an_act_fixed_it(settings: Any) -> None:
    assert (multifondo_deadline(2023), multifondo_deadline(2024)) == (D(2023, 11, 30), D(2024, 3, 31))
    assert multifondo_deadline(2025) is None
    assert multifondo_deadline(2026) is None
    settings.MULTIFONDO_DEADLINES = {2027: D(2027, 3, 31)}
    assert multifondo_deadline(2027) == D(2027, 3, 31)


def test_it_finds_the_filings_due_within_two_weeks_and_those_to_correct(world: World, settings: Any) -> None:
    settings.MULTIFONDO_DEADLINES = {2026: D(2026, 3, 31), 2027: D(2027, 3, 31)}
    MultifondoFiling.objects.create(
        ambito=world.maglie, year=2026, status=FilingStatus.SENT, status_on=D(2026, 3, 20), protocol="MF-3"
    )
    MultifondoFiling.objects.create(
        ambito=world.casarano, year=2026, status=FilingStatus.FILLED, status_on=D(2026, 3, 2)
    )
    ambiti = [world.poggiardo.pk, world.maglie.pk, world.casarano.pk]
    due = filings_due(ambiti, D(2026, 3, 17), 14)
    assert [(item.ambito.code, item.year, item.status_label) for item in due] == [
        ("PUG_CASARANO", 2026, "compilato"),
        ("PUG_POGGIARDO", 2026, "da compilare"),
    ]
    assert filings_due(ambiti, D(2026, 3, 16), 14) == []  # 15 days ahead: not yet
    assert filings_due(ambiti, D(2026, 4, 1), 14) == []  # after the deadline: not "due within"
    assert filings_due([], D(2026, 3, 17), 14) == []
    MultifondoFiling.objects.filter(ambito=world.maglie).update(status=FilingStatus.TO_CORRECT)
    assert [filing.ambito.code for filing in filings_to_correct(ambiti)] == ["PUG_MAGLIE"]
