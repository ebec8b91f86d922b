"""Reads for the team dashboard and the person page: a fixed number of set-based queries, whatever the team size.

Per member it reads precomputed day totals (wins.totals): a handful of indexed subqueries on one
membership query, and the marks of the last 30 days for the sparklines. Momentum and streak come
from wins.scoring, like everywhere else.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.db.models import OuterRef, Q, Subquery, Sum

from teams.models import Blocker
from wins import scoring
from wins.heatmap import heatmap
from wins.models import DayTotal, TeamDayTotal

from .models import Goal
from .progress import period_start
from .queries import goal_progress

# What the dashboard shows of a goal and needs for its progress (owner and team for their days).
GOAL_FIELDS = [
    *(f.name for f in Goal._meta.concrete_fields),
    "owner__time_zone",
    "owner__week_start",
    "team__name",
    "team__time_zone",
    "team__week_start",
]
SPARK_DAYS = 30
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


def _mark(team, column, before):
    """A subquery: a column of the member's last day total before a day."""
    return Subquery(
        DayTotal.objects.filter(team=team, person=OuterRef("person"), day__lt=before)
        .order_by("-day")
        .values(column)[:1]
    )


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

    @property
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

    @property
    def goals_percent(self):
        active = [g.progress.percent for g in self.goals]
        return round(sum(active) / len(active)) if active else None


def member_rows(team, today, week, chosen):
    """One row per member: today, this week, points, the chosen range, streak, momentum, sparkline, last win.

    Three queries: the members with the mark before the sparkline's window, the marks of the window
    (which also give today's and this week's numbers), and the chosen range's sums.
    """
    window_start = today - timedelta(days=SPARK_DAYS - 1)
    memberships = list(
        team.memberships.select_related("person").annotate(
            before_day=_mark(team, "day", window_start),
            before_value=_mark(team, "value", window_start),
            before_run=_mark(team, "run", window_start),
        )
    )
    marks, sums = {}, {}
    for person_id, day, wins, points, value, run in (
        # A day past the team's: a member east of the team may already have posted tomorrow's (their today's) win.
        DayTotal.objects.filter(team=team, day__gte=min(window_start, week[0]), day__lte=today + timedelta(days=1))
        .order_by("person_id", "day")
        .values_list("person_id", "day", "wins", "points", "value", "run")
    ):
        if day >= window_start:
            marks.setdefault(person_id, []).append(scoring.Mark(day, value, run))
        if day > today:
            continue
        mine = sums.setdefault(person_id, [0, 0, 0])
        if day == today:
            mine[0] += wins
        if week[0] <= day <= week[1]:
            mine[1], mine[2] = mine[1] + wins, mine[2] + points
    in_range = {
        person_id: (wins, points)
        for person_id, wins, points in DayTotal.objects.filter(team=team, day__gte=chosen[0], day__lte=chosen[1])
        .order_by()
        .values_list("person_id")
        .annotate(wins=Sum("wins"), points=Sum("points"))
    }
    days = [window_start + timedelta(days=n) for n in range(SPARK_DAYS)]
    rows = []
    for m in memberships:
        person = m.person
        before = scoring.Mark(m.before_day, m.before_value, m.before_run) if m.before_day else None
        # Streak, momentum and quiet days follow the member's own days; the totals follow the team's.
        own_today = person.local_today()
        mine = [mark for mark in marks.get(person.pk, []) if mark.day <= own_today]
        active = person.active_weekdays
        last = mine[-1] if mine else before
        now = scoring.standing(last, own_today, active)
        since = last.day if last else m.joined_at.date() - timedelta(days=1)
        today_wins, week_wins, week_points = sums.get(person.pk, (0, 0, 0))
        range_wins, range_points = in_range.get(person.pk, (0, 0))
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
                spark=scoring.sparkline([mark for mark in mine if mark.day <= today], before, days, active),
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
        .select_related("owner", "team")
        .only(*GOAL_FIELDS)
        .order_by("created_at", "id")
    )
    goal_progress(goals, window=DASHBOARD_ACTIVITY_WINDOW)
    team_goals = [g for g in goals if g.team_id]
    for goal in goals:
        if goal.owner_id in members:
            members[goal.owner_id].goals.append(goal)
    blockers = []
    if membership.is_lead:
        blockers = list(team.blockers.filter(status=Blocker.Status.OPEN).select_related("raised_by"))
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
