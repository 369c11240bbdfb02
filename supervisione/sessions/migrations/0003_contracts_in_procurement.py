"""A session's contract and funding row are procurement's models now (issue 14; the move is described in
``supervisors/0003_procurement_tables``). State only: in the database the foreign keys already reference the
renamed tables."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0001_initial"),
        ("supervision_sessions", "0002_national_scale_indexes"),
    ]
    # supervisors/0004 removes the models from supervisors' state: nothing may point at them by then.
    run_before = [("supervisors", "0004_procurement_moved_out")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="session",
                    name="contract",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sessions",
                        to="procurement.contract",
                        verbose_name="contratto",
                    ),
                ),
                migrations.AlterField(
                    model_name="session",
                    name="funding",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sessions",
                        to="procurement.contractfunding",
                        verbose_name="fonte di finanziamento",
                    ),
                ),
            ],
        ),
    ]
