"""The sittings of the co-design tables become meetings (meetings/0004, procurement/0008), without losing one.

A database of its own (``moving_database``), on the schema before the move, gets two tables: a partnership's
with three members (an ATS with an e-mail, an ATS without, the proposer), the sitting of the opening, the final
sitting with its minutes document, and an ATS's table with one sitting. The partnership also has a meeting of
the same day as its opening sitting, kept as a meeting since issue 18, as the demo did. Migrated forward, each
sitting is a meeting of the contract's tenant recorded after the fact, with its minutes approved and the text
as the summary of its one agenda item; the final one carries the approval of the proposal as a decision; the
twin meeting is linked to the table instead of being copied; the documents stay the contract's, named after the
sitting; the old model is gone. Migrated back, the sittings are rebuilt. Models are the migrations' own.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps.registry import Apps
from django.db.backends.base.base import BaseDatabaseWrapper

from supervisione.testing.migrations import ALIAS, migrate, model

BEFORE = [("procurement", "0007_pnrr_project_closed"), ("meetings", "0002_tasks_and_decision_topics")]
AFTER = [("procurement", "0008_codesign_sittings_are_meetings")]
OPENED, APPROVED = datetime.date(2024, 10, 23), datetime.date(2025, 1, 14)


def fill(apps: Apps) -> dict[str, Any]:
    def make(label: str, **fields: Any) -> Any:
        return model(apps, label).objects.using(ALIAS).create(**fields)

    region = make("territory.Region", istat_code="16", name="Puglia", ministry_prefix="PUG")
    poggiardo = make("territory.Ambito", code="PUG_POGGIARDO", name="Ambito di Poggiardo", region=region)
    maglie = make("territory.Ambito", code="PUG_MAGLIE", name="Ambito di Maglie", region=region, email="udp@maglie.it")
    partnership = make("territory.Partnership", code="POGGIARDO-114", name="Poggiardo", capofila=poggiardo)
    raggio = make("territory.Organisation", name="Raggio di Sole Onlus", kind="cooperative")
    contract = make("procurement.Contract", partnership=partnership, title="Convenzione", procedure="co_design")
    table = make(
        "procurement.CoDesignTable",
        contract=contract,
        opened_on=OPENED,
        proposal_title="Supervisione per 56 assistenti sociali",
        proposer=raggio,
        proposal_approved_on=APPROVED,
        proposal_summary="Gruppo, individuale e organizzativa.",
    )
    make("procurement.CoDesignMember", table=table, ambito=poggiardo, person_name="Lucia Martella", role="RUP")
    make("procurement.CoDesignMember", table=table, ambito=maglie, role="Referente dell'ATS")
    make("procurement.CoDesignMember", table=table, organisation=raggio, role="Proponente")
    opening = make("procurement.CoDesignMeeting", table=table, held_on=OPENED, title="Seduta di insediamento")
    final = make(
        "procurement.CoDesignMeeting",
        table=table,
        held_on=APPROVED,
        title="Seduta conclusiva",
        minutes="Approvata la proposta. Mandato a stipulare.",
        is_final=True,
    )
    twin = make(
        "meetings.Meeting",
        partnership=partnership,
        title="Tavolo di co-progettazione: seduta di insediamento",
        date=OPENED,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        modality="in_presenza",
        place="Poggiardo",
        convened_by="Il RUP",
    )
    document = {"file": "x.pdf", "original_name": "x.pdf", "content_type": "application/pdf", "size": 321}
    signed = make(
        "procurement.ContractDocument", contract=contract, meeting=final, kind="minutes", title="Verbale", **document
    )
    dated = make(
        "procurement.ContractDocument",
        contract=contract,
        meeting=final,
        kind="minutes",
        title="Verbale del 14/01/2025",
        **document,
    )
    own = make("procurement.Contract", ambito=maglie, title="Affidamento di Maglie", procedure="co_design")
    own_table = make("procurement.CoDesignTable", contract=own, opened_on=OPENED)
    make("procurement.CoDesignMeeting", table=own_table, held_on=datetime.date(2024, 11, 5), title="Unica seduta")
    return {
        "partnership": partnership.pk,
        "maglie": maglie.pk,
        "table": table.pk,
        "own_table": own_table.pk,
        "contract": contract.pk,
        "twin": twin.pk,
        "documents": (signed.pk, dated.pk),
        "sittings": (opening.pk, final.pk),
    }


def test_it_turns_every_sitting_into_a_meeting_with_approved_minutes(
    moving_database: BaseDatabaseWrapper, settings: Any, django_db_blocker: Any
) -> None:
    with django_db_blocker.unblock():
        data = fill(migrate(moving_database, BEFORE, settings))
        after = migrate(moving_database, AFTER, settings)
        meetings = model(after, "meetings.Meeting").objects.using(ALIAS)

        sittings = list(meetings.filter(codesign_table=data["table"]).order_by("date"))
        assert [(m.date, m.pk == data["twin"]) for m in sittings] == [(OPENED, True), (APPROVED, False)]
        twin, final = sittings
        assert (twin.status, twin.start_time, twin.place) == ("draft", datetime.time(10), "Poggiardo")  # as it was
        assert (final.status, final.start_time, final.end_time, final.place) == ("recorded", None, None, "")
        assert (final.partnership_id, final.ambito_id, final.title) == (data["partnership"], None, "Seduta conclusiva")
        item = final.agenda_items.get()
        assert (item.position, item.title, item.summary) == (
            1,
            "Seduta conclusiva",
            "Approvata la proposta. Mandato a stipulare.",
        )
        minutes = final.minutes
        assert minutes.status == "approved"
        assert minutes.approved_at.date() == APPROVED
        assert "il verbale non indica i presenti" in minutes.opening
        assert "Lucia Martella (Ambito di Poggiardo), RUP" in minutes.opening
        assert "Raggio di Sole Onlus, Proponente" in minutes.opening
        assert final.invitees.count() == 0  # attendance is not invented
        decision = minutes.decisions.get()
        assert decision.agenda_item_id == item.pk
        assert decision.text == (
            "Approvata la proposta di Raggio di Sole Onlus: Supervisione per 56 assistenti sociali. "
            "Gruppo, individuale e organizzativa."
        )

        # The ATS's table: its sitting is the ATS's meeting, with no decision (no proposal approved).
        alone = meetings.get(codesign_table=data["own_table"])
        assert (alone.ambito_id, alone.partnership_id, alone.status) == (data["maglie"], None, "recorded")
        assert alone.minutes.status == "approved"
        assert not alone.minutes.decisions.exists()

        # The documents stay the contract's, named after the sitting (once).
        documents = model(after, "procurement.ContractDocument").objects.using(ALIAS).order_by("pk")
        assert [(d.pk, d.contract_id, d.title) for d in documents] == [
            (data["documents"][0], data["contract"], "Verbale (seduta del 14/01/2025)"),
            (data["documents"][1], data["contract"], "Verbale del 14/01/2025"),
        ]
        assert "meeting" not in {field.name for field in model(after, "procurement.ContractDocument")._meta.fields}
        assert meetings.count() == 3

        # Backwards: the sittings are rebuilt from the meetings; the twin stays a meeting of its own.
        before = migrate(moving_database, [("meetings", "0003_codesign_sittings_and_recorded")], settings)
        rebuilt = model(before, "procurement.CoDesignMeeting").objects.using(ALIAS).filter(table=data["table"])
        assert [(s.held_on, s.is_final) for s in rebuilt.order_by("held_on")] == [(OPENED, False), (APPROVED, True)]
        assert "Mandato a stipulare" in rebuilt.get(held_on=APPROVED).minutes
        remaining = model(before, "meetings.Meeting").objects.using(ALIAS)
        assert list(remaining.values_list("pk", "codesign_table_id")) == [(data["twin"], None)]
