"""Rate limits: how many wins, comments, applause, goals and measurements a person may make in a minute
(settings.RATE_LIMITS; none there, no limit).

Each is counted from the rows the person made in the last minute: nothing kept besides the rows themselves, the
same for every worker, and exact. A normal burst (a few wins after a meeting, a thread of comments) stays far
below; a script posting a thousand a minute is stopped at the limit. Posting counts inside the query that
already reads the author's wins for milestones (wins.services.celebrate_milestones): no query of its own.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

MINUTE = timedelta(minutes=1)


class TooMany(Exception):
    """Raised inside a write's transaction to undo it: the person went past a limit."""

    def __init__(self, what):
        super().__init__(what)
        self.message = message(what)


def per_minute(what):
    return settings.RATE_LIMITS.get(what)


def reached(rows, what):
    """Whether the person whose rows these are (with a `created_at`) made as many of them in the last minute as
    the limit allows already: one more would pass it."""
    limit = per_minute(what)
    return limit is not None and rows.filter(created_at__gte=timezone.now() - MINUTE).count() >= limit


def message(what):
    return f"That is {per_minute(what)} {what} in a minute, the most we take: wait a moment and try again."
