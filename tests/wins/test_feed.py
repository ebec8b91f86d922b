from datetime import timedelta

import pytest

from wins.models import Applause, Comment


@pytest.mark.parametrize("days", [2, 30])
def test_feed_query_count_is_flat(client, make_team, days, django_assert_max_num_queries):
    team = make_team(members=4, days=days)
    client.force_login(team.members[0])
    with django_assert_max_num_queries(12):
        response = client.get(f"/t/{team.slug}/")
    assert response.status_code == 200
    assert len(response.context["wins"]) == 20


def test_feed_shows_wins_newest_first_with_author_kind_points_and_applause(client, make_team, make_win):
    team = make_team(members=1)
    member = team.members[0]
    kind = team.score_kinds.get(name="Podcast guest")
    make_win(member, team, text="Older", day=member.local_today() - timedelta(days=2))
    win = make_win(member, team, text="Booked on a podcast", kind=kind)
    Applause.objects.create(win=win, person=team.lead)
    client.force_login(team.lead)
    response = client.get(f"/t/{team.slug}/")
    assert [w.text for w in response.context["wins"]] == ["Booked on a podcast", "Older"]
    html = response.content.decode()
    assert member.display_name in html and "Podcast guest" in html and f"+{kind.points}" in html
    assert 'aria-pressed="true"' in html


def test_filters_narrow_the_list_and_live_in_the_url(client, make_team, make_win):
    team = make_team(members=1)
    member = team.members[0]
    speaking = team.score_kinds.get(name="Speaking invite")
    make_win(member, team, text="Asked to speak", kind=speaking)
    make_win(team.lead, team, text="Lead's share")
    make_win(member, team, text="Old one", day=member.local_today() - timedelta(days=5))
    client.force_login(team.lead)
    code = team.memberships.get(person=member).code
    by_person = client.get(f"/t/{team.slug}/?person={code}")
    assert {w.text for w in by_person.context["wins"]} == {"Asked to speak", "Old one"}
    by_kind = client.get(f"/t/{team.slug}/?kind={speaking.pk}", headers={"HX-Request": "true"})
    assert [w.text for w in by_kind.context["wins"]] == ["Asked to speak"]
    assert b'id="feed-list"' in by_kind.content and b"<html" not in by_kind.content
    since = (member.local_today() - timedelta(days=1)).isoformat()
    by_date = client.get(f"/t/{team.slug}/?start={since}")
    assert "Old one" not in {w.text for w in by_date.context["wins"]}


def test_a_backwards_date_range_says_so(client, make_team):
    team = make_team()
    client.force_login(team.lead)
    html = client.get(f"/t/{team.slug}/?start=2026-11-20&end=2026-11-01").content.decode()
    assert "The end comes before the start." in html


def test_more_button_loads_the_next_page(client, make_team):
    team = make_team(members=1, days=15)
    client.force_login(team.lead)
    first = client.get(f"/t/{team.slug}/")
    assert first.context["has_more"]
    second = client.get(f"/t/{team.slug}/?page=2", headers={"HX-Request": "true"})
    assert len(second.context["wins"]) == 20
    assert not {w.pk for w in first.context["wins"]} & {w.pk for w in second.context["wins"]}
    assert b"<html" not in second.content


def test_applause_toggles_in_place(client, make_team, make_win):
    team = make_team(members=1)
    win = make_win(team.members[0], team)
    client.force_login(team.lead)
    response = client.post(f"/wins/{win.code}/applaud/", headers={"HX-Request": "true"})
    assert 'aria-pressed="true"' in response.content.decode()
    assert Applause.objects.filter(win=win, person=team.lead).exists()
    client.post(f"/wins/{win.code}/applaud/", headers={"HX-Request": "true"})
    assert not Applause.objects.exists()


def test_comments_are_short_and_shown(client, make_team, make_win):
    team = make_team(members=1)
    win = make_win(team.members[0], team)
    client.force_login(team.lead)
    response = client.post(f"/wins/{win.code}/comments/", {"text": "Brilliant!"}, headers={"HX-Request": "true"})
    assert "Brilliant!" in response.content.decode()
    response = client.post(f"/wins/{win.code}/comments/", {"text": "x" * 281}, headers={"HX-Request": "true"})
    assert "at most 280" in response.content.decode()
    assert Comment.objects.count() == 1


def test_outsiders_cannot_applaud_or_comment_or_see(client, make_team, make_person, make_win):
    team = make_team(members=1)
    win = make_win(team.members[0], team, text="Team only")
    private = make_win(team.members[0], team, visibility="private")
    client.force_login(make_person())
    assert client.post(f"/wins/{win.code}/applaud/").status_code == 404
    assert client.post(f"/wins/{win.code}/comments/", {"text": "hi"}).status_code == 404
    client.force_login(team.lead)
    assert client.post(f"/wins/{private.code}/applaud/").status_code == 404


def test_person_page_shows_their_heatmap_and_wins(client, make_team, make_win):
    team = make_team(members=1)
    member = team.members[0]
    make_win(member, team, text="Shared")
    make_win(member, team, text="Private one", visibility="private")
    client.force_login(team.lead)
    code = team.memberships.get(person=member).code
    html = client.get(f"/t/{team.slug}/people/{code}/").content.decode()
    assert "Shared" in html and "Private one" not in html
    assert "1 win on" in html


def test_lead_exports_the_team_csv_and_members_may_not(client, make_team, make_win):
    team = make_team(members=1)
    make_win(team.members[0], team, text="=HYPERLINK(evil)")
    make_win(team.members[0], team, text="Hidden", visibility="private")
    client.force_login(team.lead)
    response = client.get(f"/t/{team.slug}/wins.csv")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/csv"
    assert "'=HYPERLINK(evil)" in body and "Hidden" not in body
    client.force_login(team.members[0])
    assert client.get(f"/t/{team.slug}/wins.csv").status_code == 403


def test_my_csv_has_all_my_wins_and_only_mine(client, make_team, make_win):
    team = make_team(members=1)
    make_win(team.lead, team, text="Mine shared")
    make_win(team.lead, team, text="Mine private", visibility="private")
    make_win(team.members[0], team, text="Not mine")
    client.force_login(team.lead)
    body = b"".join(client.get("/account/wins.csv").streaming_content).decode()
    assert "Mine shared" in body and "Mine private" in body and "Not mine" not in body


def test_the_feed_shows_the_latest_comments_and_loads_the_rest_in_place(client, make_team, make_win):
    team = make_team(members=1)
    win = make_win(team.members[0], team, text="Closed the deal")
    Comment.objects.bulk_create(Comment(win=win, author=team.lead, text=f"Comment {n:04}") for n in range(3000))
    client.force_login(team.lead)
    response = client.get(f"/t/{team.slug}/")
    html = response.content.decode()
    assert [c.text for c in response.context["wins"][0].latest_comments] == [
        "Comment 2999",
        "Comment 2998",
        "Comment 2997",
    ]
    assert html.index("Comment 2997") < html.index("Comment 2999")  # oldest of them first, as a conversation reads
    assert "Comment 2996" not in html and "2997 more comments" in html
    assert len(response.content) < 50_000
    rest = client.get(f"/wins/{win.code}/comments/", headers={"HX-Request": "true"})
    assert rest.content.decode().count("<li>") == 3000 and b"<html" not in rest.content
    page = client.get(f"/wins/{win.code}/comments/")  # without JavaScript: a page of their own
    assert b"<html" in page.content and b"Comment 0000" in page.content and b"Closed the deal" in page.content


def test_comments_of_a_win_out_of_sight_are_404(client, make_team, make_person, make_win):
    team = make_team(members=1)
    win = make_win(team.members[0], team)
    private = make_win(team.members[0], team, visibility="private")
    client.force_login(make_person())
    assert client.get(f"/wins/{win.code}/comments/").status_code == 404
    client.force_login(team.lead)
    assert client.get(f"/wins/{private.code}/comments/").status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", "9" * 5000, "-3", "²", "1e9"])
def test_any_page_number_answers(client, make_team, page):
    team = make_team(members=1, days=2)
    client.force_login(team.lead)
    response = client.get(f"/t/{team.slug}/?page={page}", headers={"HX-Request": "true"})
    assert response.status_code == 200
