from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from teams.models import Membership

from . import services
from .forms import GoalForm, MeasurementForm, StarterForm
from .measures import format_value
from .models import Goal
from .queries import goal_progress, goal_tree


def visible_goal(request, goal_code):
    """A goal I can see (mine, or my team's), or 404."""
    goals = Goal.objects.visible_to(request.user).select_related("owner", "team", "parent")
    return get_object_or_404(goals, code=goal_code)


def can_edit(person, goal):
    """Personal goals are their owner's; team goals are their team's leads'."""
    if goal.owner_id:
        return goal.owner_id == person.pk
    return Membership.objects.filter(team=goal.team_id, person=person, role=Membership.Role.LEAD).exists()


def editable_goal(request, goal_code):
    goal = visible_goal(request, goal_code)
    if not can_edit(request.user, goal):
        raise PermissionDenied("Only the goal's owner (or the team's leads) can change it.")
    return goal


def index(request):
    roots, progress = goal_tree(request.user)
    return render(
        request,
        "goals/index.html",
        {"roots": roots, "progress": progress, "starter_form": StarterForm(), "today": request.user.local_today()},
    )


def panel(request):
    """Today's compact list of active goals; reloads itself after a win is posted."""
    roots, progress = goal_tree(request.user, statuses=[Goal.Status.ACTIVE])
    return render(request, "goals/index.html#panel", {"roots": roots, "progress": progress})


def new_goal(request):
    parent = request.GET.get("parent")
    initial = {"kind": request.GET.get("kind") or Goal.Kind.MILESTONE}
    if parent:
        initial["parent"] = Goal.objects.visible_to(request.user).filter(code=parent).first()
    if initial["kind"] == Goal.Kind.ACTIVITY:
        initial["period"] = Goal.Period.WEEK
    form = GoalForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        goal = form.save()
        messages.success(request, f"Goal set: {goal.title}.")
        outcome = goal.kind != Goal.Kind.ACTIVITY and goal.parent_id is None
        return redirect(goal_url(goal) + ("?suggest=activity" if outcome else ""))
    return render(request, "goals/new.html", {"form": form, "starter_form": StarterForm()})


def goal_url(goal):
    return reverse("goals:detail", args=[goal.code])


@require_POST
def start(request):
    form = StarterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the starting points.")
        return redirect("goals:new")
    goal = services.start_from(
        starter=form.cleaned_data["starter"], owner=request.user, today=request.user.local_today()
    )
    messages.success(request, f"Goal set: {goal.title}, with {goal.children.count()} micro goals.")
    return redirect("goals:detail", goal.code)


def detail(request, goal_code):
    goal = visible_goal(request, goal_code)
    editable = can_edit(request.user, goal)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = GoalForm(request.POST or None, instance=goal, person=request.user) if editable else None
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Goal saved.")
        return redirect("goals:detail", goal.code)
    return render(request, "goals/detail.html", detail_context(request, goal, editable, form=form))


def detail_context(request, goal, editable, **extra):
    today = goal.team.local_today() if goal.team_id else request.user.local_today()
    micro = list(goal.children.select_related("owner", "team"))
    progress = goal_progress([goal, *micro])
    measurements = list(goal.measurements.order_by("-day", "-created_at")[:20])
    for m in measurements:
        m.shown = format_value(m.value, goal.unit)
    return {
        "goal": goal,
        "micro": micro,
        "progress": progress,
        "editable": editable,
        "measurements": measurements,
        "wins": goal.wins.filter(deleted_at=None).select_related("author", "kind").order_by("-day")[:10],
        "measurement_form": MeasurementForm(goal=goal, today=today) if goal.kind == Goal.Kind.MEASURE else None,
        "suggest_activity": request.GET.get("suggest") == "activity" and editable,
        **extra,
    }


@require_POST
def measure(request, goal_code):
    goal = editable_goal(request, goal_code)
    today = goal.team.local_today() if goal.team_id else request.user.local_today()
    form = MeasurementForm(request.POST, goal=goal, today=today)
    if form.is_valid():
        services.log_measurement(
            goal=goal,
            value=form.cleaned_data["value_text"],
            day=form.cleaned_data["day"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        goal.refresh_from_db()
        if goal.status == Goal.Status.ACHIEVED:
            messages.success(request, f"Achieved: {goal.title}! It's on your wins.")
        form = MeasurementForm(goal=goal, today=today)
    context = detail_context(request, goal, True, measurement_form=form)
    if request.htmx:
        return render(request, "goals/detail.html#measure-panel", context)
    if form.is_bound:
        return render(request, "goals/detail.html", context)
    return redirect("goals:detail", goal.code)


@require_POST
def set_status(request, goal_code):
    goal = editable_goal(request, goal_code)
    status = request.POST.get("status")
    if status == Goal.Status.ACHIEVED and goal.status != Goal.Status.ACHIEVED:
        services.achieve_goal(goal=goal, by=request.user)
        messages.success(request, f"Achieved: {goal.title}! It's on your wins.")
    elif status == Goal.Status.DROPPED:
        services.drop_goal(goal=goal)
        messages.success(request, f"Dropped: {goal.title}. Its history stays.")
    elif status == Goal.Status.ACTIVE:
        services.reopen_goal(goal=goal)
        messages.success(request, f"{goal.title} is active again.")
    return redirect("goals:detail", goal.code)
