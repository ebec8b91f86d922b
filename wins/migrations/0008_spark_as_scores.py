from django.db import migrations


def to_scores(apps, schema_editor):
    """A standing's spark holds the scores people see (0–100), no longer the values behind them (0–1)."""
    Membership = apps.get_model("teams", "Membership")
    for membership in Membership.objects.filter(standing__isnull=False).iterator():
        spark = membership.standing["spark"]
        if spark and isinstance(spark[0], float):
            membership.standing["spark"] = [min(100, max(0, round(v * 100))) for v in spark]
            membership.save(update_fields=["standing"])


def to_values(apps, schema_editor):
    Membership = apps.get_model("teams", "Membership")
    for membership in Membership.objects.filter(standing__isnull=False).iterator():
        membership.standing["spark"] = [score / 100 for score in membership.standing["spark"]]
        membership.save(update_fields=["standing"])


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0007_membership_standing"),
        ("wins", "0007_standing_on_membership"),
    ]

    operations = [migrations.RunPython(to_scores, to_values)]
