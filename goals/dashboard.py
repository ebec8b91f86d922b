"""Reads for the team dashboard: a fixed number of set-based queries, whatever the team's size or history.

Every figure comes from the team's rollup (wins.DayTotal: each member's shared wins, points and momentum mark
per day). The member rows read its last WINDOW days; members quiet for longer, and a custom range older than
that, take one more query each. Momentum and streak come from wins.scoring, as everywhere: here it is
"momentum in <team>", over the wins shared with the team. A team's momentum is its members' mean.
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.db.models import F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from teams.models import Membership, active_weekdays
from wins import scoring
from wins.models import DayTotal

from .models import Goal
from .progress import period_start
from .queries import goal_progress

QUIET_DAYS = 3
# Days of rollup the rows read: this week, last week and the last 30 days, and the sparkline's 30 days for
# members whose local day runs ahead of the team's.
WINDOW = 36
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


@dataclass(slots=True)
class MemberRow:
    """A dashboard row: a member's figures in the team, ready for the table."""

    person_id: int
    name: str
    code: str
    is_lead: bool
    today: int
    week: int
    points: int
    range_wins: int
    range_points: int
    streak: int
    momentum: int
    last_day: date | None
    last_label: str
    quiet_days: int
    spark: list
    goals: list = field(default_factory=list)
    blockers: list = field(default_factory=list)

    @property
    def is_quiet(self):
        return self.quiet_days >= QUIET_DAYS

    @property
    def spark_points(self):
        """The sparkline's scores (0–100) as SVG polyline points on a 290×100 box, 10 units a day."""
        return " ".join([f"{i * 10},{100 - score}" for i, score in enumerate(self.spark)])

    @property
    def goals_percent(self):
        return round(sum(g.progress.percent for g in self.goals) / len(self.goals)) if self.goals else 0


def up_to_now(span, today):
    """A range that runs to today runs on to any day after it: a member whose day is ahead of the team's
    (London past midnight, the team on UTC) has wins dated after the team's today, and they count."""
    return (span[0], date.max) if span[1] >= today else span


def member_rows(team, today, week, chosen):
    """One row per member: wins on their own today, this week and in the chosen range, points, streak,
    momentum and its sparkline, last win, quiet days. Two queries whatever the history: the members, and the
    rollup's last WINDOW days; members quiet for longer, and an older custom range, add one each.
    """
    week, chosen = up_to_now(week, today), up_to_now(chosen, today)
    members = team.memberships.order_by("person__display_name").values_list(
        "person_id", "person__display_name", "code", "role", "joined_at", "person__time_zone", "person__active_days"
    )
    start = today - timedelta(days=WINDOW)
    days = {}  # person id: [(day, wins, points, value, run)], in day order
    rollup = DayTotal.objects.filter(team=team, day__gte=start).order_by("person_id", "day")
    for person_id, *row in rollup.values_list("person_id", "day", "wins", "points", "value", "run"):
        days.setdefault(person_id, []).append(row)
    older = last_marks(team, [m[0] for m in members if m[0] not in days])
    in_window = chosen[0] >= start
    sums = {} if in_window else range_sums(team, chosen)
    now = timezone.now()
    rows = []
    for person_id, name, code, role, joined_at, time_zone, active_days in members:
        # Streak, momentum and quiet days follow the member's own days; the sums follow the team's.
        zone = zoneinfo.ZoneInfo(time_zone)
        own_today, active = now.astimezone(zone).date(), active_weekdays(active_days)
        mine = days.get(person_id, [])
        last = scoring.Mark(mine[-1][0], mine[-1][3], mine[-1][4]) if mine else older.get(person_id)
        if last and last.day > own_today:  # a clock that runs behind the day stored: judge by the stored day
            own_today = last.day
        standing = scoring.standing(last, own_today, active)
        since = last.day if last else joined_at.astimezone(zone).date() - timedelta(days=1)

        def total(first, end, column, mine=mine):
            return sum(row[column] for row in mine if first <= row[0] <= end)

        range_wins, range_points = (total(*chosen, 1), total(*chosen, 2)) if in_window else sums.get(person_id, (0, 0))
        rows.append(
            MemberRow(
                person_id=person_id,
                name=name,
                code=code,
                is_lead=role == Membership.Role.LEAD,
                today=total(own_today, own_today, 1),
                week=total(*week, 1),
                points=total(*week, 2),
                range_wins=range_wins,
                range_points=range_points,
                streak=standing.streak,
                momentum=standing.score,
                last_day=last.day if last else None,
                last_label=last_label(last and last.day, own_today),
                quiet_days=scoring.counted_between(since, own_today, active) if since < own_today else 0,
                spark=spark(mine, last, start, own_today, active),
            )
        )
    return rows


def last_label(last_day, today):
    if not last_day:
        return "No wins yet"
    days = (today - last_day).days
    return "Today" if days == 0 else "Yesterday" if days == 1 else f"{days} days ago"


def spark(rows, last, start, today, active):
    """Momentum scores of the SPARK_DAYS days up to `today`, from the member's rollup rows since `start`
    (their first one tells the value before it), or from their last mark if they have none since."""
    if rows:
        first = scoring.Mark(rows[0][0], rows[0][3], rows[0][4])
        value = scoring.value_before(first, start - timedelta(days=1), active)
    else:
        value = scoring.standing(last, start, active).value if last else 0.0
    days = [start + timedelta(days=n) for n in range((today - start).days + 1)]
    values = scoring.day_values({row[0]: row[3] for row in rows}, value, days, active, today=today)
    return [scoring.score_of(v) for v in values[-scoring.SPARK_DAYS :]]


def last_marks(team, person_ids):
    """{person id: Mark} of each person's last day with a shared win in the team (one query; none for no one)."""
    if not person_ids:
        return {}
    newest_first = Window(RowNumber(), partition_by=[F("person_id")], order_by=F("day").desc())
    rows = DayTotal.objects.filter(team=team, person_id__in=person_ids).annotate(n=newest_first).filter(n=1)
    return {p: scoring.Mark(d, v, r) for p, d, v, r in rows.values_list("person_id", "day", "value", "run")}


def range_sums(team, span):
    """{person id: (wins, points)} in a range of days, from the rollup (one query)."""
    rows = DayTotal.objects.filter(team=team, day__range=span).order_by().values_list("person_id")
    return {p: (n, points) for p, n, points in rows.annotate(Sum("wins"), Sum("points"))}


def team_totals(team, today, chosen, previous):
    """The team's wins and points in the chosen range and in the one before: its members' rows summed."""
    chosen = up_to_now(chosen, today)
    now, before = Q(day__gte=chosen[0]), Q(day__lte=previous[1])
    sums = DayTotal.objects.filter(team=team, day__range=(previous[0], chosen[1])).aggregate(
        now_wins=Sum("wins", filter=now),
        now_points=Sum("points", filter=now),
        before_wins=Sum("wins", filter=before),
        before_points=Sum("points", filter=before),
    )
    sums = {k: v or 0 for k, v in sums.items()}
    return {
        "now": {"wins": sums["now_wins"], "points": sums["now_points"]},
        "before": {"wins": sums["before_wins"], "points": sums["before_points"]},
        "change": sums["now_wins"] - sums["before_wins"],
    }


def team_year(team, today, weeks=53):
    """{day: wins} of the team's last year (and of the day after today, for members ahead of the team), for its
    heatmap (one query)."""
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    rows = DayTotal.objects.filter(team=team, day__gte=first).order_by().values_list("day").annotate(Sum("wins"))
    return dict(rows)


def sort_rows(rows, key, descending):
    keys = {
        "name": lambda r: r.name.lower(),
        "today": lambda r: r.today,
        "week": lambda r: r.week,
        "points": lambda r: r.points,
        "streak": lambda r: r.streak,
        "momentum": lambda r: r.momentum,
        "last": lambda r: r.last_day or date.min,
    }
    return sorted(rows, key=keys.get(key, keys["name"]), reverse=descending)


def figures(team, membership, blockers, chosen_range, sort, descending):
    """The dashboard's figures, the part that refreshes itself: totals, team momentum, member rows with the goals
    they share with the team, the quiet members, the team's goals; `blockers` (the leads' open ones) badge the
    rows. Progress counts what the viewer may see."""
    today = team.local_today()
    week, _ = date_range("week", today, team.week_start)
    chosen, previous = chosen_range
    rows = member_rows(team, today, week, chosen)
    members = {r.person_id: r for r in rows}
    shared = Q(owner__in=list(members), parent=None, shared_with=team, status=Goal.Status.ACTIVE)
    teams = Q(team=team, status__in=[Goal.Status.ACTIVE, Goal.Status.ACHIEVED])  # achieved: the micro goals done
    goals = list(
        Goal.objects.filter(teams | shared)
        .with_measured_range()
        .select_related("owner", "team")
        .order_by("created_at", "id")
    )
    # The rows show a member's goals as progress alone: their activity goals read the current period only.
    brief = {g.pk for g in goals if not g.team_id}
    goal_progress(goals, viewer=membership.person, window=DASHBOARD_ACTIVITY_WINDOW, brief=brief)
    for goal in goals:
        if goal.owner_id:
            members[goal.owner_id].goals.append(goal)
    for blocker in blockers:
        if blocker.raised_by_id in members:
            members[blocker.raised_by_id].blockers.append(blocker)
    return {
        "today": today,
        "rows": sort_rows(rows, sort, descending),
        "totals": team_totals(team, today, chosen, previous),
        "momentum": scoring.team_momentum(r.momentum for r in rows),
        "open_blockers": len(blockers),
        "quiet": [r for r in rows if r.is_quiet],
        "team_goals": [g for g in goals if g.team_id and g.status == Goal.Status.ACTIVE],
    }
