from django.db import migrations


def to_memberships(apps, schema_editor):
    """Each member's Standing row becomes their Membership.standing."""
    Standing = apps.get_model("wins", "Standing")
    Membership = apps.get_model("teams", "Membership")
    for s in Standing.objects.iterator():
        Membership.objects.filter(team_id=s.team_id, person_id=s.person_id).update(
            standing={
                "day": s.day.isoformat(),
                "value": s.value,
                "run": s.run,
                "spark": s.spark,
                "wins": s.wins,
                "points": s.points,
            }
        )


def to_standings(apps, schema_editor):
    Standing = apps.get_model("wins", "Standing")
    Membership = apps.get_model("teams", "Membership")
    Standing.objects.bulk_create(
        Standing(
            team_id=m.team_id,
            person_id=m.person_id,
            day=m.standing["day"],
            value=m.standing["value"],
            run=m.standing["run"],
            spark=m.standing["spark"],
            wins=m.standing["wins"],
            points=m.standing["points"],
        )
        for m in Membership.objects.filter(standing__isnull=False).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0007_membership_standing"),
        ("wins", "0006_standing_recent_days"),
    ]

    operations = [
        migrations.RunPython(to_memberships, to_standings),
        migrations.RemoveConstraint(model_name="standing", name="one_standing_per_member"),
        migrations.DeleteModel(name="Standing"),
    ]
