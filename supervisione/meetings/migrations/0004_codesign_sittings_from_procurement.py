"""Every sitting of a co-design table (``procurement.CoDesignMeeting``: date, title, minutes text, final or not)
becomes a meeting of the table's contract's tenant, recorded after the fact (``status="recorded"``, no times,
place or link), with approved minutes: they are records of the past. The minutes' text becomes the summary of
the one agenda item (the sitting's title); the opening says the sitting was recorded from the table's page and
names the table's members, since the old record did not say who was present (nobody is marked present or
absent). The final sitting (flagged, or held on the day the proposal was approved) gets the approval of the
table's proposal as a decision. Minutes approved on the day of the sitting (the time is not known: noon). A
meeting of the same tenant on the same day whose title speaks of co-progettazione, not linked to a table (kept as a
meeting since meetings existed, as the demo did), is that sitting: it is linked to the table and nothing is copied.

Documents that pointed at a sitting (its signed minutes) stay the contract's, as they always were: their title
names the sitting when it did not already (``procurement/0008`` then drops the link and the old model).
Backwards, each sitting is rebuilt from its meeting (title, date, the summaries and decisions as minutes text);
the documents' link to it is not restored.
"""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

ROME = ZoneInfo("Europe/Rome")


def _model(apps: Apps, label: str) -> Any:
    """A historical model (typed loosely: CoDesignMeeting exists only in the migrations' state)."""
    return apps.get_model(label)


def _members_text(table: Any, member_model: Any) -> str:
    names = []
    for member in member_model.objects.filter(table=table).select_related("ambito", "organisation").order_by("pk"):
        body = member.ambito or member.organisation
        who = f"{member.person_name} ({body.name})" if member.person_name and body else (body.name if body else "")
        names.append(f"{who}, {member.role}" if member.role else who)
    return "; ".join(name for name in names if name)


def _proposal_text(table: Any) -> str:
    proposer = f" di {table.proposer.name}" if table.proposer_id else ""
    text = f"Approvata la proposta{proposer}: {table.proposal_title}."
    return f"{text} {table.proposal_summary}".strip() if table.proposal_summary else text


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    sitting_model = _model(apps, "procurement.CoDesignMeeting")
    member_model = _model(apps, "procurement.CoDesignMember")
    document_model = _model(apps, "procurement.ContractDocument")
    meeting_model = _model(apps, "meetings.Meeting")
    item_model = _model(apps, "meetings.AgendaItem")
    minutes_model = _model(apps, "meetings.Minutes")
    decision_model = _model(apps, "meetings.Decision")
    sittings = sitting_model.objects.select_related("table__contract", "table__proposer").order_by("held_on", "pk")
    for sitting in sittings:
        table, contract = sitting.table, sitting.table.contract
        _retitle_documents(document_model, sitting)
        tenant = {"partnership_id": contract.partnership_id, "ambito_id": contract.ambito_id}
        twin = (
            meeting_model.objects.filter(**tenant, date=sitting.held_on, codesign_table__isnull=True)
            .filter(title__icontains="co-progett")
            .order_by("pk")
            .first()
        )
        if twin is not None:  # already kept as a meeting since issue 18 (the demo's): it becomes the sitting
            twin.codesign_table = table
            twin.save(update_fields=["codesign_table"])
            continue
        meeting = meeting_model.objects.create(
            partnership_id=contract.partnership_id,
            ambito_id=contract.ambito_id,
            codesign_table=table,
            title=sitting.title[:200],
            date=sitting.held_on,
            start_time=None,
            end_time=None,
            modality="in_presenza",
            place="",
            link="",
            convened_by="Tavolo di co-progettazione",
            status="recorded",
        )
        item = item_model.objects.create(
            meeting=meeting, position=1, title=sitting.title[:500], summary=sitting.minutes
        )
        members = _members_text(table, member_model)
        opening = "Seduta registrata a posteriori dalla scheda del tavolo di co-progettazione; il verbale non indica i presenti."
        minutes = minutes_model.objects.create(
            meeting=meeting,
            opening=f"{opening} Componenti del tavolo: {members}." if members else opening,
            status="approved",
            approved_at=datetime.datetime.combine(sitting.held_on, datetime.time(12, 0), tzinfo=ROME),
        )
        approved_on = table.proposal_approved_on
        if approved_on is not None and (sitting.is_final or sitting.held_on == approved_on):
            decision_model.objects.create(minutes=minutes, agenda_item=item, text=_proposal_text(table))


def _retitle_documents(document_model: Any, sitting: Any) -> None:
    stamp = f"{sitting.held_on:%d/%m/%Y}"
    for document in document_model.objects.filter(meeting=sitting):
        if stamp not in document.title:
            document.title = f"{document.title} (seduta del {stamp})"[:200]
            document.save(update_fields=["title"])


def backward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    sitting_model = _model(apps, "procurement.CoDesignMeeting")
    meeting_model = _model(apps, "meetings.Meeting")
    for meeting in meeting_model.objects.filter(codesign_table__isnull=False).order_by("date", "pk"):
        texts = [item.summary for item in meeting.agenda_items.order_by("position") if item.summary]
        minutes = getattr(meeting, "minutes", None)
        decisions = [decision.text for decision in minutes.decisions.order_by("pk")] if minutes else []
        table = meeting.codesign_table
        sitting_model.objects.create(
            table=table,
            held_on=meeting.date,
            title=meeting.title,
            minutes="\n\n".join([*texts, *decisions]),
            is_final=bool(decisions) and table.proposal_approved_on == meeting.date,
        )
        if meeting.status == "recorded":
            meeting.delete()
        else:  # a meeting that existed before, linked by ``forward``: it stays, unlinked
            meeting.codesign_table = None
            meeting.save(update_fields=["codesign_table"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_codesign_sittings_and_recorded"),
        ("procurement", "0007_pnrr_project_closed"),
    ]

    operations = [migrations.RunPython(forward, backward)]
