"""What each mail says, read as its reader sees the screens: a lead's digest shows only what the dashboard shows
them (wins shared with the team), a person's own mail counts all their own wins, as Today does."""

from datetime import time, timedelta

from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from goals import dashboard
from goals.models import Goal, Intention
from goals.queries import goal_tree
from teams.mail import mail_message, site_url
from teams.models import Membership
from teams.services import one_line
from wins import queries, scoring
from wins.models import Applause, Comment, Win

from . import schedule


def day_bounds(day, zone, days=1):
    """The instants a local date (or `days` of them) starts and ends at, in `zone`."""
    return schedule.moment(day, time(), zone), schedule.moment(day + timedelta(days=days), time(), zone)


def message(delivery, now):
    """The mail for a claimed delivery, or None when it is no longer wanted: the person turned its kind off or
    is gone, or there is nothing to say (see compose)."""
    person = delivery.person
    if not person.is_active or not getattr(person, f"mail_{delivery.kind}"):
        return None
    return compose(person, delivery.kind, delivery.period, now, team=delivery.team)


def compose(person, kind, period, now, *, team=None):
    """A mail of `kind` to `person` for `period` (and `team`, for a digest), or None when there is nothing to
    say: a lead who no longer is one, a nudge after a win, a morning prompt on a day already planned."""
    made = WRITERS[kind](person, period, now, team=team)
    if made is None:
        return None
    subject, context = made
    return mail_message(
        to=person.email,
        subject=subject,
        template=f"digests/mail/{kind}",
        context=context | {"person": person},
        unsubscribe=(person, kind),
    )


def digest(lead, day, now, *, team):
    """A lead's evening digest of `team` for its local date `day`: the wins shared with the team that day by
    person, goals reached, blockers raised and cleared, and members quiet for QUIET_DAYS active days or more;
    None on a day without news."""
    if not Membership.objects.filter(person=lead, team=team, role=Membership.Role.LEAD).exists():
        return None
    start, end = day_bounds(day, team.zone)
    wins = list(
        queries.team_wins(team, lead)
        .filter(day=day)
        .select_related("author", "kind", "goal")
        .order_by("author__display_name", "author_id", "created_at")
    )
    reached = Goal.objects.visible_to(lead).filter(
        Q(team=team) | Q(shared_with=team), status=Goal.Status.ACHIEVED, achieved_at__gte=start, achieved_at__lt=end
    )
    blockers = team.blockers.select_related("raised_by", "cleared_by")
    context = {
        "team": team,
        "day": day,
        "wins": wins,
        "points": sum(w.points for w in wins),
        "people": len({w.author_id for w in wins}),
        "goals": list(reached.select_related("owner").order_by("achieved_at")),
        "raised": list(blockers.filter(created_at__gte=start, created_at__lt=end)),
        "cleared": list(blockers.filter(cleared_at__gte=start, cleared_at__lt=end)),
        "quiet": dashboard.quiet_members(team, now),
        "quiet_days": dashboard.QUIET_DAYS,
        "dashboard_url": site_url(reverse("goals:dashboard", args=[team.slug])),
    }
    if not (wins or context["goals"] or context["raised"] or context["cleared"]):
        return None  # no news: the quiet members wait for a digest that has some
    count = len(wins)
    return f"{one_line(team.name)}, {day:%A %-d %B}: {count} win{'' if count == 1 else 's'}", context


def week(person, first, now, *, team=None):
    """A person's week from its first day: wins and points (against the week before), streak and momentum with
    what explains it, goal progress, and the applause and comments their wins got that week."""
    last = first + timedelta(days=6)
    mine = person.wins.alive()
    totals = mine.filter(day__range=(first, last)).aggregate(wins=Count("id"), points=Sum("points"))
    before = mine.filter(day__range=(first - timedelta(days=7), first - timedelta(days=1))).count()
    today = person.local_today(now)
    stats = queries.person_stats(person, queries.wins_per_day(mine), today)
    start, end = day_bounds(first, person.zone, days=7)
    on_my_wins = Q(win__in=Win.objects.visible_to(person).filter(author=person), created_at__gte=start)
    applause = Applause.objects.filter(on_my_wins, created_at__lt=end).exclude(person=person)
    comments = Comment.objects.filter(on_my_wins, created_at__lt=end).exclude(author=person)
    goals = goal_tree(person, statuses=[Goal.Status.ACTIVE])
    wins = totals["wins"] or 0
    context = {
        "first": first,
        "last": last,
        "wins": wins,
        "points": totals["points"] or 0,
        "before": before,
        "stats": stats,
        "momentum_rule": scoring.MOMENTUM_RULE,
        "goals": goals,
        "applause": applause.count(),
        "comments": list(comments.select_related("author", "win").order_by("created_at")),
        "today_url": site_url(reverse("wins:today")),
        "goals_url": site_url(reverse("goals:index")),
    }
    return f"Your week: {wins} win{'' if wins == 1 else 's'}, streak {stats['streak']}", context


def nudge(person, day, now, *, team=None):
    """An evening nudge for a day with no win yet: the streak a win keeps, and today's three still open."""
    mine = person.wins.alive()
    if mine.filter(day=day).exists():
        return None
    stats = queries.person_stats(person, queries.wins_per_day(mine), day)
    context = {
        "stats": stats,
        "open": list(Intention.objects.filter(person=person, day=day, done_at=None)),
        "today_url": site_url(reverse("wins:today")),
    }
    return "A small win before the day ends?", context


def morning(person, day, now, *, team=None):
    """A morning prompt for today's three, unless the day is planned already: yesterday's lesson, if any, and
    the goals being worked on, as ideas."""
    if Intention.objects.filter(person=person, day=day).exists():
        return None
    review = person.reviews.filter(day=day - timedelta(days=1)).exclude(learnt="").first()
    macro_first = F("parent_id").asc(nulls_first=True)
    goals = Goal.objects.mine(person).active().order_by(macro_first, "-created_at", "-id")
    context = {
        "learnt": review.learnt if review else "",
        "goals": list(goals[:3]),
        "plan_url": site_url(reverse("goals:plan")),
    }
    return "Today's three", context


WRITERS = {"digest": digest, "week": week, "nudge": nudge, "morning": morning}
