from django.dispatch import Signal

# Sent with `person` when their active weekdays change: stored streaks and momentum depend on them.
profile_changed = Signal()

# Sent with `team` and `person` when someone leaves a team or is removed, inside that transaction: other apps
# take back what the person shared with the team.
membership_ended = Signal()
