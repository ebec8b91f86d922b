from django.db.models.signals import post_save
from django.dispatch import receiver

from wins.models import Win

from . import services


@receiver(post_save, sender=Win)
def check_goal_on_new_win(sender, instance, created, **kwargs):
    """Linking a win to a count goal can achieve it: goals listens, so that wins never imports goals."""
    if created and instance.goal_id:
        services.on_linked_win(win=instance)
