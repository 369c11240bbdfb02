"""The dashboards: a partnership, an ATS, the observatory (aggregates across the ATS of a region or of the
country), a group or équipe, a supervisor and a supervisee. Each is a list of sections (a chart where people
would rather look than read, then its tables) built from one ``figures`` reading; the page, the CSV/XLSX
exports and the reports use the same ``Dashboard``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from supervisione.census.models import Person
from supervisione.lib.italian import (
    MONTHS,
    counted,
    decimal_text,
    hours_counted,
    hours_text,
    percent_with_article,
    plural,
)
from supervisione.planning.access import NameAccess
from supervisione.planning.models import GroupKind, Plan, PlanGroup
from supervisione.sessions.models import Attendance, RegisterStatus, Session, SessionStatus
from supervisione.sessions.queries import calendar_rows
from supervisione.sessions.usage import minutes_to_hours
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Ambito, Partnership

from . import charts, tables
from .access import Viewer
from .figures import Figures, figures
from .figures.ledger import Grouping, LedgerFigures, fnps_accrued, ledger_figures
from .forms import FilterForm
from .observatory import (
    COVERAGE_TABLES,
    HOURS_TABLES,
    MONEY_TABLES,
    PLANS_TABLES,
    ObservatoryFigures,
    observatory_figures,
)
from .selection import Selection, plans_of_year
from .tables import Column, Table
from .wellbeing_results import dashboard_part


@dataclass
class Chart:
    key: str
    title: str
    description: str
    data: dict[str, Any]

    @property
    def data_id(self) -> str:
        return f"{self.key}-dati"


@dataclass
class Section:
    slug: str
    heading: str
    intro: str = ""
    chart: Chart | None = None
    tables: list[Table] = field(default_factory=list)
    collapsed: frozenset[str] = frozenset()  # tables shown folded (long or secondary)
    link: tuple[str, str] | None = None  # (label, url) under the tables


if TYPE_CHECKING:  # a bare ``Dashboard`` is a tenant's (``default``: typing_extensions' stubs, mypy's own)
    from typing_extensions import TypeVar as DefaultedTypeVar

    FiguresT = DefaultedTypeVar("FiguresT", Figures, ObservatoryFigures, default=Figures)
else:
    FiguresT = TypeVar("FiguresT", Figures, ObservatoryFigures)


@dataclass
class Dashboard(Generic[FiguresT]):
    kind: str
    title: str
    subtitle: str
    url: str
    form: FilterForm
    viewer: Viewer
    figures: FiguresT  # the observatory's: the compact figures kept in the shared cache
    sections: list[Section]
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url): reports, packs, A2 moves
    ledger: LedgerFigures | None = None  # the FNPS ledgers of its ATS, for those who read money
    tenant: dict[str, int] = field(default_factory=dict)  # partnership_id or ambito_id, for the wellbeing results
    openable_groups: frozenset[int] = frozenset()  # the groups to follow whose page the reader may open (the view's)

    @property
    def tables(self) -> dict[str, Table]:
        return {table.slug: table for section in self.sections for table in section.tables}

    def export_url(self, slug: str, fmt: str) -> str:
        return f"{self.url}?{self.form.query(tabella=slug, formato=fmt)}"

    @property
    def charts(self) -> list[Chart]:
        return [section.chart for section in self.sections if section.chart is not None]


def _selection(form: FilterForm, today: datetime.date, plans: list[Plan], **extra: Any) -> Selection:
    return Selection(
        year=form.year,
        period=form.period,
        today=today,
        plans=tuple(plans),
        kind=form.kind,
        ambito=form.ambito,
        **extra,
    )


def _hours_sections(found: Figures) -> list[Section]:
    hours = [tables.hours_table(found), tables.cumulative_table(found), tables.months_table(found)]
    return _hours_sections_of(hours, charts.cumulative_chart(found))


def _hours_sections_of(hours: list[Table], chart_data: dict[str, Any]) -> list[Section]:
    return [
        Section(
            "ore",
            "Ore pianificate ed erogate",
            chart=Chart(
                "grafico-cumulato",
                "Ore cumulate mese per mese",
                "Linee delle ore cumulate per mese: piano, minimo LEPS, erogate ed erogate più in calendario. "
                "Gli stessi dati sono nella tabella «Ore cumulate mese per mese».",
                chart_data,
            ),
            tables=hours,
            collapsed=frozenset({"cumulato", "mesi"}),
        )
    ]


def _groups_section(found: Figures, viewer: Viewer, heading: str = "Conformità LEPS per gruppo ed équipe") -> Section:
    chart = None
    if found.leps_groups and found.selection.kind != "A2":
        chart = Chart(
            "grafico-gruppi",
            "Ore di ciascun gruppo rispetto al minimo",
            "Barre orizzontali, una per gruppo: ore erogate, da confermare, in calendario e mancanti al minimo. "
            "Gli stessi dati sono nella tabella della conformità.",
            charts.groups_chart(found),
        )
    return Section("gruppi", heading, chart=chart, tables=[tables.groups_table(found, viewer)])


def _people_section(found: Figures, viewer: Viewer) -> Section:
    people = [tables.coverage_table(found)]
    if viewer.names:
        people += [tables.not_supervised_table(found, viewer), tables.people_table(found, viewer)]
    return Section(
        "persone",
        "Copertura e ore per persona",
        intro="" if viewer.names else "I nomi delle persone non sono mostrati: solo i conteggi.",
        tables=people,
        collapsed=frozenset({"persone"}),
    )


def _money_section(found: Figures, ledger: LedgerFigures | None) -> Section:
    spending = [tables.spending_table(found), tables.contracts_table(found)]
    return _money_section_of(spending, charts.spending_chart(found) if found.spending else None, ledger)


def _money_section_of(
    spending: list[Table], chart_data: dict[str, Any] | None, ledger: LedgerFigures | None
) -> Section:
    """The ledgers' money first (committed, liquidated, paid), then what the hours have accrued per source and
    contract."""
    ledger_tables = [tables.ledger_table(ledger)] if ledger is not None and ledger.lines else []
    return Section(
        "spesa",
        "Spesa: contabilità FNPS e maturato per fonte e contratto",
        intro="La spesa è quella della contabilità degli ATS (impegni, liquidazioni, mandati); accanto, il maturato: "
        "le ore erogate per la tariffa del contratto."
        if ledger_tables
        else "",
        chart=Chart(
            "grafico-spesa",
            "Fondi dei contratti, costo pianificato e maturato per fonte",
            "Barre per fonte di finanziamento: fondi dei contratti, costo pianificato nell'anno e maturato a oggi "
            "(ore erogate per tariffa). Gli stessi dati sono nella tabella «Maturato per fonte di finanziamento».",
            chart_data,
        )
        if chart_data is not None
        else None,
        tables=[*ledger_tables, *spending],
    )


def _ledger(
    viewer: Viewer, ambito_ids: list[int] | None, grouping: Grouping, found: Figures | ObservatoryFigures
) -> LedgerFigures | None:
    """The FNPS ledgers of the dashboard's ATS, for those who read its money."""
    if not viewer.money:
        return None
    accrued = found.accrued if isinstance(found, ObservatoryFigures) else fnps_accrued(found.spending)
    return ledger_figures(ambito_ids, grouping, found.selection.as_of, accrued)


def _pools_section(found: Figures, viewer: Viewer) -> Section:
    return Section(
        "monte-a2",
        "Monte ore A2 e spostamenti",
        tables=[tables.pools_table(found), tables.transfers_table(found, viewer)],
    )


def _tenant_sections(found: Figures, viewer: Viewer, ledger: LedgerFigures | None) -> list[Section]:
    sections = [*_hours_sections(found), _groups_section(found, viewer), _people_section(found, viewer)]
    if viewer.money:
        sections.append(_money_section(found, ledger))
    if found.a1_groups and found.selection.kind in (None, "A1", "A2"):
        sections.append(_pools_section(found, viewer))
    return sections


def _wellbeing_section(viewer: Viewer, year: int, **tenant: int) -> list[Section]:
    part = dashboard_part(viewer.scope, year, **tenant)
    if part is None:
        return []
    # Folded: a row per unit, round and scale is long, and the results page has the chart and the trend.
    folded = frozenset(table.slug for table in part.tables if table.slug != "obiettivi-benessere")
    return [
        Section(
            "benessere", "Benessere degli operatori", part.intro, tables=part.tables, link=part.link, collapsed=folded
        )
    ]


def partnership_dashboard(
    partnership: Partnership, viewer: Viewer, data: Any, today: datetime.date, ambiti: list[Ambito]
) -> Dashboard[Figures]:
    form = FilterForm(data, ambiti=ambiti)
    plans = plans_of_year(form.year, Q(partnership=partnership))
    found = figures(_selection(form, today, plans), with_names=viewer.names)
    members = sorted({partnership.capofila_id, *(ambito.pk for ambito in ambiti)})
    ledger = _ledger(viewer, members, "ambito", found)
    url = reverse("monitoring:partnership", args=[partnership.code])
    links: list[tuple[str, str]] = []
    if viewer.manages or viewer.names:
        query = form.query()
        report = reverse("monitoring:partnership_report", args=[partnership.code])
        links.append(("Relazione al Coordinamento Istituzionale", f"{report}?{query}"))
        if plans:
            links.append(
                (
                    "Monitoraggio nel tracciato POA (Excel)",
                    f"{reverse('monitoring:poa_monitoring', args=[plans[0].pk])}?{query}",
                )
            )
    if viewer.manages:
        links.append(("Pacchetto di evidenze PNRR (ZIP)", reverse("monitoring:evidence_pack", args=[partnership.code])))
        if plans:
            links.append(("Sposta ore A2 non usate", reverse("monitoring:a2_pools", args=[plans[0].pk])))
    return Dashboard(
        kind="partnership",
        title=f"Monitoraggio di {partnership.name}",
        subtitle=_plans_text(plans, form.year),
        url=url,
        form=form,
        viewer=viewer,
        figures=found,
        sections=_tenant_sections(found, viewer, ledger)
        + _wellbeing_section(viewer, form.year, partnership_id=partnership.pk),
        crumbs=[("Monitoraggio", reverse("monitoring:index")), (partnership.code, "")],
        links=links,
        ledger=ledger,
        tenant={"partnership_id": partnership.pk},
    )


def ambito_dashboard(ambito: Ambito, viewer: Viewer, data: Any, today: datetime.date) -> Dashboard[Figures]:
    form = FilterForm(data)
    plans = plans_of_year(
        form.year, Q(ambito=ambito) | Q(partnership__memberships__ambito=ambito) | Q(partnership__capofila=ambito)
    )
    selection = Selection(
        year=form.year, period=form.period, today=today, plans=tuple(plans), kind=form.kind, ambito=ambito
    )
    found = figures(selection, with_names=viewer.names)
    ledger = _ledger(viewer, [ambito.pk], "allocation", found)
    links: list[tuple[str, str]] = []
    if viewer.money:
        links.append(("Fondi FNPS e contabilità", reverse("funding:ambito_funds", args=[ambito.code])))
    if viewer.names:
        report = reverse("monitoring:ambito_report", args=[ambito.code])
        links.append(("Relazione al Coordinamento Istituzionale", f"{report}?{form.query()}"))
    return Dashboard(
        kind="ambito",
        title=f"Monitoraggio di {ambito.name}",
        subtitle=_plans_text(plans, form.year)
        + " I gruppi sono quelli con almeno un partecipante dell'ATS; le ore sono dell'intero gruppo.",
        url=reverse("monitoring:ambito", args=[ambito.code]),
        form=form,
        viewer=viewer,
        figures=found,
        sections=_tenant_sections(found, viewer, ledger) + _wellbeing_section(viewer, form.year, ambito_id=ambito.pk),
        crumbs=[("Monitoraggio", reverse("monitoring:index")), (ambito.code, "")],
        links=links,
        ledger=ledger,
        tenant={"ambito_id": ambito.pk},
    )


def observatory_dashboard(
    viewer: Viewer, data: Any, today: datetime.date, ambiti: list[Ambito], regions: list[Any]
) -> Dashboard[ObservatoryFigures]:
    form = FilterForm(data, ambiti=ambiti, regions=regions)
    scope = viewer.scope
    owners = Q()
    if scope.visible_partnership_ids is not None and scope.visible_ambito_ids is not None:
        owners = Q(partnership_id__in=scope.visible_partnership_ids) | Q(ambito_id__in=scope.visible_ambito_ids)
    if form.region is not None:
        owners &= Q(partnership__capofila__region=form.region) | Q(ambito__region=form.region)
    if form.ambito is not None:
        ambito = form.ambito
        owners &= Q(ambito=ambito) | Q(partnership__memberships__ambito=ambito) | Q(partnership__capofila=ambito)
    plans = plans_of_year(form.year, owners)
    found = observatory_figures(_selection(form, today, plans))
    ledger = _observatory_ledger(viewer, form, found)
    where = form.region.name if form.region else ("Italia" if scope.observer_region_ids is None else "")
    if not where:
        where = ", ".join(region.name for region in regions) or "ambito di osservazione"
    freshness = ""
    if settings.OBSERVATORY_CACHE_SECONDS > 0:
        minutes = max(1, settings.OBSERVATORY_CACHE_SECONDS // 60)
        local = timezone.localtime(found.computed_at)
        freshness = (
            f" Cifre calcolate alle {local:%H:%M} del {local:%d/%m/%Y}"
            f" (si aggiornano al più ogni {minutes} minut{'o' if minutes == 1 else 'i'})."
        )
    sections = [
        *_hours_sections_of(found.tables_of(HOURS_TABLES), found.charts["grafico-cumulato"]),
        Section(
            "piani",
            "Conformità per partenariato e ATS",
            chart=Chart(
                "grafico-piani",
                "Gruppi ed équipe per stato, per partenariato o ATS",
                "Barre orizzontali impilate, una per piano: quanti gruppi hanno raggiunto il minimo, sono in linea, "
                "a rischio o in ritardo. Gli stessi dati sono nella tabella dei piani.",
                found.charts["grafico-piani"],
            )
            if "grafico-piani" in found.charts
            else None,
            tables=found.tables_of(PLANS_TABLES),
        ),
        Section("persone", "Copertura", tables=found.tables_of(COVERAGE_TABLES)),
        _money_section_of(found.tables_of(MONEY_TABLES), found.charts.get("grafico-spesa"), ledger),
    ]
    return Dashboard(
        kind="observatory",
        title=f"Osservatorio della supervisione · {where}",
        subtitle=(
            f"{counted(len(plans), 'piano', 'piani')} {form.year} di partenariati e ATS: solo dati aggregati, "
            f"nessun nome.{freshness}"
        ),
        url=reverse("monitoring:observatory"),
        form=form,
        viewer=viewer,
        figures=found,
        sections=sections,
        crumbs=[("Monitoraggio", reverse("monitoring:index")), ("Osservatorio", "")],
        ledger=ledger,
        links=[
            *([("Avvisi di tutti i partenariati e ATS", reverse("monitoring:alerts"))] if scope.is_admin else []),
            *(
                [("Benessere degli operatori (dati aggregati)", reverse("wellbeing:observatory"))]
                if scope.observer_region_ids is None or scope.observer_region_ids
                else []
            ),
        ],
    )


def _observatory_ledger(viewer: Viewer, form: FilterForm, found: ObservatoryFigures) -> LedgerFigures | None:
    """The ledgers of the ATS in sight: per region across the country, per ATS within a region or one ATS."""
    scope = viewer.scope
    if form.ambito is not None:
        return _ledger(viewer, [form.ambito.pk], "ambito", found)
    ids = None if scope.visible_ambito_ids is None else sorted(scope.visible_ambito_ids)
    if form.region is not None:
        in_region = Ambito.objects.filter(region=form.region)
        if ids is not None:
            in_region = in_region.filter(pk__in=ids)
        return _ledger(viewer, list(in_region.values_list("pk", flat=True)), "ambito", found)
    return _ledger(viewer, ids, "region" if ids is None else "ambito", found)


def sessions_table(group: PlanGroup, year: int, names: NameAccess | None) -> Table:
    table = Table(
        "incontri",
        f"Incontri del {year}",
        [
            Column("Data", "date"),
            Column("Orario"),
            Column("Tipo"),
            Column("Durata (ore)", "hours"),
            Column("Stato"),
            Column("Presenti", "int"),
            Column("Attesi", "int"),
            Column("Persona (supervisione individuale)"),
        ],
        note="Della supervisione individuale (A2) si vedono solo chi, quando e per quanto tempo.",
    )
    ids = [group.pk, *_ancestors(group)]
    rows = calendar_rows(
        Session.objects.filter(group_id__in=ids, date__year=year).select_related("supervisee")
    ).select_related("supervisee")
    for session in rows:
        if session.status == SessionStatus.CANCELLED:
            state = f"annullato: {session.cancel_reason}"
        elif session.register_status == RegisterStatus.CONFIRMED:
            state = "registro confermato"
        else:
            state = "da confermare o da tenere"
        person = ""
        if session.supervisee is not None:
            visible = names is not None and (names.everyone or names.person_id == session.supervisee_id)
            person = str(session.supervisee) if visible else "riservato"
        table.rows.append(
            [
                session.date,
                session.time_text,
                session.get_kind_display(),
                minutes_to_hours(session.minutes),
                state,
                getattr(session, "present_count", 0),
                getattr(session, "expected_count", 0),
                person,
            ]
        )
    return table


def _ancestors(group: PlanGroup) -> list[int]:
    found: list[int] = []
    current = group.copied_from_id
    while current is not None and current not in found:
        found.append(current)
        current = PlanGroup.objects.filter(pk=current).values_list("copied_from_id", flat=True).first()
    return found


def group_dashboard(
    group: PlanGroup, viewer: Viewer, names: NameAccess | None, data: Any, today: datetime.date
) -> Dashboard[Figures]:
    plan = group.plan
    form = FilterForm(data, year=plan.year, kinds=False)
    selection = Selection(year=plan.year, period=form.period, today=today, plans=(plan,), group_q=Q(pk=group.pk))
    found = figures(selection, with_names=names is not None and names.sees_any)
    if names is not None:
        found.people = [p for p in found.people if names.everyone or names.sees_person(p.person_id, p.ambito_id)]
    sections = [*_hours_sections(found), _groups_section(found, viewer, "Conformità LEPS del gruppo")]
    if found.people:
        sections.append(Section("persone", "Ore per persona", tables=[tables.people_table(found, viewer)]))
    if group.kind == GroupKind.A1:
        sections.append(_pools_section(found, viewer))
    if not viewer.aggregate_only:
        sections.append(Section("incontri", "Incontri", tables=[sessions_table(group, plan.year, names)]))
    return Dashboard(
        kind="group",
        title=f"{group.name} · {group.get_kind_display()}",
        subtitle=f"POA {plan.year} di {plan.tenant.name} ({plan.get_status_display().lower()}).",
        url=reverse("monitoring:group", args=[group.pk]),
        form=form,
        viewer=viewer,
        figures=found,
        sections=sections,
        crumbs=[("Monitoraggio", reverse("monitoring:index")), (group.name, "")],
    )


def supervisor_dashboard(supervisor: Supervisor, viewer: Viewer, data: Any, today: datetime.date) -> Dashboard[Figures]:
    form = FilterForm(data)
    plans = plans_of_year(form.year, Q(groups__supervisor=supervisor))
    selection = _selection(form, today, plans, group_q=Q(supervisor=supervisor), session_q=Q(supervisor=supervisor))
    found = figures(selection)
    sections = [*_hours_sections(found), _groups_section(found, viewer, "I gruppi condotti e il loro minimo")]
    return Dashboard(
        kind="supervisor",
        title=f"Monitoraggio di {supervisor.name} {supervisor.surname}",
        subtitle="Le ore sono quelle degli incontri condotti; i fogli ore mensili sono nel calendario.",
        url=reverse("monitoring:supervisor", args=[supervisor.pk]),
        form=form,
        viewer=viewer,
        figures=found,
        sections=sections,
        crumbs=[("Monitoraggio", reverse("monitoring:index")), (str(supervisor), "")],
        links=[("Foglio ore del mese", reverse("sessions:timesheet", args=[supervisor.pk]))],
    )


def person_months_table(person: Person, year: int, threshold: Decimal) -> Table:
    """Hours expected and attended month by month (one aggregate query)."""
    rows = (
        Attendance.objects.filter(
            person=person,
            session__date__year=year,
            session__status=SessionStatus.SCHEDULED,
            session__register_status=RegisterStatus.CONFIRMED,
        )
        .annotate(month=TruncMonth("session__date"))
        .values("month")
        .annotate(expected=Sum("session__minutes", default=0), attended=Sum("minutes", default=0))
        .order_by("month")
    )
    table = Table(
        "mesi-persona",
        f"Ore previste e frequentate per mese nel {year}",
        [
            Column("Mese"),
            Column("Ore previste", "hours"),
            Column("Ore frequentate", "hours"),
            Column("% frequenza", "percent"),
        ],
        note="Le ore contano quando il supervisore conferma il registro. Soglia per i crediti: "
        f"{int(threshold * 100)} %.",
    )
    for row in rows:
        month = row["month"]
        number = month.month if isinstance(month, datetime.date) else int(str(month)[5:7])
        expected, attended = row["expected"], row["attended"]
        table.rows.append(
            [
                MONTHS[number - 1],
                minutes_to_hours(expected),
                minutes_to_hours(attended),
                round(attended * 100 / expected) if expected else None,
            ]
        )
    return table


def person_dashboard(
    person: Person, viewer: Viewer, data: Any, today: datetime.date, *, is_self: bool
) -> Dashboard[Figures]:
    form = FilterForm(data, kinds=False)
    plans = plans_of_year(form.year, Q(groups__memberships__person=person))
    selection = _selection(form, today, plans, group_q=Q(memberships__person=person))
    found = figures(selection, with_names=True)
    found.people = [row for row in found.people if row.person_id == person.pk]
    mine = found.people[0] if found.people else None
    intro = "Nessun incontro con registro confermato nell'anno."
    if mine is not None:
        reached = "raggiunge" if mine.figures.reaches_threshold else "non raggiunge ancora"
        percentage = decimal_text(mine.figures.percentage)
        intro = (
            f"{hours_counted(mine.attended_hours)} {plural(mine.attended_hours, 'frequentata', 'frequentate')} su "
            f"{hours_text(mine.expected_hours)} {plural(mine.expected_hours, 'prevista', 'previste')} "
            f"({percentage} %): {reached} la soglia {percent_with_article(found.threshold_percent, 'di')} per i "
            "crediti formativi."
        )
    people = tables.people_table(found, Viewer(viewer.scope, None, supervisors=False, money=False, manages=False))
    people.slug, people.title = "persona", "Ore dell'anno e soglia di frequenza"
    sections = [
        Section(
            "frequenza",
            "La tua frequenza" if is_self else "Frequenza",
            intro=intro,
            tables=[people, person_months_table(person, form.year, found.threshold)],
        ),
        _groups_section(found, viewer, "I gruppi e il loro minimo"),
    ]
    return Dashboard(
        kind="person",
        title=f"Monitoraggio di {person.name} {person.surname}",
        subtitle="Ore di supervisione previste e frequentate, gruppo per gruppo.",
        url=reverse("monitoring:person", args=[person.pk]),
        form=form,
        viewer=viewer,
        figures=found,
        sections=sections,
        crumbs=[("Monitoraggio", reverse("monitoring:index")), (str(person), "")],
        links=[("Attestato di partecipazione", reverse("sessions:certificate", args=[person.pk]))],
    )


def _plans_text(plans: list[Plan], year: int) -> str:
    if not plans:
        return f"Nessun POA {year}: nessun gruppo da monitorare per quest'anno."
    texts = []
    for plan in plans:
        status = plan.get_status_display().lower()
        texts.append(f"POA {plan.year} versione {plan.version} ({status}, {plan.period_text})")
    return "Dal " + "; ".join(texts) + "."
