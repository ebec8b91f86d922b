"""Private stays private: each way a private win or goal once reached someone else, one test."""

import uuid

import pytest

from goals.models import Goal
from goals.queries import goal_progress
from teams.models import Membership
from wins.models import Celebration, Win

from .conftest import share_goal


@pytest.fixture
def team(clock, make_team):
    return make_team(members=2)


def page(client, person, url):
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_private_win_on_a_team_goal_moves_its_progress_for_its_author_only(client, team, make_win):
    goal = Goal.objects.create(team=team, title="Team goal", kind="count", target=250)
    author, other = team.members
    make_win(other, team, goal=goal)
    make_win(author, team, goal=goal, visibility="private")
    assert "1 of 250 wins" in page(client, team.lead, "/goals/")
    assert "1 of 250 wins" in page(client, team.lead, f"/t/{team.slug}/dashboard/")
    assert "1 of 250 wins" in page(client, team.lead, f"/goals/{goal.code}/")
    assert "2 of 250 wins" in page(client, author, "/goals/")
    assert goal_progress([Goal.objects.select_related("team").get(pk=goal.pk)], viewer=other)[goal.pk].label == (
        "1 of 250 wins"
    )


def test_private_wins_on_a_shared_goal_do_not_show_on_the_person_page(client, team, make_win):
    author = team.members[0]
    goal = Goal.objects.create(owner=author, title="Run three times a week", kind="activity", target=3, period="week")
    share_goal(goal, team)
    for _ in range(3):
        make_win(author, team, goal=goal, visibility="private")
    code = team.memberships.get(person=author).code
    html = page(client, team.lead, f"/t/{team.slug}/people/{code}/")
    assert "Run three times a week" in html and "0 of 3 this week" in html
    assert 'value="0"' in page(client, team.lead, f"/t/{team.slug}/dashboard/").split(author.display_name)[1][:2000]


def test_a_personal_goal_is_private_until_shared(client, team):
    author, teammate = team.members
    goal = Goal.objects.create(owner=author, title="Become a people manager", kind="milestone")
    code = team.memberships.get(person=author).code
    assert "Become a people manager" not in page(client, teammate, f"/t/{team.slug}/people/{code}/")
    assert "Become a people manager" not in page(client, teammate, f"/t/{team.slug}/dashboard/")
    assert client.get(f"/goals/{goal.code}/").status_code == 404
    share_goal(goal, team)
    assert "Become a people manager" in page(client, teammate, f"/t/{team.slug}/people/{code}/")
    assert "Become a people manager" in page(client, teammate, f"/goals/{goal.code}/")  # read-only
    assert "Edit goal" not in page(client, teammate, f"/goals/{goal.code}/")


def test_reaching_a_private_goal_records_a_private_win(client, team, make_win):
    author = team.members[0]
    author.current_team = team  # the team page they visited last
    author.save(update_fields=["current_team"])
    goal = Goal.objects.create(owner=author, title="Secret side project", kind="count", target=2)
    make_win(author, team, goal=goal, visibility="private")
    make_win(author, team, goal=goal, visibility="private")
    achieved = Win.objects.get(text="Achieved: Secret side project")
    assert achieved.visibility == "private"
    assert "Secret side project" not in page(client, team.lead, f"/t/{team.slug}/")


def test_reaching_a_shared_goal_records_a_team_win_in_its_team(client, team, make_win):
    author = team.members[0]
    goal = Goal.objects.create(owner=author, title="Ten guest posts", kind="count", target=2)
    share_goal(goal, team)
    make_win(author, team, goal=goal)
    make_win(author, team, goal=goal)
    achieved = Win.objects.get(text="Achieved: Ten guest posts")
    assert (achieved.team, achieved.visibility) == (team, "team")


def test_private_wins_do_not_reach_a_shared_or_team_goal_for_everyone(team, make_win):
    author = team.members[0]
    goal = Goal.objects.create(team=team, title="Team goal", kind="count", target=2)
    make_win(author, team, goal=goal, visibility="private")
    make_win(author, team, goal=goal, visibility="private")
    assert Goal.objects.get(pk=goal.pk).status == "active"
    assert not Win.objects.filter(text__startswith="Achieved").exists()


def test_milestone_badges_in_the_feed_count_shared_wins_only(client, team, make_win):
    author = team.members[0]
    for _ in range(8):
        make_win(author, team)
    make_win(author, team, visibility="private")
    tenth = make_win(author, team, text="The tenth, counting the private one")
    html = page(client, team.lead, f"/t/{team.slug}/")
    assert "The tenth, counting the private one" in html
    assert "10 wins" not in html
    assert not Celebration.objects.filter(win=tenth, kind="wins-10", team=team).exists()
    eleventh = make_win(author, team, text="The tenth shared")
    assert "🎉 10 wins" in page(client, team.lead, f"/t/{team.slug}/").split("The tenth shared")[1][:800]
    assert Celebration.objects.filter(win=eleventh, kind="wins-10", team=team).exists()


def test_my_own_milestones_count_all_my_wins(client, team, make_win):
    author = team.members[0]
    for _ in range(9):
        make_win(author, team, visibility="private")
    make_win(author, None)
    assert "10 wins" in page(client, author, "/today/")


def test_a_team_win_on_a_private_goal_does_not_name_the_goal(client, team, make_win):
    author = team.members[0]
    goal = Goal.objects.create(owner=author, title="PRIVATE GOAL TITLE", kind="count", target=50)
    make_win(author, team, text="Shared, on a private goal", goal=goal)
    for url in (f"/t/{team.slug}/", f"/t/{team.slug}/wins.csv", f"/t/{team.slug}/dashboard/"):
        client.force_login(team.lead)
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"PRIVATE GOAL TITLE" not in body, url
    assert "PRIVATE GOAL TITLE" in page(client, author, f"/t/{team.slug}/")  # its owner sees it


def test_the_goal_filter_of_the_feed_lists_only_goals_the_team_may_see(client, team, make_win):
    author = team.members[0]
    private = Goal.objects.create(owner=author, title="PRIVATE GOAL TITLE", kind="count", target=50)
    make_win(author, team, goal=private)
    html = page(client, team.lead, f"/t/{team.slug}/")
    assert "PRIVATE GOAL TITLE" not in html


def test_posting_a_team_win_with_a_private_goal_keeps_the_goal_private(client, team):
    author = team.members[0]
    goal = Goal.objects.create(owner=author, title="PRIVATE GOAL TITLE", kind="count", target=50)
    client.force_login(author)
    client.post("/wins/", {"text": "On my goal", "client_key": str(uuid.uuid4()), "goal": goal.pk, "team": team.slug})
    assert Win.objects.get().goal == goal
    assert "PRIVATE GOAL TITLE" not in page(client, team.lead, f"/t/{team.slug}/")


def test_a_goal_is_shared_from_its_form_and_its_micro_goals_follow(client, team):
    author = team.members[0]
    client.force_login(author)
    client.post("/goals/new/", {"title": "Macro", "kind": "milestone", "audience": f"share:{team.slug}"})
    macro = Goal.objects.get(title="Macro")
    assert (macro.owner, macro.shared_with) == (author, team)
    client.post("/goals/new/", {"title": "Micro", "kind": "milestone", "parent": macro.pk})
    micro = Goal.objects.get(title="Micro")
    assert (micro.owner, micro.shared_with) == (author, team)
    client.post(f"/goals/{macro.code}/", {"title": "Macro", "kind": "milestone", "audience": ""})
    micro.refresh_from_db()
    assert micro.shared_with is None
    html = client.get(f"/goals/{micro.code}/").content.decode()
    assert 'name="audience"' not in html  # a micro goal is seen by whoever sees its macro goal


def test_a_goal_can_be_shared_only_with_a_team_of_mine(client, team, make_team):
    other = make_team()
    client.force_login(team.members[0])
    response = client.post("/goals/new/", {"title": "Macro", "kind": "milestone", "audience": f"share:{other.slug}"})
    assert "Select a valid choice" in response.content.decode()
    assert not Goal.objects.exists()


def test_a_private_win_never_achieves_a_goal_others_see(client, team, make_win):
    member, actor = team.members
    goal = Goal.objects.create(team=team, title="Three together", kind="count", target=3)
    for _ in range(3):
        make_win(member, team, goal=goal)
    client.force_login(team.lead)
    client.post(f"/goals/{goal.code}/status/", {"status": "active"})  # reopened, at its target already
    assert Goal.objects.get(pk=goal.pk).status == "active"
    make_win(actor, team, goal=goal, visibility="private")
    assert Goal.objects.get(pk=goal.pk).status == "active"
    assert list(Win.objects.filter(text__startswith="Achieved").values_list("author", flat=True)) == [member.pk]


def test_lowering_a_target_already_reached_achieves_the_goal(client, team, make_win):
    member = team.members[0]
    goal = Goal.objects.create(team=team, title="Five together", kind="count", target=5)
    for _ in range(3):
        make_win(member, team, goal=goal)
    client.force_login(team.lead)
    client.post(f"/goals/{goal.code}/", {"title": "Five together", "kind": "count", "target_text": "3"})
    assert Goal.objects.get(pk=goal.pk).status == "achieved"
    achieved = Win.objects.get(text="Achieved: Five together")
    assert (achieved.author, achieved.team, achieved.visibility) == (team.lead, team, "team")


def test_a_win_edited_onto_a_goal_that_reaches_its_target_achieves_it(client, team, make_win):
    member = team.members[0]
    goal = Goal.objects.create(team=team, title="Two together", kind="count", target=2)
    make_win(member, team, goal=goal)
    other = make_win(member, team, text="Not linked yet")
    client.force_login(member)
    client.post(f"/wins/{other.code}/edit/", {"text": "Not linked yet", "goal": goal.pk, "day": other.day})
    assert Goal.objects.get(pk=goal.pk).status == "achieved"


def test_a_goal_with_micro_goals_cannot_become_a_micro_goal(client, team):
    author = team.members[0]
    macro = Goal.objects.create(owner=author, title="Shared macro", kind="milestone", shared_with=team)
    Goal.objects.create(owner=author, parent=macro, title="Its micro", kind="milestone", shared_with=team)
    private = Goal.objects.create(owner=author, title="Private", kind="milestone")
    client.force_login(author)
    response = client.post(
        f"/goals/{macro.code}/", {"title": "SECRET new title", "kind": "milestone", "parent": private.pk}
    )
    assert "two levels deep" in response.content.decode()
    macro.refresh_from_db()
    assert (macro.parent, macro.title, macro.shared_with) == (None, "Shared macro", team)


def test_a_post_box_of_a_team_one_left_posts_nowhere_else(client, team, make_team):
    author = team.members[0]
    other = make_team()
    Membership.objects.create(team=other, person=author)
    team.memberships.get(person=author).delete()
    client.force_login(author)
    response = client.post(
        "/wins/", {"text": "Meant for the old team", "client_key": str(uuid.uuid4()), "team": team.slug}
    )
    assert "no longer in the team" in response.content.decode()
    assert not Win.objects.exists()


def test_a_former_member_reads_nothing_new_of_the_team_in_their_own_records(client, team, make_win):
    from teams.models import Blocker
    from teams.services import remove_membership

    author = team.members[0]
    goal = Goal.objects.create(team=team, title="Team goal", kind="count", target=50)
    make_win(author, team, kind=team.score_kinds.first(), goal=goal)
    Blocker.objects.create(team=team, raised_by=author, text="Stuck", day=author.local_today())
    remove_membership(membership=team.memberships.get(person=author))
    type(team).objects.filter(pk=team.pk).update(name="RENAMED TEAM")
    team.score_kinds.update(name="RENAMED KIND")
    Goal.objects.filter(pk=goal.pk).update(title="RENAMED GOAL")
    client.force_login(author)
    export = b"".join(client.get("/account/wins.csv").streaming_content).decode()
    assert "RENAMED" not in export and "a team you left" in export
    assert "RENAMED" not in client.get("/review/").content.decode()
