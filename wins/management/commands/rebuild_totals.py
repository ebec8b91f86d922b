from django.core.management.base import BaseCommand

from teams.models import Team
from wins import totals


class Command(BaseCommand):
    help = "Recount every team's day totals and standings from its wins (after a bulk import or an upgrade)."

    def handle(self, *args, **options):
        for team in Team.objects.order_by("pk"):
            totals.rebuild(team)
        self.stdout.write(f"Rebuilt the totals of {Team.objects.count()} teams.")
