"""The year heatmap: wins per day as an SVG grid, a column a week, each day labelled for screen readers.

Rendered in Python (format_html escapes every value) because a year is 371 cells: a template loop
would cost more than the queries of the page.
"""

from datetime import timedelta

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WEEKS = 53
CELL = 13  # an 11-pixel square and its gap
TOP = 14  # room for the month labels


def heatmap(per_day, today, weeks=WEEKS, label="Wins per day"):
    """{'svg', 'total', 'since'} for {local date: wins}, ending today (Monday on top)."""
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    top = max((n for d, n in per_day.items() if d >= first), default=0)
    cells, months, total = [], [], 0
    day = first
    while day <= today:
        n = per_day.get(day, 0)
        total += n
        level = 0 if n == 0 else min(4, 1 + (n - 1) * 4 // top)
        column = (day - first).days // 7
        words = f"{n} win{'' if n == 1 else 's'} on {day:%a} {day.day} {day:%b %Y}"
        cells.append((column * CELL, TOP + day.weekday() * CELL, level, words))
        if day.day == 1 and column < weeks - 1:
            months.append((column * CELL, f"{day:%b}"))
        day += timedelta(days=1)
    width = weeks * CELL
    title = f"{label}: {total} win{'' if total == 1 else 's'} since {first.day} {first:%B %Y}"
    svg = format_html(
        '<div class="heatmap-box"><svg class="heatmap" viewBox="0 0 {} {}" width="{}" height="{}" role="group"'
        ' aria-label="{}">{}{}</svg></div>',
        width,
        TOP + 7 * CELL,
        width,
        TOP + 7 * CELL,
        title,
        format_html_join("", '<text x="{}" y="9" aria-hidden="true">{}</text>', months),
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="11" height="11" rx="2" class="level-{}" role="img"><title>{}</title></rect>',
            cells,
        ),
    )
    return {"svg": svg, "total": total, "since": first, "legend": LEGEND}


LEGEND = mark_safe(
    '<p class="heatmap-legend muted" aria-hidden="true">Less <svg width="70" height="11" class="heatmap">'
    + "".join(f'<rect x="{14 * i}" width="11" height="11" rx="2" class="level-{i}"/>' for i in range(5))
    + "</svg> More</p>"
)
