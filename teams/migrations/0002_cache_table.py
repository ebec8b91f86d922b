from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The database cache holds rate limits and the like, so app servers stay stateless.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_person")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
