"""Invitation mail is no open relay (limits per person and per team, one-line names), and goes from the worker
once the invitation is committed."""

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
    client, team, django_capture_on_commit_callbacks, run_tasks
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
    assert mail.outbox == []  # queued, not sent by the request
    assert run_tasks() == INVITATIONS_PER_HOUR
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


def test_a_name_with_a_line_break_from_before_still_mails(client, team, django_capture_on_commit_callbacks, run_tasks):
    Team.objects.filter(pk=team.pk).update(name="Old\nname")
    client.force_login(team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, team, "friend@example.com").status_code == 200
    run_tasks()
    assert mail.outbox[0].subject.endswith("Old name on Microwins")


def test_the_mail_is_text_and_html_with_the_link_at_the_site_address(
    client, team, django_capture_on_commit_callbacks, run_tasks, settings
):
    settings.SITE_URL = "https://wins.example.org"
    client.force_login(team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, team, "friend@example.com")
    run_tasks()
    token = Invitation.objects.get().token
    (message,) = mail.outbox
    assert message.to == ["friend@example.com"]
    assert f"https://wins.example.org/join/{token}/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f'href="https://wins.example.org/join/{token}/"' in html
    assert "List-Unsubscribe" not in message.extra_headers  # not a mailing: nothing to stop


def test_nothing_is_queued_unless_the_invitation_commits(client, team, django_capture_on_commit_callbacks):
    client.force_login(team.lead)
    with django_capture_on_commit_callbacks() as callbacks:
        invite(client, team, "")  # a link without mail
    assert callbacks == []


def test_an_invitation_withdrawn_before_the_worker_runs_is_not_mailed(
    client, team, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, team, "friend@example.com")
    Invitation.objects.update(revoked_at=timezone.now())
    run_tasks()
    assert mail.outbox == []


def test_a_mail_that_fails_is_recorded_and_the_link_still_works(
    client, team, django_capture_on_commit_callbacks, run_tasks, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    client.force_login(team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, team, "friend@example.com")
    run_tasks()
    assert DBTaskResult.objects.get().status == "FAILED"
    invitation = Invitation.objects.get()
    assert invitation.token in client.get(f"/t/{team.slug}/settings/").content.decode()  # the lead can share it


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


def test_an_invitation_whose_inviter_is_gone_still_mails(client, team, django_capture_on_commit_callbacks, run_tasks):
    client.force_login(team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, team, "friend@example.com")
    Invitation.objects.update(created_by=None)  # the inviter deleted their account before the worker ran
    run_tasks()
    assert mail.outbox[0].subject.startswith("A teammate invites you to")
