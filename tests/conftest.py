import itertools

import pytest
from allauth.account.models import EmailAddress

from teams.models import Membership, Person
from teams.services import create_team

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_person(db):
    """Make a verified person who can sign in with the password `pw-for-tests`."""

    def make(display_name=None, time_zone="Europe/London", **fields):
        n = next(_numbers)
        email = fields.pop("email", f"person{n}@example.com")
        person = Person.objects.create_user(
            email, "pw-for-tests", display_name=display_name or f"Person {n}", time_zone=time_zone, **fields
        )
        EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
        return person

    return make


@pytest.fixture
def make_team(make_person):
    """Make a team with a lead and `members` plain members: `team.lead`, `team.members` (people)."""

    def make(members=2, name=None, **fields):
        lead = make_person()
        team = create_team(lead=lead, name=name or f"Team {next(_numbers)}", **fields)
        team.lead = lead
        team.members = [make_person() for _ in range(members)]
        Membership.objects.bulk_create(Membership(team=team, person=p) for p in team.members)
        return team

    return make
