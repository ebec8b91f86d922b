from django.db import models
from django.db.models import Q
from django.utils import timezone

from teams.models import Person, ScoreKind, Team, new_code
from wins.models import Win


class GoalQuerySet(models.QuerySet):
    def visible_to(self, person):
        """My own goals, my teams' goals, and the goals my teammates share with a team of mine."""
        teams = Team.objects.for_member(person)
        return self.filter(Q(owner=person) | Q(team__in=teams) | Q(shared_with__in=teams))

    def mine(self, person):
        """The goals I work on: my own and my teams'."""
        return self.filter(Q(owner=person) | Q(team__in=Team.objects.for_member(person)))

    def active(self):
        return self.filter(status=Goal.Status.ACTIVE)


class Goal(models.Model):
    """A macro goal (no parent) or a micro goal under one; owned by a person, or by a team."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    class Kind(models.TextChoices):
        MILESTONE = "milestone", "Milestone (done or not)"
        COUNT = "count", "Count (reach N wins)"
        ACTIVITY = "activity", "Activity (N wins per day, week or month)"
        MEASURE = "measure", "Measure (a target value)"

    class Period(models.TextChoices):
        DAY = "day", "per day"
        WEEK = "week", "per week"
        MONTH = "month", "per month"

    class Unit(models.TextChoices):
        NUMBER = "number", "number"
        DURATION = "duration", "time (mm:ss)"
        KM = "km", "km"
        MILES = "mi", "miles"
        KG = "kg", "kg"
        LB = "lb", "lb"
        MONEY = "money", "money"

    class Direction(models.TextChoices):
        UP = "up", "Higher is better"
        DOWN = "down", "Lower is better"

    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="goals")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="goals")
    # A person's goal is theirs alone unless shared with one of their teams; a micro goal follows its macro goal.
    shared_with = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="shared_goals")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    title = models.CharField(max_length=120)
    why = models.TextField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    due = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.MILESTONE)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    period = models.CharField(max_length=5, choices=Period, blank=True)
    unit = models.CharField(max_length=10, choices=Unit, blank=True)
    direction = models.CharField(max_length=4, choices=Direction, default=Direction.UP)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    achieved_at = models.DateTimeField(null=True, blank=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, team__isnull=True) | Q(owner__isnull=True, team__isnull=False),
                name="goal_has_one_owner",
            ),
            models.CheckConstraint(condition=Q(team=None) | Q(shared_with=None), name="team_goals_are_not_shared"),
        ]

    def __str__(self):
        return self.title

    @property
    def audience(self):
        """The team that sees this goal (its own, or the one it is shared with); None for a private goal."""
        return self.team if self.team_id else self.shared_with

    @property
    def audience_id(self):
        return self.team_id or self.shared_with_id


class Measurement(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    day = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "created_at"]

    def __str__(self):
        return f"{self.value} on {self.day}"


class Intention(models.Model):
    """One of the three things I mean to do on a local day; checking it off can post it as a win."""

    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="intentions")
    day = models.DateField()
    text = models.CharField(max_length=140)
    kind = models.ForeignKey(ScoreKind, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    win = models.ForeignKey(Win, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "position", "id"]
        indexes = [models.Index(fields=["person", "day"], name="intention_person_day")]
        constraints = [models.CheckConstraint(condition=Q(position__lte=2), name="three_intentions_a_day")]

    def __str__(self):
        return self.text


class Review(models.Model):
    """The evening review of a local day: what I learnt, what got in the way. Only its author ever sees it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reviews")
    day = models.DateField()
    learnt = models.TextField(max_length=2000, blank=True)
    in_the_way = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="one_review_a_day")]

    def __str__(self):
        return f"Review of {self.day}"
