"""Rate limits: a normal burst passes, a flood stops at the limit with a friendly message, and nothing past it
is stored. The clock stands still in tests, so every request here falls in the same minute."""

import uuid
from datetime import timedelta

import pytest

from goals.models import Goal, Measurement
from wins.models import Applause, Comment, DayTotal, Win

HTMX = {"HX-Request": "true"}


@pytest.fixture
def team(make_team):
    return make_team(members=2)


@pytest.fixture
def small_limits(settings):
    settings.RATE_LIMITS = {"wins": 3, "comments": 2, "applause": 2, "goals": 2, "measurements": 2}


def post_win(client, htmx=True, **data):
    fields = {"text": "Sent the proposal", "client_key": str(uuid.uuid4()), "visibility": "team"} | data
    return client.post("/wins/", fields, headers=HTMX if htmx else {})


def test_a_normal_burst_of_wins_passes(client, team, settings):
    assert settings.RATE_LIMITS["wins"] == 30
    client.force_login(team.lead)
    for _ in range(10):  # a busy afternoon, written down at once
        assert "Posted ✓" in post_win(client).content.decode()
    assert Win.objects.count() == 10


def test_posting_stops_at_the_limit_and_stores_nothing_past_it(client, team, small_limits):
    client.force_login(team.lead)
    for _ in range(3):
        post_win(client)
    response = post_win(client)
    assert response.status_code == 200  # htmx swaps the box with the message
    assert (
        "3 wins in a minute" in response.content.decode() and 'value="Sent the proposal"' in response.content.decode()
    )
    plain = post_win(client, htmx=False)
    assert plain.status_code == 429 and "3 wins in a minute" in plain.content.decode()
    assert Win.objects.count() == 3
    assert DayTotal.objects.get(person=team.lead).wins == 3  # the rollup undone with the win


def test_the_limit_is_per_minute(client, team, small_limits, clock):
    client.force_login(team.lead)
    for _ in range(3):
        post_win(client)
    clock.shift(timedelta(seconds=61))
    assert "Posted ✓" in post_win(client).content.decode()


def test_a_retry_of_a_stored_win_is_not_refused(client, team, small_limits):
    client.force_login(team.lead)
    key = str(uuid.uuid4())
    for _ in range(5):  # a double tap, retried: one win, and never "too many"
        assert "osted ✓" in post_win(client, client_key=key).content.decode()  # "Posted ✓", "Already posted ✓"
    assert Win.objects.count() == 1


def test_comments_stop_at_the_limit(client, team, make_win, small_limits):
    win = make_win(team.members[0], team)
    client.force_login(team.lead)
    for n in range(2):
        client.post(f"/wins/{win.code}/comments/", {"text": f"Nice {n}"}, headers=HTMX)
    response = client.post(f"/wins/{win.code}/comments/", {"text": "One more"}, headers=HTMX)
    assert "2 comments in a minute" in response.content.decode()
    assert Comment.objects.count() == 2


def test_applause_stops_at_the_limit(client, team, make_win, small_limits):
    wins = [make_win(team.members[0], team, text=f"Win {n}") for n in range(3)]
    client.force_login(team.lead)
    for win in wins[:2]:
        client.post(f"/wins/{win.code}/applaud/", headers=HTMX)
    response = client.post(f"/wins/{wins[2].code}/applaud/", headers=HTMX)
    assert "2 applause in a minute" in response.content.decode() and 'aria-pressed="false"' in response.content.decode()
    assert Applause.objects.count() == 2


def test_goals_stop_at_the_limit(client, team, small_limits):
    client.force_login(team.lead)
    for n in range(2):
        client.post("/goals/new/", {"title": f"Goal {n}", "kind": "milestone"})
    assert Goal.objects.count() == 2, "the form's fields changed: fix this test's data"
    response = client.post("/goals/new/", {"title": "Goal 3", "kind": "milestone"})
    assert response.status_code == 200 and "2 goals in a minute" in response.content.decode()
    assert Goal.objects.count() == 2


def test_measurements_stop_at_the_limit(client, team, small_limits):
    goal = Goal.objects.create(
        owner=team.lead, title="Weigh in", kind="measure", target=70, baseline=80, direction="down"
    )
    client.force_login(team.lead)
    day = team.lead.local_today().isoformat()
    for value in ("79", "78"):
        client.post(f"/goals/{goal.code}/measurements/", {"value_text": value, "day": day}, headers=HTMX)
    response = client.post(f"/goals/{goal.code}/measurements/", {"value_text": "77", "day": day}, headers=HTMX)
    assert "2 measurements in a minute" in response.content.decode()
    assert Measurement.objects.count() == 2


def test_deleting_and_restoring_is_no_way_around_the_limit(client, team, small_limits):
    client.force_login(team.lead)
    for _ in range(3):
        post_win(client)
    for win in Win.objects.all():
        client.post(f"/wins/{win.code}/delete/", headers=HTMX)
    assert "3 wins in a minute" in post_win(client).content.decode()
    for win in Win.objects.all():
        client.post(f"/wins/{win.code}/restore/", headers=HTMX)
    assert Win.objects.alive().count() == 3


def test_a_plan_posted_as_a_win_counts_too(client, team, small_limits):
    client.force_login(team.lead)
    for _ in range(3):
        post_win(client)
    client.post("/plan/", {"text": "Call the printer"})
    intention = team.lead.intentions.get()
    response = client.post(f"/plan/{intention.code}/win/", follow=True)
    assert "3 wins in a minute" in response.content.decode()
    assert Win.objects.count() == 3


def test_taking_applause_back_is_never_refused(client, team, make_win, small_limits):
    wins = [make_win(team.members[0], team, text=f"Win {n}") for n in range(2)]
    client.force_login(team.lead)
    for win in wins:
        client.post(f"/wins/{win.code}/applaud/", headers=HTMX)
    response = client.post(f"/wins/{wins[0].code}/applaud/", headers=HTMX)  # a mis-tap, undone
    assert 'aria-pressed="false"' in response.content.decode() and "in a minute" not in response.content.decode()
    assert Applause.objects.count() == 1


def test_a_refused_comment_keeps_what_was_typed(client, team, make_win, small_limits):
    win = make_win(team.members[0], team)
    client.force_login(team.lead)
    for n in range(2):
        client.post(f"/wins/{win.code}/comments/", {"text": f"Nice {n}"}, headers=HTMX)
    response = client.post(f"/wins/{win.code}/comments/", {"text": "Well deserved"}, headers=HTMX)
    assert 'value="Well deserved"' in response.content.decode()


def test_a_teams_goals_count_for_its_leads_only(client, team, small_limits):
    for n in range(2):  # the lead sets two team goals
        Goal.objects.create(team=team, title=f"Team goal {n}")
    member = team.members[0]
    client.force_login(member)
    client.post("/goals/new/", {"title": "My own goal", "kind": "milestone"})
    assert Goal.objects.filter(owner=member).count() == 1
