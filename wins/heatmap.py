"""The year heatmap: wins per day as an SVG grid, a column a week, each day labelled for screen readers.

Rendered in Python because a year is 371 cells: a template loop (or escaping every number) would
cost more than all the queries of the dashboard.
"""

from datetime import timedelta

from django.utils.html import format_html
from django.utils.safestring import mark_safe

WEEKS = 53
CELL = 13  # an 11-pixel square and its gap
TOP = 14  # room for the month labels
WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()  # noqa: SIM905 (faster than strftime, 371 times)
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()  # noqa: SIM905


def heatmap(per_day, today, weeks=WEEKS, label="Wins per day"):
    """{'svg', 'legend'} for {local date: wins}, a year ending today (Monday on top)."""
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    top = max((n for d, n in per_day.items() if d >= first), default=0)
    cells, months, total = [], [], 0
    day = first
    while day <= today:
        n = per_day.get(day, 0)
        total += n
        level = 0 if n == 0 else min(4, 1 + (n - 1) * 4 // top)
        column = (day - first).days // 7
        # Numbers and dates only: nothing here needs escaping, and a year is 371 cells.
        weekday, month = day.weekday(), MONTHS[day.month - 1]
        cells.append(
            f'<rect x="{column * CELL}" y="{TOP + weekday * CELL}" width="11" height="11" rx="2" '
            f'class="level-{level}" role="img"><title>{n} win{"" if n == 1 else "s"} on '
            f"{WEEKDAYS[weekday]} {day.day} {month} {day.year}</title></rect>"
        )
        if day.day == 1 and column < weeks - 1:
            months.append(f'<text x="{column * CELL}" y="9" aria-hidden="true">{month}</text>')
        day += timedelta(days=1)
    width, height = weeks * CELL, TOP + 7 * CELL
    title = f"{label}: {total} win{'' if total == 1 else 's'} since {first.day} {first:%B %Y}"
    svg = format_html(
        '<div class="heatmap-box"><svg class="heatmap" viewBox="0 0 {} {}" width="{}" height="{}" role="group"'
        ' aria-label="{}">{}</svg></div>',
        width,
        height,
        width,
        height,
        title,  # the label may hold a person's name: format_html escapes it
        mark_safe("".join(months) + "".join(cells)),
    )
    return {"svg": svg, "legend": LEGEND}


LEGEND = mark_safe(
    '<p class="heatmap-legend muted" aria-hidden="true">Less <svg width="70" height="11" class="heatmap">'
    + "".join(f'<rect x="{14 * i}" width="11" height="11" rx="2" class="level-{i}"/>' for i in range(5))
    + "</svg> More</p>"
)
