"""Reads for goals: progress for many goals at once in a fixed number of queries."""

import functools
import operator
from datetime import timedelta

from django.db.models import Count, F, Max, Min, Q

from wins.models import Win

from . import progress
from .models import Goal, Measurement
from .progress import period_start

ACTIVITY_WINDOW = timedelta(days=400)


def counted_wins(viewer):
    """The wins that move a goal's progress for `viewer`: the ones they may see (their own, and those shared
    with their teams). Without a viewer, the ones its whole audience sees: all of its owner's for a private
    goal, else those shared with its team. So a private win moves nothing that anyone but its author sees.
    """
    if viewer is not None:
        return Win.objects.counted_for(viewer)
    private_goal = Q(goal__team=None, goal__shared_with=None)
    in_its_team = Q(team=F("goal__team")) | Q(team=F("goal__shared_with"))
    return Win.objects.alive().filter(private_goal | Q(in_its_team, visibility=Win.Visibility.TEAM))


def goal_progress(goals, *, viewer, window=ACTIVITY_WINDOW, brief=()):
    """{goal id: Progress} as `viewer` sees it (None: as its whole audience does), for goals with `owner` and
    `team` loaded, also set as `goal.progress`.

    At most two queries, whatever the number of goals: wins per goal and day (all of a count goal's, an
    activity goal's from `window` ago) among the wins that count for the viewer, and the least and greatest
    value logged for each measure goal. Activity goals whose ids are in `brief` read their current period
    only: enough for their progress, not for their streak. An achieved goal reads nothing: it is full.
    """
    goals = list(goals)
    if not goals:
        return {}
    todays = {g.pk: today_of(g) for g in goals}
    open_goals = [g for g in goals if g.status != Goal.Status.ACHIEVED]
    reads = {}  # activity goal: the first day its wins are read
    for g in open_goals:
        if g.kind == Goal.Kind.ACTIVITY:
            today = todays[g.pk]
            reads[g.pk] = period_start(today, g.period or "week", week_start_of(g)) if g.pk in brief else today - window
    reads_wins = [Q(goal_id__in=[g.pk for g in open_goals if g.kind == Goal.Kind.COUNT])]
    for ids in ({pk for pk in reads if pk in brief}, {pk for pk in reads if pk not in brief}):
        if ids:  # from the earliest first day of the group: progress_of judges each goal from its own
            reads_wins.append(Q(goal_id__in=ids, day__gte=min(reads[pk] for pk in ids)))
    per_day = {}
    if reads or any(g.kind == Goal.Kind.COUNT for g in open_goals):
        wins = counted_wins(viewer).filter(functools.reduce(operator.or_, reads_wins))
        for goal_id, day, n in wins.order_by().values_list("goal_id", "day").annotate(n=Count("id")):
            per_day.setdefault(goal_id, {})[day] = n
    measured = {}
    if measures := [g.pk for g in open_goals if g.kind == Goal.Kind.MEASURE]:
        rows = Measurement.objects.filter(goal__in=measures).values_list("goal").annotate(Min("value"), Max("value"))
        measured = {goal_id: (low, high) for goal_id, low, high in rows.order_by()}
    result = {
        g.pk: progress_of(g, per_day.get(g.pk, {}), reads.get(g.pk), todays[g.pk], measured.get(g.pk, (None, None)))
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


def progress_of(goal, per_day, read_from=None, today=None, measured=(None, None)):
    """One goal's progress from the wins per day goal_progress fetched (an activity goal's from `read_from`), or
    the (least, greatest) value logged for a measure goal; an achieved goal is full, whatever came since.
    """
    if goal.status == Goal.Status.ACHIEVED:
        when = goal.achieved_at and goal.achieved_at.astimezone((goal.team or goal.owner).zone)
        return progress.Progress(1.0, f"Achieved {when:%-d %b %Y}" if when else "Achieved", reached=True)
    match goal.kind:
        case Goal.Kind.COUNT:
            result = progress.count(sum(per_day.values()), goal.target)
        case Goal.Kind.ACTIVITY:
            today = today or today_of(goal)
            result = progress.activity(
                per_day,
                goal.target,
                goal.period or "week",
                today,
                week_start_of(goal),
                goal_since(goal),
                read_from=read_from or today - ACTIVITY_WINDOW,
            )
        case Goal.Kind.MEASURE:
            best = measured[0] if goal.direction == Goal.Direction.DOWN else measured[1]
            result = progress.measure(best, goal.baseline, goal.target, goal.direction, goal.unit)
        case _:
            result = progress.milestone(False)
    return result


def today_of(goal):
    """A team goal lives in the team's days, a personal goal in its owner's."""
    return goal.team.local_today() if goal.team_id else goal.owner.local_today()


def week_start_of(goal):
    """The weekday a goal's weeks start on: its team's, or its owner's."""
    return goal.team.week_start if goal.team_id else goal.owner.week_start


def goal_since(goal):
    """The local date a goal was set, in the days it lives in."""
    return goal.created_at.astimezone((goal.team or goal.owner).zone).date()


def goal_tree(person, statuses=(Goal.Status.ACTIVE, Goal.Status.ACHIEVED)):
    """My goals and my teams' goals as macro goals with `micro_goals` and `progress` (at most two queries)."""
    goals = list(
        Goal.objects.mine(person)
        .filter(status__in=statuses)
        .select_related("owner", "team", "shared_with")
        .order_by("created_at", "id")
    )
    by_parent = {}
    for goal in goals:
        by_parent.setdefault(goal.parent_id, []).append(goal)
    known = {g.pk for g in goals}
    roots = [g for g in goals if g.parent_id is None or g.parent_id not in known]
    for goal in goals:
        goal.micro_goals = by_parent.get(goal.pk, [])
    goal_progress(goals, viewer=person)
    return roots
