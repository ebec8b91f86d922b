from django.dispatch import Signal, receiver

from teams.signals import profile_changed

from . import rollups

# Sent by the wins services, inside the write's transaction, when a win is posted, edited or restored with a
# goal: the goals app (which wins never imports) checks whether the goal is reached.
goal_advanced = Signal()


@receiver(profile_changed)
def refold_marks(sender, person, **kwargs):
    """Active weekdays decide which days count: refold the person's marks in every team."""
    rollups.remark_person(person)
