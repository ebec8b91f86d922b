"""Fill an empty database with a believable demo and print how to sign in.

It lives in `goals`, the app that may import the others, because the demo spans them all.
"""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from teams.models import Person

DEMO_PASSWORD = "small-wins-daily"
LEAD_EMAIL = "lead@example.com"
MEMBER_EMAIL = "member@example.com"


def demo_person(email, display_name, time_zone="Europe/London"):
    person = Person.objects.create_user(email, DEMO_PASSWORD, display_name=display_name, time_zone=time_zone)
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person


class Command(BaseCommand):
    help = "Load demo data (once) and print how to sign in."

    def handle(self, *args, **options):
        if Person.objects.filter(email=LEAD_EMAIL).exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            with transaction.atomic():
                demo_person(LEAD_EMAIL, "Maya Lead")
                demo_person(MEMBER_EMAIL, "Sam Member")
            self.stdout.write("Demo data loaded.")
        self.stdout.write(
            self.style.SUCCESS(f"Sign in at http://127.0.0.1:8000/accounts/login/ as {LEAD_EMAIL} (a team lead)")
            + f"\n  or as {MEMBER_EMAIL}, password for both: {DEMO_PASSWORD}"
        )
