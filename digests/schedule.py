"""When each kind of mail falls due: pure functions of the clock, a time zone and a person's settings.

A mail is due from its local time until it grows stale (LATE after it), so a schedule that runs every few
minutes, or misses a few runs, sends it once in that window; the claim on its Delivery row makes it once only.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from wins.scoring import ALL_DAYS

# Each kind's local time; a person chooses their digest's (Person.digest_at); a week's is on its last day.
AT = {"morning": time(8, 0), "nudge": time(19, 0), "week": time(20, 0)}
# How long after its time a mail may still go: a missed run catches up within it; after, it would be stale.
LATE = {
    "digest": timedelta(hours=5),
    "week": timedelta(hours=24),
    "nudge": timedelta(hours=4),
    "morning": timedelta(hours=3),
}


def moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`at` o'clock on `day` in `zone`, as an instant; a time that a clock change skips is read as the hour after."""
    return datetime.combine(day, at, tzinfo=zone)


def due_day(now: datetime, zone: ZoneInfo, kind: str, weekdays=ALL_DAYS, at: time | None = None) -> date | None:
    """The local date (today's, or yesterday's) whose mail of `kind` is due at `now`: its time (`at`, else the
    kind's) has passed, less than LATE ago, on one of `weekdays`. None when none is due."""
    today = now.astimezone(zone).date()
    for day in (today, today - timedelta(days=1)):
        start = moment(day, at or AT[kind], zone)
        if start <= now < start + LATE[kind] and day.weekday() in weekdays:
            return day
    return None


def due_week(now: datetime, zone: ZoneInfo, week_start: int) -> date | None:
    """The first day of the week whose summary is due at `now`, at its time on the week's last day."""
    last = due_day(now, zone, "week", weekdays={(week_start - 1) % 7})
    return last - timedelta(days=6) if last else None
