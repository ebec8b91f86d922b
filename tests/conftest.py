import itertools

import pytest
from allauth.account.models import EmailAddress

from teams.models import Person

_numbers = itertools.count(1)


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
