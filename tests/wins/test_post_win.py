import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from goals.models import Goal
from teams.models import Membership
from wins.models import Celebration, Win


@pytest.fixture
def team(make_team):
    return make_team(members=1)


def text_of(html):
    """What a person reads in some markup: its words, without tags, one space between."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def post(client, htmx=False, **data):
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
    assert "Posted ✓ +5 · Undo" in text_of(html) and "Your first win!" in html


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


def test_a_post_is_confirmed_at_the_box_with_the_win_and_an_undo(client, team):
    client.force_login(team.lead)
    kind = team.score_kinds.get(name="Guest blog")
    html = post(client, htmx=True, kind=kind.pk, text="Second of the day").content.decode()
    win = Win.objects.get()
    note = html[html.index('hx-swap-oob="innerHTML:#post-note"') :]
    note = note[: note.index("afterbegin:#todays-wins")]
    assert "Posted ✓ +5 · Undo ✍️ Second of the day" in text_of(note)  # the win itself, where the eye is
    # Undo is the delete endpoint: with htmx in place, and without JavaScript a submit of the box to it.
    assert f'formaction="/wins/{win.code}/delete/"' in note and f'hx-post="/wins/{win.code}/delete/"' in note


def test_a_back_dated_post_names_its_day_at_the_box(client, team):
    client.force_login(team.lead)
    day = team.lead.local_today() - timedelta(days=2)
    html = post(client, htmx=True, day=day.isoformat()).content.decode()
    assert f"Posted ✓ +1 for {day:%A %-d %B} · Undo" in text_of(html)
    assert "afterbegin:#todays-wins" not in html  # not one of today's


def test_undo_at_the_box_deletes_the_win_and_gives_its_words_back(client, team, make_win):
    make_win(team.lead, team, text="An earlier win", day=team.lead.local_today() - timedelta(days=1))
    client.force_login(team.lead)
    post(client, htmx=True, text="Posted by mistake", note="A note")
    win = Win.objects.get(text="Posted by mistake")
    response = client.post(f"/wins/{win.code}/delete/", {"undo": "1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    win.refresh_from_db()
    assert win.deleted_at is not None
    assert response["HX-Reswap"] == "none"
    assert 'value="Posted by mistake"' in html and "autofocus" in html and "A note" in html  # to fix and post again
    assert "Undone: the win is deleted, and its words are back in the box." in text_of(html)
    assert '<ul id="todays-wins"' in html and "Posted by mistake</p>" not in html  # the list without it
    assert "Nothing yet today" in html
    assert re.search(r'<span class="stat-value">1</span><span class="stat-label">day streak', html)


def test_undo_without_javascript_deletes_and_goes_back_to_today(client, team):
    client.force_login(team.lead)
    post(client, text="Oops")
    win = Win.objects.get()
    response = client.post(f"/wins/{win.code}/delete/", {"undo": "1", "text": "", "client_key": str(uuid.uuid4())})
    assert response.status_code == 302 and response.url == "/today/"
    assert not Win.objects.alive().exists()


def test_a_plain_post_says_it_worked(client, team):
    client.force_login(team.lead)
    assert "Posted ✓ +1" in client.get(post(client).url).content.decode()


@pytest.fixture
def two_teams(make_team):
    """A lead of Brand Builders who is also in Sales Crew, Brand Builders current."""
    brand = make_team(members=0, name="Brand Builders")
    sales = make_team(members=0, name="Sales Crew", score_sheet="sales-activity")
    person = brand.lead
    Membership.objects.create(team=sales, person=person)
    return person, brand, sales


def test_the_box_names_the_team_it_posts_to(client, team, two_teams):
    client.force_login(team.lead)
    html = client.get("/today/").content.decode()
    assert f"Posting to {team.name}" in text_of(html) and f'name="team" value="{team.slug}"' in html
    person, brand, sales = two_teams
    client.force_login(person)
    html = client.get("/today/").content.decode()
    select = html[html.index('<select id="post-team" name="team"') : html.index("</select>", html.index("post-team"))]
    assert f'<option value="{brand.slug}" selected>Brand Builders</option>' in select
    assert f'<option value="{sales.slug}">Sales Crew</option>' in select
    assert 'hx-target="#post-kinds"' in select


def test_choosing_another_team_in_the_box_brings_its_kinds_and_goals(client, two_teams, make_person):
    person, brand, sales = two_teams
    Goal.objects.create(team=sales, title="Forty calls", kind="count", target=40)
    mine = Goal.objects.create(owner=person, title="My own goal")
    client.force_login(person)
    htmx = {"HX-Request": "true"}
    html = client.get(f"/today/?part=team&team={sales.slug}&goal={mine.pk}", headers=htmx).content.decode()
    assert html.startswith('<div id="post-kinds">')
    assert sales.score_kinds.first().name in html and brand.score_kinds.first().name not in html
    assert '<div class="field" id="post-goal" hx-swap-oob="true">' in html and "Forty calls" in html
    assert f'<option value="{mine.pk}" selected>My own goal</option>' in html  # the goal chosen stays chosen
    stranger = make_person()
    client.force_login(stranger)
    assert client.get(f"/today/?part=team&team={sales.slug}", headers=htmx).status_code == 404


def test_a_win_goes_to_the_team_chosen_in_the_box_and_that_team_stays_chosen(client, two_teams):
    person, _, sales = two_teams
    client.force_login(person)
    kind = sales.score_kinds.first()
    post(client, htmx=True, team=sales.slug, kind=kind.pk, text="  ")  # refused: nothing changes yet
    person.refresh_from_db()
    assert person.current_team != sales
    post(client, htmx=True, team=sales.slug, kind=kind.pk)
    win = Win.objects.get()
    assert (win.team, win.kind) == (sales, kind)
    person.refresh_from_db()
    assert person.current_team == sales
    assert f'<option value="{sales.slug}" selected>' in client.get("/today/").content.decode()


def test_without_javascript_the_team_is_switched_keeping_what_was_typed(client, two_teams):
    person, _, sales = two_teams
    client.force_login(person)
    response = post(client, team=sales.slug, switch_team="1", text="Half typed", note="")
    html = response.content.decode()
    assert response.status_code == 200 and not Win.objects.exists()
    assert 'value="Half typed"' in html and "errorlist" not in html
    assert f'<option value="{sales.slug}" selected>' in html and sales.score_kinds.first().name in html
    assert '<noscript><button type="submit" name="switch_team"' in html


def test_posting_to_another_team_is_as_light(client, two_teams, django_assert_max_num_queries):
    person, brand, sales = two_teams
    client.force_login(person)
    post(client, htmx=True, team=sales.slug)  # the first of the day in each team: their rollup rows are made
    post(client, htmx=True, team=brand.slug)
    with django_assert_max_num_queries(12):  # the team chosen is remembered: one more write
        assert post(client, htmx=True, team=sales.slug).status_code == 200
    person.refresh_from_db()
    assert person.current_team == sales and Win.objects.count() == 3
