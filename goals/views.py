import time
from copy import copy
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from teams import versions
from teams.access import team_view
from teams.context_processors import my_teams
from teams.models import Blocker, Membership
from teams.queries import open_blockers
from teams.services import take_cleared_blockers
from wins import limits, scoring
from wins.heatmap import heatmap
from wins.models import DayTotal, Win
from wins.queries import feed_page, page_number

from . import dashboard, export, plans, services
from .dashboard import RangeForm
from .forms import GoalForm, IntentionForm, MeasurementForm, ReviewForm, StarterForm
from .measures import format_value
from .models import Goal, Intention, Review
from .queries import goal_progress, goal_tree, today_of


def visible_goal(request, goal_code):
    """A goal I can see (mine, or my team's), or 404."""
    goals = Goal.objects.visible_to(request.user).select_related("owner", "team", "shared_with", "parent")
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
    return render(request, "goals/index.html", {"roots": goal_tree(request.user), "starter_form": StarterForm()})


def panel(request):
    """Today's compact list of active goals; reloads itself after a win is posted."""
    roots = goal_tree(request.user, statuses=[Goal.Status.ACTIVE])
    return render(request, "goals/index.html#panel", {"roots": roots})


def new_goal(request):
    # A GET may carry what was typed so far: another kind chosen redraws the form (htmx: only that kind's fields).
    typed = ("title", "audience", "kind", "target_text", "period", "unit", "direction", "baseline_text", "due", "why")
    initial = {name: request.GET[name] for name in typed if request.GET.get(name)}
    initial.setdefault("kind", Goal.Kind.MILESTONE)
    if parent := request.GET.get("parent"):  # a macro goal's code from its page, or the picker's own value
        initial["parent"] = Goal.objects.visible_to(request.user).filter(code=parent).first() or parent
    form = GoalForm(request.POST or None, person=request.user, initial=initial)
    if request.htmx and request.GET.get("part") == "kind-fields":
        return render(request, "goals/_goal_fields.html#kind-fields", {"form": form})
    if request.method == "POST" and (refusal := limits.refusal(goals_made_by(request.user), "goals")):
        form.add_error(None, refusal)
    if request.method == "POST" and form.is_valid():
        goal = form.save()
        versions.changed(goal.audience_id)
        messages.success(request, f"Goal set: {goal.title}.")
        outcome = goal.kind != Goal.Kind.ACTIVITY and goal.parent_id is None
        return redirect(goal_url(goal) + ("?suggest=activity" if outcome else ""))
    return render(request, "goals/new.html", {"form": form, "starter_form": StarterForm()})


def goals_made_by(person):
    """The goals a person may have made: their own, and those of the teams they lead (a team goal names no
    maker), for the rate limit."""
    led = Membership.objects.filter(person=person, role=Membership.Role.LEAD).values("team")
    return Goal.objects.filter(Q(owner=person) | Q(team__in=led))


def goal_url(goal):
    return reverse("goals:detail", args=[goal.code])


@require_POST
def start(request):
    form = StarterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the starting points.")
        return redirect("goals:new")
    if refusal := limits.refusal(goals_made_by(request.user), "goals"):
        messages.error(request, refusal)
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
        shown_to = goal.audience_id  # before the form changes who sees it
        services.check_goal(goal=form.save(), by=request.user)  # a lowered target may be reached already
        versions.changed(shown_to, goal.audience_id)
        messages.success(request, "Goal saved.")
        return redirect("goals:detail", goal.code)
    return render(request, "goals/detail.html", detail_context(request, goal, editable, form=form))


def detail_context(request, goal, editable, **extra):
    today = today_of(goal)
    micro = list(
        Goal.objects.visible_to(request.user).filter(parent=goal).select_related("owner", "team", "shared_with")
    )
    goal_progress([goal, *micro], viewer=request.user)
    measurements = list(goal.measurements.order_by("-day", "-created_at")[:20])
    for m in measurements:
        m.shown = format_value(m.value, goal.unit)
    return {
        "goal": goal,
        "micro": micro,
        "editable": editable,
        "measurements": measurements,
        "baseline_shown": format_value(goal.baseline, goal.unit) if goal.baseline is not None else None,
        "wins": Win.objects.visible_to(request.user)
        .filter(goal=goal)
        .select_related("author", "kind")
        .order_by("-day", "-created_at", "-id")[:10],  # newest first, and the same order every time
        "measurement_form": MeasurementForm(goal=goal, today=today) if goal.kind == Goal.Kind.MEASURE else None,
        "suggest_activity": request.GET.get("suggest") == "activity" and editable,
        **extra,
    }


@require_POST
def measure(request, goal_code):
    goal = editable_goal(request, goal_code)
    today = today_of(goal)
    form = MeasurementForm(request.POST, goal=goal, today=today)
    if refusal := limits.refusal(goal.measurements.all(), "measurements"):  # a goal's, whoever logs them
        form.add_error(None, refusal)
    if form.is_valid():
        services.log_measurement(
            goal=goal,
            value=form.cleaned_data["value_text"],
            day=form.cleaned_data["day"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        goal = editable_goal(request, goal_code)  # read again: logging may have achieved it
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


# Daily plan and evening review


def my_intention(request, code):
    return get_object_or_404(Intention.objects.select_related("person", "kind", "win"), person=request.user, code=code)


def current_team(request):
    current = my_teams(request).current
    return current.team if current else None


def plan_context(request, form=None):
    person = request.user
    today = person.local_today()
    intentions = list(Intention.objects.filter(person=person, day=today).select_related("kind", "win"))
    return {
        "today": today,
        "intentions": intentions,
        "intention_form": form or IntentionForm(team=current_team(request)),
        "can_add": len(intentions) < plans.MAX_INTENTIONS,
        "cleared_blockers": take_cleared_blockers(person=person),
    }


def plan(request):
    """Today's three intentions: a panel on Today (htmx), or a page of its own."""
    if request.method == "POST":
        form = IntentionForm(request.POST, team=current_team(request))
        if form.is_valid():
            try:
                plans.add_intention(person=request.user, day=request.user.local_today(), **form.cleaned_data)
                form = None
            except ValidationError as error:
                form.add_error("text", error)
        return plan_response(request, plan_context(request, form=form))
    return plan_response(request, plan_context(request))


def plan_response(request, context):
    if request.htmx:
        return render(request, "goals/plan.html#plan-panel", context)
    if request.method == "POST" and not context["intention_form"].errors:
        return redirect("goals:plan")
    return render(request, "goals/plan.html", context)


@require_POST
def change_intention(request, code, action):
    intention = my_intention(request, code)
    posted = False
    match action:
        case "toggle":
            plans.toggle_intention(intention=intention)
        case "up" | "down":
            plans.move_intention(intention=intention, offset=-1 if action == "up" else 1)
        case "remove":
            plans.remove_intention(intention=intention)
        case "edit":
            form = IntentionForm(request.POST, instance=copy(intention), team=current_team(request))
            if form.is_valid():
                plans.edit_intention(intention=intention, text=form.cleaned_data["text"])
        case "win":
            try:
                plans.post_intention_as_win(intention=intention, team=current_team(request))
                posted = True
            except ValidationError as error:
                messages.error(request, error.message)
        case _:
            raise Http404
    response = plan_response(request, plan_context(request))
    # On Today, the list of today's wins and the stats hear it and show the new win (wins/today.html).
    return trigger_client_event(response, "wins-changed") if posted else response


def review(request, day=None):
    """This evening's review (or yesterday's, after midnight), then tomorrow's three; past reviews read-only."""
    person = request.user
    today = person.local_today()
    if day is not None:
        past = get_object_or_404(Review, person=person, day=day)
        return render(request, "goals/review.html", review_context(person, past.day, past=past))
    days = [today, today - timedelta(days=1)]
    late_night = timezone.localtime(timezone.now(), person.zone).hour < 4
    default_day = days[1] if late_night and not Review.objects.filter(person=person, day=days[1]).exists() else today
    chosen = request.POST.get("day") or request.GET.get("day") or default_day.isoformat()
    day = next((d for d in days if d.isoformat() == chosen), today)
    existing = Review.objects.filter(person=person, day=day).first()
    unfinished = list(Intention.objects.filter(person=person, day=day, done_at=None).select_related("kind"))
    planned = Intention.objects.filter(person=person, day=day + timedelta(days=1)).count()
    teams = [m.team for m in my_teams(request).all]
    initial = {"day": day.isoformat()}
    if existing:
        initial |= {"learnt": existing.learnt, "in_the_way": existing.in_the_way}
    if my_teams(request).current:
        initial["blocker_team"] = my_teams(request).current.team.slug
    form = ReviewForm(
        request.POST or None, initial=initial, days=days, teams=teams, unfinished=unfinished, planned_tomorrow=planned
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, blocker = plans.save_review(
            person=person,
            day=data["day"],
            learnt=data["learnt"],
            in_the_way=data["in_the_way"],
            blocker_team=data["blocker_team"],
            carry=data["carry"],
            tomorrow=data["tomorrow"],
        )
        note = f" Your blocker went to {blocker.team.name}'s leads." if blocker else ""
        messages.success(request, f"Review saved.{note} Rest well.")
        return redirect("goals:review")
    return render(request, "goals/review.html", review_context(person, day, form=form, existing=existing))


def review_context(person, day, **extra):
    done = list(Win.objects.alive().filter(author=person, day=day).select_related("kind"))
    checked = list(Intention.objects.filter(person=person, day=day).exclude(done_at=None))
    return {
        "day": day,
        "done_wins": done,
        "checked": checked,
        "tomorrow": list(Intention.objects.filter(person=person, day=day + timedelta(days=1))),
        "past_reviews": list(Review.objects.filter(person=person).exclude(day=day).order_by("-day")[:14]),
        "my_blockers": list(  # in the teams I am in: a team I left is no longer mine to read
            Blocker.objects.filter(raised_by=person, team__memberships__person=person)
            .select_related("team", "cleared_by")
            .order_by("-created_at")[:5]
        ),
        **extra,
    }


# The team dashboard and the person page


@team_view
def team_dashboard(request, membership):
    """The lead's view of the team; members see it read-only. `?part=live` is the 30-second refresh of its
    figures, a cache read when nothing changed in the team (a page load renders them afresh); `?part=year` is
    its heatmap, loaded when seen; `?part=wins` the range's wins, loaded when seen (`&page=N` the next page)."""
    team = membership.team
    today = team.local_today()
    form = RangeForm(request.GET or None, today=today)
    data = form.cleaned_data if form.is_valid() else {}
    choice = data.get("range") or "week"
    ranges = dashboard.date_range(choice, today, team.week_start, data.get("start"), data.get("end"))
    shows_today = ranges[0][1] >= today
    sort, descending = dashboard.chosen_sort(data, shows_today)
    part = request.GET.get("part")
    if part == "year" and request.htmx:
        return render(request, "goals/dashboard.html#year", {"heatmap": team_heatmap(team, today)})
    query = {k: v for k, v in request.GET.items() if k not in ("part", "page")}
    page = page_number(request.GET.get("page"))
    # The range's wins load when their card scrolls into view (`?part=wins`), or with the page when asked for
    # (`?part=wins`, `?page=N` without JavaScript): the figures come first.
    wins, more_wins = None, False
    if part == "wins" or "page" in request.GET:
        wins, more_wins = dashboard.range_wins(team, request.user, ranges[0], today, page)
    wins_label = dashboard.RANGES[choice] if choice != "custom" else "Wins"
    context = {
        "membership": membership,
        "is_lead": membership.is_lead,
        "team": team,
        "form": form,
        "choice": choice,
        "range_label": dashboard.RANGES[choice],
        "range_phrase": dashboard.RANGE_PHRASES.get(choice),
        "chosen": ranges[0],
        "previous": ranges[1],
        "sort": sort,
        "descending": descending,
        "shows_today": shows_today,  # the Today column, in a range that runs to today
        "sorts": {
            k: wins_label if k == "wins" else v for k, v in dashboard.SORTS.items() if k != "today" or shows_today
        },
        "sort_label": (wins_label if sort == "wins" else dashboard.SORTS[sort]).lower(),
        "wins_label": wins_label,
        "ranges": dashboard.RANGES,
        "quiet_days": dashboard.QUIET_DAYS,
        "momentum_rule": scoring.MOMENTUM_RULE,
        "momentum_why": f"Momentum in {team.name} counts the wins shared with {team.name}: {scoring.MOMENTUM_RULE}",
        "live_url": "?" + urlencode(query | {"part": "live"}),
        "export_url": reverse("wins:export_team", args=[team.slug]) + "?" + urlencode(export_span(*ranges[0], today)),
        "wins": wins,
        "page": page,
        "more_wins_url": "?" + urlencode(query | {"page": page + 1}) + "#range-wins",
        "more_wins_part": "?" + urlencode(query | {"part": "wins", "page": page + 1}),
        "wins_url": "?" + urlencode(query | {"part": "wins"}),
        "range_query": urlencode(query),
        "has_more": more_wins,
    }
    if part == "wins" and request.htmx:  # the list, where its card is; or "More wins": the next page, in its place
        return render(request, "goals/dashboard.html#" + ("wins-list" if page == 1 else "wins-page"), context)
    if part == "live" and request.htmx:  # the refresh: the figures as they were, unless the team changed since

        def render_figures():
            figures = dashboard.figures(team, membership, open_blockers(membership), ranges, sort, descending)
            return render_to_string("goals/dashboard.html#figures", context | figures)  # reads no context processor

        # Per viewer (progress counts what they may see) and quarter hour (members' days end on theirs).
        shown = f"{choice}:{ranges[0][0]}:{ranges[0][1]}:{sort}:{descending}"  # not the raw query: no junk keys
        key = versions.cache_key(team.pk, "dashboard", request.user.pk, shown, int(time.time()) // 900)
        context["figures_html"] = versions.cached(team.pk, key, render_figures)
        return render(request, "goals/dashboard.html#live", context)
    blockers = open_blockers(membership)
    context |= dashboard.figures(team, membership, blockers, ranges, sort, descending) | {
        "blockers": blockers,
        "heatmap": team_heatmap(team, today) if part == "year" else None,
    }
    return render(request, "goals/dashboard.html", context)


def export_span(start, end, today):
    """The range as the export's query: one that runs to today runs on, as the figures do (members ahead)."""
    return {"start": start.isoformat()} | ({} if end >= today else {"end": end.isoformat()})


def team_heatmap(team, today):
    per_day = dashboard.team_year(team, today)  # up to the latest day: a member's may run ahead of the team's
    return heatmap(per_day, max([today, *per_day]), label="Team wins per day")


@team_view
def person_page(request, membership, member_code):
    """One member of the team: their heatmap of shared wins, momentum, the goals they share with the team, and
    recent wins."""
    team = membership.team
    other = get_object_or_404(team.memberships.select_related("person"), code=member_code)
    person = other.person
    per_day = dict(
        DayTotal.objects.filter(
            team=team, person=person, day__gte=team.local_today() - timedelta(weeks=54)
        ).values_list("day", "wins")
    )
    last = DayTotal.objects.filter(team=team, person=person).order_by("-day").first()
    today = person.local_today()
    mark = scoring.Mark(last.day, last.value, last.run) if last else None
    now = scoring.standing(mark, today, person.active_weekdays)
    goals = list(  # the goals they share with this team, as the viewer may count them
        Goal.objects.filter(
            owner=person, shared_with=team, status__in=[Goal.Status.ACTIVE, Goal.Status.ACHIEVED]
        ).select_related("owner", "team", "shared_with")
    )
    goal_progress(goals, viewer=request.user)
    for goal in goals:
        goal.micro_goals = [g for g in goals if g.parent_id == goal.pk]
    wins, has_more = feed_page(team, request.user, {"person": other.code})
    return render(
        request,
        "goals/person.html",
        {
            "membership": membership,
            "team": team,
            "other": other,
            "wins": wins,
            "has_more": has_more,
            "heatmap": heatmap(per_day, max([today, *per_day]), label=f"{person.display_name}'s wins per day"),
            "stats": {"streak": now.streak, "momentum": scoring.explain(now), "total": sum(per_day.values())},
            "momentum_rule": scoring.MOMENTUM_RULE,
            "roots": [g for g in goals if g.parent_id is None],
        },
    )


@require_GET
def export_everything(request):
    """All of the person's data, as a zip of JSON and CSV (goals/export.py)."""
    now = timezone.now()
    response = HttpResponse(export.archive(request.user, now), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="microwins-{now:%Y-%m-%d}.zip"'
    return response
