"""The rollup (wins.DayTotal): each person's shared wins and points per team and local day, with the
momentum and streak mark after each day. `count` is the one function that writes it, called by the wins
services inside the transaction of the win that changed it; a property test holds it equal to a fresh count.

A day's mark depends only on which days have a win, so adding a win to a day that has one already, or taking
one from a day that keeps others, is a single UPDATE; a day gaining its first win or losing its last re-marks
the person's days in the team from there on (scoring.fold).
"""

from django.db import transaction
from django.db.models import Count, F, Sum

from teams.models import Person
from teams.versions import changed

from . import scoring
from .models import DayTotal, Win


def count(*, person, team_id, day, wins, points):
    """Add `wins` (1 or -1) and `points` (negative with -1) to the person's shared wins in a team on `day`,
    inside the transaction of the win's own write (outside one, the lock below refuses to run)."""
    if team_id is None:
        return
    # One writer per person at a time: two posts of one person (two tabs, a retry) re-mark in turn, with the
    # active days as they are now. Nothing else is locked: posts of different people never wait on each other.
    person = Person.objects.select_for_update().only("active_days").get(pk=person.pk)
    row = DayTotal.objects.filter(person=person, team_id=team_id, day=day)
    if row.filter(wins__gt=-wins).update(wins=F("wins") + wins, points=F("points") + points):
        return  # the day had a win and keeps one: its mark stands
    if wins > 0:
        DayTotal.objects.create(person=person, team_id=team_id, day=day, wins=wins, points=points, value=0, run=0)
    else:
        row.delete()
    remark(person=person, team_id=team_id, since=day)


def remark(*, person, team_id, since=None):
    """Refold the momentum and streak marks of a person's days in a team, from `since` (or the first day)."""
    rows = DayTotal.objects.filter(person=person, team_id=team_id)
    before = rows.filter(day__lt=since).order_by("-day").first() if since else None
    later = list((rows.filter(day__gte=since) if since else rows).order_by("day"))
    start = scoring.Mark(before.day, before.value, before.run) if before else None
    marks = scoring.fold([r.day for r in later], person.active_weekdays, start)
    for row, mark in zip(later, marks, strict=True):
        row.value, row.run = mark.value, mark.run
    DayTotal.objects.bulk_update(later, ["value", "run"], batch_size=500)


@transaction.atomic
def remark_person(person):
    """After a change of active weekdays (they decide which days count): refold the person's marks in every team."""
    person = Person.objects.select_for_update().only("active_days").get(pk=person.pk)  # as `count` does
    teams = set(DayTotal.objects.filter(person=person).values_list("team_id", flat=True).distinct())
    for team_id in teams:
        remark(person=person, team_id=team_id)
    changed(*teams)


@transaction.atomic
def rebuild(team):
    """Recount a whole team from its wins (after a bulk load, not while its members post): the same rows `count`
    keeps."""
    changed(team.pk)
    DayTotal.objects.filter(team=team).delete()
    per_day = (
        Win.objects.shared()
        .filter(team=team)
        .order_by()
        .values_list("author_id", "day")
        .annotate(n=Count("id"), points=Sum("points"))
        .order_by("author_id", "day")
    )
    by_person = {}
    for person_id, day, n, points in per_day:
        by_person.setdefault(person_id, []).append((day, n, points))
    people = Person.objects.in_bulk(by_person)
    rows = []
    for person_id, days in by_person.items():
        marks = scoring.fold([day for day, _, _ in days], people[person_id].active_weekdays)
        rows += [
            DayTotal(team=team, person_id=person_id, day=day, wins=n, points=p, value=mark.value, run=mark.run)
            for (day, n, p), mark in zip(days, marks, strict=True)
        ]
    DayTotal.objects.bulk_create(rows, batch_size=2000)
