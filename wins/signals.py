from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from teams.models import Membership
from teams.signals import profile_changed

from . import totals

# Sent by the wins services, inside the write's transaction, when a win is posted, edited or restored with a
# goal: the goals app (which wins never imports) checks whether the goal is reached.
goal_advanced = Signal()


@receiver(profile_changed)
def refold_marks(sender, person, **kwargs):
    """Active weekdays decide which days count: refold the person's stored marks in every team."""
    totals.remark_person(person)


@receiver(post_save, sender=Membership)
def restore_standing(sender, instance, created, raw=False, **kwargs):
    """Someone who rejoins a team finds their streak and momentum there as they left them."""
    if created and not raw:  # a fixture brings its own
        totals.save_standing(team_id=instance.team_id, person=instance.person)
