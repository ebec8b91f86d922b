"""Delete my account (/account/delete/): confirmed with the password (or a mailed code without one); nothing of
the person stays in the database; a team they lead alone passes to its longest-standing member, or, with nobody
else in it, is deleted after a warning that names it."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import models
from django.test import Client

from goals.models import Goal, Intention, Measurement, Review
from teams.models import Blocker, Membership, Team
from teams.services import create_invitation, create_team, remove_membership
from tests.conftest import totp_code
from wins import rollups
from wins.models import DayTotal, Win
from wins.services import add_comment, toggle_applause

PASSWORD = "pw-for-tests"


SECRET = "JBSWY3DPEHPK3PXP"


def sign_in(client, person, clock):
    """Sign in through allauth's forms, password then authenticator code, as a person does: the session is
    recorded (usersessions). A code is good once, so the clock moves on to the app's next one first."""
    clock.shift(30)
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/", response
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert response.status_code == 302 and response.url == "/today/", response


def everything_about(person_id, email):
    """Every row, of every model of every app, that names the person by id or by address."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.label == "teams.Person":
                rows = model._default_manager.filter(**{field.attname: person_id})
            elif isinstance(field, models.CharField | models.TextField):
                rows = model._default_manager.filter(**{f"{field.name}__icontains": email})
            elif isinstance(field, models.JSONField):
                rows = [row for row in model._default_manager.all() if email in str(getattr(row, field.name))]
            else:
                continue
            if field.model is model and (rows.exists() if hasattr(rows, "exists") else rows):
                found.append(f"{model._meta.label}.{field.name}")
    for session in Session.objects.all():
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) == str(person_id) or email in str(data):
            found.append(f"session {session.session_key}")
    return found


@pytest.fixture
def busy(make_team, make_person, make_win, client, clock):
    """A person with a bit of everything: wins and goals, applause and comments both ways, a blocker, a
    mailed invitation, an authenticator, a Google account, a team they left, and two signed-in sessions."""
    team = make_team(members=2, name="Run Club", days=5)
    person = team.members[0]
    mate = team.lead
    own_win = make_win(person, team, text="My 5k")
    make_win(person, None, text="Private win")
    goal = Goal.objects.create(owner=person, title="Sub 25", kind="measure", unit="duration", target=1500)
    Measurement.objects.create(goal=goal, value=1600, day=person.local_today())
    Intention.objects.create(person=person, day=person.local_today(), text="Stretch")
    Review.objects.create(person=person, day=person.local_today(), learnt="Rest")
    Blocker.objects.create(team=team, raised_by=person, text="Knee hurts", day=person.local_today())
    mates_win = make_win(mate, team, text="Mate's win")
    add_comment(win=mates_win, author=person, text="Nice one")
    toggle_applause(win=mates_win, person=person)
    add_comment(win=own_win, author=mate, text="Go you")
    toggle_applause(win=own_win, person=mate)
    create_invitation(team=team, created_by=mate, role="member", email=person.email.upper())
    other = make_team(members=0, name="Old Club")
    Membership.objects.create(team=other, person=person)
    remove_membership(membership=other.memberships.get(person=person))
    EmailAddress.objects.create(user=person, email="second@example.org", verified=True)
    TOTP.activate(person, SECRET)
    SocialAccount.objects.create(user=person, provider="google", uid="123", extra_data={"email": person.email})
    elsewhere = Client(HTTP_USER_AGENT="Mozilla/5.0 (Android 14) Firefox/130.0")
    sign_in(elsewhere, person, clock)
    sign_in(client, person, clock)
    return {"team": team, "person": person, "mate": mate, "elsewhere": elsewhere}


def test_deletion_leaves_nothing_of_the_person(client, busy):
    person, team = busy["person"], busy["team"]
    person_id, email = person.pk, person.email
    assert len(everything_about(person_id, email)) > 10  # the walk finds them before

    response = client.post("/account/delete/", {"password": PASSWORD})

    assert response.status_code == 302 and response.url == "/"
    assert everything_about(person_id, email) == []
    assert not everything_about(person_id, "second@example.org")
    assert client.get("/today/").status_code == 302  # signed out here
    assert busy["elsewhere"].get("/today/").status_code == 302  # and everywhere else
    # The team goes on: its lead, their wins, and the comment the person got on a win that is gone with it.
    assert Membership.objects.filter(team=team).count() == 2
    assert Win.objects.filter(team=team, text="Mate's win").exists()


def test_teammates_numbers_are_theirs_as_before(client, busy):
    team, person = busy["team"], busy["person"]
    others = DayTotal.objects.filter(team=team).exclude(person=person)
    before = sorted(others.values_list("person", "day", "wins", "points", "value", "run"))

    client.post("/account/delete/", {"password": PASSWORD})

    assert sorted(others.values_list("person", "day", "wins", "points", "value", "run")) == before
    assert not DayTotal.objects.filter(person_id=person.pk).exists()
    rollups.rebuild(team)  # a fresh count from the wins left agrees with the rollup
    assert sorted(DayTotal.objects.filter(team=team).values_list("person", "day", "wins", "points")) == [
        row[:4] for row in before
    ]


def test_a_wrong_password_deletes_nothing_and_says_so(client, make_person):
    person = make_person()
    client.force_login(person)
    response = client.post("/account/delete/", {"password": "not it"})
    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    response = client.post("/account/delete/", {})
    assert "This field is required." in response.content.decode()
    assert type(person).objects.filter(pk=person.pk).exists()


def test_the_page_says_what_goes(client, make_person):
    client.force_login(make_person())
    response = client.get("/account/delete/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Delete your account?" in body and 'name="password"' in body and "Download your data" in body


def test_a_team_i_lead_alone_passes_to_its_longest_standing_member(client, make_team, make_person, clock):
    team = make_team(members=0, name="Run Club")
    newer, older = make_person(display_name="Newer"), make_person(display_name="Older")
    Membership.objects.create(team=team, person=older, joined_at=team.created_at + timedelta(days=1))
    Membership.objects.create(team=team, person=newer, joined_at=team.created_at + timedelta(days=9))
    client.force_login(team.lead)

    page = client.get("/account/delete/").content.decode()
    assert "Run Club" in page and "Older, its longest-standing member, becomes its lead." in page

    assert client.post("/account/delete/", {"password": PASSWORD}).status_code == 302
    assert dict(team.memberships.values_list("person__display_name", "role")) == {"Older": "lead", "Newer": "member"}


def test_a_team_with_another_lead_keeps_its_leads(client, make_team):
    team = make_team(members=1)
    other = team.memberships.get(person=team.members[0])
    other.role = "lead"
    other.save()
    client.force_login(team.lead)
    assert "Teams you lead alone" not in client.get("/account/delete/").content.decode()
    client.post("/account/delete/", {"password": PASSWORD})
    assert list(team.memberships.values_list("role", flat=True)) == ["lead"]


def test_a_team_nobody_else_is_in_is_deleted_only_once_ticked(client, make_person, make_win):
    person = make_person()
    team = create_team(lead=person, name="Solo Studio")
    make_win(person, team, text="Solo win")
    client.force_login(person)

    page = client.get("/account/delete/").content.decode()
    assert "Solo Studio is deleted with your account" in page
    assert "Delete Solo Studio, its wins and its goals" in page

    response = client.post("/account/delete/", {"password": PASSWORD})
    assert response.status_code == 200 and "Tick each team" in response.content.decode()
    assert Team.objects.filter(pk=team.pk).exists()

    response = client.post("/account/delete/", {"password": PASSWORD, "delete_teams": [team.slug]})
    assert response.status_code == 302
    assert not Team.objects.filter(pk=team.pk).exists()
    assert not Win.objects.filter(text="Solo win").exists()


def test_a_team_that_became_mine_alone_since_the_page_asks_again(client, make_team):
    """Someone left between the page and the press: the team would go without a warning, so it is asked."""
    team = make_team(members=1, name="Pair")
    client.force_login(team.lead)
    assert "Pair is deleted" not in client.get("/account/delete/").content.decode()
    remove_membership(membership=team.memberships.get(person=team.members[0]))
    response = client.post("/account/delete/", {"password": PASSWORD})
    assert response.status_code == 200 and "Pair is deleted with your account" in response.content.decode()
    assert Team.objects.filter(pk=team.pk).exists()


def test_without_a_password_a_mailed_code_confirms(client, make_person):
    person = make_person()
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    assert 'name="code"' in client.get("/account/delete/").content.decode()

    client.post("/account/delete/", {"send_code": "1"})
    (message,) = mail.outbox
    assert message.to == [person.email]
    code = re.search(r"\b(\d{6})\b", message.body).group(1)

    response = client.post("/account/delete/", {"code": "000000" if code != "000000" else "111111"})
    assert "That code is not the one we mailed" in response.content.decode()
    assert client.post("/account/delete/", {"code": code}).status_code == 302
    assert not type(person).objects.filter(pk=person.pk).exists()


def test_a_mailed_code_expires(client, make_person, clock):
    person = make_person()
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    client.post("/account/delete/", {"send_code": "1"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    clock.shift(16 * 60)
    response = client.post("/account/delete/", {"code": code})
    assert response.status_code == 200 and "expired" in response.content.decode()
    assert type(person).objects.filter(pk=person.pk).exists()


def test_deletion_wants_post_and_a_signed_in_person(client):
    response = client.post("/account/delete/", {"password": PASSWORD})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
