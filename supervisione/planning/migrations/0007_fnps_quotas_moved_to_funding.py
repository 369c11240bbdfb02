"""The FNPS quotas leave planning: ``funding/0002`` copied each ``FnpsQuota`` to a ``funding.FnpsAllocation`` with
the same key (issue 15), so the table goes. Going back, ``funding/0002`` copies the allocations of one year back
into the table this migration recreates."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0006_fte_exact_by_default"),
        ("funding", "0002_allocations_from_planning_quotas"),
    ]

    operations = [
        migrations.DeleteModel(
            name="FnpsQuota",
        ),
    ]
