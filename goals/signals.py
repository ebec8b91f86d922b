from django.db.models.signals import post_save
from django.dispatch import receiver

from teams.signals import membership_ended
from wins.models import Win

from . import services
from .models import Goal


@receiver(post_save, sender=Win)
def check_goal_on_new_win(sender, instance, created, **kwargs):
    """Linking a win to a count goal can achieve it: goals listens, so that wins never imports goals."""
    if created and instance.goal_id:
        services.on_linked_win(win=instance)


@receiver(membership_ended)
def unshare_goals(sender, team, person, **kwargs):
    """A person who leaves a team takes their goals back: the team no longer sees them."""
    Goal.objects.filter(owner=person, shared_with=team).update(shared_with=None)
