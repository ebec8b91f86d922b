"""Inputs that once answered 500 (issue 14): each now gets a message next to its field, and nothing is stored.
And every field of every form has a bound, listed in docs/limits.md.

The server runs as in production (DEBUG off, exceptions turned into answers), so a crash reads as a 500 here.
"""

import inspect
from decimal import Decimal
from pathlib import Path

import pytest
from allauth.account.forms import SignupForm
from django import forms

import goals.dashboard
import goals.forms
import teams.forms
import wins.forms
from goals.models import Goal, Measurement
from goals.services import start_from
from teams.models import Blocker, Person

HUGE = "9" * 5000


@pytest.fixture
def production(client, settings, db):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


@pytest.fixture
def runner(production, make_person):
    """A person with a measure goal in time (5k pace, `8:00`) and one in kilometres."""
    person = make_person()
    production.force_login(person)
    macro = start_from(starter="runner", owner=person, today=person.local_today())
    distance = Goal.objects.create(owner=person, title="Run far", kind="measure", unit="km", target=10)
    return {"person": person, "pace": macro, "distance": distance}


def measure(client, goal, value, htmx=False):
    person = goal.owner
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/goals/{goal.code}/measurements/", {"value_text": value, "day": person.local_today()}, headers=headers
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("²", "is not a time"),
        ("³:00", "is not a time"),
        (HUGE, "at most 30 characters"),
        ("99999999999999999999", "That time is too long"),
        ("111111111111:00:00", "That time is too long"),
        ("1000000:00:00", "That time is too long"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_measurement_of_time_that_is_no_time_is_refused_with_a_message(runner, production, value, message, htmx):
    response = measure(production, runner["pace"], value, htmx=htmx)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("²", "is not a number"),
        (HUGE, "at most 30 characters"),
        ("99999999999999999999", "That number is too large"),
        ("9999999999.999", "That number is too large"),  # rounds up to 13 digits: more than the column holds
        ("1e5", "is not a number"),
    ],
)
def test_a_measurement_of_a_number_out_of_bounds_is_refused_with_a_message(runner, production, value, message):
    response = measure(production, runner["distance"], value)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_largest_values_are_stored(runner, production):
    measure(production, runner["distance"], "9,999,999,999.99")
    measure(production, runner["pace"], "999999:59:59")
    values = set(Measurement.objects.values_list("value", flat=True))
    assert values == {Decimal("9999999999.99"), 999_999 * 3600 + 59 * 60 + 59}


@pytest.mark.parametrize("kind", ["count", "activity"])
@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("²", "a whole number from 1 to 1000"),
        ("١٠٠٠٠", "a whole number from 1 to 1000"),
        (HUGE, "at most 30 characters"),
        ("99999999999999999999", "a whole number from 1 to 1000"),
    ],
)
def test_a_count_goal_with_a_target_that_is_no_number_is_refused(production, make_person, kind, target, message):
    production.force_login(make_person())
    data = {"title": "Ask for intros", "kind": kind, "period": "week", "target_text": target}
    response = production.post("/goals/new/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'value="Ask for intros"' in html
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("unit", "baseline", "message"),
    [
        ("duration", HUGE, "at most 30 characters"),
        ("number", HUGE, "at most 30 characters"),
        ("duration", "²", "is not a time"),
        ("duration", "99999999999999999999", "That time is too long"),
        ("km", "99999999999999999999", "That number is too large"),
    ],
)
def test_a_measure_goal_with_a_start_out_of_bounds_is_refused(production, make_person, unit, baseline, message):
    production.force_login(make_person())
    data = {"title": "Faster", "kind": "measure", "unit": unit, "target_text": "10", "baseline_text": baseline}
    response = production.post("/goals/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Goal.objects.exists()


def test_a_blocker_longer_than_a_blocker_holds_is_refused_and_the_review_kept(production, make_team):
    """The review keeps 2000 characters of what got in the way; a blocker holds 500 (PostgreSQL said 500)."""
    team = make_team()
    member = team.members[0]
    production.force_login(member)
    data = {
        "day": member.local_today().isoformat(),
        "in_the_way": "x" * 501,
        "raise_blocker": "on",
        "blocker_team": team.slug,
    }
    response = production.post("/review/", data)
    assert response.status_code == 200
    assert "A blocker is at most 500 characters" in response.content.decode()
    assert not Blocker.objects.exists()
    data["in_the_way"] = "x" * 500
    assert production.post("/review/", data).status_code == 302
    assert Blocker.objects.get().text == "x" * 500


def test_signing_up_with_an_email_longer_than_the_column_is_refused(production):
    """allauth's email field takes 320 characters, the address columns hold 254: allauth cut the address to fit,
    and the account went to an address that isn't the person's."""
    email = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".example"  # a valid address of 264 characters
    data = {"email": email, "display_name": "Lee", "time_zone": "UTC", "password1": "small-wins-daily-9"}
    response = production.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert not Person.objects.filter(email=email).exists()


def form_classes():
    for module in (wins.forms, goals.forms, teams.forms, goals.dashboard):
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                yield name, form


UNBOUNDED = {"SignupForm.password1": "hashed, never stored as typed; the request's size bounds it"}


def is_bounded(name, field):
    if isinstance(field, forms.CharField) and not isinstance(field, forms.UUIDField):
        return bool(field.max_length) or name in UNBOUNDED
    if isinstance(field, forms.IntegerField | forms.DecimalField):
        return None not in (field.min_value, field.max_value)
    return True  # a choice, a date, a UUID, a yes or no: the form accepts nothing else


def test_every_form_field_is_bounded_and_in_docs_limits():
    """A text has a max length, a number a min and a max; and docs/limits.md lists the field."""
    documented = (Path(__file__).parent.parent / "docs" / "limits.md").read_text()
    fields = [(f"{name}.{key}", field) for name, form in form_classes() for key, field in form.base_fields.items()]
    fields += [(f"SignupForm.{key}", field) for key, field in SignupForm().fields.items()]  # allauth's, on ours
    unbounded = [name for name, field in fields if not is_bounded(name, field)]
    assert not unbounded, f"give these a bound: {unbounded}"
    missing = [name for name, _ in fields if f"`{name}`" not in documented]
    assert not missing, f"add these to docs/limits.md: {missing}"
