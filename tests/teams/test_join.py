from datetime import timedelta

import pytest
from django.utils import timezone

from teams.models import Invitation, Membership
from teams.services import create_invitation


@pytest.fixture
def invitation(make_team):
    team = make_team()
    return create_invitation(team=team, created_by=team.lead, role="member")


def test_signed_in_person_joins_in_one_click(client, make_person, invitation):
    person = make_person()
    client.force_login(person)
    page = client.get(f"/join/{invitation.token}/")
    assert f"Join {invitation.team.name}" in page.content.decode()
    response = client.post(f"/join/{invitation.token}/")
    assert response.url == f"/t/{invitation.team.slug}/"
    assert Membership.objects.get(person=person, team=invitation.team).role == "member"
    person.refresh_from_db()
    assert person.current_team == invitation.team


def test_a_member_opening_the_link_goes_to_the_team(client, invitation):
    client.force_login(invitation.team.lead)
    assert client.get(f"/join/{invitation.token}/").url == f"/t/{invitation.team.slug}/"
    invitation.refresh_from_db()
    assert invitation.use_count == 0


def test_visitor_signs_in_comes_back_and_joins(client, make_person, invitation):
    person = make_person()
    page = client.get(f"/join/{invitation.token}/")
    assert "Sign up and join" in page.content.decode()
    response = client.post(
        f"/accounts/login/?next=/join/{invitation.token}/", {"login": person.email, "password": "pw-for-tests"}
    )
    assert response.url == f"/join/{invitation.token}/"
    assert f"Join {invitation.team.name}" in client.get(response.url).content.decode()
    assert client.post(response.url).url == f"/t/{invitation.team.slug}/"
    assert Membership.objects.filter(person=person, team=invitation.team).exists()


SPENT = {  # ways a link stops working, as of the moment they are applied
    "expired": lambda: {"expires_at": timezone.now() - timedelta(minutes=1)},
    "already been used": lambda: {"use_count": 1},
    "withdrawn": lambda: {"revoked_at": timezone.now()},
}


@pytest.mark.parametrize("message", SPENT)
def test_spent_links_say_so_plainly(client, make_person, invitation, message):
    Invitation.objects.filter(pk=invitation.pk).update(**SPENT[message]())
    person = make_person()
    client.force_login(person)
    page = client.get(f"/join/{invitation.token}/")
    assert page.status_code == 410
    html = page.content.decode()
    assert message in html and "Ask" in html and "for a new invitation link" in html
    assert client.post(f"/join/{invitation.token}/").status_code == 410
    assert not Membership.objects.filter(person=person, team=invitation.team).exists()


def test_single_use_link_works_once_and_multi_use_many_times(client, make_person, make_team):
    team = make_team()
    single = create_invitation(team=team, created_by=team.lead, role="member")
    multi = create_invitation(team=team, created_by=team.lead, role="lead", multi_use=True)
    people = [make_person() for _ in range(3)]
    for person in people:
        client.force_login(person)
        client.post(f"/join/{single.token}/")
        client.post(f"/join/{multi.token}/")
    assert Membership.objects.filter(team=team, person__in=people).count() == 3
    single.refresh_from_db()
    multi.refresh_from_db()
    assert (single.use_count, multi.use_count) == (1, 2)


def test_unknown_token_is_404(client, db):
    assert client.get("/join/not-a-real-token/").status_code == 404


def test_tokens_are_long_and_random(invitation, make_team):
    other = create_invitation(team=invitation.team, created_by=invitation.team.lead, role="member")
    assert len(invitation.token) >= 32 and invitation.token != other.token


@pytest.mark.parametrize("how", SPENT)
def test_a_spent_link_names_neither_the_team_nor_who_sent_it(client, make_team, make_person, how):
    team = make_team(name="Quiet Heron Collective", purpose="A purpose nobody outside should read")
    invitation = create_invitation(team=team, created_by=team.lead, role="member")
    Invitation.objects.filter(pk=invitation.pk).update(**SPENT[how]())
    for person in (None, make_person()):
        if person:
            client.force_login(person)
        html = client.get(f"/join/{invitation.token}/").content.decode()
        assert "Quiet Heron" not in html and "nobody outside" not in html
        assert team.lead.display_name not in html


def test_a_signed_out_visit_joins_nobody_on_sign_in(client, make_person, invitation):
    client.get(f"/join/{invitation.token}/")  # someone opens the link on a shared computer, and goes
    person = make_person()
    client.post("/accounts/login/", {"login": person.email, "password": "pw-for-tests"})
    assert not Membership.objects.filter(person=person, team=invitation.team).exists()


def test_joining_takes_the_persons_own_press_of_the_button(client, make_person, invitation):
    person = make_person()
    client.force_login(person)
    client.get(f"/join/{invitation.token}/")
    assert not Membership.objects.filter(person=person, team=invitation.team).exists()
    client.post(f"/join/{invitation.token}/")
    assert Membership.objects.filter(person=person, team=invitation.team).exists()
