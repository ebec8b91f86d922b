from datetime import timedelta

from django.db import migrations

TEAM_DAYS, TEAM_POINT_DAYS = 380, 70  # wins.totals' when this was written


def fill(apps, schema_editor):
    """Each team's recent days (Team.recent), from its day totals, as wins.totals.save_team_recent keeps them."""
    Team = apps.get_model("teams", "Team")
    TeamDayTotal = apps.get_model("wins", "TeamDayTotal")
    for team in Team.objects.iterator():
        rows = list(TeamDayTotal.objects.filter(team_id=team.pk).order_by("-day")[:TEAM_DAYS])
        if not rows:
            continue
        last = rows[0].day
        first = last - timedelta(days=TEAM_DAYS - 1)
        wins, points = [0] * TEAM_DAYS, [0] * TEAM_POINT_DAYS
        for row in rows:
            if row.day >= first:
                i = (row.day - first).days
                wins[i] = row.wins
                if i >= TEAM_DAYS - TEAM_POINT_DAYS:
                    points[i - (TEAM_DAYS - TEAM_POINT_DAYS)] = row.points
        team.recent = {"day": last.isoformat(), "wins": wins, "points": points}
        team.save(update_fields=["recent"])


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0008_team_recent_days"),
        ("wins", "0008_spark_as_scores"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
