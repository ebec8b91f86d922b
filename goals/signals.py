from django.dispatch import receiver

from teams.signals import membership_ended
from wins.signals import goal_advanced

from . import services
from .models import Goal


@receiver(goal_advanced)
def check_goal_on_linked_win(sender, win, **kwargs):
    """A win posted, edited or restored onto a goal can achieve it: goals listens, so that wins never imports goals."""
    services.on_linked_win(win=win)


@receiver(membership_ended)
def unshare_goals(sender, team, person, **kwargs):
    """A person who leaves a team takes their goals back: the team no longer sees them."""
    Goal.objects.filter(owner=person, shared_with=team).update(shared_with=None)  # the team's version moves too
