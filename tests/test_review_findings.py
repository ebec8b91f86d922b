"""Regression tests for leaks and slips found in review: each one failed before its fix."""

import io
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Sum

from goals.models import Goal, Intention
from teams.models import Blocker, Membership
from wins import services
from wins.models import DayTotal, Win


def test_a_private_win_on_a_team_goal_stays_private(client, make_team, make_win):
    team = make_team(members=1)
    goal = Goal.objects.create(team=team, title="Team goal", kind="count", target=50)
    make_win(team.lead, team, text="SECRET interview at rival", visibility="private", goal=goal)
    client.force_login(team.members[0])
    assert "SECRET" not in client.get(f"/goals/{goal.code}/").content.decode()


def test_a_win_links_only_my_goals_or_its_own_teams(client, make_team):
    a, b = make_team(), make_team()
    person = a.lead
    Membership.objects.create(team=b, person=person)
    b_goal = Goal.objects.create(team=b, title="B's goal", kind="count", target=5)
    client.force_login(person)
    client.get(f"/t/{a.slug}/")  # A is current
    response = client.post("/wins/", {"text": "x", "client_key": str(uuid.uuid4()), "goal": b_goal.pk, "team": a.slug})
    assert "Select a valid choice" in response.content.decode()
    assert not Win.objects.exists()


def test_editing_a_goal_cannot_hang_it_under_someone_elses(client, make_team):
    team = make_team(members=1)
    lead = team.lead
    mine = Goal.objects.create(owner=lead, title="LEAD-PRIVATE-PLAN", kind="milestone")
    team_goal = Goal.objects.create(team=team, title="Team goal", kind="milestone")
    client.force_login(lead)
    html = client.post(f"/goals/{mine.code}/", {"title": mine.title, "kind": "milestone", "parent": team_goal.pk})
    assert "Select a valid choice" in html.content.decode()
    mine.refresh_from_db()
    assert mine.parent is None


def test_a_posted_win_keeps_the_team_its_form_was_drawn_for(client, make_team):
    a, b = make_team(), make_team()
    person = a.lead
    Membership.objects.create(team=b, person=person)
    client.force_login(person)
    client.get(f"/t/{b.slug}/")  # another tab makes B current
    kind = a.score_kinds.first()
    client.post("/wins/", {"text": "For A", "client_key": str(uuid.uuid4()), "team": a.slug, "kind": kind.pk})
    assert Win.objects.get().team == a


def test_editing_keeps_the_link_to_a_dropped_goal(client, make_person, make_win):
    person = make_person()
    goal = Goal.objects.create(owner=person, title="Old goal", kind="count", target=50, status="dropped")
    win = make_win(person, goal=goal)
    client.force_login(person)
    client.post(f"/wins/{win.code}/edit/", {"text": "Edited", "day": win.day.isoformat(), "goal": goal.pk})
    win.refresh_from_db()
    assert (win.text, win.goal) == ("Edited", goal)


def test_tomorrows_intention_cannot_become_a_win_today(client, make_person):
    person = make_person()
    tomorrow = Intention.objects.create(person=person, day=person.local_today() + timedelta(days=1), text="Later")
    client.force_login(person)
    response = client.post(f"/plan/{tomorrow.code}/win/", follow=True)
    assert "Only today" in response.content.decode()
    assert not Win.objects.exists()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_next_never_leaves_the_site(client, make_team, next_url):
    team = make_team(members=1)
    blocker = Blocker.objects.create(team=team, raised_by=team.members[0], text="x", day=team.lead.local_today())
    client.force_login(team.lead)
    response = client.post(f"/t/{team.slug}/blockers/{blocker.pk}/clear/", {"next": next_url})
    assert response.url == f"/t/{team.slug}/"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_rollup_stays_right_under_concurrent_posts(make_team):
    team = make_team(members=3)
    people = [team.lead, *team.members]
    posts = [p for p in people for _ in range(2)]  # two tabs each: one person's posts race too
    barrier = threading.Barrier(len(posts))

    def post(person):
        barrier.wait()
        for _ in range(5):
            services.record_win(author=person, team=team, text="w", day=person.local_today(), client_key=uuid.uuid4())
        connection.close()

    threads = [threading.Thread(target=post, args=(p,)) for p in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    fresh = dict(
        Win.objects.filter(team=team).values_list("author", "day").annotate(n=Count("id")).values_list("author", "n")
    )
    assert {t.person_id: t.wins for t in DayTotal.objects.filter(team=team)} == fresh == {p.pk: 10 for p in people}


def test_undo_in_the_feed_brings_the_win_back_as_the_feed_shows_it(client, make_team, make_win):
    team = make_team()
    win = make_win(team.lead, team, text="Oops")
    client.force_login(team.lead)
    deleted = client.post(f"/wins/{win.code}/delete/", {"in_feed": "1"}, headers={"HX-Request": "true"})
    assert 'name="in_feed"' in deleted.content.decode()
    restored = client.post(f"/wins/{win.code}/restore/", {"in_feed": "1"}, headers={"HX-Request": "true"})
    html = restored.content.decode()
    assert team.lead.display_name in html and "Say something kind" in html


def test_a_measure_goal_may_start_without_a_baseline(client, make_person):
    client.force_login(make_person())
    client.post(
        "/goals/new/",
        {"title": "Bench press 80 kg", "kind": "measure", "unit": "kg", "direction": "up", "target_text": "80"},
    )
    goal = Goal.objects.get()
    assert (goal.target, goal.baseline) == (80, None)


def test_the_demo_records_streak_milestones_by_the_apps_own_rule(db):
    from django.core.management import call_command

    from wins.models import Celebration

    call_command(
        "seed_demo", "--teams", "1", "--members", "3", "--days", "40", "--not-for-development", stdout=io.StringIO()
    )
    assert Celebration.objects.filter(kind="streak-7").exists()


def rollup_equals_a_fresh_count(team):
    fresh = {
        (a, d): (n, p)
        for a, d, n, p in Win.objects.shared()
        .filter(team=team)
        .values_list("author", "day")
        .annotate(n=Count("id"), p=Sum("points"))
    }
    return {(t.person_id, t.day): (t.wins, t.points) for t in DayTotal.objects.filter(team=team)} == fresh


def test_two_changes_of_one_win_at_once_count_once(make_team, make_win):
    team = make_team(members=1)
    member = team.members[0]
    make_win(member, team, text="Another win that day")
    win = make_win(member, team)
    first, second = Win.objects.get(pk=win.pk), Win.objects.get(pk=win.pk)  # two tabs, loaded alike
    services.delete_win(win=first)
    services.delete_win(win=second)
    assert rollup_equals_a_fresh_count(team)
    first, second = Win.objects.get(pk=win.pk), Win.objects.get(pk=win.pk)
    services.restore_win(win=first)
    services.restore_win(win=second)
    assert rollup_equals_a_fresh_count(team)
    stale = Win.objects.get(pk=win.pk)
    services.delete_win(win=Win.objects.get(pk=win.pk))
    services.edit_win(win=stale, text="Moved", day=win.day - timedelta(days=1), visibility="team")
    assert rollup_equals_a_fresh_count(team)


def test_marks_follow_the_active_days_of_now_not_of_the_request(make_team, make_win):
    from wins import rollups, scoring

    team = make_team(members=1)
    member = team.members[0]
    stale = type(member).objects.get(pk=member.pk)  # loaded by a request before the change below
    type(member).objects.filter(pk=member.pk).update(active_days=0b1111111)
    rollups.remark_person(member)
    today = member.local_today()
    make_win(stale, team, day=today - timedelta(days=3))
    make_win(stale, team, day=today)
    last = DayTotal.objects.filter(person=member).order_by("-day").first()
    expected = scoring.fold([today - timedelta(days=3), today], frozenset(range(7)))[-1]
    assert (last.run, round(last.value, 9)) == (expected.run, round(expected.value, 9))


def test_joining_another_team_refreshes_what_one_counts_on_a_dashboard(
    client, make_team, make_win, django_capture_on_commit_callbacks
):
    from teams.services import accept_invitation, create_invitation

    a, b = make_team(members=1), make_team()
    member = a.members[0]
    Membership.objects.create(team=b, person=member)
    goal = Goal.objects.create(owner=member, title="Five posts", kind="count", target=5, shared_with=a)
    for _ in range(3):
        make_win(member, b, goal=goal)  # shared with B, on a goal shared with A
    client.force_login(a.lead)
    live = f"/t/{a.slug}/dashboard/?part=live"
    assert 'value="0"' in client.get(live, headers={"HX-Request": "true"}).content.decode()
    invitation = create_invitation(team=b, created_by=b.lead, role="member")
    with django_capture_on_commit_callbacks(execute=True):  # the versions move once the join commits
        accept_invitation(invitation_token=invitation.token, person=a.lead)
    assert 'value="60"' in client.get(live, headers={"HX-Request": "true"}).content.decode()


def test_a_new_members_quiet_days_start_on_their_own_day(client, make_team, clock):
    from datetime import UTC, datetime

    team = make_team(members=0)
    clock.move_to(datetime(2026, 6, 17, 23, 30, tzinfo=UTC))  # Thursday 00:30 in London
    newcomer = Membership.objects.create(
        team=team,
        person=Membership.objects.get(team=team).person.__class__.objects.create_user(
            "new@example.com", "pw", time_zone="Europe/London"
        ),
    )
    clock.move_to(datetime(2026, 6, 20, 12, 0, tzinfo=UTC))  # Saturday: Thursday and Friday went by
    client.force_login(team.lead)
    row = next(
        r for r in client.get(f"/t/{team.slug}/dashboard/").context["rows"] if r["person_id"] == newcomer.person_id
    )
    assert (row["quiet_days"], row["is_quiet"]) == (2, False)


def test_editing_a_win_of_an_archived_kind_keeps_its_kind_and_points(client, make_team, make_win):
    team = make_team(members=0)
    kind = team.score_kinds.get(name="Speaking invite")
    win = make_win(team.lead, team, kind=kind)
    kind.archived_at = win.created_at
    kind.save()
    client.force_login(team.lead)
    client.post(f"/wins/{win.code}/edit/", {"text": "Reworded", "kind": kind.pk, "day": win.day, "visibility": "team"})
    win.refresh_from_db()
    assert (win.text, win.kind, win.points) == ("Reworded", kind, kind.points)


def test_the_dashboard_counts_a_team_goals_achieved_micro_goals(client, make_team):
    team = make_team(members=0)
    macro = Goal.objects.create(team=team, title="Launch", kind="milestone")
    Goal.objects.create(team=team, parent=macro, title="Done one", kind="milestone", status="achieved")
    Goal.objects.create(team=team, parent=macro, title="Open one", kind="milestone")
    client.force_login(team.lead)
    assert "1 of 2 micro goals achieved" in client.get(f"/t/{team.slug}/dashboard/").content.decode()


def test_the_export_of_this_week_takes_the_wins_of_members_ahead_of_the_team(client, make_team, make_win):
    team = make_team(members=1)  # the team on UTC, on Wednesday; the member in London, on Thursday already
    member = team.members[0]
    make_win(member, team, text="Thursday in London")
    client.force_login(team.lead)
    export = client.get(f"/t/{team.slug}/dashboard/").context["export_url"]
    assert "Thursday in London" in b"".join(client.get(export).streaming_content).decode()


def test_a_repeated_post_says_it_was_stored_and_lists_it_once(client, make_team):
    team = make_team(members=0)
    client.force_login(team.lead)
    data = {"text": "Once", "client_key": str(uuid.uuid4()), "team": team.slug}
    client.post("/wins/", data, headers={"HX-Request": "true"})
    again = client.post("/wins/", data, headers={"HX-Request": "true"}).content.decode()
    assert "Already posted ✓" in again and "todays-wins" not in again
    assert Win.objects.count() == 1
