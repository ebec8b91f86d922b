"""When mail falls due: the local time in each time zone, across clock changes, caught up when a run is missed."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from digests.schedule import LATE, due_day, due_week

PARIS, TOKYO, LOS_ANGELES = ZoneInfo("Europe/Paris"), ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Los_Angeles")
SIX_PM = time(18, 0)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "first_due"),
    [
        (TOKYO, utc(2026, 6, 17, 9, 0)),  # 18:00 in Tokyo (UTC+9)
        (PARIS, utc(2026, 6, 17, 16, 0)),  # summer time, UTC+2
        (LOS_ANGELES, utc(2026, 6, 18, 1, 0)),  # 18:00 on the 17th is 01:00 UTC on the 18th
    ],
)
def test_a_digest_falls_due_at_six_in_the_teams_own_evening(zone, first_due):
    assert due_day(first_due - timedelta(minutes=1), zone, "digest", at=SIX_PM) is None
    assert due_day(first_due, zone, "digest", at=SIX_PM) == date(2026, 6, 17)


def test_a_missed_run_catches_up_while_the_mail_is_due_then_it_is_stale():
    six = utc(2026, 6, 17, 16, 0)
    assert due_day(six + timedelta(hours=3), PARIS, "digest", at=SIX_PM) == date(2026, 6, 17)
    assert due_day(six + LATE["digest"] - timedelta(seconds=1), PARIS, "digest", at=SIX_PM) == date(2026, 6, 17)
    assert due_day(six + LATE["digest"], PARIS, "digest", at=SIX_PM) is None


def test_a_digest_late_in_the_evening_is_due_past_midnight_for_the_day_it_covers():
    at = time(22, 30)  # 22:30 in Paris on the 17th is 20:30 UTC; five hours later it is the 18th there
    assert due_day(utc(2026, 6, 17, 23, 0), PARIS, "digest", at=at) == date(2026, 6, 17)


@pytest.mark.parametrize(
    ("day", "first_due"),
    [
        (date(2026, 10, 24), utc(2026, 10, 24, 16, 0)),  # the last day of summer time: UTC+2
        (date(2026, 10, 25), utc(2026, 10, 25, 17, 0)),  # clocks went back in the night: UTC+1
        (date(2026, 3, 28), utc(2026, 3, 28, 17, 0)),  # winter time: UTC+1
        (date(2026, 3, 29), utc(2026, 3, 29, 16, 0)),  # clocks went forward in the night: UTC+2
    ],
)
def test_the_evening_stays_at_six_local_across_daylight_saving_changes(day, first_due):
    assert due_day(first_due - timedelta(minutes=1), PARIS, "digest", at=SIX_PM) != day
    assert due_day(first_due, PARIS, "digest", at=SIX_PM) == day


def test_a_time_the_clock_change_skips_falls_due_in_the_hour_after():
    # 02:30 does not exist in Paris on 29 March 2026 (02:00 became 03:00): due at 03:30 summer time, 01:30 UTC.
    assert due_day(utc(2026, 3, 29, 0, 59), PARIS, "digest", at=time(2, 30)) is None
    assert due_day(utc(2026, 3, 29, 1, 30), PARIS, "digest", at=time(2, 30)) == date(2026, 3, 29)


def test_nudges_and_morning_prompts_come_on_active_days_only():
    wednesday_evening = utc(2026, 6, 17, 17, 30)  # 19:30 in Paris
    assert due_day(wednesday_evening, PARIS, "nudge", weekdays={0, 1, 2, 3, 4}) == date(2026, 6, 17)
    assert due_day(wednesday_evening, PARIS, "nudge", weekdays={5, 6}) is None
    assert due_day(utc(2026, 6, 20, 6, 30), PARIS, "morning", weekdays={0, 1, 2, 3, 4}) is None  # a Saturday
    assert due_day(utc(2026, 6, 22, 6, 30), PARIS, "morning", weekdays={0, 1, 2, 3, 4}) == date(2026, 6, 22)


@pytest.mark.parametrize(("week_start", "first"), [(0, date(2026, 6, 15)), (6, date(2026, 6, 14))])
def test_the_week_comes_at_the_close_of_its_last_day(week_start, first):
    last = first + timedelta(days=6)  # a Sunday, or for weeks from Sunday a Saturday
    close = datetime.combine(last, time(20, 0), tzinfo=TOKYO)
    assert due_week(close - timedelta(minutes=1), TOKYO, week_start) is None
    assert due_week(close, TOKYO, week_start) == first
    assert due_week(close + timedelta(hours=23), TOKYO, week_start) == first  # caught up the next day
    assert due_week(close + LATE["week"], TOKYO, week_start) is None
