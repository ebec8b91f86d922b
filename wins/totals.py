"""Precomputed daily totals of shared wins, kept equal to a fresh count.

Every write to a win calls `refresh` for the (team, person, days) it touched: the day rows are
recounted from the wins themselves, and the momentum/streak marks are refolded from the earliest
touched day (wins.scoring.fold), so back-dated and deleted wins come out right.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Sum

from teams.models import Membership, Person, Team

from . import scoring
from .models import DayTotal, TeamDayTotal, Win


def shared_wins(team_id, person_id=None):
    wins = Win.objects.alive().filter(team_id=team_id, visibility=Win.Visibility.TEAM)
    return wins.filter(author_id=person_id) if person_id else wins


@transaction.atomic
def refresh(*, team_id, person, days):
    """Recount a person's shared wins in a team on `days`, and re-mark their days from the earliest."""
    days = set(days)
    if team_id is None or not days:
        return
    # One refresh per person, then per team, at a time: the team's day totals sum everyone's rows.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    Team.objects.select_for_update().filter(pk=team_id).first()
    counts = {
        day: (n, points or 0)
        for day, n, points in shared_wins(team_id, person.pk)
        .filter(day__in=days)
        .order_by()
        .values_list("day")
        .annotate(n=Count("id"), points=Sum("points"))
    }
    DayTotal.objects.filter(team_id=team_id, person=person, day__in=days - counts.keys()).delete()
    for day, (n, points) in counts.items():
        DayTotal.objects.update_or_create(
            team_id=team_id,
            person=person,
            day=day,
            defaults={"wins": n, "points": points},
            create_defaults={"wins": n, "points": points, "value": 0, "run": 0},
        )
    remark(team_id=team_id, person=person, since=min(days))
    for day in days:
        total = DayTotal.objects.filter(team_id=team_id, day=day).aggregate(n=Sum("wins"), points=Sum("points"))
        if total["n"]:
            TeamDayTotal.objects.update_or_create(
                team_id=team_id, day=day, defaults={"wins": total["n"], "points": total["points"]}
            )
        else:
            TeamDayTotal.objects.filter(team_id=team_id, day=day).delete()
    save_team_recent(team_id)


def remark(*, team_id, person, since=None):
    """Refold the momentum/streak marks of a person's days in a team, from `since` (or the start)."""
    rows = DayTotal.objects.filter(team_id=team_id, person=person).order_by("day")
    before = rows.filter(day__lt=since).last() if since else None
    start = scoring.Mark(before.day, before.value, before.run) if before else None
    later = list(rows.filter(day__gte=since) if since else rows)
    for row, mark in zip(later, scoring.fold([r.day for r in later], person.active_weekdays, start), strict=True):
        row.value, row.run = mark.value, mark.run
    DayTotal.objects.bulk_update(later, ["value", "run"], batch_size=500)
    save_standing(team_id=team_id, person=person)


# Days of wins and points a standing keeps up to its day: the dashboard's longest range (30 days), and
# a few more for a member whose local day runs ahead of the team's.
RECENT_DAYS = 35


def standing_of(rows, active_weekdays):
    """A member's standing (Membership.standing) from their day totals in a team, in day order (the last
    RECENT_DAYS at least): the last mark, the momentum scores of the SPARK_DAYS days up to it (the spark),
    and the wins and points of each of the RECENT_DAYS days up to it. None without any day totals.
    """
    if not rows:
        return None
    last = rows[-1]
    days = [last.day - timedelta(days=n) for n in range(scoring.SPARK_DAYS - 1, -1, -1)]
    before = next((r for r in reversed(rows) if r.day < days[0]), None)
    start = (
        scoring.standing(scoring.Mark(before.day, before.value, before.run), days[0], active_weekdays).value
        if before
        else 0.0
    )
    in_window = {r.day: r.value for r in rows if r.day >= days[0]}
    spark = [scoring.score_of(v) for v in scoring.day_values(in_window, start, days, active_weekdays)]
    return {
        "day": last.day.isoformat(),
        "value": last.value,
        "run": last.run,
        "spark": spark,
        "wins": day_list(rows, "wins", last.day, RECENT_DAYS),
        "points": day_list(rows, "points", last.day, RECENT_DAYS),
    }


def day_list(rows, field, last_day, days):
    """The `field` of day rows (none after last_day) for each of the `days` days up to last_day, 0 without a row."""
    first = last_day - timedelta(days=days - 1)
    values = [0] * days
    for row in rows:
        if row.day >= first:
            values[(row.day - first).days] = getattr(row, field)
    return values


def save_standing(*, team_id, person):
    """Rewrite the person's standing in the team from their day totals (if they are a member)."""
    newest = DayTotal.objects.filter(team_id=team_id, person=person).order_by("-day")[: RECENT_DAYS + 1]
    standing = standing_of(list(newest)[::-1], person.active_weekdays)
    Membership.objects.filter(team_id=team_id, person=person).update(standing=standing)


# A team keeps its wins of each day of the last year (the heatmap's 53 weeks and a few days more) and the
# points of its last ten weeks (the dashboard's ranges and the ones before them) on its row.
TEAM_DAYS = 380
TEAM_POINT_DAYS = 70


def team_recent(rows):
    """A team's recent days (Team.recent) from its day totals, newest first: None without any."""
    if not rows:
        return None
    last = rows[0].day
    return {
        "day": last.isoformat(),
        "wins": day_list(rows, "wins", last, TEAM_DAYS),
        "points": day_list(rows, "points", last, TEAM_POINT_DAYS),
    }


def save_team_recent(team_id):
    """Rewrite the team's recent days from its day totals."""
    newest = TeamDayTotal.objects.filter(team_id=team_id).order_by("-day")[:TEAM_DAYS]
    Team.objects.filter(pk=team_id).update(recent=team_recent(list(newest)))


def remark_person(person):
    """After a change of active weekdays: refold the person's marks in every team."""
    for team_id in DayTotal.objects.filter(person=person).values_list("team_id", flat=True).distinct():
        remark(team_id=team_id, person=person)


@transaction.atomic
def rebuild(team):
    """Recount a whole team from its wins (after a bulk load): the same numbers `refresh` keeps."""
    DayTotal.objects.filter(team=team).delete()
    TeamDayTotal.objects.filter(team=team).delete()
    rows = (
        shared_wins(team.pk)
        .order_by()
        .values_list("author_id", "day")
        .annotate(n=Count("id"), points=Sum("points"))
        .order_by("author_id", "day")
    )
    by_person = {}
    for person_id, day, n, points in rows:
        by_person.setdefault(person_id, []).append((day, n, points))
    people = Person.objects.in_bulk(by_person)
    totals, standings = [], {}
    for person_id, days in by_person.items():
        active = people[person_id].active_weekdays
        marks = scoring.fold([d for d, _, _ in days], active)
        mine = [
            DayTotal(team=team, person_id=person_id, day=d, wins=n, points=p, value=m.value, run=m.run)
            for (d, n, p), m in zip(days, marks, strict=True)
        ]
        standings[person_id] = standing_of(mine, active)
        totals += mine
    DayTotal.objects.bulk_create(totals, batch_size=2000)
    memberships = list(Membership.objects.filter(team=team))
    for membership in memberships:
        membership.standing = standings.get(membership.person_id)
    Membership.objects.bulk_update(memberships, ["standing"], batch_size=1000)
    TeamDayTotal.objects.bulk_create(
        TeamDayTotal(team=team, day=day, wins=n, points=p)
        for day, n, p in shared_wins(team.pk).order_by().values_list("day").annotate(n=Count("id"), p=Sum("points"))
    )
    save_team_recent(team.pk)
