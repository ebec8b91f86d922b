"""Invitation mail is no open relay: limits per person and per team, one-line names, no half-done sends."""

import re
import smtplib
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from teams.models import Invitation, Membership, Team
from teams.services import INVITATIONS_PER_DAY, INVITATIONS_PER_HOUR


def invite(client, team, email, **extra):
    return client.post(
        f"/t/{team.slug}/invitations/",
        {"email": email, "role": "member", "days": 14},
        headers={"HX-Request": "true"},
        **extra,
    )


@pytest.fixture
def team(clock, make_team):
    return make_team(members=1)


def test_a_lead_mails_up_to_the_hourly_limit_then_gets_a_clear_message(
    client, team, django_capture_on_commit_callbacks
):
    client.force_login(team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(INVITATIONS_PER_HOUR):
            assert invite(client, team, f"friend{n}@example.com").status_code == 200
        response = invite(client, team, "one-too-many@example.com")
    assert response.status_code == 200
    assert "invitations an hour" in response.content.decode()
    assert 'value="one-too-many@example.com"' in response.content.decode()
    assert Invitation.objects.count() == INVITATIONS_PER_HOUR
    assert len(mail.outbox) == INVITATIONS_PER_HOUR


def test_the_limit_holds_per_team_across_its_leads(client, team):
    Membership.objects.filter(person=team.members[0]).update(role="lead")
    for n in range(INVITATIONS_PER_HOUR):
        client.force_login([team.lead, team.members[0]][n % 2])
        invite(client, team, f"friend{n}@example.com")
    client.force_login(team.members[0])
    assert "invitations an hour" in invite(client, team, "late@example.com").content.decode()


def test_the_limit_holds_per_person_across_their_teams(client, team, make_person):
    lead = team.lead
    for n in range(INVITATIONS_PER_HOUR):
        other = Team.objects.create(name=f"Team {n}", slug=f"team-{n}")
        Membership.objects.create(team=other, person=lead, role="lead")
        client.force_login(lead)
        invite(client, other, f"friend{n}@example.com")
    assert "invitations an hour" in invite(client, team, "late@example.com").content.decode()


def test_the_daily_limit(client, team, clock):
    earlier = timezone.now() - timedelta(hours=20)
    Invitation.objects.bulk_create(
        Invitation(
            team=team, created_by=team.lead, email=f"f{n}@example.com", expires_at=timezone.now(), created_at=earlier
        )
        for n in range(INVITATIONS_PER_DAY)
    )
    client.force_login(team.lead)
    assert "invitations a day" in invite(client, team, "late@example.com").content.decode()
    clock.shift(timedelta(hours=5))
    assert "invitations a day" not in invite(client, team, "next-day@example.com").content.decode()
    assert Invitation.objects.filter(email="next-day@example.com").exists()


def test_links_without_mail_have_no_such_limit(client, team):
    client.force_login(team.lead)
    for _ in range(INVITATIONS_PER_HOUR + 1):
        invite(client, team, "")
    assert Invitation.objects.count() == INVITATIONS_PER_HOUR + 1


@pytest.mark.parametrize("name", ["Line\nbreak", "Carriage\rreturn", "Tab\there", "Bell\x07"])
def test_a_team_name_is_one_line(client, make_person, team, name):
    client.force_login(team.lead)
    response = client.post("/teams/new/", {"name": name, "time_zone": "UTC", "week_start": 0, "score_sheet": "fitness"})
    assert response.status_code == 200 and "one line" in response.content.decode()
    response = client.post(f"/t/{team.slug}/settings/", {"name": name, "time_zone": "UTC", "week_start": 0})
    assert response.status_code == 200 and "one line" in response.content.decode()
    assert not Team.objects.filter(name=name).exists()


def test_a_name_with_a_line_break_from_before_still_mails(client, team, django_capture_on_commit_callbacks):
    Team.objects.filter(pk=team.pk).update(name="Old\nname")
    client.force_login(team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, team, "friend@example.com").status_code == 200
    assert mail.outbox[0].subject.endswith("Old name on Microwins")


def test_a_mail_that_fails_leaves_no_invitation_and_says_so(client, team, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("teams.services.send_mail", refuse)
    client.force_login(team.lead)
    response = invite(client, team, "friend@example.com")
    assert response.status_code == 200
    assert "could not send" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_email_address_is_confirmed_by_a_post_not_by_opening_the_link(client, db):
    client.post(
        "/accounts/signup/",
        {"email": "lee@example.com", "display_name": "Lee", "time_zone": "UTC", "password1": "a long passphrase 42"},
    )
    link = re.search(r"http://\S+(/accounts/confirm-email/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    page = client.get(link)  # a mail scanner opens the link
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert not EmailAddress.objects.get(email="lee@example.com").verified
    client.post(link)
    assert EmailAddress.objects.get(email="lee@example.com").verified
