"""Membership ends at once: a former member keeps (and may delete) their old wins, and sees nothing new of the team."""

import uuid

import pytest

from goals.models import Goal
from teams.models import Membership
from teams.services import create_invitation, remove_membership
from wins.models import Applause, Comment, Win


@pytest.fixture(params=["left", "removed"])
def former(request, clock, client, make_team, make_win):
    """A member who posted a team win, then left the team (or was removed by its lead)."""
    team = make_team(members=2)
    person = team.members[0]
    win = make_win(person, team, text="Old team win")
    old_link = create_invitation(team=team, created_by=team.lead, role="member", multi_use=True)
    Goal.objects.create(team=team, title="NEW TEAM GOAL", kind="count", target=5)
    clock.shift(60)
    if request.param == "left":
        client.force_login(person)
        assert client.post(f"/t/{team.slug}/leave/").status_code == 302
    else:
        client.force_login(team.lead)
        code = team.memberships.get(person=person).code
        assert client.post(f"/t/{team.slug}/members/{code}/remove/").status_code == 302
    team.score_kinds.create(name="NEW KIND", emoji="🆕", points=3)
    clock.shift(60)
    client.force_login(person)
    return {"team": team, "person": person, "win": win, "old_link": old_link}


def test_a_former_member_cannot_open_or_change_an_old_team_win(client, former):
    win = former["win"]
    page = client.get(f"/wins/{win.code}/edit/")
    assert page.status_code == 404
    assert b"NEW TEAM GOAL" not in page.content and b"NEW KIND" not in page.content
    response = client.post(f"/wins/{win.code}/edit/", {"text": "Rewritten after leaving"})
    assert response.status_code == 404
    win.refresh_from_db()
    assert win.text == "Old team win"


def test_a_former_member_cannot_comment_or_applaud(client, former):
    win = former["win"]
    Comment.objects.create(win=win, author=former["team"].lead, text="A NEW COMMENT")
    assert client.post(f"/wins/{win.code}/comments/", {"text": "Still here"}).status_code == 404
    assert client.post(f"/wins/{win.code}/applaud/").status_code == 404
    assert not Comment.objects.filter(author=former["person"]).exists()
    assert not Applause.objects.filter(person=former["person"]).exists()
    assert b"A NEW COMMENT" not in client.get("/today/").content


def test_a_former_member_sees_nothing_of_the_team(client, former):
    team = former["team"]
    assert client.get(f"/t/{team.slug}/").status_code == 404
    assert client.get(f"/t/{team.slug}/dashboard/").status_code == 404
    goal = Goal.objects.get(title="NEW TEAM GOAL")
    assert client.get(f"/goals/{goal.code}/").status_code == 404
    for url in ("/today/", "/goals/", "/review/", "/goals/new/"):
        html = client.get(url).content
        assert b"NEW TEAM GOAL" not in html and b"NEW KIND" not in html, url


def test_a_former_member_cannot_post_into_the_team(client, former):
    team = former["team"]
    kind = team.score_kinds.get(name="NEW KIND")
    client.post("/wins/", {"text": "Sneaking in", "client_key": str(uuid.uuid4()), "team": team.slug, "kind": kind.pk})
    assert not Win.objects.filter(team=team, text="Sneaking in").exists()


def test_a_former_member_may_still_delete_an_old_win(client, former):
    win = former["win"]
    assert client.post(f"/wins/{win.code}/delete/").status_code == 302
    win.refresh_from_db()
    assert win.deleted_at is not None


def test_an_old_link_does_not_let_a_former_member_back_in(client, former):
    team, person = former["team"], former["person"]
    response = client.post(f"/join/{former['old_link'].token}/")
    assert response.status_code == 410
    assert "ask a lead" in response.content.decode().lower()
    assert not Membership.objects.filter(team=team, person=person).exists()
    fresh = create_invitation(team=team, created_by=team.lead, role="member")
    assert client.post(f"/join/{fresh.token}/").status_code == 302
    assert Membership.objects.filter(team=team, person=person).exists()


def test_an_old_link_still_works_for_others(client, former, make_person):
    client.force_login(make_person())
    assert client.post(f"/join/{former['old_link'].token}/").status_code == 302


def test_removal_takes_the_persons_goals_off_the_team(clock, make_team):
    team = make_team(members=1)
    person = team.members[0]
    goal = Goal.objects.create(owner=person, title="Shared goal", kind="milestone")
    goal.shared_with = team
    goal.save()
    remove_membership(membership=team.memberships.get(person=person))
    goal.refresh_from_db()
    assert goal.shared_with is None
