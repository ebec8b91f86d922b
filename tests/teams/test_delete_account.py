"""Delete my account (/account/delete/): confirmed with the password (or a mailed code without one); nothing of
the person stays in the database; a team they lead alone passes to its longest-standing member, or, with nobody
else in it, is deleted after a warning that names it."""

import base64
import pickle
import re
import smtplib
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test import Client
from django_tasks_db.models import DBTaskResult

from digests.models import Delivery
from digests.tasks import send_delivery
from goals.models import Goal, Intention, Measurement, Review
from teams import views
from teams.models import Blocker, Invitation, MailKind, Membership, Team
from teams.services import create_invitation, create_team, delete_account, remove_membership
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


def cached_values():
    """What the database cache holds (Django's DatabaseCache, table `cache`), each value unpickled to text."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM cache")
        return {key: str(pickle.loads(base64.b64decode(value))) for key, value in cursor.fetchall()}


def everything_about(person_id, *words):
    """Every row, of every model of every app (many-to-many tables included), that names the person by id or by
    one of `words` (their address, their name); every session of theirs; every cached value with a word."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.label == "teams.Person":
                rows = [model._default_manager.filter(**{field.attname: person_id}).exists()]
            elif isinstance(field, models.CharField | models.TextField):
                rows = [model._default_manager.filter(**{f"{field.name}__icontains": w}).exists() for w in words]
            elif isinstance(field, models.JSONField):
                values = [str(value) for value in model._default_manager.values_list(field.name, flat=True)]
                rows = [any(w in value for value in values) for w in words]
            else:
                continue
            if field.model is model and any(rows):
                found.append(f"{model._meta.label}.{field.name}")
    for session in Session.objects.all():
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) == str(person_id) or any(w in str(data) for w in words):
            found.append(f"session {session.session_key}")
    found += [f"cache {key}" for key, value in cached_values().items() if any(w in value for w in words)]
    return found


NAME = "Zebediah Quokka"


@pytest.fixture
def busy(make_team, make_person, make_win, client, clock):
    """A person with a bit of everything: wins and goals, applause and comments both ways, a blocker, a
    mailed invitation, an authenticator, a Google account, a team they left, a team only they are in still
    (with the win of someone who left it), a mail delivery with its queued task, the team's dashboard figures
    cached with their name, two signed-in sessions and one from before sessions were recorded."""
    team = make_team(members=2, name="Run Club", days=5)
    person = team.members[0]
    person.display_name = NAME
    person.save(update_fields=["display_name"])
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
    solo = create_team(lead=person, name="Solo Studio")
    former = make_person(display_name="Former")
    Membership.objects.create(team=solo, person=former)
    make_win(former, solo, text="Former's win in Solo Studio")
    make_win(person, solo, text="My win in Solo Studio")
    remove_membership(membership=solo.memberships.get(person=former))
    delivery = Delivery.objects.create(kind=MailKind.DIGEST, person=person, team=team, period=person.local_today())
    send_delivery.enqueue(delivery.pk)
    EmailAddress.objects.create(user=person, email="second@example.org", verified=True)
    TOTP.activate(person, SECRET)
    SocialAccount.objects.create(user=person, provider="google", uid="123", extra_data={"email": person.email})
    before = Client()
    before.force_login(person)  # a session allauth never recorded
    elsewhere = Client(HTTP_USER_AGENT="Mozilla/5.0 (Android 14) Firefox/130.0")
    sign_in(elsewhere, person, clock)
    sign_in(client, person, clock)
    mates = Client()
    mates.force_login(mate)
    assert mates.get(f"/t/{team.slug}/dashboard/?part=live", headers={"HX-Request": "true"}).status_code == 200
    return {
        "team": team,
        "person": person,
        "mate": mate,
        "elsewhere": elsewhere,
        "before": before,
        "confirm": {"password": PASSWORD, "delete_teams": [solo.slug]},
    }


def test_deletion_leaves_nothing_of_the_person(client, busy, django_capture_on_commit_callbacks):
    person, team = busy["person"], busy["team"]
    person_id, email = person.pk, person.email
    found = everything_about(person_id, email, NAME)
    assert len(found) > 10  # the walk finds them before
    assert "django_tasks_db.DBTaskResult.args_kwargs" not in found  # the task holds only the delivery's id
    assert any(f.startswith("cache ") for f in found) and DBTaskResult.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/delete/", busy["confirm"])

    assert response.status_code == 302 and response.url == "/"
    assert everything_about(person_id, email, NAME) == []
    assert not everything_about(person_id, "second@example.org")
    assert client.get("/today/").status_code == 302  # signed out here
    assert busy["elsewhere"].get("/today/").status_code == 302  # and everywhere else
    assert busy["before"].get("/today/").status_code == 302  # the unrecorded session too
    # The team goes on: its lead, their wins, and the comment the person got on a win that is gone with it.
    assert Membership.objects.filter(team=team).count() == 2
    assert Win.objects.filter(team=team, text="Mate's win").exists()
    # The team only they were in is gone; the win someone posted there before leaving is still that person's.
    assert not Team.objects.filter(name="Solo Studio").exists()
    assert list(Win.objects.filter(text__endswith="in Solo Studio").values_list("text", "team", "visibility")) == [
        ("Former's win in Solo Studio", None, "private")
    ]


def test_teammates_numbers_are_theirs_as_before(client, busy):
    team, person = busy["team"], busy["person"]
    others = DayTotal.objects.filter(team=team).exclude(person=person)
    before = sorted(others.values_list("person", "day", "wins", "points", "value", "run"))

    assert client.post("/account/delete/", busy["confirm"]).status_code == 302

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
    assert "Delete Solo Studio, its goals and my wins in it" in page

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


def test_a_team_deleted_with_me_leaves_its_former_members_wins_theirs(client, make_person, make_win):
    me, former = make_person(), make_person()
    team = create_team(lead=me, name="Solo Studio")
    Membership.objects.create(team=team, person=former)
    make_win(former, team, text="Theirs")
    remove_membership(membership=team.memberships.get(person=former))
    client.force_login(me)
    assert "Wins posted there by people who left stay theirs" in client.get("/account/delete/").content.decode()

    assert client.post("/account/delete/", {"password": PASSWORD, "delete_teams": [team.slug]}).status_code == 302

    assert list(former.wins.values_list("text", "team", "visibility")) == [("Theirs", None, "private")]
    assert list(Win.objects.visible_to(former).values_list("text", flat=True)) == ["Theirs"]


def test_the_service_deletes_only_the_teams_ticked(make_person):
    """Someone left between the press and the service's locks: the service refuses, and nothing goes."""
    me = make_person()
    team = create_team(lead=me, name="Solo Studio")
    with pytest.raises(ValidationError):
        delete_account(person=me, delete_teams=set())
    with pytest.raises(ValidationError):
        delete_account(person=me, delete_teams={team.slug, "another-team"})
    assert Team.objects.filter(pk=team.pk).exists() and type(me).objects.filter(pk=me.pk).exists()


def test_a_team_emptied_while_deleting_is_asked_about_again(client, make_team, monkeypatch):
    team = make_team(members=1, name="Pair")
    client.force_login(team.lead)
    remove_membership(membership=team.memberships.get(person=team.members[0]))
    # The form was checked against the teams as they were a moment before: with Pair's member still in it.
    monkeypatch.setattr(views.services, "account_ending", lambda person: {"handed_over": [], "deleted": []})

    response = client.post("/account/delete/", {"password": PASSWORD})

    assert response.status_code == 302 and response.url == "/account/delete/"
    monkeypatch.undo()
    page = client.get(response.url).content.decode()
    assert "Your teams changed since this page was shown" in page and "Pair is deleted with your account" in page
    assert Team.objects.filter(pk=team.pk).exists() and type(team.lead).objects.filter(pk=team.lead.pk).exists()


def test_invitations_to_an_address_i_never_verified_stay(client, make_team):
    team = make_team(members=1)
    me = team.members[0]
    EmailAddress.objects.create(user=me, email="mine@example.org", verified=True)
    EmailAddress.objects.create(user=me, email="someone-else@example.org", verified=False)
    for email in ["mine@example.org", "someone-else@example.org", me.email]:
        create_invitation(team=team, created_by=team.lead, role="member", email=email)
    client.force_login(me)
    assert client.post("/account/delete/", {"password": PASSWORD}).status_code == 302
    assert list(Invitation.objects.values_list("email", flat=True)) == ["someone-else@example.org"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_page_takes_only_get_and_post(client, make_person, method):
    person = make_person()
    client.force_login(person)
    assert getattr(client, method)("/account/delete/").status_code == 405
    assert type(person).objects.filter(pk=person.pk).exists()


def test_sessions_allauth_never_recorded_end_too(make_person):
    person, stranger = make_person(), make_person()
    old, strangers, here = Client(), Client(), Client()
    old.force_login(person)
    strangers.force_login(stranger)
    here.force_login(person)
    assert here.post("/account/delete/", {"password": PASSWORD}).status_code == 302
    assert old.get("/today/").status_code == 302
    assert strangers.get("/today/").status_code == 200
    assert [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()] == [str(stranger.pk)]


@pytest.fixture
def passwordless(client, make_person):
    person = make_person()
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    return person


def mailed_code():
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_five_wrong_codes_spend_the_mailed_one(client, passwordless):
    client.post("/account/delete/", {"send_code": "1"})
    code = mailed_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = client.post("/account/delete/", {"code": wrong})
        assert "That code is not the one we mailed" in response.content.decode()
    assert "Mail me a code" in response.content.decode()  # not "a new code": there is none now
    response = client.post("/account/delete/", {"code": code})  # the right one, too late
    assert response.status_code == 200 and "ask for a new one" in response.content.decode()
    assert type(passwordless).objects.filter(pk=passwordless.pk).exists()

    client.post("/account/delete/", {"send_code": "1"})
    assert client.post("/account/delete/", {"code": mailed_code()}).status_code == 302


def test_four_wrong_codes_leave_the_mailed_one_working(client, passwordless):
    client.post("/account/delete/", {"send_code": "1"})
    code = mailed_code()
    for _ in range(4):
        client.post("/account/delete/", {"code": "000000" if code != "000000" else "111111"})
    assert client.post("/account/delete/", {"code": code}).status_code == 302


def test_three_codes_an_hour_are_mailed(client, passwordless, clock):
    for _ in range(3):
        response = client.post("/account/delete/", {"send_code": "1"}, follow=True)
        assert "We mailed a code" in response.content.decode()
    response = client.post("/account/delete/", {"send_code": "1"}, follow=True)
    assert "three codes in an hour" in response.content.decode() and len(mail.outbox) == 3
    clock.shift(60 * 60)
    client.post("/account/delete/", {"send_code": "1"})
    assert len(mail.outbox) == 4


def test_a_mail_server_down_gets_a_message_not_an_error(client, passwordless, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(views, "send_mail", refuse)
    response = client.post("/account/delete/", {"send_code": "1"}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "We could not send the mail just now" in body
    assert "Check your inbox" not in body and views.DELETION_CODE not in client.session
