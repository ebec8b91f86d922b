"""Streak and momentum: pure functions over the days a person had wins. No ORM, no clock.

Callers pass `today`, the person's local date, and the local dates with at least one (undeleted)
win. A day counts when it is one of the person's active weekdays or has a win; a rest day without
a win neither breaks a streak nor moves momentum. Today counts only once it has a win, so an empty
morning never looks like a lapse.

Everything is one fold over the win days: each win day leaves a `Mark` (momentum value after it,
and the streak ending on it). The team's rollup stores the marks of its members' days (wins.rollups) and
the dashboard reads them with `standing`; Today folds the person's own days. Every view and email computes
the same numbers the same way; what differs is which wins it is fed: "your momentum" counts all of a
person's wins, "momentum in <team>" the wins they shared with that team.
"""

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ALL_DAYS = frozenset(range(7))
DECAY = 0.5 ** (1 / 7)  # half-life of seven counted days
GAIN = 1 - DECAY
ONE_DAY = timedelta(days=1)
# What momentum is, in the words every screen that shows it uses (after "your momentum counts all your wins:"
# or "momentum in <team> counts the wins shared with <team>:").
MOMENTUM_RULE = (
    f"each day with a win moves it {round(GAIN * 100)}% of the way to 100, each active day without one takes "
    f"{round(GAIN * 100)}% off it, and rest days leave it as it is."
)


def counted_between(start: date, end: date, active_weekdays: Collection[int] = ALL_DAYS) -> int:
    """How many active weekdays lie strictly between two dates (none with a win, in a fold)."""
    days = (end - start).days - 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    first = start.weekday() + 1
    return weeks * len(active_weekdays) + sum((first + i) % 7 in active_weekdays for i in range(rest))


@dataclass(frozen=True)
class Mark:
    """The state after a day with a win: momentum value (0–1) and the streak ending that day."""

    day: date
    value: float
    run: int


def fold(win_days: Iterable[date], active_weekdays: Collection[int] = ALL_DAYS, start: Mark | None = None):
    """Marks for the win days (sorted, after `start`), continuing from the mark `start`."""
    marks, previous = [], start
    for day in sorted(win_days):
        if previous is None:
            mark = Mark(day, GAIN, 1)
        else:
            gap = counted_between(previous.day, day, active_weekdays)
            mark = Mark(day, previous.value * DECAY ** (gap + 1) + GAIN, previous.run + 1 if gap == 0 else 1)
        marks.append(mark)
        previous = mark
    return marks


@dataclass(frozen=True)
class Standing:
    value: float  # momentum, 0–1
    before_today: float  # the value had today not counted
    streak: int

    @property
    def score(self):
        """The momentum value as the score people see (0–100)."""
        return score_of(self.value)


def standing(last: Mark | None, today: date, active_weekdays: Collection[int] = ALL_DAYS) -> Standing:
    """Momentum and streak today, from the last mark on or before today."""
    if last is None:
        return Standing(0.0, 0.0, 0)
    if last.day == today:
        return Standing(last.value, (last.value - GAIN) / DECAY, last.run)
    gap = counted_between(last.day, today, active_weekdays)
    value = last.value * DECAY**gap
    return Standing(value, value, last.run if gap == 0 else 0)


def _last_mark(win_days, today, active_weekdays):
    """The mark of the last win day on or before today, or None."""
    marks = fold((d for d in win_days if d <= today), active_weekdays)
    return marks[-1] if marks else None


def streak(win_days: Collection[date], today: date, active_weekdays: Collection[int] = ALL_DAYS) -> int:
    """Consecutive counted days with a win, up to today; today without a win (yet) does not break it."""
    return standing(_last_mark(win_days, today, active_weekdays), today, active_weekdays).streak


@dataclass(frozen=True)
class Momentum:
    score: int  # 0–100
    before_today: int  # the score had today not counted
    days_to_next_ten: int  # consecutive days with a win that bring the score to the next multiple of 10

    @property
    def gained_today(self):
        """How much today's win added to the score (0 before it)."""
        return self.score - self.before_today

    @property
    def next_ten(self):
        """The next multiple of ten the score can reach (100 at most)."""
        return min(100, (self.score // 10 + 1) * 10)


def momentum_value(win_days: Collection[date], today: date, active_weekdays: Collection[int] = ALL_DAYS) -> float:
    """The smoothed share of counted days with a win, 0.0–1.0, from the first win to today."""
    return standing(_last_mark(win_days, today, active_weekdays), today, active_weekdays).value


def momentum(win_days: Collection[date], today: date, active_weekdays: Collection[int] = ALL_DAYS) -> Momentum:
    """Momentum with its explanation: what today did to it, and how far the next 10 is."""
    return explain(standing(_last_mark(win_days, today, active_weekdays), today, active_weekdays))


def explain(now: Standing) -> Momentum:
    """A standing as the score people see, with what today did to it and how far the next ten is."""
    score = now.score
    return Momentum(score=score, before_today=score_of(now.before_today), days_to_next_ten=_days_to_next_ten(now.value))


SPARK_DAYS = 30


def day_values(marks: dict[date, float], start: float, days: list[date], active_weekdays=ALL_DAYS, today=None):
    """Momentum values at the end of each of `days` (ascending), starting from `start` the day before.

    The rules of `standing`, one day at a time: a win day takes its mark, a missed active day decays,
    a rest day keeps the value, and `today` without a win does not count yet.
    """
    value, values = start, []
    for day in days:
        if day in marks:
            value = marks[day]
        elif value and day != today and day.weekday() in active_weekdays:
            value *= DECAY
        values.append(value)
    return values


def value_before(mark: Mark, day: date, active_weekdays=ALL_DAYS) -> float:
    """Momentum at the end of `day`, from the first mark after it (no win in between): `fold` run backwards.

    A mark's value is the value before it decayed over the counted days between, decayed once more for the
    day itself, plus GAIN; undoing that gives the value on any day of the gap.
    """
    return max(0.0, (mark.value - GAIN) / DECAY ** (1 + counted_between(day, mark.day, active_weekdays)))


def score_of(value):
    """A momentum value (0–1) as the score people see (0–100)."""
    return min(100, max(0, round(value * 100)))


def _days_to_next_ten(value):
    """How many days with a win in a row bring a momentum value to the next multiple of ten."""
    score = score_of(value)
    if score >= 100:
        return 0
    goal = (score // 10 + 1) * 10 - 0.5  # the value that rounds to the next multiple of ten
    # value' = 1 - (1 - value) * DECAY**n  >=  goal / 100
    return max(1, math.ceil(math.log((1 - goal / 100) / (1 - value)) / math.log(DECAY)))


def team_momentum(scores: Iterable[int]) -> int:
    """A team's momentum: its members' mean, 0 for a team with no members."""
    scores = list(scores)
    return round(sum(scores) / len(scores)) if scores else 0
