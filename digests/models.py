from django.db import models
from django.db.models import Q
from django.utils import timezone

from teams.models import MailKind, Person, Team


class Delivery(models.Model):
    """One mail of a kind to a person for a period (a local date; a week by its first day), and for a digest a
    team. The schedule claims the row when the mail falls due, and the worker that stamps `done_at` sends it:
    the constraints make each go at most once, however many schedulers or workers run."""

    kind = models.CharField(max_length=10, choices=MailKind)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    period = models.DateField()
    queued_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True, help_text="When a worker sent it, or found it unneeded.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "person", "period"], condition=Q(team=None), name="one_mail_per_kind_and_period"
            ),
            models.UniqueConstraint(
                fields=["kind", "person", "team", "period"],
                condition=Q(team__isnull=False),
                name="one_team_mail_per_kind_and_period",
            ),
        ]
        indexes = [models.Index(fields=["period"], name="delivery_period")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.person} for {self.period}"
