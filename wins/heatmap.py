"""The year heatmap: wins per day as a grid, a column a week (Monday on top), each day labelled for screen
readers. The numbers are laid out here; wins/_heatmap.html draws them as SVG."""

from dataclasses import dataclass
from datetime import timedelta

WEEKS = 53
CELL = 13  # an 11-pixel square and its gap
TOP = 14  # room for the month labels


WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()  # noqa: SIM905 (strftime is slower, 371 times a map)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()  # noqa: SIM905


@dataclass(frozen=True, slots=True)
class Cell:
    x: int
    y: int
    level: int  # 0 (none) to 4 (the busiest days)
    label: str  # "2 wins on Mon 5 Jan 2026"


def heatmap(per_day, today, weeks=WEEKS, label="Wins per day"):
    """The cells, month labels and accessible title of a year of {local date: wins} ending today."""
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    top = max((n for d, n in per_day.items() if first <= d <= today), default=0)
    cells, months = [], []
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        n = per_day.get(day, 0)
        column = offset // 7
        level = 0 if not n else min(4, 1 + (n - 1) * 4 // top)
        date_words = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"
        label = f"{n} win{'' if n == 1 else 's'} on {date_words}"
        cells.append(Cell(column * CELL, TOP + day.weekday() * CELL, level, label))
        if day.day == 1 and column < weeks - 1:
            months.append((column * CELL, MONTHS[day.month - 1]))
    total = sum(n for d, n in per_day.items() if first <= d <= today)
    return {
        "cells": cells,
        "months": months,
        "width": weeks * CELL,
        "height": TOP + 7 * CELL,
        "title": f"{label}: {total} win{'' if total == 1 else 's'} since {first.day} {first:%B %Y}",
    }
