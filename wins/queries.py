"""Reads for the wins screens: each a fixed number of set-based queries, whatever the history."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from teams.models import Membership

from . import scoring
from .models import Applause, Celebration, Comment, Win

FEED_PAGE = 20
LATEST_COMMENTS = 3  # a win's comments shown in the feed; "N more" loads the rest
MAX_PAGE = 10_000  # of the feed: 200,000 wins back, past any team's history


def wins_per_day(wins, since=None):
    """{local date: number of wins} for a queryset of wins (one query)."""
    rows = wins.alive()
    if since:
        rows = rows.filter(day__gte=since)
    return dict(rows.order_by().values_list("day").annotate(n=Count("id")).values_list("day", "n"))


def person_stats(person, per_day, today):
    """Streak, momentum and win count of a person, from their wins per day; with no streak going, also the
    momentum a win today would bring, so that Today says what the next win does."""
    days = set(per_day)
    stats = {
        "streak": scoring.streak(days, today, person.active_weekdays),
        "momentum": scoring.momentum(days, today, person.active_weekdays),
        "total": sum(per_day.values()),
    }
    if not stats["streak"]:
        stats["momentum_with_a_win"] = scoring.momentum(days | {today}, today, person.active_weekdays).score
    return stats


def with_applause(wins, person):
    """Wins with what every win item shows: kind, goal, applause (how many, and whether mine)."""
    return wins.select_related("author", "kind", "goal").annotate(
        applause_count=count_of(Applause),  # a subquery, not a join: no GROUP BY over every column selected
        applauded=Exists(Applause.objects.filter(win=OuterRef("pk"), person=person)),
    )


def count_of(model):
    """How many rows of `model` (applause, comments) each win has, as a subquery."""
    rows = model.objects.filter(win=OuterRef("pk")).order_by().values("win").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(rows), 0)


def team_wins(team, person):
    """A team's wins as `person` may see them there: those shared with the team."""
    return Win.objects.visible_to(person).filter(team=team, visibility=Win.Visibility.TEAM)


def author_member_code():
    """The code of a win's author in its team, for the link to their page there."""
    return Subquery(
        Membership.objects.filter(team=OuterRef("team"), person=OuterRef("author")).order_by().values("code")[:1]
    )


def with_feed_details(wins, person):
    """Wins with what a feed item shows besides: the author's page, the latest few comments (`latest_comments`,
    newest first) and how many more there are (`more_comments`), and the team's milestones as `badges` (a
    person's own milestones are theirs, on Today)."""
    return (
        with_applause(wins, person)
        .annotate(
            author_member_code=author_member_code(),
            more_comments=Greatest(count_of(Comment) - LATEST_COMMENTS, 0),
        )
        .prefetch_related(
            Prefetch("comments", queryset=newest_comments()[:LATEST_COMMENTS], to_attr="latest_comments"),
            Prefetch(
                "celebrations",
                queryset=Celebration.objects.filter(Q(team__isnull=False) | Q(kind__in=Celebration.GOAL_KINDS)),
                to_attr="badges",
            ),
        )
    )


def newest_comments():
    return Comment.objects.select_related("author").order_by("-created_at", "-id")


def with_all_comments(win):
    """The win with every comment as its `latest_comments` (see with_feed_details), for its "N more"."""
    win.latest_comments = list(newest_comments().filter(win=win))
    win.more_comments = 0
    return win


def todays_wins(person, today):
    """My wins of today, as far as I may still see them (not those of a team I have left since)."""
    return with_applause(Win.objects.visible_to(person).filter(author=person, day=today), person).order_by(
        "-created_at"
    )


def feed_goals(team):
    """Goals to filter the team's feed by: the team's own, and those its members share with it."""
    goals = Win._meta.get_field("goal").related_model.objects  # goals.Goal without importing the goals app
    return list(goals.filter(Q(team=team) | Q(shared_with=team)).order_by("title"))


def page_number(value):
    """The page asked for in a URL: 1 unless a sensible number."""
    try:
        return min(max(1, int(value or 1)), MAX_PAGE)
    except ValueError:  # not a number, or thousands of digits
        return 1


def feed_page(team, person, filters, page=1):
    """One page of the team's feed, newest first, and whether there is more (two queries plus two prefetches)."""
    wins = team_wins(team, person)
    if filters.get("person"):
        wins = wins.filter(author__memberships__team=team, author__memberships__code=filters["person"])
    if filters.get("kind"):
        wins = wins.filter(kind_id=filters["kind"])
    if filters.get("goal"):
        wins = wins.filter(goal__code=filters["goal"])
    if filters.get("start"):
        wins = wins.filter(day__gte=filters["start"])
    if filters.get("end"):
        wins = wins.filter(day__lte=filters["end"])
    start = (page - 1) * FEED_PAGE
    order = ("-day", "-created_at", "-id")
    # Page first on the bare rows (an index scan), then count applause for those twenty only.
    ids = list(wins.order_by(*order).values_list("pk", flat=True)[start : start + FEED_PAGE + 1])
    rows = list(with_feed_details(Win.objects.filter(pk__in=ids[:FEED_PAGE]), person).order_by(*order))
    return rows, len(ids) > FEED_PAGE


def team_wins_page(team, person, start, end=None, page=1, size=FEED_PAGE):
    """One page of the team's wins shared with it and dated from `start` to `end` (None: no end) as `person` may
    see them, newest first, with applause and the author's member code, and whether there is more (one query)."""
    wins = team_wins(team, person).filter(day__gte=start)
    if end:
        wins = wins.filter(day__lte=end)
    order = ("-day", "-created_at", "-id")
    offset = (page - 1) * size
    # The page is picked on the bare rows (a subquery, an index scan); applause is counted for its rows only.
    ids = wins.order_by(*order).values("pk")[offset : offset + size + 1]
    rows = list(
        with_applause(Win.objects.filter(pk__in=ids), person)
        .annotate(author_member_code=author_member_code())
        .order_by(*order)
    )
    return rows[:size], len(rows) > size
