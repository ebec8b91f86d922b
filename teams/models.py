import zoneinfo
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list, such as Europe/Paris.")


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


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
    display_name = models.CharField(max_length=60)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
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
