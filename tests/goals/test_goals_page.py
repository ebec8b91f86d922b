from datetime import timedelta

import pytest

from goals.models import Goal, Measurement
from goals.services import start_from
from wins.models import Celebration, Win


@pytest.mark.parametrize("macros", [1, 8])
def test_goals_page_query_count_is_flat(client, make_person, make_win, macros, django_assert_max_num_queries):
    person = make_person()
    for _ in range(macros):
        start_from(starter="runner", owner=person, today=person.local_today())
        start_from(starter="ask-for-the-sale", owner=person, today=person.local_today())
    for goal in Goal.objects.all():
        Measurement.objects.create(goal=goal, value=500, day=person.local_today())
        make_win(person, goal=goal)
    client.force_login(person)
    with django_assert_max_num_queries(9):
        response = client.get("/goals/")
    assert response.status_code == 200
    assert response.content.decode().count('class="goal-card') == macros * 5


def test_runner_starter_makes_a_macro_goal_with_three_micro_goals(client, make_person):
    person = make_person()
    client.force_login(person)
    response = client.post("/goals/start/", {"starter": "runner"})
    macro = Goal.objects.get(parent=None)
    assert response.url == f"/goals/{macro.code}/"
    assert (macro.kind, macro.unit, macro.direction, macro.target) == ("measure", "duration", "down", 480)
    assert sorted(macro.children.values_list("title", flat=True)) == [
        "1 mile under 6:00",
        "400 m under 60 seconds",
        "5k at a sub-7:00 pace",
    ]
    html = client.get("/goals/").content.decode()
    assert "10k at a sub-8:00 pace" in html and "0 of 3 micro goals achieved" in html


@pytest.mark.parametrize("starter", ["career", "ask-for-the-sale", "twenty-interviews"])
def test_other_starters(client, make_person, starter):
    client.force_login(make_person())
    client.post("/goals/start/", {"starter": starter})
    assert Goal.objects.filter(parent=None).count() == 1


def test_create_a_measure_goal_and_get_the_activity_suggestion(client, make_person):
    client.force_login(make_person())
    response = client.post(
        "/goals/new/",
        {
            "title": "Sub-25 minute 5k",
            "kind": "measure",
            "unit": "duration",
            "direction": "down",
            "target_text": "25:00",
            "baseline_text": "28:30",
        },
    )
    goal = Goal.objects.get()
    assert (goal.target, goal.baseline) == (1500, 1710)
    page = client.get(response.url).content.decode()
    assert "Add an activity goal" in page


def test_bad_targets_get_a_clear_message_and_keep_the_title(client, make_person):
    client.force_login(make_person())
    html = client.post(
        "/goals/new/",
        {
            "title": "Faster mile",
            "kind": "measure",
            "unit": "duration",
            "direction": "down",
            "target_text": "7:75",
            "baseline_text": "-3",
        },
    ).content.decode()
    assert "seconds and minutes go up to 59" in html and "is not a time" in html
    assert 'value="Faster mile"' in html
    html = client.post("/goals/new/", {"title": "Asks", "kind": "activity", "target_text": "ten"}).content.decode()
    assert "a whole number from 1 to 1000" in html and "Choose per day, week or month." in html
    assert not Goal.objects.exists()


def test_logging_a_measurement_moves_progress_and_reaching_the_target_achieves(client, make_team):
    team = make_team()
    lead = team.lead
    client.force_login(lead)
    macro = start_from(starter="runner", owner=lead, today=lead.local_today())
    five_k = macro.children.get(title__startswith="5k")
    response = client.post(
        f"/goals/{five_k.code}/measurements/",
        {"value_text": "7:30", "day": lead.local_today()},
        headers={"HX-Request": "true"},
    )
    assert "Best 7:30 · target 7:00" in response.content.decode()
    client.post(f"/goals/{five_k.code}/measurements/", {"value_text": "6:58", "day": lead.local_today()})
    five_k.refresh_from_db()
    assert five_k.status == "achieved"
    win = Win.objects.get(author=lead)  # the goal is the lead's alone, and so is its win
    assert (win.text, win.team, win.visibility) == ("Achieved: 5k at a sub-7:00 pace", None, "private")
    assert Celebration.objects.get(person=lead, kind="goal").win == win
    assert "Goal achieved!" in client.get("/today/").content.decode()


def test_bad_measurement_keeps_the_value(client, make_person):
    person = make_person()
    client.force_login(person)
    goal = start_from(starter="runner", owner=person, today=person.local_today())
    html = client.post(
        f"/goals/{goal.code}/measurements/",
        {"value_text": "7:75", "day": person.local_today()},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "go up to 59" in html and 'value="7:75"' in html
    assert not Measurement.objects.exists()


def test_achieving_a_macro_goal_celebrates_louder(client, make_person):
    person = make_person()
    client.force_login(person)
    macro = start_from(starter="career", owner=person, today=person.local_today())
    client.post(f"/goals/{macro.code}/status/", {"status": "achieved"})
    assert Celebration.objects.filter(person=person, kind="macro-goal").count() == 1
    assert "Macro goal achieved!" in client.get("/today/").content.decode()


def test_a_count_goal_is_achieved_by_its_linked_wins(client, make_person, make_win):
    person = make_person()
    goal = Goal.objects.create(owner=person, title="Three podcasts", kind="count", target=3)
    for _ in range(3):
        make_win(person, goal=goal)
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert Win.objects.filter(text="Achieved: Three podcasts").count() == 1


def test_posting_a_linked_win_refreshes_the_goal_panel(client, make_person):
    import uuid

    person = make_person()
    goal = Goal.objects.create(owner=person, title="Ten asks", kind="count", target=10)
    client.force_login(person)
    response = client.post(
        "/wins/", {"text": "Asked", "goal": goal.pk, "client_key": str(uuid.uuid4())}, headers={"HX-Request": "true"}
    )
    assert "win-posted" in response.headers["HX-Trigger"]
    assert "1 of 10 wins" in client.get("/goals/panel/").content.decode()


def test_dropping_keeps_history(client, make_person, make_win):
    person = make_person()
    goal = Goal.objects.create(owner=person, title="Blog weekly", kind="count", target=50)
    make_win(person, goal=goal)
    client.force_login(person)
    client.post(f"/goals/{goal.code}/status/", {"status": "dropped"})
    goal.refresh_from_db()
    assert goal.status == "dropped" and goal.wins.count() == 1
    assert goal.code not in client.get("/goals/").content.decode()
    assert client.get(f"/goals/{goal.code}/").status_code == 200


def test_team_goals_are_seen_by_members_and_changed_by_leads(client, make_team, make_person):
    team = make_team(members=1)
    goal = Goal.objects.create(team=team, title="150 reader emails", kind="count", target=150)
    member = team.members[0]
    client.force_login(member)
    assert "150 reader emails" in client.get("/goals/").content.decode()
    assert client.post(f"/goals/{goal.code}/status/", {"status": "dropped"}).status_code == 403
    client.force_login(team.lead)
    assert client.post(f"/goals/{goal.code}/status/", {"status": "dropped"}).status_code == 302
    client.force_login(make_person())
    assert client.get(f"/goals/{goal.code}/").status_code == 404


def test_lead_creates_a_team_goal(client, make_team):
    team = make_team()
    client.force_login(team.lead)
    client.post(
        "/goals/new/",
        {
            "title": "Ship weekly",
            "kind": "activity",
            "target_text": "1",
            "period": "week",
            "audience": f"team:{team.slug}",
        },
    )
    goal = Goal.objects.get()
    assert (goal.team, goal.owner) == (team, None)


def test_a_member_cannot_create_a_team_goal(client, make_team):
    team = make_team(members=1)
    member = team.members[0]
    client.force_login(member)
    response = client.post(
        "/goals/new/", {"title": "Ship weekly", "kind": "milestone", "audience": f"team:{team.slug}"}
    )
    assert "Select a valid choice" in response.content.decode()  # the choice is not theirs
    assert not Goal.objects.exists()


def test_micro_goal_under_my_macro(client, make_person):
    person = make_person()
    client.force_login(person)
    macro = start_from(starter="career", owner=person, today=person.local_today())
    client.post(
        "/goals/new/",
        {
            "title": "Read a management book",
            "kind": "milestone",
            "parent": macro.pk,
            "due": (person.local_today() + timedelta(days=30)).isoformat(),
        },
    )
    assert macro.children.count() == 3


def test_a_measure_goal_shows_where_it_started(client, make_person):
    person = make_person()
    goal = Goal.objects.create(
        owner=person, title="Sub-25 5k", kind="measure", unit="duration", direction="down", target=1500, baseline=1710
    )
    client.force_login(person)
    assert "Started at 28:30" in client.get(f"/goals/{goal.code}/").content.decode()
    panel = client.post(
        f"/goals/{goal.code}/measurements/",
        {"value_text": "27:10", "day": person.local_today().isoformat(), "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Started at 28:30" in panel.content.decode() and "Best 27:10" in panel.content.decode()
