from contextlib import suppress

from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.dispatch import Signal, receiver

from . import services

PENDING_INVITATION = "pending_invitation"

# Sent with `person` when their active weekdays change: stored streaks and momentum depend on them.
profile_changed = Signal()


@receiver(user_logged_in)
def accept_pending_invitation(sender, request, user, **kwargs):
    """A visitor who opened an invitation and then signed up or in lands straight in the team."""
    token = request.session.pop(PENDING_INVITATION, None) if request is not None else None
    if token:
        # If the link is spent, the join page (where the login redirects) says what went wrong.
        with suppress(ValidationError):
            services.accept_invitation(invitation_token=token, person=user)
