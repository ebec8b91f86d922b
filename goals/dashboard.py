"""Reads for the team dashboard: a fixed number of set-based queries, whatever the team's size or history.

Every figure comes from the team's rollup (wins.DayTotal: each member's shared wins, points and momentum mark
per day). The rows and the totals read its last WINDOW days; members quiet for longer, and a range older than
that, take one more query each. Momentum and streak come from wins.scoring, as everywhere: here it is
"momentum in <team>", over the wins shared with the team. A team's momentum is its members' mean.
"""

import zoneinfo
from datetime import date, timedelta

from django import forms
from django.db.models import F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from teams.models import Membership, active_weekdays
from wins import scoring
from wins.models import DayTotal
from wins.queries import team_wins_page

from .models import Goal
from .progress import period_start
from .queries import goal_progress

QUIET_DAYS = 3
# Days of rollup the rows and totals read: this week and last week, the last 30 days, and the sparkline's 30
# days for a member whose local day is a day behind the team's (its first row tells the value before it).
WINDOW = 31
DASHBOARD_ACTIVITY_WINDOW = timedelta(weeks=12)
RANGES = {"week": "This week", "last-week": "Last week", "30d": "Last 30 days", "custom": "Custom"}
# The columns one can sort by; "wins" and "points" are the chosen range's, and "wins" is named after it.
SORTS = {
    "name": "Name",
    "today": "Today",
    "wins": "Wins",
    "points": "Points",
    "streak": "Streak",
    "momentum": "Momentum",
    "last": "Last win",
}
SORT_FIELDS = {"wins": "range_wins", "points": "range_points"}
# `desc`: "on" highest first, "off" lowest first; none, a figure's highest first and names A→Z.
ORDERS = {"on": "Highest first", "off": "Lowest first"}
# The ranges in words, after "Wins"; a custom range is said by its dates.
RANGE_PHRASES = {"week": "this week", "last-week": "last week", "30d": "in the last 30 days"}
WINS_PAGE = 10  # the dashboard's list of wins: a short page, then "More wins"


class RangeForm(forms.Form):
    """The dashboard's range and sort, from the URL: bad values fall back to this week, by name."""

    range = forms.ChoiceField(choices=RANGES.items(), required=False)
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(choices=SORTS.items(), required=False)
    desc = forms.ChoiceField(choices=ORDERS.items(), required=False)

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


def spark_points(scores):
    """A sparkline's scores (0–100) as SVG polyline points on a 290×100 box, 10 units a day."""
    return " ".join([f"{i * 10},{100 - score}" for i, score in enumerate(scores)])


def up_to_now(span, today):
    """A range that runs to today runs on to any day after it: a member whose day is ahead of the team's
    (London past midnight, the team on UTC) has wins dated after the team's today, and they count."""
    return (span[0], date.max) if span[1] >= today else span


def window_rows(team, start):
    """{person id: [rollup row (day, wins, points, value, run)]} of the team's rollup from `start` on, in day
    order, former members' too (one query)."""
    days = {}
    rollup = DayTotal.objects.filter(team=team, day__gte=start).order_by("person_id", "day")
    for row in rollup.values_list("person_id", "day", "wins", "points", "value", "run", named=True):
        days.setdefault(row.person_id, []).append(row)
    return days


def member_rows(team, days, start, today, week, chosen, sums=None, now=None):
    """One row per member, from the rollup's rows since `start` (`days`, see window_rows): wins on their own
    today, this week and in the chosen range, points, streak, momentum and its sparkline, last win, quiet days.
    One query for the members, and one more for members quiet since before `start`. The chosen range's sums
    come from `sums` when given (see range_sums: for ranges older than the rows), else from the rows.
    Rows are plain dicts: the template reads a dict's keys faster than an object's attributes.
    """
    week, chosen = up_to_now(week, today), up_to_now(chosen, today)
    members = team.memberships.order_by("person__display_name").values_list(
        "person_id", "person__display_name", "code", "role", "joined_at", "person__time_zone", "person__active_days"
    )
    older = last_marks(team, [m[0] for m in members if m[0] not in days])
    # The days since `start`, to two days after the team's today: time zones lie up to 26 hours apart.
    calendar = [start + timedelta(days=n) for n in range((today - start).days + 3)]
    now = now or timezone.now()
    rows = []
    for person_id, name, code, role, joined_at, time_zone, active_days in members:
        # Streak, momentum and quiet days follow the member's own days; the ranges are the team's.
        zone = zoneinfo.ZoneInfo(time_zone)
        own_today, active = now.astimezone(zone).date(), active_weekdays(active_days)
        mine = days.get(person_id, [])
        last = scoring.Mark(mine[-1].day, mine[-1].value, mine[-1].run) if mine else older.get(person_id)
        if last and last.day > own_today:  # a clock that runs behind the day stored: judge by the stored day
            own_today = last.day
        standing = scoring.standing(last, own_today, active)
        since = last.day if last else joined_at.astimezone(zone).date() - timedelta(days=1)
        quiet_days = scoring.counted_between(since, own_today, active) if since < own_today else 0
        row = {"person_id": person_id, "name": name, "code": code, "is_lead": role == Membership.Role.LEAD}
        row["url"] = reverse("goals:person", args=[team.slug, code])
        row |= {"today": 0, "week": 0, "points": 0, "range_wins": 0, "range_points": 0}
        for day in mine:
            if day.day == own_today:
                row["today"] += day.wins
            if week[0] <= day.day <= week[1]:
                row["week"], row["points"] = row["week"] + day.wins, row["points"] + day.points
            if sums is None and chosen[0] <= day.day <= chosen[1]:
                row["range_wins"], row["range_points"] = row["range_wins"] + day.wins, row["range_points"] + day.points
        if sums is not None:
            row["range_wins"], row["range_points"] = sums.get(person_id, (0, 0, 0, 0))[:2]
        scores = spark(mine, last, calendar[: (own_today - start).days + 1], active)
        rows.append(
            row
            | {
                "streak": standing.streak,
                "momentum": standing.score,
                "last_day": last.day if last else None,
                "last_label": last_label(last and last.day, own_today),
                "quiet_days": quiet_days,
                "is_quiet": quiet_days >= QUIET_DAYS,
                "spark": scores,
                "spark_points": spark_points(scores),
                "goals": [],
                "open_blockers": 0,
            }
        )
    return rows


def quiet_members(team, now=None):
    """The member rows of those quiet for QUIET_DAYS active days or more, as the dashboard flags them to leads."""
    today = team.local_today(now)
    start = today - timedelta(days=WINDOW)
    week, _ = date_range("week", today, team.week_start)
    rows = member_rows(team, window_rows(team, start), start, today, week, week, now=now)
    return [row for row in rows if row["is_quiet"]]


def last_label(last_day, today):
    if not last_day:
        return "No wins yet"
    days = (today - last_day).days
    return "Today" if days == 0 else "Yesterday" if days == 1 else f"{days} days ago"


def spark(rows, last, days, active):
    """Momentum scores of the SPARK_DAYS days up to the last of `days` (the member's today), from their rollup
    rows since the first (whose first one tells the value before it), or from their last mark if none since."""
    start = days[0]
    if rows:
        first = scoring.Mark(rows[0].day, rows[0].value, rows[0].run)
        value = scoring.value_before(first, start - timedelta(days=1), active)
    else:
        value = scoring.standing(last, start, active).value if last else 0.0
    values = scoring.day_values({row.day: row.value for row in rows}, value, days, active, today=days[-1])
    return [scoring.score_of(v) for v in values[-scoring.SPARK_DAYS :]]


def last_marks(team, person_ids):
    """{person id: Mark} of each person's last day with a shared win in the team (one query; none for no one)."""
    if not person_ids:
        return {}
    newest_first = Window(RowNumber(), partition_by=[F("person_id")], order_by=F("day").desc())
    rows = DayTotal.objects.filter(team=team, person_id__in=person_ids).annotate(n=newest_first).filter(n=1)
    return {p: scoring.Mark(d, v, r) for p, d, v, r in rows.values_list("person_id", "day", "value", "run")}


def range_sums(team, chosen, previous):
    """{person id: (wins, points, wins before, points before)} in the chosen range and in the one before it,
    from the rollup (one query): for ranges older than the rows read, the members' and the team's sums."""
    span, before = Q(day__range=chosen), Q(day__range=previous)
    rows = DayTotal.objects.filter(team=team, day__range=(previous[0], chosen[1])).order_by().values_list("person_id")
    rows = rows.annotate(
        wins_now=Sum("wins", filter=span),
        points_now=Sum("points", filter=span),
        wins_before=Sum("wins", filter=before),
        points_before=Sum("points", filter=before),
    )
    return {person_id: tuple(n or 0 for n in sums) for person_id, *sums in rows}


def team_totals(days, start, chosen, previous, sums=None):
    """The team's wins and points in the chosen range and in the one before: its members' (and former
    members') rows summed, from the rows since `start` (`days`, see window_rows), or from `sums` (see
    range_sums) for ranges older than them."""
    if sums is None:
        totals = [0, 0, 0, 0]
        for rows in days.values():
            for row in rows:
                if chosen[0] <= row.day <= chosen[1]:
                    totals[0], totals[1] = totals[0] + row.wins, totals[1] + row.points
                elif previous[0] <= row.day <= previous[1]:
                    totals[2], totals[3] = totals[2] + row.wins, totals[3] + row.points
    else:
        totals = [sum(person[i] for person in sums.values()) for i in range(4)]
    now, before = {"wins": totals[0], "points": totals[1]}, {"wins": totals[2], "points": totals[3]}
    return {"now": now, "before": before, "change": now["wins"] - before["wins"]}


def team_year(team, today, weeks=53):
    """{day: wins} of the team's last year (and of the day after today, for members ahead of the team), for its
    heatmap (one query)."""
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    rows = DayTotal.objects.filter(team=team, day__gte=first).order_by().values_list("day").annotate(Sum("wins"))
    return dict(rows)


def chosen_sort(data, runs_to_today):
    """(sort key, descending) from the range form's data: figures highest first unless asked otherwise, names
    A→Z. Today's column shows only in a range that runs to today; sorted by it elsewhere, the range's wins."""
    sort = data.get("sort") or "name"
    if sort == "today" and not runs_to_today:
        sort = "wins"
    desc = data.get("desc") or ("off" if sort == "name" else "on")
    return sort, desc == "on"


def sort_rows(rows, key, descending):
    """The member rows sorted by a column of the table; equal figures stay in name order, A→Z."""
    rows = sorted(rows, key=lambda r: r["name"].lower())
    if key == "name":
        return rows[::-1] if descending else rows
    if key == "last":
        return sorted(rows, key=lambda r: r["last_day"] or date.min, reverse=descending)
    field = SORT_FIELDS.get(key, key)
    return sorted(rows, key=lambda r: r[field], reverse=descending)  # a stable sort, reversed or not


def range_wins(team, viewer, chosen, today, page=1):
    """A page of the team's wins in the chosen range (one that runs to today runs on: members ahead), newest
    first, as the viewer may see them (shared with the team: never a private one), and whether there is more
    (one query). Each win's `day_label` is "Today" or "Yesterday" on the team's days (a member ahead of the
    team posts on their today, after the team's), else None: the template gives the date."""
    start, end = up_to_now(chosen, today)
    wins, has_more = team_wins_page(team, viewer, start, None if end == date.max else end, page, WINS_PAGE)
    for win in wins:
        win.day_label = {0: "Today", 1: "Yesterday"}.get(max((today - win.day).days, 0))
    return wins, has_more


def figures(team, membership, blockers, chosen_range, sort, descending):
    """The dashboard's figures, the part that refreshes itself: totals, team momentum, member rows with the goals
    they share with the team, the quiet members, the team's goals; `blockers` (the leads' open ones) badge the
    rows. Progress counts what the viewer may see."""
    today = team.local_today()
    week, _ = date_range("week", today, team.week_start)
    chosen, previous = chosen_range
    start = today - timedelta(days=WINDOW)
    days = window_rows(team, start)
    now_chosen = up_to_now(chosen, today)
    sums = range_sums(team, now_chosen, previous) if previous[0] < start else None  # reaching further: a query
    rows = member_rows(team, days, start, today, week, chosen, sums)
    members = {r["person_id"]: r for r in rows}
    members_goals = Q(shared_with=team, parent=None, status=Goal.Status.ACTIVE)  # leaving a team unshares
    team_goals = Q(team=team, status__in=[Goal.Status.ACTIVE, Goal.Status.ACHIEVED])  # achieved: micro goals done
    goals = list(Goal.objects.filter(team_goals | members_goals).select_related("owner").order_by("created_at", "id"))
    for goal in goals:
        goal.team = team if goal.team_id else None  # the team at hand: no second copy of it
    # The rows show a member's goals as progress alone: their activity goals read the current period only.
    brief = {g.pk for g in goals if not g.team_id}
    goal_progress(goals, viewer=membership.person, window=DASHBOARD_ACTIVITY_WINDOW, brief=brief)
    for goal in goals:
        if goal.owner_id in members:
            members[goal.owner_id]["goals"].append(goal)
    for blocker in blockers:
        if blocker.raised_by_id in members:
            members[blocker.raised_by_id]["open_blockers"] += 1
    for row in rows:  # what the row's cells say, worked out once: the template reads each value many times
        goals_shared, percent = row["goals"], 0
        if goals_shared:
            count = len(goals_shared)
            percent = round(sum(g.progress.percent for g in goals_shared) / count)
            row["goals_label"] = f"{count} goal{'' if count == 1 else 's'}, {percent}% on average"
            row["goals_text"] = f"{count} · {percent}%"
        row["goals_percent"] = percent
        row["spark_label"] = f"Momentum in {team.name} over 30 days, now {row['momentum']}"
        row["flagged"] = membership.is_lead and row["is_quiet"]  # quiet members are flagged to leads only
    return {
        "today": today,
        "rows": sort_rows(rows, sort, descending),
        "totals": team_totals(days, start, now_chosen, previous, sums),
        "momentum": scoring.team_momentum(r["momentum"] for r in rows),
        "open_blockers": len(blockers),
        "quiet": [r for r in rows if r["is_quiet"]],
        "team_goals": [g for g in goals if g.team_id and g.status == Goal.Status.ACTIVE],
    }
