import re

import pytest

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
