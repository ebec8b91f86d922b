"""Fill an empty database with a believable demo and print how to sign in.

It lives in `goals`, the app that may import the others, because the demo spans them all.
Options set the size, so the same command feeds the benchmarks with a large organisation.
"""

import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from teams import services as team_services
from teams.models import Membership, Person

DEMO_PASSWORD = "small-wins-daily"
LEAD_EMAIL = "lead@example.com"
MEMBER_EMAIL = "member@example.com"

# The seeds' world: a personal-brand group, a sales crew, a job-search circle, a delivery team, a run club.
TEAMS = [
    ("Brand Builders", "personal-brand", "Hundreds of micro-wins build a reputation as an authority in our field."),
    ("Sales Crew", "sales-activity", "We ask ten people a week for the sale: the yeses take care of themselves."),
    ("Career Circle", "job-search", "Twenty conversations in thirty days open more doors than a hundred applications."),
    ("Platform Team", "delivery-team", "Meaningful work, clear milestones, and no impediment left standing."),
    ("Run Club", "fitness", "Small wins lead to big wins: a sub-8:00 10k by next April."),
]
FIRST = [
    "Priya",
    "Jonas",
    "Aiko",
    "Omar",
    "Lena",
    "Tomás",
    "Grace",
    "Kwame",
    "Ines",
    "Ravi",
    "Nora",
    "Felix",
    "Zoe",
    "Hugo",
    "Amara",
    "Theo",
    "Mei",
    "Luca",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Rao",
    "Becker",
    "Tanaka",
    "Haddad",
    "Novak",
    "Silva",
    "Brennan",
    "Mensah",
    "Duarte",
    "Iyer",
    "Kowalski",
    "Weber",
]
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "Asia/Kolkata", "Australia/Sydney"]


class Command(BaseCommand):
    help = "Load demo data (once) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--teams", type=int, default=3, help="number of teams (default 3)")
        parser.add_argument("--members", type=int, default=6, help="members per team, the lead included (default 6)")
        parser.add_argument("--days", type=int, default=120, help="days of history (default 120)")
        parser.add_argument("--seed", type=int, default=7, help="random seed, for the same demo every time")

    def handle(self, *args, teams, members, days, seed, **options):
        if Person.objects.filter(email=LEAD_EMAIL).exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            with transaction.atomic():
                build(random.Random(seed), teams=teams, members=members, days=days)
            self.stdout.write(f"Demo data loaded: {teams} teams of {members}, {days} days of history.")
        self.stdout.write(
            self.style.SUCCESS(f"Sign in at http://127.0.0.1:8000/accounts/login/ as {LEAD_EMAIL} (a team lead)")
            + f"\n  or as {MEMBER_EMAIL} (a member); the password for both is {DEMO_PASSWORD}"
        )


def build(rng, *, teams, members, days):
    """People and teams: the demo lead leads the first team and is a member of the second."""
    password = make_password(DEMO_PASSWORD)
    people = []
    for t in range(teams):
        name, sheet, purpose = TEAMS[t % len(TEAMS)]
        name = name if t < len(TEAMS) else f"{name} {t // len(TEAMS) + 1}"
        crew = [make_person(rng, t, m, password) for m in range(members)]
        team = team_services.create_team(
            lead=crew[0], name=name, purpose=purpose, time_zone=crew[0].time_zone, score_sheet=sheet
        )
        Membership.objects.bulk_create(Membership(team=team, person=p) for p in crew[1:])
        people.append((team, crew))
    if teams > 1:  # the demo lead also belongs to a second team, to show the switcher
        Membership.objects.create(team=people[1][0], person=people[0][1][0])
    return people


def make_person(rng, t, m, password):
    if (t, m) == (0, 0):
        email, display_name, zone = LEAD_EMAIL, "Maya Okafor", "Europe/London"
    elif (t, m) == (0, 1):
        email, display_name, zone = MEMBER_EMAIL, "Sam Lindqvist", "Europe/Berlin"
    else:
        n = t * 31 + m  # a different name for everyone in a team
        display_name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 5 + t) % len(LAST)]}"
        email, zone = f"t{t}m{m}@example.com", rng.choice(ZONES)
    person = Person.objects.create(email=email, display_name=display_name, time_zone=zone, password=password)
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person
