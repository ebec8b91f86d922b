"""Streak and momentum: pure functions over the days a person had wins. No ORM, no clock.

Callers pass `today`, the person's local date, and the set of local dates with at least one
(undeleted) win. A day counts when it is one of the person's active weekdays or has a win;
a rest day without a win neither breaks a streak nor moves momentum. Today counts only once
it has a win, so an empty morning never looks like a lapse.
"""

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ALL_DAYS = frozenset(range(7))
DECAY = 0.5 ** (1 / 7)  # half-life of seven counted days
ONE_DAY = timedelta(days=1)


def _counts(day, win_days, active_weekdays):
    return day in win_days or day.weekday() in active_weekdays


def streak(win_days: Collection[date], today: date, active_weekdays: Collection[int] = ALL_DAYS) -> int:
    """Consecutive counted days with a win, up to today; today without a win (yet) does not break it."""
    if not win_days:
        return 0
    first = min(win_days)
    count, day = 0, today
    while day >= first:
        if day in win_days:
            count += 1
        elif day != today and day.weekday() in active_weekdays:
            break
        day -= ONE_DAY
    return count


@dataclass(frozen=True)
class Momentum:
    score: int  # 0–100
    before_today: int  # the score had today not counted
    days_to_next_ten: int  # consecutive days with a win that bring the score to the next multiple of 10

    @property
    def gained_today(self):
        return self.score - self.before_today

    @property
    def next_ten(self):
        return min(100, (self.score // 10 + 1) * 10)


def momentum_value(win_days: Collection[date], today: date, active_weekdays: Collection[int] = ALL_DAYS) -> float:
    """The smoothed share of counted days with a win, 0.0–1.0, from the first win to today."""
    return _smooth(win_days, today, active_weekdays)[0]


def momentum(win_days: Collection[date], today: date, active_weekdays: Collection[int] = ALL_DAYS) -> Momentum:
    """Momentum with its explanation: what today did to it, and how far the next 10 is."""
    value, before = _smooth(win_days, today, active_weekdays)
    score = _score(value)
    return Momentum(score=score, before_today=_score(before), days_to_next_ten=_days_to_next_ten(value, score))


def _smooth(win_days, today, active_weekdays):
    """Return (value, value before today's contribution)."""
    days = [d for d in win_days if d <= today]
    if not days:
        return 0.0, 0.0
    value, day = 0.0, min(days)
    win_set = set(days)
    before = 0.0
    while day <= today:
        if day == today:
            before = value
            if day in win_set:
                value = value * DECAY + (1 - DECAY)
        elif _counts(day, win_set, active_weekdays):
            value = value * DECAY + (1 - DECAY if day in win_set else 0.0)
        day += ONE_DAY
    return value, before


def _score(value):
    return min(100, max(0, round(value * 100)))


def _days_to_next_ten(value, score):
    if score >= 100:
        return 0
    goal = (score // 10 + 1) * 10 - 0.5  # the value that rounds to the next multiple of ten
    # value' = 1 - (1 - value) * DECAY**n  >=  goal / 100
    return max(1, math.ceil(math.log((1 - goal / 100) / (1 - value)) / math.log(DECAY)))


def team_momentum(scores: Iterable[int]) -> int:
    """A team's momentum: its members' mean, 0 for a team with no members."""
    scores = list(scores)
    return round(sum(scores) / len(scores)) if scores else 0
