"""The groups of a plan: A1 groups (with their A2 pool), A3 équipes and extra-LEPS groups, and their members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.audit.forms import stale_html
from supervisione.audit.queries import history_for
from supervisione.leps.kinds import SupervisionType
from supervisione.leps.minimums import minimum_hours
from supervisione.leps.parameters import rules_at
from supervisione.lib.italian import counted, hours_counted
from supervisione.planning import actions
from supervisione.planning.access import get_group, get_plan_for_user, name_access
from supervisione.planning.forms import GroupForm, MembersForm, NewGroupForm, TransitionForm, member_choices
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.planning.queries import ScopePerson, census_equipes_of, member_prefetch, scope_people

SECTION = "plans"


def plan_error(request: AuthenticatedHttpRequest, error: actions.PlanError) -> str:
    """The message of a refused change; a form built on an old version also links to the current one, since
    reloading the page would only send the same old form again."""
    if isinstance(error, actions.StalePlanError):
        return stale_html(request, str(error))
    return str(error)


def _locked(request: AuthenticatedHttpRequest, plan: Plan) -> HttpResponse | None:
    """A page that edits a plan that is no longer a draft: back to the plan, saying why."""
    if plan.is_editable or request.method == "POST":
        return None
    messages.error(request, actions.LOCKED_MESSAGES[PlanStatus(plan.status)])
    return redirect(plan)


def _candidates(plan: Plan, group: PlanGroup) -> list[ScopePerson]:
    """Who may join the group: AS for A1, the people of the équipe's ATS for A3, the profession for extra."""
    people = scope_people(plan.censuses.all())
    if group.kind == GroupKind.A1:
        return [person for person in people if person.is_social_worker]
    if group.kind == GroupKind.A3 and group.equipe is not None:
        return [person for person in people if person.ambito_id == group.equipe.ambito_id]
    return [person for person in people if person.profession == group.profession]


@login_required
def group_detail(request: AuthenticatedHttpRequest, pk: int, group_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    group = get_group(plan, group_pk)
    members = list(PlanGroup.objects.prefetch_related(member_prefetch()).get(pk=group.pk).memberships.all())
    access = name_access(request.user, plan)
    if not access.opens_group(group, {member.person_id for member in members}):
        raise Refused(
            "La pagina del gruppo elenca i nomi dei partecipanti: la aprono il coordinatore, i referenti degli ATS, "
            "il supervisore del gruppo e i suoi partecipanti. I dati aggregati sono nel POA.",
            forward_url=plan.get_absolute_url(),
            forward_label="Torna al POA",
        )
    named = [member for member in members if access.sees(member)]
    rules = rules_at(plan.starts_on)
    return render(
        request,
        "planning/group_detail.html",
        {
            "plan": plan,
            "group": group,
            "named": named,
            "hidden_count": len(members) - len(named),
            "shows_notes": access.can_export,
            "shows_supervisor": access.shows_supervisor(group, {member.person_id for member in members}),
            "member_count": len(members),
            "minimum": minimum_hours(group.supervision_type, plan.months_covered, rules),
            "a2_minimum": minimum_hours(SupervisionType.A2, plan.months_covered, rules),
            "transfers_out": list(group.a2_transfers_out.select_related("target")),
            "transfers_in": list(group.a2_transfers_in.select_related("source")),
            "can_edit": access.can_edit and plan.is_editable,
            "history": history_for(group) if access.can_edit else [],
            "active_section": SECTION,
        },
    )


@login_required
def group_create(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    if kind not in GroupKind.values:
        raise Http404
    if (locked := _locked(request, plan)) is not None:
        return locked
    rules = rules_at(plan.starts_on)
    group = PlanGroup(plan=plan, kind=kind)
    group.planned_hours = minimum_hours(group.supervision_type, plan.months_covered, rules)
    if kind == GroupKind.A1:
        group.a2_pool_hours = minimum_hours(SupervisionType.A2, plan.months_covered, rules)
        count = plan.groups.filter(kind=GroupKind.A1).count()
        group.name = f"Gruppo A1 n. {count + 1}"
    equipes = []
    if kind == GroupKind.A3:
        planned = set(plan.groups.filter(kind=GroupKind.A3).values_list("equipe_id", flat=True))
        equipes = [e for e in census_equipes_of(plan.censuses.all()) if e.pk not in planned]
    form = NewGroupForm(request.POST or None, instance=group, plan=plan, equipes=equipes)
    if request.method == "POST" and form.is_valid():
        people = _candidates(plan, form.instance)
        if kind == GroupKind.A3:
            chosen = [p.person_id for p in people if form.instance.equipe_id in p.equipe_ids]
        elif kind == GroupKind.EXTRA:
            chosen = [p.person_id for p in people]
        else:
            chosen = []
        try:
            actions.add_group(
                form.instance,
                chosen,
                {p.person_id: p.ambito_id for p in people},
                expected=form.cleaned_data["lock_version"],
                by=request.user,
            )
        except actions.PlanError as error:
            form.add_error(None, plan_error(request, error))
        else:
            messages.success(
                request,
                f"Gruppo «{form.instance.name}» aggiunto con {counted(len(chosen), 'partecipante', 'partecipanti')}.",
            )
            if kind == GroupKind.A3:
                return redirect(plan)
            return redirect("planning:group_members", plan.pk, form.instance.pk)
    titles = {
        GroupKind.A1: "Nuovo gruppo A1",
        GroupKind.A3: "Nuovo gruppo A3 per un'équipe",
        GroupKind.EXTRA: "Nuovo gruppo extra-LEPS",
    }
    intros = {
        GroupKind.A1: "Dopo il salvataggio scegli gli assistenti sociali del gruppo (al massimo "
        f"{rules.max_group_size}).",
        GroupKind.A3: "I partecipanti sono le persone dell'équipe nel censimento.",
        GroupKind.EXTRA: "Partecipano le persone della professione indicata nei censimenti del piano; poi puoi "
        "modificarle. Le ore extra-LEPS non contano per il minimo.",
    }
    if kind == GroupKind.A3 and not equipes:
        messages.info(request, "Ogni équipe dei censimenti del piano ha già il suo gruppo A3.")
        return redirect(plan)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": titles[GroupKind(kind)],
            "intro": intros[GroupKind(kind)],
            "cancel_url": plan.get_absolute_url(),
            "active_section": SECTION,
        },
    )


@login_required
def group_edit(request: AuthenticatedHttpRequest, pk: int, group_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    group = get_group(plan, group_pk)
    if (locked := _locked(request, plan)) is not None:
        return locked
    form = GroupForm(request.POST or None, instance=group, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_group(form.instance, expected=form.cleaned_data["lock_version"], by=request.user)
        except actions.PlanError as error:
            form.add_error(None, plan_error(request, error))
        else:
            messages.success(request, f"Gruppo «{group.name}» salvato.")
            return redirect(plan)
    rules = rules_at(plan.starts_on)
    minimum = minimum_hours(group.supervision_type, plan.months_covered, rules)
    intro = (
        f"Minimo LEPS per {plan.period_text}: {hours_counted(minimum)}"
        + (
            f" e {hours_counted(minimum_hours(SupervisionType.A2, plan.months_covered, rules))} di monte A2."
            if group.kind == GroupKind.A1
            else "."
        )
        if group.supervision_type.counts_for_leps
        else "Le ore extra-LEPS non contano per il minimo LEPS."
    )
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"{group.name}: ore, supervisore e contratto",
            "intro": intro,
            "cancel_url": plan.get_absolute_url(),
            "active_section": SECTION,
        },
    )


@login_required
def group_members(request: AuthenticatedHttpRequest, pk: int, group_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    group = get_group(plan, group_pk)
    if (locked := _locked(request, plan)) is not None:
        return locked
    people = _candidates(plan, group)
    current = set(PlanMember.objects.filter(group=group).values_list("person_id", flat=True))
    in_a1: dict[int, str] = {}
    if group.kind == GroupKind.A1:
        in_a1 = dict(PlanMember.objects.filter(plan=plan, kind=GroupKind.A1).values_list("person_id", "group__name"))
    choices = member_choices(people, in_a1, group.name)
    form = MembersForm(request.POST or None, plan=plan, choices=choices, initial={"people": sorted(current)})
    rules = rules_at(plan.starts_on)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["people"]
        if group.kind == GroupKind.A1 and len(chosen) > rules.max_group_size:
            form.add_error(
                "people",
                f"Un gruppo A1 ha al massimo {rules.max_group_size} partecipanti: ne hai scelti {len(chosen)}.",
            )
        else:
            try:
                actions.set_members(
                    group,
                    chosen,
                    {p.person_id: p.ambito_id for p in people},
                    expected=form.cleaned_data["lock_version"],
                    by=request.user,
                )
            except actions.PlanError as error:
                form.add_error(None, plan_error(request, error))
            else:
                messages.success(request, f"Partecipanti di «{group.name}» salvati: {len(chosen)}.")
                return redirect(plan)
    selected = {int(v) for v in request.POST.getlist("people") if v.isdigit()} if form.is_bound else current
    people_groups = [
        (ambito, [{"value": pk, "label": label, "checked": pk in selected} for pk, label in options])
        for ambito, options in choices
    ]
    return render(
        request,
        "planning/group_members.html",
        {
            "plan": plan,
            "group": group,
            "form": form,
            "people_groups": people_groups,
            "max_size": rules.max_group_size if group.kind == GroupKind.A1 else None,
            "current_count": len(current),
            "active_section": SECTION,
        },
    )


@login_required
@require_POST
def group_delete(request: AuthenticatedHttpRequest, pk: int, group_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    group = get_group(plan, group_pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "La richiesta è incompleta: ricarica la pagina e riprova.")
        return redirect(plan)
    try:
        actions.delete_group(group, expected=form.cleaned_data["lock_version"], by=request.user)
    except actions.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Gruppo «{group.name}» eliminato.")
    return redirect(plan)
