"""Reads for the team dashboard and the person page: a fixed number of set-based queries, whatever the team size.

Per member it reads precomputed day totals (wins.totals): a handful of indexed subqueries on one
membership query, and the marks of the last 30 days for the sparklines. Momentum and streak come
from wins.scoring, like everywhere else.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from django import forms
from django.db.models import Q, Sum

from teams.queries import open_blockers
from wins import scoring
from wins.heatmap import heatmap
from wins.models import DayTotal, Standing, TeamDayTotal

from .models import Goal
from .progress import period_start
from .queries import goal_progress

GOAL_FIELDS = [f.name for f in Goal._meta.concrete_fields]
# What a member row needs of a membership and its person.
MEMBER_FIELDS = [
    "role",
    "code",
    "joined_at",
    "team_id",
    "person__display_name",
    "person__time_zone",
    "person__active_days",
    "person__email",
    "person__week_start",
]
QUIET_DAYS = 3
DASHBOARD_ACTIVITY_WINDOW = timedelta(weeks=12)
RANGES = {"week": "This week", "last-week": "Last week", "30d": "Last 30 days", "custom": "Custom"}
SORTS = {
    "name": "Name",
    "today": "Today",
    "week": "This week",
    "points": "Points",
    "streak": "Streak",
    "momentum": "Momentum",
    "last": "Last win",
}


class RangeForm(forms.Form):
    """The dashboard's range and sort, from the URL: bad values fall back to this week, by name."""

    range = forms.ChoiceField(choices=RANGES.items(), required=False)
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(choices=SORTS.items(), required=False)
    desc = forms.BooleanField(required=False)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if data.get("range") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                self.add_error("start", "Choose both dates of the range.")
            elif start > end:
                self.add_error("end", "The end comes before the start.")
            elif end > self.today or start < self.today - timedelta(days=365):
                self.add_error("start", "Choose dates within the last year.")
        return data


def date_range(choice, today, week_start, start=None, end=None):
    """(start, end) of the chosen range, and of the one before it (the same number of days)."""
    this_week = period_start(today, "week", week_start)
    if choice == "last-week":
        start, end = this_week - timedelta(days=7), this_week - timedelta(days=1)
    elif choice == "30d":
        start, end = today - timedelta(days=29), today
    elif choice == "custom" and start and end:
        pass
    else:
        start, end = this_week, today
    length = (end - start).days + 1
    return (start, end), (start - timedelta(days=length), start - timedelta(days=1))


@dataclass
class MemberRow:
    membership: object
    today: int
    week: int
    points: int
    range_wins: int
    range_points: int
    streak: int
    momentum: int
    last_day: date | None
    quiet_days: int
    today_date: date
    spark: list[int] = field(default_factory=list)
    goals: list = field(default_factory=list)
    blockers: list = field(default_factory=list)

    @property
    def person(self):
        return self.membership.person

    @property
    def is_quiet(self):
        return self.quiet_days >= QUIET_DAYS

    @cached_property
    def spark_points(self):
        """The sparkline as SVG polyline points on a 60×20 box."""
        step = 60 / max(len(self.spark) - 1, 1)
        return " ".join(f"{i * step:.1f},{20 - value / 5:.1f}" for i, value in enumerate(self.spark))

    @property
    def last_label(self):
        if not self.last_day:
            return "No wins yet"
        days = (self.today_date - self.last_day).days
        return "Today" if days == 0 else "Yesterday" if days == 1 else f"{days} days ago"

    @cached_property
    def goals_percent(self):
        active = [g.progress.percent for g in self.goals]
        return round(sum(active) / len(active)) if active else None

    @property
    def goals_label(self):
        n = len(self.goals)
        return f"{n} goal{'' if n == 1 else 's'}, {self.goals_percent}% on average"

    @property
    def goals_short(self):
        return f"{len(self.goals)} · {self.goals_percent}%"


def member_rows(team, today, week, chosen):
    """One row per member: today, this week, points, the chosen range, streak, momentum, sparkline, last win.

    Three flat queries whatever the history: the members, their standings (last mark and spark), and
    their sums over the days the columns need.
    """
    memberships = list(team.memberships.select_related("person").only(*MEMBER_FIELDS))
    standings = {
        person_id: (scoring.Mark(day, value, run), spark)
        for person_id, day, value, run, spark in Standing.objects.filter(team=team).values_list(
            "person_id", "day", "value", "run", "spark"
        )
    }
    span = Q(day__gte=chosen[0], day__lte=chosen[1])
    this_week = Q(day__gte=week[0], day__lte=week[1])
    sums = {
        row[0]: row[1:]
        for row in DayTotal.objects.filter(team=team, day__gte=min(chosen[0], week[0]), day__lte=today)
        .order_by()
        .values_list("person_id")
        .annotate(
            today_wins=Sum("wins", filter=Q(day=today)),
            week_wins=Sum("wins", filter=this_week),
            week_points=Sum("points", filter=this_week),
            range_wins=Sum("wins", filter=span),
            range_points=Sum("points", filter=span),
        )
    }
    rows = []
    for m in memberships:
        person = m.person
        # Streak, momentum and quiet days follow the member's own days; the totals follow the team's.
        own_today = person.local_today()
        active = person.active_weekdays
        last, spark = standings.get(person.pk, (None, None))
        if last and last.day > own_today:  # a back-dated clock: judge by the stored day
            own_today = last.day
        now = scoring.standing(last, own_today, active)
        since = last.day if last else m.joined_at.date() - timedelta(days=1)
        today_wins, week_wins, week_points, range_wins, range_points = (v or 0 for v in sums.get(person.pk, [0] * 5))
        rows.append(
            MemberRow(
                membership=m,
                today=today_wins,
                week=week_wins,
                points=week_points,
                range_wins=range_wins,
                range_points=range_points,
                streak=now.streak,
                momentum=now.score,
                last_day=last.day if last else None,
                quiet_days=scoring.counted_between(since, own_today, active) if since < own_today else 0,
                today_date=own_today,
                spark=scoring.spark_until(spark, last.day, own_today, active) if last else [0] * scoring.SPARK_DAYS,
            )
        )
    return rows


def sort_rows(rows, key, descending):
    keys = {
        "name": lambda r: r.person.display_name.lower(),
        "today": lambda r: r.today,
        "week": lambda r: r.week,
        "points": lambda r: r.points,
        "streak": lambda r: r.streak,
        "momentum": lambda r: r.momentum,
        "last": lambda r: r.last_day or date.min,
    }
    return sorted(rows, key=keys.get(key, keys["name"]), reverse=descending)


def team_totals(per_day, chosen, previous):
    """Wins and points of the chosen range and of the one before, from the team's day totals."""

    def add(span):
        wins = points = 0
        for day, (n, p) in per_day.items():
            if span[0] <= day <= span[1]:
                wins, points = wins + n, points + p
        return {"wins": wins, "points": points}

    now, before = add(chosen), add(previous)
    return {"now": now, "before": before, "change": now["wins"] - before["wins"]}


def dashboard(team, membership, chosen_range, sort, descending, live=False):
    """Everything the dashboard shows; the live part (totals, rows, blockers) alone when `live`."""
    today = team.local_today()
    week, _ = date_range("week", today, team.week_start)
    chosen, previous = chosen_range
    rows = member_rows(team, today, week, chosen)
    members = {r.person.pk: r for r in rows}
    goals = list(
        Goal.objects.filter(Q(team=team) | Q(owner__in=list(members), parent=None), status=Goal.Status.ACTIVE)
        .only(*GOAL_FIELDS)
        .order_by("created_at", "id")
    )
    for goal in goals:  # their owners and team are loaded already
        if goal.team_id:
            goal.team = team
        else:
            goal.owner = members[goal.owner_id].person
    goal_progress(goals, window=DASHBOARD_ACTIVITY_WINDOW)
    team_goals = [g for g in goals if g.team_id]
    for goal in goals:
        if goal.owner_id in members:
            members[goal.owner_id].goals.append(goal)
    blockers = open_blockers(membership)
    for blocker in blockers:
        if blocker.raised_by_id in members:
            members[blocker.raised_by_id].blockers.append(blocker)
    since = today - timedelta(weeks=53)
    per_day = {
        day: (n, p)
        for day, n, p in TeamDayTotal.objects.filter(team=team, day__gte=min(since, previous[0])).values_list(
            "day", "wins", "points"
        )
    }
    context = {
        "today": today,
        "rows": sort_rows(rows, sort, descending),
        "totals": team_totals(per_day, chosen, previous),
        "momentum": scoring.team_momentum(r.momentum for r in rows),
        "blockers": blockers,
        "team_goals": team_goals,
        "quiet": [r for r in rows if r.is_quiet],
    }
    if not live:
        context["heatmap"] = heatmap({d: n for d, (n, _) in per_day.items()}, today, label="Team wins per day")
    return context
