"""The figures of a dashboard as JSON (``manage.py monitoring --json``) and as text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from supervisione.lib.italian import euro_text, hours_text, percent_with_article, plural

from .figures import Figures


def number(value: Decimal | int | None) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def figures_json(found: Figures) -> dict[str, Any]:
    """The figures as ``manage.py monitoring --json`` prints them."""
    # Long on purpose: one literal laid out as the JSON it prints, so that its shape reads at a glance.
    selection = found.selection
    coverage = found.coverage
    return {
        "year": selection.year,
        "period": {"key": selection.period.key, "from": selection.start.isoformat(), "to": selection.end.isoformat()},
        "as_of": selection.as_of.isoformat(),
        "plans": [
            {"owner": plan.tenant.code, "version": plan.version, "status": plan.status} for plan in selection.plans
        ],
        "hours": {
            kind: {
                "minimum": number(item.minimum),
                "planned": number(item.planned),
                "planned_in_period": number(item.planned_in_period),
                "delivered": number(item.delivered),
                "awaiting_confirmation": number(item.awaiting),
                "scheduled": number(item.scheduled),
                "sessions": item.sessions,
            }
            for kind, item in found.types.items()
        },
        "groups": [
            {
                "name": row.group.name,
                "owner": row.plan.tenant.code,
                "type": row.kind,
                "members": row.members,
                "minimum": number(row.minimum) if row.compliance is not None else None,
                "planned": number(row.planned),
                "delivered": number(row.delivered),
                "awaiting_confirmation": number(row.awaiting),
                "scheduled": number(row.scheduled),
                "status": row.status,
                "reason": row.reason,
            }
            for row in found.groups
        ],
        "months": [
            {
                "month": month.month,
                "delivered": number(month.delivered_total),
                "booked": number(month.booked_total),
                "planned": number(month.planned),
            }
            for month in found.months
        ],
        "coverage": {
            "as_in_census": coverage.as_in_census,
            "as_in_groups": coverage.as_in_groups,
            "as_in_active_group": coverage.as_in_active_group,
            "as_supervised": coverage.as_supervised,
            "as_not_supervised": coverage.not_supervised_count,
        },
        "attendance_threshold": number(found.threshold),
        "people_below_80": found.people_below_threshold,
        "spending_by_source": {
            line.key: {
                "label": line.label,
                "committed": number(line.committed),
                "planned": number(line.planned),
                "spent_in_period": number(line.spent_in_period),
                "spent_to_date": number(line.spent_to_date),
                "residual": number(line.residual),
                "hours_in_period": number(line.hours_in_period),
                "cost_per_hour": number(line.cost_per_hour),
            }
            for line in found.spending
        },
        "a2_pools": [
            {
                "group": row.group.name,
                "pool": number(row.group.a2_pool_hours),
                "moved_out": number(row.moved_out),
                "used": number(row.pool_used),
                "booked": number(row.pool_booked),
                "free": number(row.pool_free),
            }
            for row in found.a1_groups
        ],
    }


def figures_text(found: Figures, title: str) -> str:
    selection = found.selection
    total = found.total
    supervised = plural(
        found.coverage.as_supervised, "assistente sociale supervisionato", "assistenti sociali supervisionati"
    )
    lines = [
        f"{title} · {selection.period.label} {selection.year} (dati al {selection.as_of:%d/%m/%Y})",
        (
            f"Ore erogate: {hours_text(total.delivered)} su {hours_text(total.planned_in_period)} "
            f"{plural(total.planned_in_period, 'pianificata', 'pianificate')}; "
            f"da confermare {hours_text(total.awaiting)}, in calendario {hours_text(total.scheduled)}."
        ),
        "",
        "Conformità LEPS:",
        *[f"  [{row.status_label}] {row.reason}" for row in found.groups],
        "",
        (
            f"Copertura: {found.coverage.as_supervised} {supervised} su {found.coverage.as_in_census} nel censimento; "
            f"{found.people_below_threshold} sotto {percent_with_article(found.threshold_percent)}."
        ),
    ]
    lines += [
        f"Spesa {line.label}: fondi dei contratti {euro_text(line.committed)}, maturato a oggi "
        f"{euro_text(line.spent_to_date)}."
        for line in found.spending
    ]
    return "\n".join(lines)
