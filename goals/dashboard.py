"""Reads for the team dashboard: a fixed number of set-based queries, whatever the team size or history.

Each member row comes from the membership and the standing wins.totals keeps on it (last mark, spark,
recent days); the team's goals and the members' macro goals take two queries, the blockers and the
team's day totals one each. Momentum and streak come from wins.scoring, like everywhere else.
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from django import forms
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from teams.models import Membership, Person, active_weekdays
from teams.queries import open_blockers
from wins import scoring
from wins.heatmap import heatmap
from wins.models import DayTotal, TeamDayTotal

from .models import Goal
from .progress import period_start
from .queries import goal_progress

# What a row needs of a member (the rest stays deferred), in the model's order: Person.from_db takes the
# values in that order, the way Django builds a row it read.
PERSON_FIELDS = [
    f.attname
    for f in Person._meta.concrete_fields
    if f.attname in {"id", "display_name", "time_zone", "week_start", "active_days"}
]
QUIET_DAYS = 3
# Ranges starting up to this long before today (the last 30 days) are summed from the standings' recent
# days; wins.totals.RECENT_DAYS keeps a few more, for members whose day runs ahead of the team's.
STORED_REACH = timedelta(days=29)
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
    """A dashboard row: numbers and labels ready for the table, and the member (a Person with PERSON_FIELDS)."""

    person: Person  # with PERSON_FIELDS only
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
    spark_points: str
    goals: list = field(default_factory=list)
    blockers: list = field(default_factory=list)

    @property
    def is_quiet(self):
        return self.quiet_days >= QUIET_DAYS


def spark_points(scores):
    """A sparkline's scores (0–100) as SVG polyline points on a 290×100 box, 10 units a day."""
    return " ".join([f"{i * 10},{100 - score}" for i, score in enumerate(scores)])


def last_label(last_day, today):
    if not last_day:
        return "No wins yet"
    days = (today - last_day).days
    return "Today" if days == 0 else "Yesterday" if days == 1 else f"{days} days ago"


# A member row of the dashboard table. Rendered in Python like the heatmap: fifty rows of a dozen cells
# through the template engine took a sixth of the page's time. Only the name is user text (escaped).
ROW = (
    '<tr{quiet_class}><th scope="row" data-label="Member"><a href="{url}">{name}</a>{lead_badge}{quiet_badge}</th>'
    '<td data-label="Today">{r.today}</td>'
    '<td data-label="This week">{r.week}</td>'
    '<td data-label="Points">{r.points}</td>'
    '<td data-label="Streak">{r.streak}{fire}</td>'
    '<td data-label="Momentum" class="momentum"><svg class="spark" viewBox="0 0 290 100" width="60" height="20" '
    'preserveAspectRatio="none" role="img" aria-label="Momentum over 30 days, now {r.momentum}">'
    '<polyline points="{r.spark_points}"/></svg> <span>{r.momentum}</span></td>'
    '<td data-label="Goals">{goals}</td>'
    "{blockers}"
    '<td data-label="Last win">{r.last_label}</td>'
    "{range}</tr>"
)
LEAD_BADGE = ' <span class="badge">Lead</span>'
QUIET_BADGE = ' <span class="badge warn" title="No wins for {} active days">💤 quiet</span>'
GOALS_CELL = (
    '<progress max="100" value="{1}" aria-label="{0} goal{2}, {1}% on average"></progress> <small>{0} · {1}%</small>'
)
BLOCKERS_CELL = '<td data-label="Blockers">{}</td>'
RANGE_CELL = '<td data-label="{}">{} · {} pts</td>'
NONE = '<small class="muted">—</small>'


def rows_html(rows, *, is_lead, person_base, range_label=None):
    """The table's rows: `is_lead` adds the quiet flags and a blockers column, `range_label` a column for the range."""
    html = []
    for r in rows:
        quiet = is_lead and r.is_quiet
        goals = len(r.goals)
        percent = round(sum(g.progress.percent for g in r.goals) / goals) if goals else 0
        html.append(
            ROW.format(
                r=r,
                url=f"{person_base}{r.code}/",
                name=escape(r.person.display_name),
                quiet_class=' class="quiet"' if quiet else "",
                lead_badge=LEAD_BADGE if r.is_lead else "",
                quiet_badge=QUIET_BADGE.format(r.quiet_days) if quiet else "",
                fire=" 🔥" if r.streak else "",
                goals=GOALS_CELL.format(goals, percent, "" if goals == 1 else "s") if goals else NONE,
                blockers=BLOCKERS_CELL.format(
                    f'<span class="badge warn">{len(r.blockers)} open</span>' if r.blockers else NONE
                )
                if is_lead
                else "",
                range=RANGE_CELL.format(range_label, r.range_wins, r.range_points) if range_label else "",
            )
        )
    return mark_safe("\n".join(html))


def member_rows(team, today, week, chosen):
    """One row per member: today, this week, points, the chosen range, streak, momentum, sparkline, last win.

    One query whatever the history: the members with their standings (last mark, spark and recent days);
    a range older than STORED_REACH adds one for its sums. Plain values: a row is built fifty times.
    """
    members = [
        (code, role, joined_at, standing and standing_parts(standing), Person.from_db(None, PERSON_FIELDS, person))
        for code, role, joined_at, standing, *person in team.memberships.order_by("person__display_name").values_list(
            "code", "role", "joined_at", "standing", *(f"person__{name}" for name in PERSON_FIELDS)
        )
    ]
    standings = {person.pk: standing for *_, standing, person in members if standing}
    if min(chosen[0], week[0]) >= today - STORED_REACH:
        sums = sums_from_standings(standings, today, week, chosen)
    else:
        sums = sums_from_day_totals(team, today, week, chosen)
    now = timezone.now()
    local_today = cache(lambda time_zone: now.astimezone(zoneinfo.ZoneInfo(time_zone)).date())
    weekdays = cache(active_weekdays)
    rows = []
    for code, role, joined_at, standing, person in members:
        # Streak, momentum and quiet days follow the member's own days; the totals follow the team's.
        own_today, active = local_today(person.time_zone), weekdays(person.active_days)
        last, spark, _, _ = standing or (None,) * 4
        if last and last.day > own_today:  # a back-dated clock: judge by the stored day
            own_today = last.day
        now_standing = scoring.standing(last, own_today, active)
        since = last.day if last else joined_at.date() - timedelta(days=1)
        today_wins, week_wins, week_points, range_wins, range_points = sums.get(person.pk, (0,) * 5)
        rows.append(
            MemberRow(
                person=person,
                code=code,
                is_lead=role == Membership.Role.LEAD,
                today=today_wins,
                week=week_wins,
                points=week_points,
                range_wins=range_wins,
                range_points=range_points,
                streak=now_standing.streak,
                momentum=now_standing.score,
                last_day=last.day if last else None,
                last_label=last_label(last and last.day, own_today),
                quiet_days=scoring.counted_between(since, own_today, active) if since < own_today else 0,
                spark_points=spark_points(
                    scoring.spark_until(spark, last, own_today, active) if last else [0] * scoring.SPARK_DAYS
                ),
            )
        )
    return rows


def standing_parts(standing):
    """(last mark, spark, wins, points) of a Membership.standing (see wins.totals.standing_of)."""
    last = scoring.Mark(date.fromisoformat(standing["day"]), standing["value"], standing["run"])
    return last, standing["spark"], standing["wins"], standing["points"]


def sums_from_standings(standings, today, week, chosen):
    """{person id: (wins today, wins and points this week, wins and points in the chosen range)}, from the
    recent days the standings keep: enough for ranges within STORED_REACH of today, without another query.
    """

    def total(values, last_day, start, end):  # values: one a day, ending on last_day
        first = last_day - timedelta(days=len(values) - 1)
        return sum(values[max((start - first).days, 0) : max((end - first).days + 1, 0)])

    return {
        person_id: (
            total(wins, last.day, today, today),
            total(wins, last.day, *week),
            total(points, last.day, *week),
            total(wins, last.day, *chosen),
            total(points, last.day, *chosen),
        )
        for person_id, (last, _, wins, points) in standings.items()
    }


def sums_from_day_totals(team, today, week, chosen):
    """The same sums as sums_from_standings, for any range, from the day totals (one more query)."""
    span = Q(day__gte=chosen[0], day__lte=chosen[1])
    this_week = Q(day__gte=week[0], day__lte=week[1])
    return {
        row[0]: tuple(v or 0 for v in row[1:])
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


def team_days(team, since, points_since):
    """{day: (wins, points)} of the team's days from `since` (points from `points_since`; days without wins
    left out): from the recent days the team keeps when they reach back far enough, else from its day totals.
    """
    recent = team.recent
    if recent is None:  # no win yet
        return {}
    last = date.fromisoformat(recent["day"])
    wins, points = recent["wins"], recent["points"]
    first, points_first = last - timedelta(days=len(wins) - 1), last - timedelta(days=len(points) - 1)
    if since < first or points_since < points_first:  # an older custom range: one more query
        return {
            day: (n, p)
            for day, n, p in TeamDayTotal.objects.filter(team=team, day__gte=since).values_list("day", "wins", "points")
        }
    older = len(wins) - len(points)  # days kept without their points
    return {first + timedelta(days=i): (n, points[i - older] if i >= older else 0) for i, n in enumerate(wins) if n}


def dashboard(team, membership, chosen_range, sort, descending, live=False):
    """Everything the dashboard shows; the live part (totals, rows, blockers) alone when `live`."""
    today = team.local_today()
    week, _ = date_range("week", today, team.week_start)
    chosen, previous = chosen_range
    rows = member_rows(team, today, week, chosen)
    members = {r.person.pk: r for r in rows}
    shared = Q(owner__in=list(members), parent=None, shared_with=team)  # the macro goals members share with the team
    goals = list(Goal.objects.filter(Q(team=team) | shared, status=Goal.Status.ACTIVE).order_by("created_at", "id"))
    for goal in goals:  # their team and owners are loaded already
        if goal.team_id:
            goal.team = team
        else:
            goal.owner = members[goal.owner_id].person
    # The rows show a member's goals as progress alone; only the team's goals show their streaks.
    goal_progress(
        goals, viewer=membership.person, window=DASHBOARD_ACTIVITY_WINDOW, brief={g.pk for g in goals if not g.team_id}
    )
    team_goals = [g for g in goals if g.team_id]
    for goal in goals:
        if goal.owner_id in members:
            members[goal.owner_id].goals.append(goal)
    blockers = open_blockers(membership, {pk: row.person for pk, row in members.items()})
    for blocker in blockers:
        if blocker.raised_by_id in members:
            members[blocker.raised_by_id].blockers.append(blocker)
    per_day = team_days(team, min(today - timedelta(weeks=53), previous[0]), previous[0])
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
