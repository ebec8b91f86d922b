from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from teams.models import Person, ScoreKind, Team, new_code


class WinQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at=None)

    def visible_to(self, person):
        """My personal wins, and the wins of the teams I belong to that are mine or shared; never anything
        deleted. A team I left takes its wins with it, mine included: I may still delete those (Win.author)."""
        in_my_teams = Q(team__in=Team.objects.for_member(person)) & (
            Q(author=person) | Q(visibility=Win.Visibility.TEAM)
        )
        return self.filter(in_my_teams | Q(author=person, team=None), deleted_at=None)

    def counted_for(self, person):
        """The wins whose numbers reach `person`: all of their own, and those shared with their teams."""
        shared = Q(visibility=Win.Visibility.TEAM, team__in=Team.objects.for_member(person))
        return self.filter(Q(author=person) | shared, deleted_at=None)

    def shared(self):
        """The wins a team sees: shared with it and not deleted."""
        return self.filter(visibility=Win.Visibility.TEAM, team__isnull=False, deleted_at=None)


class Win(models.Model):
    """A small win: what happened, on which local day, worth how many points (copied when posted)."""

    class Visibility(models.TextChoices):
        TEAM = "team", "Team"
        PRIVATE = "private", "Only me"

    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="wins")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="wins")
    kind = models.ForeignKey(ScoreKind, on_delete=models.SET_NULL, null=True, blank=True, related_name="wins")
    # Indexed with the day (win_goal_day): goal progress reads a goal's wins of recent days.
    goal = models.ForeignKey(
        "goals.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="wins", db_index=False
    )
    text = models.CharField(max_length=280)
    note = models.TextField(max_length=2000, blank=True)
    day = models.DateField(help_text="The author's local date when it happened.")
    points = models.PositiveSmallIntegerField(default=1)
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.TEAM)
    client_key = models.UUIDField(help_text="Sent by the form, so that a repeated submit returns the same win.")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = WinQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["author", "client_key"], name="one_win_per_client_key")]
        indexes = [
            models.Index(fields=["team", "day"], name="win_team_day"),
            models.Index(fields=["author", "day"], name="win_author_day"),
            models.Index(fields=["goal", "day"], name="win_goal_day"),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("wins:edit", args=[self.code])

    @property
    def team_goal(self):
        """The goal as the win's team may see it: only a goal of the team, or one shared with it."""
        goal = self.goal
        if goal and self.team_id and self.team_id == goal.audience_id:
            return goal
        return None


class Applause(models.Model):
    win = models.ForeignKey(Win, on_delete=models.CASCADE, related_name="applause")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["win", "person"], name="one_applause_per_person")]
        indexes = [models.Index(fields=["person", "created_at"], name="applause_person_time")]  # rate limit

    def __str__(self):
        return f"{self.person} applauds {self.win}"


class Comment(models.Model):
    win = models.ForeignKey(Win, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=280)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["author", "created_at"], name="comment_author_time")]  # rate limit

    def __str__(self):
        return self.text


class Celebration(models.Model):
    """A milestone reached (first win, 10th, 7-day streak…), counted over what its audience sees.

    Without a team it counts all of the person's wins and is theirs alone (shown once on Today); with a
    team it counts the wins shared with that team and is noted in its feed. A goal's is its win's.
    """

    class Kind(models.TextChoices):
        FIRST_WIN = "wins-1", "First win"
        WINS_10 = "wins-10", "10 wins"
        WINS_50 = "wins-50", "50 wins"
        WINS_100 = "wins-100", "100 wins"
        STREAK_7 = "streak-7", "7-day streak"
        STREAK_30 = "streak-30", "30-day streak"
        GOAL = "goal", "Goal achieved"
        MACRO_GOAL = "macro-goal", "Macro goal achieved"

    GOAL_KINDS = (Kind.GOAL, Kind.MACRO_GOAL)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="celebrations")
    kind = models.CharField(max_length=12, choices=Kind)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    win = models.ForeignKey(Win, on_delete=models.CASCADE, null=True, blank=True, related_name="celebrations")
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=~Q(kind__in=["goal", "macro-goal"]) & Q(team=None),
                name="each_milestone_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "team"],
                condition=~Q(kind__in=["goal", "macro-goal"]) & Q(team__isnull=False),
                name="each_milestone_once_per_person_and_team",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.person}"


class DayTotal(models.Model):
    """The rollup: a person's wins shared with a team on one local day, their points, and the momentum and
    streak mark after that day (wins.scoring.fold, over the days with a shared win).

    Every number a team's screens show comes from here: a member's row sums their days, the team's figures
    sum its members'. wins.rollups.count writes it, in the transaction of the win that changed it.
    """

    # Read by team through (team, day) and (team, person, day): an index on the team alone would only tempt
    # the planner into filtering a whole year of the team's rows (2.8 ms against 1.4 for the dashboard's read).
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    wins = models.PositiveIntegerField()
    points = models.PositiveIntegerField()
    value = models.FloatField(help_text="Momentum (0–1) at the end of the day.")
    run = models.PositiveIntegerField(help_text="The streak ending on this day.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "person", "day"], name="one_total_per_person_day"),
            models.CheckConstraint(condition=Q(wins__gt=0), name="a_total_counts_a_win"),
        ]
        indexes = [models.Index(fields=["team", "day"], name="daytotal_team_day")]

    def __str__(self):
        return f"{self.person_id} in {self.team_id} on {self.day}: {self.wins}"
