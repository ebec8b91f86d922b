import re
from datetime import timedelta

import pytest

from goals.models import Intention
from wins.models import Win


@pytest.mark.parametrize("days", [3, 40])
def test_today_query_count_is_flat(client, make_team, days, django_assert_max_num_queries):
    team = make_team(members=3, days=days)
    client.force_login(team.lead)
    with django_assert_max_num_queries(10):
        response = client.get("/today/")
    assert response.status_code == 200
    assert len(response.context["wins"]) == 2


def test_today_shows_streak_momentum_and_a_labelled_heatmap(client, make_team):
    team = make_team(members=1, days=10)
    client.force_login(team.lead)
    html = client.get("/today/").content.decode()
    assert re.search(r'<span class="stat-value">10</span><span class="stat-label">day streak', html)
    assert "Your momentum counts all your wins" in html
    assert 'hx-get="?part=year"' in html and "wins on" not in html  # the year comes when it scrolls into view
    year = client.get("/today/?part=year", headers={"HX-Request": "true"}).content.decode()
    today = team.lead.local_today()
    assert f"2 wins on {today:%a} {today.day} {today:%b %Y}" in year
    assert "0 wins on" in year and "<html" not in year
    assert "2 wins on" in client.get("/today/?part=year").content.decode()  # without JavaScript: the whole page


def test_empty_today_says_what_to_do(client, make_person):
    client.force_login(make_person())
    assert "Nothing yet today" in client.get("/today/").content.decode()


def test_only_my_wins_of_today_are_listed(client, make_team, make_win):
    team = make_team(members=1)
    make_win(team.members[0], team, text="Theirs")
    make_win(team.lead, team, text="Mine")
    client.force_login(team.lead)
    assert [w.text for w in client.get("/today/").context["wins"]] == ["Mine"]
    assert Win.objects.count() == 2


def stat_why(html):
    why = html[html.index('<p class="stat-why">') :]
    return " ".join(why[len('<p class="stat-why">') : why.index("</p>")].split())


def test_with_no_streak_today_says_what_a_first_win_does(client, make_person, make_win):
    person = make_person()
    client.force_login(person)
    assert stat_why(client.get("/today/").content.decode()) == (
        "Your first win starts a streak and takes your momentum from 0 to 9."
    )
    make_win(person, day=person.local_today() - timedelta(days=3))  # a streak that lapsed
    why = stat_why(client.get("/today/").content.decode())
    assert why == "A win today starts a new streak and takes your momentum from 8 to 16."
    make_win(person)
    assert "more day" in stat_why(client.get("/today/").content.decode())  # with a streak, the days to the next ten


def test_post_as_a_win_in_todays_three_updates_todays_wins_and_stats(client, make_team):
    team = make_team(members=0)
    lead = team.lead
    intention = Intention.objects.create(person=lead, day=lead.local_today(), text="Ship the export", position=0)
    client.force_login(lead)
    page = client.get("/today/").content.decode()
    assert 'hx-get="/today/?part=wins" hx-trigger="wins-changed from:body"' in page  # the list listens
    response = client.post(f"/plan/{intention.code}/win/", headers={"HX-Request": "true"})
    assert "wins-changed" in response["HX-Trigger"]
    html = client.get("/today/?part=wins", headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<ul id="todays-wins"') and "Ship the export" in html
    assert '<div id="no-wins-today" hx-swap-oob="true"></div>' in html
    assert re.search(r'<span class="stat-value">1</span><span class="stat-label">day streak', html)
    assert "Your first win!" in html


def test_other_plan_changes_leave_todays_wins_alone(client, make_person):
    person = make_person()
    intention = Intention.objects.create(person=person, day=person.local_today(), text="Call Dana", position=0)
    client.force_login(person)
    response = client.post(f"/plan/{intention.code}/toggle/", headers={"HX-Request": "true"})
    assert "HX-Trigger" not in response
