"""Calendars (month, week, list) per partnership, ATS, group, supervisor and person, and iCalendar feeds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import (
    get_ambito_for_user,
    get_partnership_for_user,
    scope_for,
    visible_ambiti,
    visible_partnerships,
)
from supervisione.census.models import Person
from supervisione.lib import clock
from supervisione.lib.downloads import download
from supervisione.lib.italian import MONTHS
from supervisione.planning.models import PlanGroup, PlanMember, PlanStatus
from supervisione.sessions.access import Reach, not_a_reader, reach_for, sessions_attended, visible_sessions
from supervisione.sessions.actions.feeds import create_feed_token, revoke_feed_token, token_hash
from supervisione.sessions.forms import CalendarForm
from supervisione.sessions.ical import FeedEvent, build_calendar, session_uid
from supervisione.sessions.models import FeedToken, Session
from supervisione.sessions.queries import (
    WEEKDAY_SHORT,
    calendar_rows,
    grid,
    month_bounds,
    period_summary,
    provisional_plans,
    week_bounds,
)
from supervisione.sessions.usage import group_lineage
from supervisione.sessions.views.common import (
    SECTION,
    get_group_for_user,
    is_bookable,
    require_sessions_reader,
)
from supervisione.supervisors.access import get_supervisor_for_user
from supervisione.supervisors.models import Supervisor

if TYPE_CHECKING:
    from supervisione.accounts.models import User

LIST_PAGE_SIZE = 30
FEED_PAST_DAYS = 120
FEED_FUTURE_DAYS = 400


@dataclass
class Subject:
    title: str
    sessions: QuerySet[Session]
    url: str
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    intro: str = ""
    group: PlanGroup | None = None
    can_book: bool = False


def _calendar(request: AuthenticatedHttpRequest, subject: Subject, reach: Reach) -> HttpResponse:
    today = clock.today()
    form = CalendarForm(request.GET)
    view, day = form.view_and_day(today)
    context: dict[str, Any] = {
        "subject": subject,
        "view": view,
        "day": day,
        "today": today,
        "weekdays": WEEKDAY_SHORT,
        "active_section": SECTION,
        "crumbs": [*subject.crumbs, (subject.title, "")],
        "reach": reach,
    }
    summarised = subject.sessions
    if view == "settimana":
        start, end = week_bounds(day)
        summarised = _period_sessions(subject.sessions, start, end)
        context["weeks"] = grid(summarised, start, end, None)
        context["previous"], context["next"] = start - datetime.timedelta(days=7), start + datetime.timedelta(days=7)
        context["period_title"] = f"Settimana dal {start:%d/%m} al {end:%d/%m/%Y}"
    elif view == "elenco":
        start, end = day, day + datetime.timedelta(days=365)
        paginator = Paginator(calendar_rows(subject.sessions.filter(date__gte=day)), LIST_PAGE_SIZE)
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
        context["previous"], context["next"] = day - datetime.timedelta(days=30), None
        context["period_title"] = f"Dal {day:%d/%m/%Y} in poi"
    else:
        view = context["view"] = "mese"
        start, end = month_bounds(day.year, day.month)
        summarised = _period_sessions(subject.sessions, start, end)
        context["weeks"] = grid(summarised, start, end, day.month)
        first = day.replace(day=1)
        context["previous"] = (first - datetime.timedelta(days=1)).replace(day=1)
        context["next"] = (first + datetime.timedelta(days=32)).replace(day=1)
        context["period_title"] = f"{MONTHS[day.month - 1].capitalize()} {day.year}"
        start, end = first, context["next"] - datetime.timedelta(days=1)
    context["summary"] = period_summary(summarised, start, end, today)
    shown = (
        list(context["page_obj"].object_list)
        if view == "elenco"
        else [session for week in context["weeks"] for day in week for session in day.sessions]
    )
    context["provisional_plans"] = provisional_plans(shown)
    return render(request, "sessions/calendar.html", context)


def _period_sessions(sessions: QuerySet[Session], start: datetime.date, end: datetime.date) -> QuerySet[Session]:
    """The sessions of a week or month, by primary key. The calendar's filters (an ATS's sessions: its own or
    with one of its people; what the user may see) are read once, for their ids; the rows, their group,
    supervisor and attendance counts, and the period's counts then join by key alone. Joined to the filters
    directly, the planner expected thousands of rows and hashed the country's people, groups and supervisors
    at every request (PostgreSQL, 600 ATS)."""
    return Session.objects.filter(
        pk__in=list(sessions.filter(date__gte=start, date__lte=end).values_list("pk", flat=True))
    )


def _visible(request: AuthenticatedHttpRequest) -> tuple[QuerySet[Session], Reach]:
    reach = require_sessions_reader(request.user)
    return visible_sessions(request.user), reach


@login_required
def calendar_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The calendars the user can open, and the groups they can book for."""
    reach = reach_for(request.user)
    scope = scope_for(request.user)
    if not reach.sees_any:
        raise not_a_reader(reach)
    user = request.user
    groups = PlanGroup.objects.none()
    if reach.manages_any:
        groups = (
            PlanGroup.objects.filter(
                reach.managed_q("plan__"),
                plan__status__in=[PlanStatus.APPROVED, PlanStatus.DRAFT, PlanStatus.SUBMITTED],
            )
            .select_related("plan", "plan__partnership", "plan__ambito", "supervisor")
            .order_by("-plan__year", "plan__partnership__name", "plan__ambito__name", "kind", "name")[:60]
        )
    partnerships = visible_partnerships(user)
    if not scope.is_admin:
        partnerships = partnerships.filter(pk__in=scope.coordinated_partnership_ids)
    ambiti = visible_ambiti(user).filter(pk__in=reach.read_ambito_ids or ()) if not scope.is_admin else None
    return render(
        request,
        "sessions/calendar_home.html",
        {
            "reach": reach,
            "groups": groups,
            "partnerships": partnerships.order_by("name")[:50],
            "ambiti": ambiti,
            "supervisors": Supervisor.objects.filter(pk__in=reach.supervisor_ids),
            "person_id": reach.person_id,
            "active_section": SECTION,
        },
    )


@login_required
def partnership_calendar(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code)
    sessions, reach = _visible(request)
    subject = Subject(
        title=f"Calendario di {partnership.name}",
        sessions=sessions.filter(partnership=partnership),
        url=reverse("sessions:partnership_calendar", args=[code]),
        crumbs=[("Calendario", reverse("sessions:home"))],
    )
    return _calendar(request, subject, reach)


@login_required
def ambito_calendar(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code)
    sessions, reach = _visible(request)
    of_ambito = Q(ambito=ambito) | Q(pk__in=sessions_attended(ambito=ambito))
    subject = Subject(
        title=f"Calendario di {ambito.name}",
        sessions=sessions.filter(of_ambito),
        url=reverse("sessions:ambito_calendar", args=[code]),
        crumbs=[("Calendario", reverse("sessions:home"))],
        intro="Gli incontri dei gruppi dell'ATS e quelli a cui partecipano persone dell'ATS.",
    )
    return _calendar(request, subject, reach)


@login_required
def group_calendar(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group, reach = get_group_for_user(request.user, pk)
    sessions, _reach = _visible(request)
    plan = group.plan
    subject = Subject(
        title=f"{group.name}",
        sessions=sessions.filter(group_id__in=group_lineage(group.pk)),
        url=reverse("sessions:group_calendar", args=[pk]),
        crumbs=[("Calendario", reverse("sessions:home"))],
        intro=f"{group.get_kind_display()} · {plan}",
        group=group,
        can_book=reach.manages_tenant(plan.partnership_id, plan.ambito_id) and is_bookable(plan),
    )
    return _calendar(request, subject, reach)


@login_required
def supervisor_calendar(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reach = reach_for(request.user)
    if pk in reach.supervisor_ids:
        supervisor = get_object_or_404(Supervisor, pk=pk)
    else:
        supervisor = get_supervisor_for_user(request.user, pk)
    sessions, reach = _visible(request)
    subject = Subject(
        title=f"Calendario di {supervisor.name} {supervisor.surname}",
        sessions=sessions.filter(supervisor=supervisor),
        url=reverse("sessions:supervisor_calendar", args=[pk]),
        crumbs=[("Calendario", reverse("sessions:home"))],
    )
    return _calendar(request, subject, reach)


def get_person_for_user(user: User, pk: int) -> Person:
    """A person's calendar: the person themselves, the managers of their plans, the referents of their ATS."""
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise Http404
    reach = reach_for(user)
    if reach.person_id == person.pk or reach.is_admin:
        return person
    memberships = PlanMember.objects.filter(person=person)
    managed = memberships.filter(reach.managed_q("plan__")).exists() if reach.manages_any else False
    read = bool(reach.read_ambito_ids) and memberships.filter(ambito_id__in=reach.read_ambito_ids or ()).exists()
    if not (managed or read):
        raise Http404
    return person


@login_required
def person_calendar(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    sessions, reach = _visible(request)
    attends = Q(pk__in=sessions_attended(person=person))
    subject = Subject(
        title=f"Calendario di {person.name} {person.surname}",
        sessions=sessions.filter(attends),
        url=reverse("sessions:person_calendar", args=[pk]),
        crumbs=[("Calendario", reverse("sessions:home"))],
    )
    return _calendar(request, subject, reach)


# --- iCalendar feeds ---------------------------------------------------------------------------------------


@login_required
def feed_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The private address of the user's calendar feed: create, replace, revoke."""
    user = request.user
    reach = require_sessions_reader(user)
    token: str | None = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if revoke_feed_token(user):
                messages.success(request, "Indirizzo revocato: i calendari che lo usano non si aggiornano più.")
            return redirect("sessions:feed_settings")
        token = create_feed_token(user)
    feed = FeedToken.objects.filter(user=user).first()
    groups = []
    if token is not None and reach.supervisor_ids:
        groups = list(
            PlanGroup.objects.filter(supervisor_id__in=reach.supervisor_ids, plan__status=PlanStatus.APPROVED)
        )
    return render(
        request,
        "sessions/feed_settings.html",
        {
            "feed": feed,
            "token": token,
            "feed_url": request.build_absolute_uri(reverse("sessions:feed", args=[token])) if token else "",
            "groups": [
                (group, request.build_absolute_uri(reverse("sessions:group_feed", args=[token, group.pk])))
                for group in groups
            ],
            "active_section": SECTION,
        },
    )


def _token_user(token: str) -> User:
    feed = FeedToken.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    now = clock.now()
    if feed.last_used_at is None or now - feed.last_used_at > datetime.timedelta(hours=1):
        FeedToken.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user


def _feed_window() -> Q:
    today = clock.today()
    return Q(
        date__gte=today - datetime.timedelta(days=FEED_PAST_DAYS),
        date__lte=today + datetime.timedelta(days=FEED_FUTURE_DAYS),
    )


def _events(request: HttpRequest, sessions: QuerySet[Session], reach: Reach) -> list[FeedEvent]:
    events = []
    for session in sessions.select_related("group", "supervisor", "supervisee").order_by("date", "start_time"):
        own = session.supervisor_id in reach.supervisor_ids
        if session.is_individual:
            who = f" - {session.supervisee}" if own else ""
            summary = f"Supervisione individuale (A2){who}"
        else:
            summary = f"Supervisione {session.kind} - {session.group.name}"
        description = [f"Supervisore: {session.supervisor.name} {session.supervisor.surname}"]
        description.append(f"Modalità: {session.get_modality_display()}")
        if session.link:
            description.append(f"Collegamento: {session.link}")
        if session.is_cancelled:
            description.append(f"Annullato: {session.cancel_reason}")
        events.append(
            FeedEvent(
                uid=session_uid(session.pk),
                sequence=session.sequence,
                start=session.starts_at,
                end=session.ends_at,
                summary=summary,
                stamp=session.updated_at,
                cancelled=session.is_cancelled,
                location=session.place,
                description="\n".join(description),
                url=request.build_absolute_uri(session.get_absolute_url()),
            )
        )
    return events


def _ics(content: bytes, name: str) -> HttpResponseBase:
    return download(
        content,
        filename=f"{name}.ics",
        content_type="text/calendar; charset=utf-8",
        inline=True,
        cache_control="private, max-age=300",
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponseBase:
    """The user's own sessions: those they supervise and those they are expected at. No login: the token is
    the credential (revocable from the settings page)."""
    user = _token_user(token)
    reach = reach_for(user)
    own = Q(pk__in=[])
    if reach.supervisor_ids:
        own |= Q(supervisor_id__in=reach.supervisor_ids)
    if reach.person_id is not None:
        own |= Q(pk__in=sessions_attended(person_id=reach.person_id))
    sessions = Session.objects.filter(own, _feed_window())
    return _ics(build_calendar(f"Supervisione - {user}", _events(request, sessions, reach)), "supervisione")


@require_GET
def group_feed(request: HttpRequest, token: str, pk: int) -> HttpResponseBase:
    """A group's sessions (individual A2 sessions are not group meetings and are left out)."""
    user = _token_user(token)
    group, reach = get_group_for_user(user, pk)
    sessions = visible_sessions(user).filter(_feed_window(), group_id__in=group_lineage(group.pk)).exclude(kind="A2")
    return _ics(build_calendar(f"Supervisione - {group.name}", _events(request, sessions, reach)), f"gruppo-{pk}")
