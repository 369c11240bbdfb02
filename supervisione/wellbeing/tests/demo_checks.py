"""The demo's questionnaire waves (``demo/wellbeing.py``): every wave marked as invented; the first year closed,
with groups that improve, one that does not, and Maglie's équipe too small to show."""

from __future__ import annotations

from supervisione.demo.present import FIRST_YEAR
from supervisione.demo.wellbeing import NOTE
from supervisione.wellbeing import results
from supervisione.wellbeing.models import Invitation, Wave


def check_wellbeing_demo() -> None:
    waves = list(Wave.objects.select_related("group", "group__plan", "partnership"))
    assert waves
    assert all(wave.note == NOTE for wave in waves)
    first = [wave for wave in waves if wave.year == FIRST_YEAR and wave.instrument_key == "cbi-it"]
    assert all(wave.closed for wave in first)
    assert not Invitation.objects.filter(wave__closed=True).exists()
    table = results.tenant_table(first)
    means = {
        unit.name: [cell.figures[0].summary.mean if cell.figures[0].summary else None for cell in row]
        for unit, row in zip(table.units, table.cells, strict=True)
    }
    assert means["Équipe multidisciplinare (Ambito di Maglie)"] == [None, None, None]
    assert all(
        cell.small
        for cell in table.row(
            table.units[[u.name for u in table.units].index("Équipe multidisciplinare (Ambito di Maglie)")].group_id
        )
    )
    shown = {name: [mean for mean in row if mean is not None] for name, row in means.items()}
    assert shown["Gruppo A1 n. 1"][-1] < shown["Gruppo A1 n. 1"][0]
    assert shown["Gruppo A1 n. 3"][-1] > shown["Gruppo A1 n. 3"][0]
