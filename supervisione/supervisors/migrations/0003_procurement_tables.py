"""Contracts and co-design tables move to the procurement app (issue 14): their tables are renamed
``supervisors_*`` -> ``procurement_*``, data, keys and constraints kept.

First of four steps, which ``migrate`` runs in this order:

1. here: the tables take their new names, while the models are still supervisors' in Django's state;
2. ``procurement/0001_initial``: the same models appear in procurement's state over those tables (no database
   change); content types and action codes of the audit log follow them;
3. ``sessions/0003`` and ``planning/0005``: their foreign keys point at procurement's models (state only: in the
   database they already reference the renamed tables);
4. ``supervisors/0004_procurement_moved_out``: after ``procurement/0002`` moved the contracts' documents to
   their own table, supervisors' documents lose their contract columns and the moved models leave supervisors'
   state.

Renaming a table keeps its rows, primary-key sequence (PostgreSQL identity columns follow their table),
indexes and constraints, under their old generated names where Django generated them; the foreign keys of
other tables keep pointing at it (PostgreSQL by identity, SQLite rewrites the references).
"""

from django.db import migrations

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


class Migration(migrations.Migration):
    dependencies = [
        ("supervisors", "0002_edit_version"),
    ]

    operations = [migrations.AlterModelTable(name=name, table=f"procurement_{name}") for name in MOVED]
