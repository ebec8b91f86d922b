"""Everything of a person's, as a zip of JSON and CSV: "Download all my data" on /account/.

It lives in goals, the one app that may read all three (teams, wins and goals). What a person sees of a team
follows the product's rule: nothing of a team they are no longer in, not even its name today.
"""

import csv
import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder

from teams.export import membership_rows, person_preferences, spreadsheet_safe
from wins.models import Applause, Comment, Win

from .models import Goal, Intention, Measurement, Review

LEFT = "a team you left"
README = """Microwins: all your data, as of {now}.

profile.json      your profile and preferences
microwins.json    everything below in one file
wins.csv          your wins (deleted ones are gone already)
goals.csv         your own goals (your teams' goals belong to the teams)
measurements.csv  what you logged on your measure goals
plans.csv         the three things you meant to do each day
reviews.csv       your evening reviews
comments.csv      the comments you wrote
applause.csv      the applause you gave
memberships.csv   the teams you are in, and your role
"""


def tables(person):
    """The person's rows, per table: {name: (columns, [row tuple, ...])}."""
    teams = set(person.memberships.values_list("team_id", flat=True))

    def team_name(team):
        return "" if team is None else team.name if team.pk in teams else LEFT

    # The product's rule, in one read: what the person may see, and their own wins (wins.csv has them all).
    visible = set((Win.objects.visible_to(person) | person.wins.alive()).values_list("pk", flat=True))

    def seen(win):
        """Whether the person may still see the win: its text and author go into the export only then."""
        return win.pk in visible

    def goal_seen(goal):
        return goal and (goal.owner_id == person.pk or goal.audience_id in teams)

    wins = person.wins.alive().select_related("team", "kind", "goal").order_by("day", "created_at")
    goals = Goal.objects.filter(owner=person).select_related("parent", "shared_with")
    measurements = Measurement.objects.filter(goal__owner=person).select_related("goal")
    comments = Comment.objects.filter(author=person).select_related("win").order_by("created_at")
    applause = Applause.objects.filter(person=person).select_related("win__author").order_by("created_at")
    return {
        "wins": (
            ["day", "text", "note", "team", "kind", "points", "goal", "visibility", "posted_at", "edited_at"],
            [
                (
                    w.day,
                    w.text,
                    w.note,
                    team_name(w.team),
                    w.kind.name if w.kind and team_name(w.team) != LEFT else "",
                    w.points,
                    w.goal.title if goal_seen(w.goal) else "",
                    w.visibility,
                    w.created_at,
                    w.edited_at,
                )
                for w in wins
            ],
        ),
        "goals": (
            [
                *["title", "why", "part_of", "kind", "status", "target", "baseline", "unit", "period", "direction"],
                *["due", "shared_with", "created_at", "achieved_at"],
            ],
            [
                (
                    g.title,
                    g.why,
                    g.parent.title if g.parent else "",
                    g.kind,
                    g.status,
                    g.target,
                    g.baseline,
                    g.unit,
                    g.period,
                    g.direction,
                    g.due,
                    team_name(g.shared_with),
                    g.created_at,
                    g.achieved_at,
                )
                for g in goals
            ],
        ),
        "measurements": (
            ["goal", "day", "value", "unit", "note"],
            [(m.goal.title, m.day, m.value, m.goal.unit, m.note) for m in measurements],
        ),
        "plans": (
            ["day", "position", "text", "done_at"],
            [(i.day, i.position + 1, i.text, i.done_at) for i in Intention.objects.filter(person=person)],
        ),
        "reviews": (
            ["day", "learnt", "in_the_way", "updated_at"],
            [
                (r.day, r.learnt, r.in_the_way, r.updated_at)
                for r in Review.objects.filter(person=person).order_by("day")
            ],
        ),
        "comments": (
            ["written_at", "text", "on_win"],
            [(c.created_at, c.text, c.win.text if seen(c.win) else "") for c in comments],
        ),
        "applause": (
            ["given_at", "win", "by"],
            [
                (a.created_at, a.win.text if seen(a.win) else "", a.win.author.display_name if seen(a.win) else "")
                for a in applause
            ],
        ),
        "memberships": membership_rows(person),
    }


def csv_text(columns, rows):
    """A header and the rows as CSV; a cell a spreadsheet would run as a formula starts with a quote."""

    def cell(value):
        text = "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
        return spreadsheet_safe(text)

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


def archive(person, now):
    """The zip's bytes: a README, profile.json, microwins.json (everything) and a CSV per table."""
    data = tables(person)
    profile = person_preferences(person)
    everything = {"profile": profile} | {
        name: [dict(zip(columns, row, strict=True)) for row in rows] for name, (columns, rows) in data.items()
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zip_file:
        zip_file.writestr("README.txt", README.format(now=now.isoformat(timespec="seconds")))
        zip_file.writestr("profile.json", as_json(profile))
        zip_file.writestr("microwins.json", as_json(everything))
        for name, (columns, rows) in data.items():
            zip_file.writestr(f"{name}.csv", csv_text(columns, rows))
    return buffer.getvalue()


def as_json(value):
    return json.dumps(value, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
