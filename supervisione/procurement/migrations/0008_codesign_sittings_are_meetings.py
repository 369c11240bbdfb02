"""The co-design table's sittings are meetings now (meetings/0004 copied them): the old model goes, and a
contract document no longer points at a sitting (it stays the contract's)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0007_pnrr_project_closed"),
        # The sittings are copied to meetings first (their documents stay on the contract).
        ("meetings", "0004_codesign_sittings_from_procurement"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="contractdocument",
            name="meeting",
        ),
        migrations.DeleteModel(
            name="CoDesignMeeting",
        ),
    ]
