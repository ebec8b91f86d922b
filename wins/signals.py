from django.dispatch import Signal, receiver

from teams.signals import profile_changed, team_deleting

from . import rollups
from .models import Win

# Sent by the wins services, inside the write's transaction, when a win is posted, edited or restored with a
# goal: the goals app (which wins never imports) checks whether the goal is reached.
goal_advanced = Signal()


@receiver(profile_changed)
def refold_marks(sender, person, **kwargs):
    """Active weekdays decide which days count: refold the person's marks in every team."""
    rollups.remark_person(person)


@receiver(team_deleting)
def keep_wins_of_a_deleted_team(sender, team, **kwargs):
    """A win belongs to its author, not to the team: when a team goes (its last member deleting their account),
    the wins posted in it, former members' included, stay theirs as private personal wins. The deleting
    person's own then go with the person."""
    Win.objects.filter(team=team).update(team=None, visibility=Win.Visibility.PRIVATE)
