from django.core.management.base import BaseCommand

from teams.models import Team
from wins import rollups


class Command(BaseCommand):
    help = "Recount every team's rollup from its wins (after a bulk import)."

    def handle(self, *args, **options):
        for team in Team.objects.order_by("pk"):
            rollups.rebuild(team)
        self.stdout.write(f"Rebuilt the rollups of {Team.objects.count()} teams.")
