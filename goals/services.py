"""Writes for goals that touch several rows: starting from a template, measurements, achieving (which records a win)."""

import uuid

from django.db import transaction
from django.utils import timezone

from teams.versions import changed
from wins.models import Celebration, Win
from wins.services import record_win

from . import starters
from .models import Goal, Measurement
from .queries import goal_progress

ACHIEVED_KEYS = uuid.UUID("6f1d9a52-4c1e-4a8e-9a57-0f1f0c1f1e55")  # namespace: one achievement win per goal


@transaction.atomic
def start_from(*, starter, owner=None, team=None, today):
    """Create a starter's macro goal and its micro goals; returns the macro goal."""
    spec = starters.STARTERS[starter]
    macro = Goal.objects.create(owner=owner, team=team, **starters.goal_fields(spec["goal"], today))
    for micro in spec["micro"]:
        Goal.objects.create(owner=owner, team=team, parent=macro, **starters.goal_fields(micro, today))
    return macro


@transaction.atomic
def log_measurement(*, goal, value, day, note="", by):
    """Log a value; reaching the target achieves the goal. Returns the measurement."""
    measurement = Measurement.objects.create(goal=goal, value=value, day=day, note=note)
    changed(goal.audience_id)
    if goal.status == Goal.Status.ACTIVE and goal_progress([goal], viewer=None)[goal.pk].reached:
        achieve_goal(goal=goal, by=by)
    return measurement


@transaction.atomic
def achieve_goal(*, goal, by):
    """Mark achieved, record the win "Achieved: …" (once per goal) and celebrate it, louder for a macro goal.

    The win goes where the goal is seen: into its team (a team goal, or a goal shared with a team), else
    it stays private like the goal.
    """
    goal.status, goal.achieved_at = Goal.Status.ACHIEVED, timezone.now()
    goal.save(update_fields=["status", "achieved_at"])
    changed(goal.audience_id)
    person = goal.owner or by
    team = goal.audience
    win, created = record_win(
        author=person,
        team=team,
        text=f"Achieved: {goal.title}"[:280],
        day=person.local_today(),
        client_key=uuid.uuid5(ACHIEVED_KEYS, goal.code),
        visibility=Win.Visibility.TEAM if team else Win.Visibility.PRIVATE,
        limited=False,  # the app's own win: reaching a goal is never refused
    )
    if created:
        macro = goal.parent_id is None and goal.children.exists()
        kind = Celebration.Kind.MACRO_GOAL if macro else Celebration.Kind.GOAL
        Celebration.objects.create(person=person, kind=kind, win=win)
    return win


def drop_goal(*, goal):
    """Dropped goals keep their wins and measurements; they leave the active list."""
    goal.status = Goal.Status.DROPPED
    goal.save(update_fields=["status"])
    changed(goal.audience_id)


def reopen_goal(*, goal):
    """Make an achieved or dropped goal active again; its automatic win, if any, stays."""
    goal.status, goal.achieved_at = Goal.Status.ACTIVE, None
    goal.save(update_fields=["status", "achieved_at"])
    changed(goal.audience_id)


def on_linked_win(*, win):
    """A win posted, edited or restored onto a goal may reach its target: a win that its audience sees (any of
    the owner's wins, for a private goal; one shared with its team, else) can achieve it. A private win never
    achieves a goal that others see: they would learn of it."""
    goal = win.goal
    private_goal = goal.audience_id is None
    seen_by_its_team = win.visibility == Win.Visibility.TEAM and win.team_id == goal.audience_id
    if win.deleted_at is None and (private_goal or seen_by_its_team):
        check_goal(goal=goal, by=win.author)


def check_goal(*, goal, by):
    """Achieve an active count goal whose target is reached by the wins its whole audience sees."""
    active_count = goal.kind == Goal.Kind.COUNT and goal.status == Goal.Status.ACTIVE
    if active_count and goal_progress([goal], viewer=None)[goal.pk].reached:
        achieve_goal(goal=goal, by=by)
