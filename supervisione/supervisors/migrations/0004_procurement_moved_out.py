"""Last step of the move of contracts to procurement (issue 14; the steps are listed in
``0003_procurement_tables``).

``procurement/0002`` moved the contracts' documents to their own table: a supervisor's document now always
has its supervisor (the column becomes NOT NULL, in place of the "one owner" check), loses the contract and
meeting columns, and its kinds are a supervisor's (the contract's kinds are procurement's). Then the moved
models leave supervisors' state; their tables are procurement's already.
"""

import django.db.models.deletion
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from supervisione.lib.keys import continue_keys, last_key


def keep_keys(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """SQLite rebuilt the table to drop the columns and restarted its keys from the highest present: documents
    keep taking keys after every key a document ever had (procurement/0002 gave the contracts' table that one)."""
    connection = schema_editor.connection
    continue_keys(connection, "supervisors_document", last_key(connection, "procurement_contractdocument"))


class Migration(migrations.Migration):
    dependencies = [
        ("supervisors", "0003_procurement_tables"),
        ("procurement", "0002_contractdocument"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="document", name="document_one_owner"),
        migrations.RemoveField(model_name="document", name="meeting"),
        migrations.RemoveField(model_name="document", name="contract"),
        migrations.AlterField(
            model_name="document",
            name="supervisor",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="documents", to="supervisors.supervisor"
            ),
        ),
        migrations.RemoveConstraint(model_name="document", name="document_kind_known"),
        migrations.AlterField(
            model_name="document",
            name="kind",
            field=models.CharField(
                choices=[
                    ("cv", "Curriculum vitae"),
                    ("training", "Attestato di formazione"),
                    ("albo", "Certificato di iscrizione all'Albo"),
                    ("declaration", "Dichiarazione firmata"),
                    ("other", "Altro"),
                ],
                max_length=20,
                verbose_name="tipo di documento",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["cv", "training", "albo", "declaration", "other"])),
                name="document_kind_known",
            ),
        ),
        migrations.RunPython(keep_keys, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            # Parts first, so that no model left in the state points at one already gone.
            state_operations=[
                migrations.DeleteModel(name="Postponement"),
                migrations.DeleteModel(name="TenderDeadline"),
                migrations.DeleteModel(name="CoDesignMember"),
                migrations.DeleteModel(name="CoDesignMeeting"),
                migrations.DeleteModel(name="CoDesignTable"),
                migrations.DeleteModel(name="ContractLine"),
                migrations.DeleteModel(name="ContractFunding"),
                migrations.DeleteModel(name="Contract"),
            ],
        ),
    ]
