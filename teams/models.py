import secrets
import unicodedata
import zoneinfo
from datetime import datetime, time

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list, such as Europe/Paris.")


def validate_one_line(value):
    """Names go into mail subjects and page titles: one line, no control characters."""
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value):
        raise ValidationError("Keep it to one line, without tabs or line breaks.")


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    SUNDAY = 6, "Sunday"
    SATURDAY = 5, "Saturday"


class MailKind(models.TextChoices):
    """Mail that comes by itself, each kind turned on or off by the Person field `mail_<kind>`; the labels are
    the words a sentence uses ("Unsubscribe from the evening digest")."""

    DIGEST = "digest", "the evening digest"
    WEEK = "week", "the weekly summary"
    NUDGE = "nudge", "the evening nudge"
    MORNING = "morning", "the morning prompt"


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        email = self.normalize_email(email)
        fields.setdefault("display_name", email.split("@")[0])
        person = self.model(email=email, **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in: email is the login; dates are local to `time_zone`."""

    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=60, validators=[validate_one_line])
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    active_days = models.PositiveSmallIntegerField(
        default=0b0011111, help_text="Weekdays (bit 0 is Monday) that count; rest days never break a streak."
    )
    week_start = models.PositiveSmallIntegerField(choices=Weekday, default=Weekday.MONDAY)
    current_team = models.ForeignKey("Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Mail, each kind on or off: the digest goes to leads, at `digest_at` in each team's time zone.
    mail_digest = models.BooleanField("Evening digest of the teams I lead", default=True)
    digest_at = models.TimeField("Digest time", default=time(18, 0))
    mail_week = models.BooleanField("My week, at the end of each week", default=True)
    mail_nudge = models.BooleanField("An evening nudge when I have no win yet", default=False)
    mail_morning = models.BooleanField("A morning prompt for today's three", default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_today(self, now: datetime | None = None):
        """The person's local date: every "today" in the product is this."""
        return (now or timezone.now()).astimezone(self.zone).date()

    @property
    def active_weekdays(self):
        return active_weekdays(self.active_days)


def active_weekdays(bits):
    """The weekdays (0 = Monday) set in an `active_days` bitmask."""
    return frozenset(day for day in range(7) if bits & (1 << day))


def new_code():
    return secrets.token_urlsafe(8)


def new_token():
    return secrets.token_urlsafe(24)


class TeamQuerySet(models.QuerySet):
    def for_member(self, person):
        return self.filter(memberships__person=person)


class Team(models.Model):
    """A group that shares wins; `purpose` is its "why this work matters"."""

    name = models.CharField(max_length=80, validators=[validate_one_line])
    slug = models.SlugField(max_length=90, unique=True)
    purpose = models.TextField(max_length=500, blank=True, help_text="A sentence or two that the whole team sees.")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    week_start = models.PositiveSmallIntegerField(choices=Weekday, default=Weekday.MONDAY)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("wins:feed", args=[self.slug])

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_today(self, now: datetime | None = None):
        return (now or timezone.now()).astimezone(self.zone).date()


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        MEMBER = "member", "Member"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "team"], name="one_membership_per_team")]
        ordering = ["person__display_name"]

    def __str__(self):
        return f"{self.person} in {self.team} ({self.role})"

    @property
    def is_lead(self):
        return self.role == self.Role.LEAD


class Departure(models.Model):
    """Someone who left a team or was removed from it: links made before then no longer let them back in."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    left_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="one_departure_per_team")]

    def __str__(self):
        return f"{self.person_id} left {self.team_id} at {self.left_at}"


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        return self.filter(revoked_at=None, expires_at__gt=now or timezone.now()).exclude(
            multi_use=False, use_count__gte=1
        )


class Invitation(models.Model):
    """A link into a team: an unguessable token, a role, an expiry; single or multi use; revocable."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=Membership.Role, default=Membership.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    email = models.EmailField(blank=True, help_text="Optional: we mail the link to this address.")
    multi_use = models.BooleanField(default=False, help_text="Anyone with the link can join until it expires.")
    use_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation to {self.team} as {self.role}"

    def get_absolute_url(self):
        return reverse("teams:join", args=[self.token])

    def problem(self, now=None):
        """Why this link can no longer be used, in words for the person holding it; None when it can."""
        if self.revoked_at:
            return "This invitation was withdrawn."
        if self.expires_at <= (now or timezone.now()):
            return "This invitation has expired."
        if not self.multi_use and self.use_count:
            return "This invitation has already been used."
        return None


class ScoreKind(models.Model):
    """One line of a team's score sheet: a kind of win and its points."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="score_kinds")
    name = models.CharField(max_length=60)
    emoji = models.CharField(max_length=8, default="⭐")
    points = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.emoji} {self.name}"


class BlockerQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Blocker.Status.OPEN)


class Blocker(models.Model):
    """What got in the way, raised by a member for the team's leads; it stays until cleared or withdrawn."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLEARED = "cleared", "Cleared"
        WITHDRAWN = "withdrawn", "Withdrawn"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="blockers")
    raised_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="blockers")
    text = models.CharField(max_length=500)
    day = models.DateField(help_text="The raiser's local date it got in the way.")
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    cleared_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cleared_at = models.DateTimeField(null=True, blank=True)
    clear_note = models.CharField(max_length=500, blank=True)
    closed_seen_at = models.DateTimeField(null=True, blank=True, help_text="When the raiser saw it cleared.")

    objects = BlockerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["team", "status"], name="blocker_team_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cleared") | Q(cleared_at__isnull=False), name="cleared_blocker_has_a_time"
            )
        ]

    def __str__(self):
        return self.text
