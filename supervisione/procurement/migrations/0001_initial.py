"""Contracts and co-design tables move here from supervisors (issue 14), second of four steps (the first,
``supervisors/0003_procurement_tables``, lists them all).

The models appear in procurement's state over the tables supervisors/0003 renamed: no database change. What
refers to them by app follows:

- content types: ``supervisors.contract`` becomes ``procurement.contract`` (and so on), so that the audit
  entries of a contract, which point at its content type, stay its history, and its permissions stay its own;
- action codes of the audit log: ``supervisors.contract.created`` becomes ``procurement.contract.created``,
  ``supervisors.tenderdeadline.postponed`` becomes ``procurement.tenderdeadline.postponed``, as the actions
  write them now (``<app>.<model>.<verb>``, the app being the model's package).

Going back reverses both.
"""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.apps.registry import Apps
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

MOVED = [
    "contract",
    "contractline",
    "contractfunding",
    "tenderdeadline",
    "postponement",
    "codesigntable",
    "codesignmember",
    "codesignmeeting",
]


def relabel(apps: Apps, alias: str, old: str, new: str) -> None:
    """Content types and action codes of the moved models, from app ``old`` to app ``new``."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    types = ContentType.objects.using(alias)
    entries = AuditEntry.objects.using(alias)
    for model in MOVED:
        before = types.filter(app_label=old, model=model).first()
        if before is not None:
            after = types.filter(app_label=new, model=model).first()
            if after is None:
                before.app_label = new
                before.save(update_fields=["app_label"])
            else:
                # Both exist (a migrate created the new one before this ran): the log follows the new one, and
                # the old one is left to ``remove_stale_contenttypes``.
                entries.filter(content_type=before).update(content_type=after)
        prefix = f"{old}.{model}."
        for code in entries.filter(code__startswith=prefix).order_by().values_list("code", flat=True).distinct():
            entries.filter(code=code).update(code=f"{new}.{model}.{code.removeprefix(prefix)}")


def forwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    relabel(apps, schema_editor.connection.alias, "supervisors", "procurement")


def backwards(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    relabel(apps, schema_editor.connection.alias, "procurement", "supervisors")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("supervisors", "0003_procurement_tables"),
        ("territory", "0003_join_requests_membership_periods_organisation_creators"),
        ("audit", "0003_code_of_existing_entries"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CoDesignTable",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("lock_version", models.PositiveIntegerField(default=0, editable=False)),
                        ("opened_on", models.DateField(verbose_name="aperto il")),
                        ("purpose", models.TextField(blank=True, verbose_name="oggetto e finalità")),
                        (
                            "proposal_title",
                            models.CharField(blank=True, max_length=250, verbose_name="proposta approvata"),
                        ),
                        (
                            "proposal_approved_on",
                            models.DateField(blank=True, null=True, verbose_name="proposta approvata il"),
                        ),
                        ("proposal_summary", models.TextField(blank=True, verbose_name="sintesi della proposta")),
                        (
                            "proposer",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="territory.organisation",
                                verbose_name="proponente",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "tavolo di co-progettazione",
                        "verbose_name_plural": "tavoli di co-progettazione",
                    },
                ),
                migrations.CreateModel(
                    name="CoDesignMeeting",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("lock_version", models.PositiveIntegerField(default=0, editable=False)),
                        ("held_on", models.DateField(verbose_name="data")),
                        ("title", models.CharField(max_length=200, verbose_name="seduta")),
                        ("minutes", models.TextField(blank=True, verbose_name="verbale: sintesi e decisioni")),
                        ("is_final", models.BooleanField(default=False, verbose_name="seduta conclusiva")),
                        (
                            "table",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="meetings",
                                to="procurement.codesigntable",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "seduta del tavolo",
                        "verbose_name_plural": "sedute del tavolo",
                        "ordering": ["held_on", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Contract",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("lock_version", models.PositiveIntegerField(default=0, editable=False)),
                        ("title", models.CharField(max_length=250, verbose_name="oggetto")),
                        (
                            "procedure",
                            models.CharField(
                                choices=[
                                    ("mepa", "Gara su MePA / RDO"),
                                    ("direct", "Affidamento diretto"),
                                    ("co_design", "Co-progettazione (art. 55 D.Lgs. 117/2017)"),
                                    ("other", "Altra procedura"),
                                ],
                                max_length=20,
                                verbose_name="procedura",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("procedure", "Procedura in corso"),
                                    ("awarded", "Aggiudicato, da avviare"),
                                    ("active", "In esecuzione"),
                                    ("closed", "Concluso"),
                                    ("cancelled", "Annullato o revocato"),
                                ],
                                default="procedure",
                                max_length=20,
                                verbose_name="stato",
                            ),
                        ),
                        (
                            "cig",
                            models.CharField(
                                blank=True,
                                max_length=10,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[A-Z0-9]{10}$", "Il CIG è formato da 10 caratteri alfanumerici."
                                    )
                                ],
                                verbose_name="CIG",
                            ),
                        ),
                        (
                            "cup",
                            models.CharField(
                                blank=True,
                                max_length=15,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[A-Z0-9]{15}$", "Il CUP è formato da 15 caratteri alfanumerici."
                                    )
                                ],
                                verbose_name="CUP",
                            ),
                        ),
                        (
                            "simog_code",
                            models.CharField(
                                blank=True,
                                max_length=10,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^\\d{5,10}$", "Il numero di gara SIMOG è formato da 5-10 cifre (es. 9030232)."
                                    )
                                ],
                                verbose_name="numero gara SIMOG",
                            ),
                        ),
                        (
                            "mepa_code",
                            models.CharField(
                                blank=True,
                                max_length=12,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^\\d{4,12}$", "Il numero della procedura MePA (RDO) è formato da cifre."
                                    )
                                ],
                                verbose_name="numero procedura MePA",
                            ),
                        ),
                        (
                            "amount",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                help_text="L'importo contrattuale o, durante la gara, la base d'asta.",
                                max_digits=12,
                                null=True,
                                validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                                verbose_name="importo (EUR)",
                            ),
                        ),
                        ("start_date", models.DateField(blank=True, null=True, verbose_name="inizio")),
                        ("end_date", models.DateField(blank=True, null=True, verbose_name="fine")),
                        ("signed_on", models.DateField(blank=True, null=True, verbose_name="stipulato il")),
                        ("notes", models.TextField(blank=True, verbose_name="note")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "ambito",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="territory.ambito",
                                verbose_name="ATS",
                            ),
                        ),
                        (
                            "partnership",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="territory.partnership",
                                verbose_name="partenariato",
                            ),
                        ),
                        (
                            "provider",
                            models.ForeignKey(
                                blank=True,
                                help_text="Vuoto finché la procedura non individua il fornitore.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="contracts",
                                to="territory.organisation",
                                verbose_name="fornitore",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "contratto",
                        "verbose_name_plural": "contratti",
                        "ordering": ["-start_date", "title", "pk"],
                    },
                ),
                migrations.AddField(
                    model_name="codesigntable",
                    name="contract",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="codesign", to="procurement.contract"
                    ),
                ),
                migrations.CreateModel(
                    name="ContractFunding",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("lock_version", models.PositiveIntegerField(default=0, editable=False)),
                        (
                            "measure",
                            models.CharField(
                                choices=[
                                    ("pnrr_114", "PNRR M5C2 1.1.4 (supervisione e prevenzione del burn out)"),
                                    ("fnps", "FNPS - quota supervisione"),
                                    ("other", "Altro finanziamento"),
                                ],
                                max_length=20,
                                verbose_name="fonte di finanziamento",
                            ),
                        ),
                        (
                            "amount",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=12,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                                verbose_name="importo (EUR)",
                            ),
                        ),
                        (
                            "year",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Per la quota FNPS: l'anno del riparto.",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(2000),
                                    django.core.validators.MaxValueValidator(2100),
                                ],
                                verbose_name="annualità",
                            ),
                        ),
                        (
                            "cup",
                            models.CharField(
                                blank=True,
                                help_text="Per i fondi PNRR.",
                                max_length=15,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[A-Z0-9]{15}$", "Il CUP è formato da 15 caratteri alfanumerici."
                                    )
                                ],
                                verbose_name="CUP",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=250, verbose_name="nota")),
                        (
                            "contract",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="fundings",
                                to="procurement.contract",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "fonte di finanziamento del contratto",
                        "verbose_name_plural": "fonti di finanziamento del contratto",
                        "ordering": ["measure", "year", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ContractLine",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("lock_version", models.PositiveIntegerField(default=0, editable=False)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("A1", "A1 - gruppo monoprofessionale"),
                                    ("A2", "A2 - individuale"),
                                    ("A3", "A3 - organizzativa dell'équipe"),
                                    ("extra", "Extra-LEPS"),
                                ],
                                max_length=10,
                                verbose_name="tipo di supervisione",
                            ),
                        ),
                        (
                            "hourly_rate",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=8,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                                verbose_name="tariffa oraria (EUR)",
                            ),
                        ),
                        (
                            "hours",
                            models.DecimalField(
                                decimal_places=1,
                                max_digits=8,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.5"))],
                                verbose_name="ore acquistate",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=250, verbose_name="nota")),
                        (
                            "contract",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="lines",
                                to="procurement.contract",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "riga del contratto",
                        "verbose_name_plural": "righe del contratto",
                        "ordering": ["kind"],
                    },
                ),
                migrations.CreateModel(
                    name="TenderDeadline",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("offers", "Presentazione delle offerte o proposte"),
                                    ("questions", "Richieste di chiarimenti"),
                                    ("award", "Aggiudicazione"),
                                    ("other", "Altra scadenza"),
                                ],
                                max_length=20,
                                verbose_name="scadenza",
                            ),
                        ),
                        ("description", models.CharField(blank=True, max_length=250, verbose_name="descrizione")),
                        ("original_due_at", models.DateTimeField(verbose_name="termine originario")),
                        ("due_at", models.DateTimeField(verbose_name="termine in vigore")),
                        (
                            "contract",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="deadlines",
                                to="procurement.contract",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "scadenza della procedura",
                        "verbose_name_plural": "scadenze della procedura",
                        "ordering": ["due_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Postponement",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("previous_due_at", models.DateTimeField(verbose_name="termine precedente")),
                        ("new_due_at", models.DateTimeField(verbose_name="nuovo termine")),
                        ("reason", models.CharField(max_length=300, verbose_name="motivo")),
                        ("act", models.CharField(blank=True, max_length=250, verbose_name="atto o avviso")),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "deadline",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="postponements",
                                to="procurement.tenderdeadline",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "proroga",
                        "verbose_name_plural": "proroghe",
                        "ordering": ["new_due_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="CoDesignMember",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("person_name", models.CharField(blank=True, max_length=200, verbose_name="rappresentante")),
                        ("role", models.CharField(max_length=200, verbose_name="ruolo al tavolo")),
                        (
                            "ambito",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="territory.ambito",
                                verbose_name="ATS",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="territory.organisation",
                                verbose_name="ente del terzo settore o altro ente",
                            ),
                        ),
                        (
                            "table",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="members",
                                to="procurement.codesigntable",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "componente del tavolo",
                        "verbose_name_plural": "componenti del tavolo",
                        "ordering": ["pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("organisation__isnull", False), ("ambito__isnull", False), _connector="OR"
                                ),
                                name="codesign_member_has_body",
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="contract",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("ambito__isnull", True), ("partnership__isnull", False)),
                            models.Q(("ambito__isnull", False), ("partnership__isnull", True)),
                            _connector="OR",
                        ),
                        name="contract_one_tenant",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contract",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("end_date__isnull", True),
                            ("start_date__isnull", True),
                            ("end_date__gte", models.F("start_date")),
                            _connector="OR",
                        ),
                        name="contract_period_ordered",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contract",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status__in", ("awarded", "active", "closed")), _negated=True),
                            ("provider__isnull", False),
                            _connector="OR",
                        ),
                        name="contract_awarded_has_provider",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contract",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status__in", ("active", "closed")), _negated=True),
                            models.Q(("end_date__isnull", False), ("start_date__isnull", False)),
                            _connector="OR",
                        ),
                        name="contract_running_has_period",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contract",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("amount__isnull", True), ("amount__gte", 0), _connector="OR"),
                        name="contract_amount_positive",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contract",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("status__in", ["procedure", "awarded", "active", "closed", "cancelled"])),
                        name="contract_status_known",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contract",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("procedure__in", ["mepa", "direct", "co_design", "other"])),
                        name="contract_procedure_known",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="codesigntable",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("proposal_approved_on__isnull", True),
                            ("proposal_approved_on__gte", models.F("opened_on")),
                            _connector="OR",
                        ),
                        name="codesign_approved_after_opening",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="codesigntable",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("proposal_approved_on__isnull", True),
                            models.Q(("proposal_title", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="codesign_approved_proposal_named",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contractfunding",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="contract_funding_amount_positive"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contractfunding",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("measure__in", ["pnrr_114", "fnps", "other"])),
                        name="contract_funding_measure_known",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contractline",
                    constraint=models.UniqueConstraint(fields=("contract", "kind"), name="contract_line_once_per_kind"),
                ),
                migrations.AddConstraint(
                    model_name="contractline",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("hourly_rate__gt", 0)), name="contract_line_rate_positive"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contractline",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("hours__gt", 0)), name="contract_line_hours_positive"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="contractline",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("kind__in", ["A1", "A2", "A3", "extra"])), name="contract_line_kind_known"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="tenderdeadline",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("due_at__gte", models.F("original_due_at"))),
                        name="deadline_not_brought_forward",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="tenderdeadline",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("kind__in", ["offers", "questions", "award", "other"])),
                        name="deadline_kind_known",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="postponement",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("new_due_at__gt", models.F("previous_due_at"))), name="postponement_later"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="postponement",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("reason", ""), _negated=True), name="postponement_has_reason"
                    ),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
