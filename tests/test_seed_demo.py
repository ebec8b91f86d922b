"""The demo is for development: with DEBUG off it refuses unless asked, and then no account has the published
password."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from goals.management.commands.seed_demo import DEMO_PASSWORD, LEAD_EMAIL
from teams.models import Person

SMALL = ["--teams", "1", "--members", "2", "--days", "3"]


def test_with_debug_off_the_demo_refuses(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--not-for-development"):
        call_command("seed_demo", *SMALL, stdout=io.StringIO())
    assert not Person.objects.exists()


def test_asked_with_debug_off_it_loads_with_a_random_password(db, settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("seed_demo", *SMALL, "--not-for-development", stdout=out)
    password = re.search(r"the password for both is (\S+)", out.getvalue())[1]
    lead = Person.objects.get(email=LEAD_EMAIL)
    assert password != DEMO_PASSWORD and len(password) >= 16
    assert lead.check_password(password) and not lead.check_password(DEMO_PASSWORD)


def test_in_development_it_uses_the_published_password(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", *SMALL, stdout=out)
    assert DEMO_PASSWORD in out.getvalue()
    assert Person.objects.get(email=LEAD_EMAIL).check_password(DEMO_PASSWORD)
