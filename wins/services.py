"""Writes of the wins app that touch several rows: posting (idempotent), deleting with undo, applause, milestones."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import scoring, totals
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
    *, author, text, day, client_key, team=None, kind=None, goal=None, note="", visibility=Win.Visibility.TEAM
):
    """Post a win; a repeated `client_key` (double tap, retry) returns the first win. Returns (win, created)."""
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
            totals.refresh(team_id=win.team_id, person=author, days={win.day})
            celebrate_milestones(win=win)
            if win.goal_id:
                goal_advanced.send(sender=Win, win=win)
    except IntegrityError:
        return Win.objects.select_related("kind", "goal").get(author=author, client_key=client_key), False
    return win, True


def celebrate_milestones(*, win):
    """Record the milestones this win reached (1st, 10th, 50th, 100th win; 7- and 30-day streaks), each once
    per audience: over all of the author's wins for them alone (Today), and for a shared win over the
    author's wins shared with its team, for the team's feed. A private win never moves the team's count.
    """
    author = win.author
    scopes = [(None, Win.objects.alive().filter(author=author))]
    if win.team_id and win.visibility == Win.Visibility.TEAM:
        scopes.append((win.team_id, Win.objects.shared().filter(author=author, team_id=win.team_id)))
    reached = []
    for team_id, wins in scopes:
        total = wins.count()
        run = scoring.streak(
            set(wins.values_list("day", flat=True).distinct()), author.local_today(), author.active_weekdays
        )
        kinds = [kind for n, kind in WIN_MILESTONES.items() if total >= n]
        kinds += [kind for n, kind in STREAK_MILESTONES.items() if run >= n]
        reached += [Celebration(person=author, kind=kind, team_id=team_id, win=win) for kind in kinds]
    if reached:
        Celebration.objects.bulk_create(reached, ignore_conflicts=True)


@transaction.atomic
def edit_win(*, win, text, day, kind=None, goal=None, note="", visibility=Win.Visibility.TEAM):
    """Change a win; a new kind brings its current points, an unchanged kind keeps the points it was posted with."""
    old_day = win.day
    if kind != win.kind:
        win.points = kind.points if kind else 1
    win.text, win.day, win.kind, win.goal, win.note = text, day, kind, goal, note
    win.visibility = visibility if win.team_id else Win.Visibility.PRIVATE
    win.edited_at = timezone.now()
    win.save(update_fields=["text", "day", "kind", "goal", "note", "visibility", "points", "edited_at"])
    totals.refresh(team_id=win.team_id, person=win.author, days={old_day, win.day})
    if win.goal_id:
        goal_advanced.send(sender=Win, win=win)
    return win


@transaction.atomic
def delete_win(*, win):
    """Soft delete: the win disappears everywhere at once, and can be restored for a while."""
    win.deleted_at = timezone.now()
    win.save(update_fields=["deleted_at"])
    totals.refresh(team_id=win.team_id, person=win.author, days={win.day})


def restore_win(*, win):
    """Undo a delete; returns False when the undo window has passed."""
    if win.deleted_at is None:
        return True
    if timezone.now() - win.deleted_at > UNDO_WINDOW:
        return False
    with transaction.atomic():
        win.deleted_at = None
        win.save(update_fields=["deleted_at"])
        totals.refresh(team_id=win.team_id, person=win.author, days={win.day})
        if win.goal_id:
            goal_advanced.send(sender=Win, win=win)
    return True


def toggle_applause(*, win, person):
    """Applaud, or take it back. Returns True when the person now applauds the win."""
    deleted, _ = Applause.objects.filter(win=win, person=person).delete()
    if deleted:
        return False
    Applause.objects.bulk_create([Applause(win=win, person=person)], ignore_conflicts=True)
    return True


def add_comment(*, win, author, text):
    return Comment.objects.create(win=win, author=author, text=text)


def take_celebrations(*, person):
    """The person's own milestones not shown yet, marked as shown: each celebrates once."""
    celebrations = list(
        Celebration.objects.filter(person=person, team=None, seen_at=None).select_related("win").order_by("created_at")
    )
    if celebrations:
        Celebration.objects.filter(pk__in=[c.pk for c in celebrations]).update(seen_at=timezone.now())
    return celebrations
