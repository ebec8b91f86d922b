"""Rate limits: how many wins, comments, applause, goals and measurements a person may make in a minute
(settings.RATE_LIMITS; none there, no limit).

Each is counted from the rows the person made in the last minute: nothing kept besides the rows themselves, and
the same for every worker (two requests of one person at the same instant may both take the last place). A
normal burst (a few wins after a meeting, a thread of comments) stays far below; a script posting a thousand a
minute is stopped at the limit. Posting counts inside the query that already reads the author's wins for
milestones (wins.services.celebrate_milestones), deleted ones too: no query of its own.
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


def passed(count, what):
    """Whether `count` of `what` in the last minute is past the limit."""
    limit = per_minute(what)
    return limit is not None and count > limit


def refusal(rows, what):
    """The message for a person about to make one more of `what` when their rows (with a `created_at`) of the
    last minute reach the limit already; None while there is room."""
    limit = per_minute(what)
    if limit is not None and rows.filter(created_at__gte=timezone.now() - MINUTE).count() >= limit:
        return message(what)
    return None


def message(what):
    return f"That is {per_minute(what)} {what} in a minute, the most we take: wait a moment and try again."
