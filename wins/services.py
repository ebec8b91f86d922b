"""Writes of the wins app: posting (idempotent), editing, deleting with undo, applause, milestones. Each keeps
the rollup (wins.rollups) in its own transaction and marks the teams it changes (teams.versions)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from teams.versions import changed

from . import limits, rollups, scoring
from .models import Applause, Celebration, Comment, Win
from .signals import goal_advanced

UNDO_WINDOW = timedelta(minutes=10)
WIN_MILESTONES = {
    1: Celebration.Kind.FIRST_WIN,
    10: Celebration.Kind.WINS_10,
    50: Celebration.Kind.WINS_50,
    100: Celebration.Kind.WINS_100,
}
STREAK_MILESTONES = {7: Celebration.Kind.STREAK_7, 30: Celebration.Kind.STREAK_30}


def record_win(
    *,
    author,
    text,
    day,
    client_key,
    team=None,
    kind=None,
    goal=None,
    note="",
    visibility=Win.Visibility.TEAM,
    limited=True,
):
    """Post a win, with everything it moves, in one transaction: the rollup, the milestones it reaches, and its
    goal (goals, which wins never imports, hears goal_advanced). A repeated `client_key` (double tap, retry)
    returns the first win. Returns (win, created); a new win carries `author_days`, its author's wins per day
    as they are now, read for the milestones: a screen that shows the author's stats needs no second look.
    A win past the author's rate limit (wins.limits) raises limits.TooMany and stores nothing; `limited=False`
    is for the app's own wins (a goal's "Achieved:").
    """
    if team is None:
        visibility = Win.Visibility.PRIVATE
    try:
        with transaction.atomic():
            win = Win.objects.create(
                author=author,
                team=team,
                kind=kind,
                goal=goal,
                text=text,
                note=note,
                day=day,
                points=kind.points if kind else 1,
                visibility=visibility,
                client_key=client_key,
            )
            counted(win, 1)
            celebrate_milestones(win=win)
            if limited and limits.passed(win.posted_last_minute, "wins"):
                raise limits.TooMany("wins")  # undone with the rest: nothing of it stays
            if win.goal_id:
                goal_advanced.send(sender=Win, win=win)
    except IntegrityError:
        return Win.objects.select_related("kind", "goal").get(author=author, client_key=client_key), False
    return win, True


def counted(win, sign):
    """Count a win into (1) or out of (-1) its team's rollup, if the team sees it; the team's screens change."""
    if win.team_id and win.visibility == Win.Visibility.TEAM and win.deleted_at is None:
        rollups.count(person=win.author, team_id=win.team_id, day=win.day, wins=sign, points=sign * win.points)
    changed(win.team_id, win.goal.audience_id if win.goal else None)  # its goal's progress moves there


def celebrate_milestones(*, win):
    """Record the milestones a new win reached (1st, 10th, 50th, 100th win; 7- and 30-day streaks), each once
    per audience: over all of the author's wins for them alone (Today), and for a shared win over the author's
    wins shared with its team, for the team's feed. A private win never moves the team's. One query, which
    also counts the author's wins posted in the last minute (`posted_last_minute`) for the rate limit.
    """
    author = win.author
    shared = win.team_id and win.visibility == Win.Visibility.TEAM
    in_team = Q(team_id=win.team_id, visibility=Win.Visibility.TEAM)
    alive = Q(deleted_at=None)
    per_day = list(
        Win.objects.filter(author=author)
        .order_by()
        .values_list("day")
        .annotate(
            n=Count("id", filter=alive),
            shared=Count("id", filter=alive & in_team),
            # Deleted ones too: posting, deleting and restoring is no way around the limit.
            recent=Count("id", filter=Q(created_at__gte=timezone.now() - limits.MINUTE)),
        )
    )
    win.posted_last_minute = sum(recent for *_, recent in per_day)
    win.author_days = {day: n for day, n, *_ in per_day if n}  # the author's wins per day, this one in: their stats
    scopes = [(None, win.author_days)]
    if shared:
        scopes.append((win.team_id, {day: n for day, _, n, _ in per_day if n}))
    celebrations = [
        Celebration(person=author, kind=kind, team_id=team_id, win=win)
        for team_id, days in scopes
        for kind in milestones_reached(days, win.day, author.local_today(), author.active_weekdays)
    ]
    if celebrations:  # a milestone reached again (after a delete, say) is not celebrated twice
        Celebration.objects.bulk_create(celebrations, ignore_conflicts=True)


def milestones_reached(per_day, day, today, active_weekdays):
    """The milestones that one more win on `day` crossed, given the wins per day with it counted."""
    before = per_day | {day: per_day[day] - 1}
    total = sum(per_day.values())
    streak = scoring.streak({d for d, n in per_day.items() if n}, today, active_weekdays)
    streak_before = scoring.streak({d for d, n in before.items() if n}, today, active_weekdays)
    return [kind for n, kind in WIN_MILESTONES.items() if total == n] + [
        kind for n, kind in STREAK_MILESTONES.items() if streak_before < n <= streak
    ]


@transaction.atomic
def edit_win(*, win, text, day, kind=None, goal=None, note="", visibility=Win.Visibility.TEAM):
    """Change a win; a new kind brings its current points, an unchanged kind keeps the points it was posted with."""
    lock(win)
    counted(win, -1)
    if kind != win.kind:
        win.points = kind.points if kind else 1
    win.text, win.day, win.kind, win.goal, win.note = text, day, kind, goal, note
    win.visibility = visibility if win.team_id else Win.Visibility.PRIVATE
    win.edited_at = timezone.now()
    win.save(update_fields=["text", "day", "kind", "goal", "note", "visibility", "points", "edited_at"])
    counted(win, 1)
    if win.goal_id:
        goal_advanced.send(sender=Win, win=win)
    return win


@transaction.atomic
def delete_win(*, win):
    """Soft delete: the win disappears everywhere at once, and can be restored for a while."""
    lock(win)
    if win.deleted_at is None:  # a second delete of it (another tab) has nothing left to do
        counted(win, -1)
        win.deleted_at = timezone.now()
        win.save(update_fields=["deleted_at"])


@transaction.atomic
def restore_win(*, win):
    """Undo a delete; returns False when the undo window has passed."""
    lock(win)
    if win.deleted_at is None:
        return True
    if timezone.now() - win.deleted_at > UNDO_WINDOW:
        return False
    win.deleted_at = None
    win.save(update_fields=["deleted_at"])
    counted(win, 1)
    if win.goal_id:
        goal_advanced.send(sender=Win, win=win)
    return True


def lock(win):
    """Lock the win's row and read again what the rollup counts of it: two changes of one win at once (two tabs,
    a double submit) then apply one after the other, each to what the other left."""
    fresh = Win.objects.select_for_update().only(*COUNTED).get(pk=win.pk)
    for field in COUNTED:
        setattr(win, field, getattr(fresh, field))


COUNTED = ["day", "visibility", "points", "deleted_at", "kind_id", "goal_id"]


def toggle_applause(*, win, person):
    """Applaud, or take it back. Returns True when the person now applauds the win."""
    deleted, _ = Applause.objects.filter(win=win, person=person).delete()
    if not deleted:
        Applause.objects.bulk_create([Applause(win=win, person=person)], ignore_conflicts=True)
    changed(win.team_id)
    return not deleted


def add_comment(*, win, author, text):
    """Add a short comment to a win; its team's screens change."""
    comment = Comment.objects.create(win=win, author=author, text=text)
    changed(win.team_id)
    return comment


def take_celebrations(*, person):
    """The person's own milestones not shown yet, marked as shown: each celebrates once."""
    celebrations = list(
        Celebration.objects.filter(person=person, team=None, seen_at=None).select_related("win").order_by("created_at")
    )
    if celebrations:
        Celebration.objects.filter(pk__in=[c.pk for c in celebrations]).update(seen_at=timezone.now())
    return celebrations
