import re

import pytest
from django.core import mail

from teams.models import Blocker, Invitation, Membership, Team


def test_create_team_makes_me_lead_with_a_score_sheet(client, make_person):
    person = make_person()
    client.force_login(person)
    response = client.post(
        "/teams/new/",
        {
            "name": "Brand Builders",
            "purpose": "Be known",
            "time_zone": "Europe/Paris",
            "week_start": 0,
            "score_sheet": "personal-brand",
        },
    )
    team = Team.objects.get(name="Brand Builders")
    assert re.fullmatch(r"/t/brand-builders-[0-9a-f]{4}/settings/", response.url)
    assert team.memberships.get().role == "lead"
    assert team.score_kinds.count() == 8
    person.refresh_from_db()
    assert person.current_team == team


def test_slug_stays_unique(client, make_person, make_team):
    make_team(name="Sales")
    client.force_login(make_person())
    client.post("/teams/new/", {"name": "Sales", "time_zone": "UTC", "week_start": 0, "score_sheet": "fitness"})
    first, second = Team.objects.values_list("slug", flat=True)
    assert first != second and first.startswith("sales-") and second.startswith("sales-")


def test_a_taken_name_does_not_show_in_the_slug(client, make_person, make_team):
    make_team(name="Secret Project Falcon")
    client.force_login(make_person())
    response = client.post(
        "/teams/new/", {"name": "Secret Project Falcon", "time_zone": "UTC", "week_start": 0, "score_sheet": "fitness"}
    )
    assert re.fullmatch(r"/t/secret-project-falcon-[0-9a-f]{4}/settings/", response.url)  # as for any name


def test_create_team_with_no_name_keeps_what_was_typed(client, make_person):
    client.force_login(make_person())
    response = client.post(
        "/teams/new/", {"name": "", "purpose": "Why we exist", "time_zone": "UTC", "week_start": 0, "score_sheet": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html and "Why we exist" in html
    assert not Team.objects.exists()


def test_lead_edits_team_details(client, make_team):
    team = make_team()
    client.force_login(team.lead)
    response = client.post(
        f"/t/{team.slug}/settings/",
        {"name": "Renamed", "purpose": "New purpose", "time_zone": "Asia/Tokyo", "week_start": 6},
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.purpose, team.time_zone, team.week_start, team.slug) == (
        "Renamed",
        "New purpose",
        "Asia/Tokyo",
        6,
        team.slug,
    )


def test_members_see_the_purpose_on_the_team_page(client, make_team):
    team = make_team(purpose="Small wins lead to big wins")
    client.force_login(team.members[0])
    assert "Small wins lead to big wins" in client.get(f"/t/{team.slug}/").content.decode()


def test_invitation_by_email_is_mailed_and_listed(client, make_team, django_capture_on_commit_callbacks, run_tasks):
    team = make_team()
    client.force_login(team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/t/{team.slug}/invitations/",
            {"email": "new@example.com", "role": "member", "days": 14},
            HTTP_HX_REQUEST="true",
        )
    invitation = Invitation.objects.get()
    assert invitation.token in response.content.decode()
    run_tasks()
    assert mail.outbox[0].to == ["new@example.com"]
    assert f"/join/{invitation.token}/" in mail.outbox[0].body
    assert invitation.token in client.get(f"/t/{team.slug}/settings/").content.decode()


def test_bad_invitation_input_is_shown_next_to_the_field(client, make_team):
    team = make_team()
    client.force_login(team.lead)
    response = client.post(
        f"/t/{team.slug}/invitations/", {"email": "nope", "role": "member", "days": 400}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html and 'value="nope"' in html
    assert not Invitation.objects.exists()


def test_revoked_invitation_leaves_the_list(client, make_team):
    team = make_team()
    client.force_login(team.lead)
    client.post(f"/t/{team.slug}/invitations/", {"role": "member", "days": 14})
    invitation = Invitation.objects.get()
    client.post(f"/t/{team.slug}/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.token not in client.get(f"/t/{team.slug}/settings/").content.decode()


def test_promote_and_demote(client, make_team):
    team = make_team()
    member = team.memberships.get(person=team.members[0])
    client.force_login(team.lead)
    client.post(f"/t/{team.slug}/members/{member.code}/role/", {"role": "lead"})
    member.refresh_from_db()
    assert member.is_lead
    client.post(f"/t/{team.slug}/members/{member.code}/role/", {"role": "member"})
    member.refresh_from_db()
    assert not member.is_lead


def test_the_last_lead_cannot_step_down_or_leave(client, make_team):
    team = make_team()
    lead = team.memberships.get(person=team.lead)
    client.force_login(team.lead)
    response = client.post(f"/t/{team.slug}/members/{lead.code}/role/", {"role": "member"}, follow=True)
    assert "at least one lead" in response.content.decode()
    response = client.post(f"/t/{team.slug}/leave/", follow=True)
    assert "at least one lead" in response.content.decode()
    response = client.post(f"/t/{team.slug}/members/{lead.code}/remove/", follow=True)
    assert "at least one lead" in response.content.decode()
    lead.refresh_from_db()
    assert lead.is_lead


def test_a_lead_can_step_down_when_another_lead_remains(client, make_team):
    team = make_team()
    Membership.objects.filter(person=team.members[0]).update(role="lead")
    lead = team.memberships.get(person=team.lead)
    client.force_login(team.lead)
    response = client.post(f"/t/{team.slug}/members/{lead.code}/role/", {"role": "member"})
    assert response.url == f"/t/{team.slug}/"
    lead.refresh_from_db()
    assert not lead.is_lead


def test_lead_removes_a_member_and_anyone_can_leave(client, make_team):
    team = make_team(members=2)
    first, second = team.members
    stuck = Blocker.objects.create(team=team, raised_by=first, text="Stuck", day=first.local_today())
    client.force_login(team.lead)
    client.post(f"/t/{team.slug}/members/{team.memberships.get(person=first).code}/remove/")
    assert not team.memberships.filter(person=first).exists()
    stuck.refresh_from_db()
    assert stuck.status == Blocker.Status.WITHDRAWN  # nobody is left in the team to unblock
    client.force_login(second)
    assert client.post(f"/t/{team.slug}/leave/").url == "/today/"
    assert not team.memberships.filter(person=second).exists()
    assert client.get(f"/t/{team.slug}/").status_code == 404


@pytest.mark.parametrize("path", ["settings/", "invitations/"])
def test_members_get_403_on_lead_pages(client, make_team, path):
    team = make_team()
    client.force_login(team.members[0])
    response = client.get(f"/t/{team.slug}/{path}") if path == "settings/" else client.post(f"/t/{team.slug}/{path}")
    assert response.status_code == 403


def test_switcher_lists_my_teams_and_remembers_the_current_one(client, make_team):
    first, second = make_team(name="Alpha"), make_team(name="Beta")
    person = first.lead
    Membership.objects.create(team=second, person=person)
    client.force_login(person)
    client.get(f"/t/{second.slug}/")
    person.refresh_from_db()
    assert person.current_team == second
    html = client.get("/today/").content.decode()
    assert "Alpha" in html and "Beta" in html
    assert f'href="/t/{second.slug}/"' in html


def test_leaving_is_asked_once_more_and_lives_with_the_membership_settings(client, make_team):
    team = make_team(members=1)
    member = team.members[0]
    client.force_login(member)
    assert f"/t/{team.slug}/leave/" not in client.get(f"/t/{team.slug}/").content.decode()  # no button under the feed
    account = client.get("/account/").content.decode()
    assert f'href="/t/{team.slug}/leave/confirm/"' in account
    page = client.get(f"/t/{team.slug}/leave/confirm/")
    html = page.content.decode()
    assert page.status_code == 200 and f"Leave {team.name}?" in html
    assert f'action="/t/{team.slug}/leave/"' in html and 'name="csrfmiddlewaretoken"' in html
    assert team.memberships.filter(person=member).exists()  # asking did nothing yet
    assert client.post(f"/t/{team.slug}/leave/").url == "/today/"
    assert not team.memberships.filter(person=member).exists()


def test_removing_a_member_is_asked_once_more(client, make_team):
    team = make_team(members=1)
    other = team.memberships.get(person=team.members[0])
    client.force_login(team.lead)
    settings = client.get(f"/t/{team.slug}/settings/").content.decode()
    assert f'action="/t/{team.slug}/members/{other.code}/remove/"' not in settings  # no one-tap removal
    assert f'href="/t/{team.slug}/members/{other.code}/remove/confirm/"' in settings
    html = client.get(f"/t/{team.slug}/members/{other.code}/remove/confirm/").content.decode()
    assert f"Remove {other.person.display_name} from {team.name}?" in html
    assert f'action="/t/{team.slug}/members/{other.code}/remove/"' in html
    assert team.memberships.filter(pk=other.pk).exists()
    client.post(f"/t/{team.slug}/members/{other.code}/remove/")
    assert not team.memberships.filter(pk=other.pk).exists()


def test_the_last_lead_is_told_before_trying_to_leave(client, make_team):
    team = make_team()
    client.force_login(team.lead)
    html = client.get(f"/t/{team.slug}/leave/confirm/").content.decode()
    assert "at least one lead" in html and f'action="/t/{team.slug}/leave/"' not in html


def test_confirming_removal_of_another_teams_member_is_404(client, make_team):
    mine, theirs = make_team(), make_team(members=1)
    code = theirs.memberships.get(person=theirs.members[0]).code
    client.force_login(mine.lead)
    assert client.get(f"/t/{mine.slug}/members/{code}/remove/confirm/").status_code == 404
