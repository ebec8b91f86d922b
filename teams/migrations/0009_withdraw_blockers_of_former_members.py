from django.db import migrations
from django.db.models import Exists, OuterRef


def withdraw(apps, schema_editor):
    """Open blockers of people who left their team are withdrawn, as leaving a team now does."""
    Blocker = apps.get_model("teams", "Blocker")
    Membership = apps.get_model("teams", "Membership")
    member = Membership.objects.filter(team=OuterRef("team"), person=OuterRef("raised_by"))
    Blocker.objects.filter(status="open").exclude(Exists(member)).update(status="withdrawn")


class Migration(migrations.Migration):
    dependencies = [("teams", "0008_team_recent_days")]

    operations = [migrations.RunPython(withdraw, migrations.RunPython.noop)]
