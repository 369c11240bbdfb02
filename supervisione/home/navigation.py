"""The main menu: one list of entries, each shown only to the scopes it serves.

An app adds its pages here (not in base.html). Entries with ``children`` are drop-down groups; a group is
highlighted when the current page's ``active_section`` is one of its children's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from supervisione.accounts.scopes import Scope


def _everyone(scope: Scope) -> bool:
    return True


def _sees_people(scope: Scope) -> bool:
    return scope.sees_people


def _admin(scope: Scope) -> bool:
    return scope.is_admin


def _supervisor_registry(scope: Scope) -> bool:
    return bool(
        scope.is_admin
        or scope.coordinated_partnership_ids
        or scope.referent_ambito_ids
        or scope.supervisor_partnership_ids
        or (not scope.sees_people and scope.has_any_role)
    )


def _calendar(scope: Scope) -> bool:
    """Those who take part in supervision: observers get aggregates from monitoring instead."""
    return bool(
        scope.is_admin
        or scope.coordinated_partnership_ids
        or scope.referent_ambito_ids
        or scope.supervisor_partnership_ids
        or scope.supervisee_ambito_ids
    )


def _monitoring(scope: Scope) -> bool:
    """Dashboards for every role: observers land on the observatory (aggregates only)."""
    return scope.has_any_role


def _contracts(scope: Scope) -> bool:
    return bool(scope.is_admin or scope.coordinated_partnership_ids or scope.referent_ambito_ids)


@dataclass(frozen=True)
class Entry:
    label: str
    section: str = ""
    url_name: str = ""
    visible: Callable[[Scope], bool] = _everyone
    children: tuple[Entry, ...] = field(default_factory=tuple)


MENU: tuple[Entry, ...] = (
    Entry("Home", "home", "home:home"),
    Entry("Partenariati", "partnerships", "territory:partnership_list"),
    Entry("Censimento", "census", "census:index"),
    Entry("Piani annuali", "plans", "planning:plan_list"),
    Entry("Calendario", "calendar", "sessions:home", _calendar),
    Entry("Riunioni", "meetings", "meetings:meeting_list", _calendar),
    Entry("Monitoraggio", "monitoring", "monitoring:index", _monitoring),
    Entry(
        "Supervisori e contratti",
        children=(
            Entry("Registro dei supervisori", "supervisors", "supervisors:supervisor_list", _supervisor_registry),
            Entry("Contratti e procedure", "contracts", "procurement:contract_list", _contracts),
        ),
    ),
    Entry(
        "Anagrafiche",
        children=(
            Entry("Ambiti Territoriali Sociali", "ambiti", "territory:ambito_list"),
            Entry("Organizzazioni", "organisations", "territory:organisation_list", _sees_people),
            Entry("Regioni e comuni", "territory", "territory:region_list"),
            Entry("Regole LEPS", "rules", "planning:parameters"),
            Entry("Utenti e ruoli", "users", "accounts:user_list", _admin),
        ),
    ),
)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    active: bool
    children: tuple[MenuItem, ...] = ()
    key: str = ""


def menu_for(scope: Scope, active_section: str) -> list[MenuItem]:
    items: list[MenuItem] = []
    for index, entry in enumerate(MENU):
        if entry.children:
            children = tuple(
                MenuItem(child.label, reverse(child.url_name), child.section == active_section)
                for child in entry.children
                if child.visible(scope)
            )
            if children:
                items.append(
                    MenuItem(entry.label, "", any(child.active for child in children), children, f"menu-{index}")
                )
        elif entry.visible(scope):
            items.append(MenuItem(entry.label, reverse(entry.url_name), entry.section == active_section))
    return items
