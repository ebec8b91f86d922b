import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from goals.models import Goal
from wins.models import Celebration, Win


@pytest.fixture
def team(make_team):
    return make_team(members=1)


def post(client, team=None, htmx=False, **data):
    fields = {"text": "Guest post accepted", "client_key": str(uuid.uuid4()), "visibility": "team"} | data
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/wins/", fields, headers=headers)


def test_htmx_post_swaps_in_the_new_win_and_starts_the_box_afresh(client, team):
    client.force_login(team.lead)
    kind = team.score_kinds.get(name="Guest blog")
    response = post(client, htmx=True, kind=kind.pk)
    html = response.content.decode()
    win = Win.objects.get()
    assert (win.author, win.team, win.kind, win.points, win.day) == (
        team.lead,
        team,
        kind,
        kind.points,
        team.lead.local_today(),
    )
    assert 'hx-swap-oob="afterbegin:#todays-wins"' in html and "Guest post accepted" in html
    assert response["HX-Reswap"] == "none"  # the box stays: its kind, goal and who-sees-it as they were
    assert '<div id="post-text" hx-swap-oob="true">' in html and 'value="Guest post accepted"' not in html
    assert f'value="{win.client_key}"' not in html  # a new key for the next win
    assert "Posted ✓ +5." in html and "Your first win!" in html


def test_a_post_is_as_light_as_a_read(client, team, django_assert_max_num_queries):
    client.force_login(team.lead)
    kind = team.score_kinds.get(name="Guest blog")
    post(client, htmx=True, kind=kind.pk)  # the first of the day: its rollup row is made
    with django_assert_max_num_queries(12):  # two of them the test's own savepoint around the transaction
        assert post(client, htmx=True, kind=kind.pk).status_code == 200
    assert Win.objects.count() == 2


def test_plain_post_redirects_to_today(client, team):
    client.force_login(team.lead)
    response = post(client)
    assert response.status_code == 302 and response.url == "/today/"
    assert Win.objects.count() == 1


def test_bad_input_keeps_what_was_typed(client, team):
    client.force_login(team.lead)
    for htmx in (True, False):
        response = post(client, htmx=htmx, text="x" * 281, note="My note")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Ensure this value has at most 280 characters" in html
        assert "x" * 281 in html and "My note" in html
    assert not Win.objects.exists()


def test_empty_text_says_what_to_do(client, team):
    client.force_login(team.lead)
    assert "This field is required." in post(client, text="   ").content.decode()


def test_back_dating_up_to_seven_days(client, team):
    client.force_login(team.lead)
    today = team.lead.local_today()
    assert post(client, day=(today - timedelta(days=7)).isoformat()).status_code == 302
    html = post(client, day=(today - timedelta(days=8)).isoformat()).content.decode()
    assert "Back-date up to 7 days" in html
    assert "can&#x27;t be in the future" in post(client, day=(today + timedelta(days=1)).isoformat()).content.decode()
    assert Win.objects.count() == 1


def test_a_repeated_key_returns_the_same_win(client, team):
    client.force_login(team.lead)
    key = str(uuid.uuid4())
    post(client, client_key=key)
    post(client, client_key=key, htmx=True)
    post(client, client_key=key)
    assert Win.objects.count() == 1


def test_kind_and_goal_come_only_from_my_scope(client, team, make_team, make_person):
    other = make_team()
    stranger_goal = Goal.objects.create(owner=make_person(), title="Not mine")
    client.force_login(team.lead)
    response = post(client, kind=other.score_kinds.first().pk, goal=stranger_goal.pk)
    html = response.content.decode()
    assert html.count("Select a valid choice") == 2
    assert not Win.objects.exists()


def test_linking_my_goal(client, team):
    goal = Goal.objects.create(owner=team.lead, title="Get booked on 5 podcasts")
    client.force_login(team.lead)
    post(client, goal=goal.pk)
    assert Win.objects.get().goal == goal


def test_private_win_is_mine_alone(client, team):
    client.force_login(team.lead)
    post(client, visibility="private", text="Secret small win")
    client.force_login(team.members[0])
    assert "Secret small win" not in client.get(f"/t/{team.slug}/").content.decode()


def test_person_without_a_team_posts_private_wins(client, make_person):
    person = make_person()
    client.force_login(person)
    post(client)
    win = Win.objects.get()
    assert win.team is None and win.visibility == "private"


def test_milestones_celebrate_once(client, team, make_win):
    for _ in range(9):
        make_win(team.lead, team)
    client.force_login(team.lead)
    html = client.get("/today/").content.decode()
    assert "Your first win!" in html
    assert "Your first win!" not in client.get("/today/").content.decode()
    assert "10 wins!" in post(client, htmx=True).content.decode()
    assert Celebration.objects.filter(person=team.lead, kind="wins-10", team=None).count() == 1
    assert Celebration.objects.filter(person=team.lead, kind="wins-10", team=team).count() == 1  # the feed's


def test_seven_day_streak_is_celebrated(team, make_win):
    lead = team.lead
    for n in range(7):
        make_win(lead, team, day=lead.local_today() - timedelta(days=n))
    assert Celebration.objects.filter(person=lead, kind="streak-7").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_one_key_make_one_win(team):
    key = str(uuid.uuid4())
    barrier = threading.Barrier(2)
    statuses = []

    def submit():
        client = Client()
        client.force_login(team.lead)
        barrier.wait()
        statuses.append(post(client, client_key=key).status_code)
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [302, 302]
    assert Win.objects.filter(client_key=key).count() == 1
