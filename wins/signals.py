from django.dispatch import receiver

from teams.signals import profile_changed

from . import totals


@receiver(profile_changed)
def refold_marks(sender, person, **kwargs):
    """Active weekdays decide which days count: refold the person's stored marks in every team."""
    totals.remark_person(person)
