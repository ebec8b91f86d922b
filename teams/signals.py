from django.dispatch import Signal

# Sent with `person` when their active weekdays change: stored streaks and momentum depend on them.
profile_changed = Signal()

# Sent with `team` and `person` when someone leaves a team or is removed, inside that transaction: other apps
# take back what the person shared with the team.
membership_ended = Signal()

# Sent with `team` just before a team is deleted with the last person in it: other apps keep what belongs to
# people who left it (their wins there stay theirs). Django's pre_delete comes too late: the cascade is collected.
team_deleting = Signal()
