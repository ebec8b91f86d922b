"""Reads for goals: progress for many goals at once in a fixed number of queries."""

from datetime import timedelta

from django.db.models import Count, Max, Min

from wins.models import Win

from . import progress
from .models import Goal, Measurement

ACTIVITY_WINDOW = timedelta(days=400)
# An id no goal has: a query over no goals of a kind still runs, so a page's query count stays fixed.
NONE = [0]


def goal_progress(goals, window=ACTIVITY_WINDOW):
    """{goal id: Progress} for goals with `owner` and `team` loaded, also set as `goal.progress`.

    At most three queries, whatever the number of goals.
    """
    goals = list(goals)
    if not goals:
        return {}
    todays = {g.pk: today_of(g) for g in goals}
    of_kind = {kind: [g.pk for g in goals if g.kind == kind] for kind in Goal.Kind.values}
    linked = dict(
        Win.objects.alive()
        .filter(goal__in=of_kind[Goal.Kind.COUNT] or NONE)
        .order_by()
        .values_list("goal")
        .annotate(n=Count("id"))
    )
    per_day = {}
    for goal_id, day, n in (
        Win.objects.alive()
        .filter(goal__in=of_kind[Goal.Kind.ACTIVITY] or NONE, day__gte=min(todays.values()) - window)
        .order_by()
        .values_list("goal", "day")
        .annotate(n=Count("id"))
    ):
        per_day.setdefault(goal_id, {})[day] = n
    measured = {
        goal_id: (low, high)
        for goal_id, low, high in Measurement.objects.filter(goal__in=of_kind[Goal.Kind.MEASURE] or NONE)
        .order_by()
        .values_list("goal")
        .annotate(low=Min("value"), high=Max("value"))
    }
    result = {
        g.pk: progress_of(g, linked.get(g.pk, 0), per_day.get(g.pk, {}), measured.get(g.pk), window, todays[g.pk])
        for g in goals
    }
    by_parent = {}
    for g in goals:
        by_parent.setdefault(g.parent_id, []).append(g)
    for g in goals:  # a macro goal also shows how many of its micro goals are achieved
        children = by_parent.get(g.pk)
        if children:
            result[g.pk].micro = (sum(c.status == Goal.Status.ACHIEVED for c in children), len(children))
        g.progress = result[g.pk]
    return result


def progress_of(goal, linked, per_day, measured, window=ACTIVITY_WINDOW, today=None):
    """One goal's progress from the numbers goal_progress fetched; an achieved goal shows full."""
    match goal.kind:
        case Goal.Kind.COUNT:
            result = progress.count(linked, goal.target)
        case Goal.Kind.ACTIVITY:
            today = today or today_of(goal)
            result = progress.activity(
                per_day,
                goal.target,
                goal.period or "week",
                today,
                week_start_of(goal),
                goal_since(goal),
                read_from=today - window,
            )
        case Goal.Kind.MEASURE:
            low, high = measured or (None, None)
            best = low if goal.direction == Goal.Direction.DOWN else high
            result = progress.measure(best, goal.baseline, goal.target, goal.direction, goal.unit)
        case _:
            return progress.milestone(goal.status == Goal.Status.ACHIEVED)
    if goal.status == Goal.Status.ACHIEVED:
        result.fraction, result.reached, result.label = 1.0, True, f"Achieved · {result.label}"
    return result


def today_of(goal):
    """A team goal lives in the team's days, a personal goal in its owner's."""
    return goal.team.local_today() if goal.team_id else goal.owner.local_today()


def week_start_of(goal):
    return goal.team.week_start if goal.team_id else goal.owner.week_start


def goal_since(goal):
    return goal.created_at.astimezone((goal.team or goal.owner).zone).date()


def goal_tree(person, statuses=(Goal.Status.ACTIVE, Goal.Status.ACHIEVED)):
    """My goals and my teams' goals as macro goals with `micro_goals` and `progress` (at most 4 queries)."""
    goals = list(
        Goal.objects.visible_to(person)
        .filter(status__in=statuses)
        .select_related("owner", "team")
        .order_by("created_at", "id")
    )
    by_parent = {}
    for goal in goals:
        by_parent.setdefault(goal.parent_id, []).append(goal)
    known = {g.pk for g in goals}
    roots = [g for g in goals if g.parent_id is None or g.parent_id not in known]
    for goal in goals:
        goal.micro_goals = by_parent.get(goal.pk, [])
    goal_progress(goals)
    return roots
