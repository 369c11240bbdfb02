"""Gives the entries written before 0002 their action code.

An entry's code is derived from what it recorded then: the object's content type, the kind of entry
(create, update, delete, operation) and, for the workflow steps, the start or end of the Italian message the
action function wrote (messages have not changed since those entries were written). The mapping:

- a workflow step: the first rule of ``STEPS`` whose content type, kind and message match, e.g. a
  ``sessions.session`` operation whose message begins "Registro presenze confermato" is
  ``sessions.register.confirmed``; a ``planning.plan`` operation beginning "POA approvato" is
  ``planning.plan.approved``; a ``census.census`` operation beginning "Censimento trasmesso" is
  ``census.census.submitted``;
- anything else: ``<app>.<model>.created|updated|deleted`` by its kind (``...action`` for an operation no
  rule names), as ``save_audited`` and ``delete_audited`` write today (``territory.partnership.updated``).

``<app>`` is the app's package, which is its content type's label except for ``sessions`` (label
``supervision_sessions``). One UPDATE per rule and per content type and kind, whatever the number of entries. Going back empties the codes.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CREATE, UPDATE, DELETE, ACTION = "create", "update", "delete", "action"
VERBS = {CREATE: "created", UPDATE: "updated", DELETE: "deleted", ACTION: "action"}
APPS = {"supervision_sessions": "sessions"}  # content type label -> the app's package

# (app_label, model, kind, how the message matches: "startswith", "endswith", "exact" or None for any, text, code)
STEPS: list[tuple[str, str, str, str | None, str, str]] = [
    ("accounts", "roleassignment", CREATE, None, "", "accounts.roleassignment.granted"),
    ("accounts", "roleassignment", DELETE, None, "", "accounts.roleassignment.revoked"),
    ("accounts", "user", ACTION, "exact", "Verifica in due passaggi attivata", "accounts.user.two_factor_enabled"),
    ("accounts", "user", ACTION, "exact", "Verifica in due passaggi disattivata", "accounts.user.two_factor_disabled"),
    ("accounts", "user", ACTION, "startswith", "Verifica in due passaggi azzerata", "accounts.user.two_factor_reset"),
    ("census", "censuscampaign", CREATE, None, "", "census.censuscampaign.opened"),
    ("census", "census", ACTION, "startswith", "Censimento trasmesso", "census.census.submitted"),
    ("census", "census", ACTION, "startswith", "Censimento validato", "census.census.validated"),
    ("census", "census", ACTION, "startswith", "Censimento restituito", "census.census.returned"),
    ("census", "census", ACTION, "startswith", "Importato il file", "census.census.imported"),
    ("census", "person", UPDATE, "startswith", "Importazione del file", "census.person.imported"),
    ("census", "position", UPDATE, "startswith", "Importazione del file", "census.position.imported"),
    ("planning", "plan", ACTION, "startswith", "Gruppi proposti dal censimento", "planning.plan.groups_proposed"),
    ("planning", "plan", ACTION, "startswith", "POA trasmesso", "planning.plan.submitted"),
    ("planning", "plan", ACTION, "startswith", "Restituito in bozza", "planning.plan.returned"),
    ("planning", "plan", ACTION, "startswith", "Sostituito dalla versione", "planning.plan.superseded"),
    ("planning", "plan", ACTION, "startswith", "POA approvato", "planning.plan.approved"),
    ("planning", "plan", ACTION, "startswith", "Spostate ", "planning.plan.a2_hours_moved"),
    ("planning", "plan", CREATE, "startswith", "Nuova versione del POA", "planning.plan.version_created"),
    ("planning", "plangroup", UPDATE, "startswith", "Partecipanti di ", "planning.plangroup.members_changed"),
    ("sessions", "session", CREATE, None, "", "sessions.session.booked"),
    ("sessions", "session", UPDATE, "startswith", "Spostato: ", "sessions.session.rescheduled"),
    ("sessions", "session", UPDATE, "startswith", "Annullato: ", "sessions.session.cancelled"),
    ("sessions", "session", UPDATE, "startswith", "Aree tematiche: ", "sessions.session.topics_set"),
    ("sessions", "session", UPDATE, "exact", "Registro presenze", "sessions.register.updated"),
    (
        "sessions",
        "session",
        UPDATE,
        "startswith",
        "Registro modificato dopo la conferma",
        "sessions.register.corrected",
    ),
    ("sessions", "session", UPDATE, "exact", "Nota riservata aggiornata", "sessions.note.saved"),
    ("sessions", "session", UPDATE, "exact", "Nota riservata eliminata", "sessions.note.deleted"),
    ("sessions", "session", ACTION, "exact", "Registro presenze confermato", "sessions.register.confirmed"),
    ("sessions", "session", ACTION, "startswith", "Presenza registrata da ", "sessions.register.checked_in"),
    ("sessions", "session", ACTION, "startswith", "Caricato il foglio firme", "sessions.register.scan_uploaded"),
    ("sessions", "feedtoken", DELETE, None, "", "sessions.feedtoken.revoked"),
    ("supervisors", "declaration", CREATE, "startswith", "Dichiarazione di ", "supervisors.declaration.recorded"),
    ("supervisors", "tenderdeadline", ACTION, None, "", "supervisors.tenderdeadline.postponed"),
    ("territory", "partnershipmember", CREATE, None, "", "territory.partnershipmember.joined"),
    ("territory", "partnershipmember", UPDATE, "startswith", "Adesione di ", "territory.partnershipmember.ended"),
    ("territory", "partnershipmember", DELETE, None, "", "territory.partnershipmember.removed"),
    ("territory", "joinrequest", CREATE, None, "", "territory.joinrequest.sent"),
    ("territory", "joinrequest", UPDATE, "startswith", "Richiesta accettata", "territory.joinrequest.accepted"),
    ("territory", "joinrequest", UPDATE, "startswith", "Richiesta rifiutata", "territory.joinrequest.refused"),
    ("territory", "joinrequest", UPDATE, "endswith", " ritirata", "territory.joinrequest.withdrawn"),
    (
        "territory",
        "ambitomembership",
        UPDATE,
        "startswith",
        "Fine dell'appartenenza",
        "territory.ambitomembership.ended",
    ),
]


def code_for(app_label: str, model: str, kind: str, message: str) -> str:
    """The code of one entry (the same rules as ``forwards``, for one entry at a time)."""
    app_label = APPS.get(app_label, app_label)
    for rule_app, rule_model, rule_kind, match, text, code in STEPS:
        if (rule_app, rule_model, rule_kind) != (app_label, model, kind):
            continue
        if (
            match is None
            or (match == "exact" and message == text)
            or (match == "startswith" and message.startswith(text))
            or (match == "endswith" and message.endswith(text))
        ):
            return code
    return f"{app_label}.{model}.{VERBS.get(kind, 'action')}"


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    pending = AuditEntry.objects.filter(code="")
    types = {(APPS.get(t.app_label, t.app_label), t.model): t.pk for t in ContentType.objects.all()}
    for app_label, model, kind, match, text, code in STEPS:
        type_id = types.get((app_label, model))
        if type_id is None:
            continue
        entries = pending.filter(content_type_id=type_id, action=kind)
        if match is not None:
            entries = entries.filter(**{f"message__{match}": text})
        entries.update(code=code)
    for (app_label, model), type_id in types.items():
        for kind, verb in VERBS.items():
            pending.filter(content_type_id=type_id, action=kind).update(code=f"{app_label}.{model}.{verb}")


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    apps.get_model("audit", "AuditEntry").objects.exclude(code="").update(code="")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_code"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
