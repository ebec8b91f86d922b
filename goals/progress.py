"""Progress of a goal, for each of the four kinds: pure functions over numbers the caller fetched."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .measures import format_value


@dataclass
class Progress:
    fraction: float  # 0.0–1.0
    label: str
    reached: bool = False
    this_period: int | None = None  # activity: wins in the current period
    period_streak: int | None = None  # activity: periods met in a row
    streak_capped: bool = False  # activity: the streak may go further back than was read
    micro: tuple[int, int] | None = field(default=None)  # macro: (micro goals achieved, micro goals)

    @property
    def percent(self):
        return round(self.fraction * 100)


def period_start(day: date, period: str, week_start: int = 0) -> date:
    """The first day of the day, week (from `week_start`, 0 = Monday) or month that holds `day`."""
    if period == "week":
        return day - timedelta(days=(day.weekday() - week_start) % 7)
    if period == "month":
        return day.replace(day=1)
    return day


def previous_period_start(start: date, period: str) -> date:
    if period == "week":
        return start - timedelta(days=7)
    if period == "month":
        return (start - timedelta(days=1)).replace(day=1)
    return start - timedelta(days=1)


PERIOD_WORDS = {"day": "today", "week": "this week", "month": "this month"}


def milestone(done: bool) -> Progress:
    return Progress(1.0 if done else 0.0, "Done" if done else "Not yet", reached=done)


def count(linked: int, target: int) -> Progress:
    target = max(int(target or 1), 1)
    return Progress(min(linked / target, 1.0), f"{linked} of {target} wins", reached=linked >= target)


def activity(
    per_day: dict[date, int], target: int, period: str, today: date, week_start: int, since: date, read_from=None
):
    """This period's wins against the target, and the streak of periods met (the current one counts once met).

    `read_from` is the first day whose wins were read (when not the goal's start): a streak reaching it is capped.
    """
    target = max(int(target or 1), 1)
    totals = {}
    for day, n in per_day.items():
        start = period_start(day, period, week_start)
        totals[start] = totals.get(start, 0) + n
    current = period_start(today, period, week_start)
    now = totals.get(current, 0)
    streak = 1 if now >= target else 0
    capped = read_from is not None and read_from > since
    first = period_start(read_from if capped else since, period, week_start)
    if capped and first < read_from:  # a period only partly read cannot be judged
        first = _next_period_start(first, period)
    start = previous_period_start(current, period)
    while start >= first and totals.get(start, 0) >= target:
        streak += 1
        start = previous_period_start(start, period)
    label = f"{now} of {target} {PERIOD_WORDS[period]}"
    return Progress(
        min(now / target, 1.0),
        label,
        reached=False,
        this_period=now,
        period_streak=streak,
        streak_capped=capped and start < first,
    )


def _next_period_start(start, period):
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return (start + timedelta(days=32)).replace(day=1)
    return start + timedelta(days=1)


def measure(best: Decimal | None, baseline: Decimal | None, target: Decimal, direction: str, unit: str) -> Progress:
    """From the baseline toward the target, by the best value logged so far (lower is better for `down`)."""
    if best is None:
        return Progress(0.0, f"No entries yet · target {format_value(target, unit)}")
    start = baseline if baseline is not None else best
    reached = best <= target if direction == "down" else best >= target
    span = target - start
    if reached:
        fraction = 1.0
    elif span == 0:
        fraction = 0.0
    else:
        fraction = min(max(float((best - start) / span), 0.0), 1.0)
    label = f"Best {format_value(best, unit)} · target {format_value(target, unit)}"
    return Progress(fraction, label, reached=reached)
