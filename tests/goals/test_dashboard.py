import re
import uuid
from datetime import timedelta

import pytest
from django.db.models import Count, Sum
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from goals.dashboard import (
    WINDOW,
    date_range,
    member_rows,
    range_sums,
    spark_points,
    team_totals,
    team_year,
    up_to_now,
    window_rows,
)
from goals.models import Goal
from teams.models import Blocker
from wins import scoring, services
from wins.models import DayTotal, Win


def dashboard(client, team, query="", **headers):
    return client.get(f"/t/{team.slug}/dashboard/{query}", headers=headers)


@pytest.mark.parametrize("members", [4, 30])
@pytest.mark.parametrize("old_range", [False, True])
def test_dashboard_query_count_is_the_same_at_any_size(
    client, make_team, members, old_range, django_assert_max_num_queries
):
    team = make_team(members=members, days=20)
    for person in [team.lead, *team.members]:
        Goal.objects.create(owner=person, title="Asks", kind="activity", target=2, period="week", shared_with=team)
        Goal.objects.create(owner=person, title="Podcasts", kind="count", target=5, shared_with=team)
    Goal.objects.create(team=team, title="Team", kind="measure", unit="km", target=10, baseline=0)
    Blocker.objects.create(team=team, raised_by=team.members[0], text="Stuck", day=team.lead.local_today())
    quiet = team.members[-1]  # quiet for longer than the rows read: their last mark takes one more query
    DayTotal.objects.filter(person=quiet, day__gte=team.local_today() - timedelta(days=WINDOW)).delete()
    DayTotal.objects.create(
        team=team, person=quiet, day=team.local_today() - timedelta(days=90), wins=1, points=1, value=0.1, run=1
    )
    client.force_login(team.lead)
    today = team.local_today()
    query = f"?range=custom&start={today - timedelta(days=60)}&end={today - timedelta(days=10)}" if old_range else ""
    with django_assert_max_num_queries(12):
        response = dashboard(client, team, query)
    assert response.status_code == 200
    assert len(response.context["rows"]) == members + 1
    assert response.context["choice"] == ("custom" if old_range else "week")


def test_rows_show_today_week_points_streak_and_momentum(client, make_team, make_win):
    team = make_team(members=1)
    member = team.members[0]
    today = member.local_today()
    kind = team.score_kinds.get(name="Speaking invite")
    for back in range(3):
        make_win(member, team, kind=kind, day=today - timedelta(days=back))
    make_win(member, team, text="Private", visibility="private")
    client.force_login(team.lead)
    row = next(r for r in dashboard(client, team).context["rows"] if r["person_id"] == member.pk)
    assert row["today"] == 1  # the private win never reaches the team's dashboard
    assert row["streak"] == 3
    days = {today - timedelta(days=b) for b in range(3)}
    assert row["momentum"] == scoring.momentum(days, today, member.active_weekdays).score
    assert row["last_label"] == "Today"


def test_members_see_it_read_only(client, make_team):
    team = make_team(members=1)
    Blocker.objects.create(team=team, raised_by=team.lead, text="Budget freeze", day=team.lead.local_today())
    client.force_login(team.members[0])
    response = dashboard(client, team)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Read-only" in html and "Budget freeze" not in html and "Clear" not in html and "Export CSV" not in html
    client.force_login(team.lead)
    html = dashboard(client, team).content.decode()
    assert "Budget freeze" in html and "Export CSV" in html


def test_the_refresh_fragment_is_only_the_live_part(client, make_team, django_assert_max_num_queries):
    team = make_team(members=2, days=5)
    client.force_login(team.lead)
    dashboard(client, team, "?range=30d&sort=wins&part=live", **{"HX-Request": "true"})  # renders, and keeps it
    with django_assert_max_num_queries(4):  # nothing new: the session, the person, their teams, one cache read
        response = dashboard(client, team, "?range=30d&sort=wins&part=live", **{"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="dashboard-live"') and "<html" not in html
    assert 'data-refresh-every="30"' in html and "range=30d" in html and "part=live" in html
    assert "The team&#x27;s year" not in html
    # Nothing one types lives in the refreshed part: a refresh can never wipe it.
    assert not re.search(r"<(input|textarea|select|form)\b", html)


def test_sort_and_range_live_in_the_url(client, make_team, make_win):
    team = make_team(members=2)
    busy, quiet = team.members
    for _ in range(3):
        make_win(busy, team)
    make_win(quiet, team, day=quiet.local_today() - timedelta(days=20))
    client.force_login(team.lead)
    rows = dashboard(client, team, "?sort=wins&desc=on").context["rows"]
    assert rows[0]["person_id"] == busy.pk
    rows = dashboard(client, team, "?sort=name").context["rows"]
    assert [r["name"] for r in rows] == sorted(r["name"] for r in rows)
    response = dashboard(client, team, "?range=30d")
    assert response.context["totals"]["now"]["wins"] == 4
    assert response.context["choice"] == "30d"
    html = response.content.decode()
    assert "range=30d&amp;sort=wins" in html  # the sort links keep the range


def test_a_bad_custom_range_says_so_and_shows_this_week(client, make_team):
    team = make_team()
    client.force_login(team.lead)
    response = dashboard(client, team, "?range=custom&start=2026-11-20&end=2026-11-01")
    assert response.context["choice"] == "week"
    assert "The end comes before the start." in response.content.decode()


def test_quiet_members_are_flagged_gently_for_leads(client, make_team, make_win):
    team = make_team(members=1, days=0)
    member = team.members[0]
    member.active_days = 0b1111111
    member.save()
    make_win(member, team, day=member.local_today() - timedelta(days=5))
    client.force_login(team.lead)
    assert "💤 quiet" in dashboard(client, team).content.decode()
    client.force_login(member)
    assert "💤 quiet" not in dashboard(client, team).content.decode()


def test_person_page_shows_heatmap_wins_and_goal_tree(client, make_team, make_win):
    team = make_team(members=1)
    member = team.members[0]
    make_win(member, team, text="Shared")
    make_win(member, team, text="Private one", visibility="private")
    Goal.objects.create(owner=member, title="Mentor a junior", kind="milestone", shared_with=team)
    Goal.objects.create(owner=member, title="Kept to myself", kind="milestone")
    client.force_login(team.lead)
    code = team.memberships.get(person=member).code
    html = client.get(f"/t/{team.slug}/people/{code}/").content.decode()
    assert "Shared" in html and "Private one" not in html and "Mentor a junior" in html
    assert "Kept to myself" not in html
    assert "1 win on" in html


def test_team_csv_of_the_chosen_range(client, make_team, make_win):
    team = make_team(members=1)
    member = team.members[0]
    make_win(member, team, text="Recent")
    make_win(member, team, text="Older", day=member.local_today() - timedelta(days=6))
    client.force_login(team.lead)
    today = member.local_today().isoformat()
    body = b"".join(client.get(f"/t/{team.slug}/wins.csv?start={today}&end={today}").streaming_content).decode()
    assert "Recent" in body and "Older" not in body


def fresh_counts(team):
    wins = Win.objects.alive().filter(team=team, visibility="team")
    rows = wins.values_list("author", "day").annotate(n=Count("id"), p=Sum("points"))
    return {(a, d): (n, p) for a, d, n, p in rows}


def stored_counts(team):
    return {(t.person_id, t.day): (t.wins, t.points) for t in DayTotal.objects.filter(team=team)}


def test_the_rollup_follows_posts_edits_deletes_and_back_dating(make_team, make_win):
    team = make_team(members=1)
    member = team.members[0]
    today = member.local_today()
    a = make_win(member, team, kind=team.score_kinds.get(name="Guest blog"))
    b = make_win(member, team, day=today - timedelta(days=3))
    make_win(member, team, visibility="private")
    services.edit_win(win=b, text="Moved", day=today - timedelta(days=1), visibility="team")
    services.delete_win(win=a)
    c = make_win(member, team, day=today - timedelta(days=2))
    services.edit_win(win=c, text="Now private", day=c.day, visibility="private")
    services.restore_win(win=a)
    assert stored_counts(team) == fresh_counts(team)
    assert team_year(team, today) == {today: 1, today - timedelta(days=1): 1}
    last = DayTotal.objects.filter(team=team, person=member).order_by("-day").first()
    days = {d for (_, d) in fresh_counts(team)}
    expected = scoring.fold(days, member.active_weekdays)[-1]
    assert (last.run, round(last.value, 9)) == (expected.run, round(expected.value, 9))


class RollupMatchesAFreshCount(TestCase):
    """Any sequence of posts, back-dated posts, edits and deletes leaves the rollup equal to a fresh count, and
    the dashboard's figures equal to the same figures computed from the wins themselves."""

    @settings(max_examples=25, deadline=None)
    @given(
        st.lists(
            st.tuples(st.sampled_from(["post", "edit", "delete", "restore", "hide"]), st.integers(0, 60)), max_size=14
        ),
        st.integers(0, 127),
    )
    def test_rollup(self, steps, active_days):
        from teams.models import Person
        from teams.services import create_team

        person = Person.objects.create_user(f"{uuid.uuid4().hex}@example.com", "pw", active_days=active_days or 1)
        team = create_team(lead=person, name="T")
        today = person.local_today()
        wins = []
        for action, n in steps:
            day = today - timedelta(days=n)
            if action == "post" or not wins:
                wins.append(
                    services.record_win(author=person, team=team, text="w", day=day, client_key=uuid.uuid4())[0]
                )
            elif action in ("edit", "hide"):
                visibility = "private" if action == "hide" else "team"
                services.edit_win(win=wins[n % len(wins)], text="e", day=day, visibility=visibility)
            elif action == "delete":
                services.delete_win(win=wins[n % len(wins)])
            else:
                services.restore_win(win=wins[n % len(wins)])
        assert stored_counts(team) == fresh_counts(team)
        days = sorted({d for (_, d) in fresh_counts(team)})
        marks = scoring.fold(days, person.active_weekdays)
        stored = {t.day: (t.run, round(t.value, 9)) for t in DayTotal.objects.filter(team=team)}
        assert stored == {m.day: (m.run, round(m.value, 9)) for m in marks}
        # The dashboard's row, from the rollup's last WINDOW days, equals the figures drawn from all the wins.
        week = date_range("week", today, team.week_start)[0]
        for choice in ("week", "last-week", "30d", "custom"):
            chosen = date_range(choice, today, team.week_start, today - timedelta(days=59), today - timedelta(days=40))[
                0
            ]
            start = today - timedelta(days=WINDOW)
            days_read = window_rows(team, start)
            sums = range_sums(team, up_to_now(chosen, today), (chosen[0] - timedelta(days=7), chosen[0]))
            (row,) = member_rows(team, days_read, start, today, week, chosen, sums)
            fresh = {d: n for (_, d), (n, _) in fresh_counts(team).items()}
            points = {d: p for (_, d), (_, p) in fresh_counts(team).items()}
            assert (row["today"], row["week"]) == (
                fresh.get(today, 0),
                sum(n for d, n in fresh.items() if week[0] <= d <= week[1]),
            )
            assert row["range_wins"] == sum(n for d, n in fresh.items() if chosen[0] <= d <= chosen[1])
            assert row["range_points"] == sum(p for d, p in points.items() if chosen[0] <= d <= chosen[1])
            assert (row["streak"], row["momentum"]) == (
                scoring.streak(set(days), today, person.active_weekdays),
                scoring.momentum(set(days), today, person.active_weekdays).score,
            )
            spark_days = [today - timedelta(days=n) for n in range(scoring.SPARK_DAYS - 1, -1, -1)]
            every_day = [days[0] + timedelta(days=n) for n in range((today - days[0]).days + 1)] if days else []
            values = scoring.day_values({m.day: m.value for m in marks}, 0.0, every_day, person.active_weekdays, today)
            drawn = dict(zip(every_day, values, strict=True))
            assert row["spark"] == [scoring.score_of(drawn.get(d, 0.0)) for d in spark_days]
            for before in (7, 90):  # summed from the rows read, and (from further back) by the rollup query
                previous = (chosen[0] - timedelta(days=before), chosen[0] - timedelta(days=1))
                span = up_to_now(chosen, today)
                ways = [team_totals(days_read, start, span, previous, range_sums(team, span, previous))]
                if previous[0] >= start:
                    ways.append(team_totals(days_read, start, span, previous))
                for totals in ways:
                    assert totals["now"]["wins"] == row["range_wins"]
                    assert totals["before"]["wins"] == sum(
                        n for d, n in fresh.items() if previous[0] <= d <= previous[1]
                    )


def test_changing_active_days_refolds_the_stored_streak(client, make_team, make_win):
    team = make_team(members=0)
    lead = team.lead
    today = lead.local_today()
    friday = today - timedelta(days=(today.weekday() - 4) % 7 or 7)
    for day in (friday - timedelta(days=1), friday, friday + timedelta(days=3)):  # Thu, Fri, Mon
        make_win(lead, team, day=day)
    monday = DayTotal.objects.get(team=team, day=friday + timedelta(days=3))
    assert monday.run == 3  # the weekend is rest by default
    client.force_login(lead)
    fields = {"display_name": lead.display_name, "time_zone": lead.time_zone, "week_start": 0}
    client.post("/account/", fields | {"active_weekdays": [0, 1, 2, 3, 4, 5, 6]})
    monday.refresh_from_db()
    assert monday.run == 1  # now Saturday and Sunday count, and were missed


def test_rows_escape_names_and_show_lead_only_cells_to_leads(client, make_team, make_win):
    team = make_team(members=1)
    member = team.members[0]
    member.display_name = '<img src=x onerror="alert(1)">'
    member.save(update_fields=["display_name"])
    make_win(member, team)
    Blocker.objects.create(team=team, raised_by=member, text="Stuck", day=member.local_today())
    client.force_login(team.lead)
    html = dashboard(client, team, "?range=30d").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert '<td data-label="Blockers"><span class="badge warn">1 open</span></td>' in html
    assert '<td data-label="Last 30 days">1</td>' in html
    assert f'href="/t/{team.slug}/people/{member.memberships.get().code}/"' in html
    client.force_login(member)
    html = dashboard(client, team).content.decode()
    assert 'data-label="Blockers"' not in html and 'data-label="Last 30 days"' not in html


def test_a_sparkline_is_integer_points_ten_units_a_day():
    assert spark_points([0, 50, 100]) == "0,100 10,50 20,0"


def test_a_member_who_rejoins_finds_their_streak(client, make_team, make_win, clock):
    from teams.services import accept_invitation, create_invitation, remove_membership

    team = make_team(members=1)
    member = team.members[0]
    for back in range(3):
        make_win(member, team, day=member.local_today() - timedelta(days=back))
    remove_membership(membership=team.memberships.get(person=member))
    clock.shift(60)
    invitation = create_invitation(team=team, created_by=team.lead, role="member")
    accept_invitation(invitation_token=invitation.token, person=member)
    client.force_login(team.lead)
    row = next(r for r in dashboard(client, team).context["rows"] if r["person_id"] == member.pk)
    assert (row["streak"], row["week"] > 0) == (3, True)


def test_rows_know_each_members_week_start_and_active_days(client, make_team, make_win):
    from goals.queries import goal_progress

    team = make_team(members=1)
    member = team.members[0]
    member.week_start, member.active_days = 6, 0b0011111  # weeks from Sunday; weekdays only
    member.save(update_fields=["week_start", "active_days"])
    goal = Goal.objects.create(owner=member, title="Asks", kind="activity", target=20, period="week", shared_with=team)
    for back in range(8):
        make_win(member, team, goal=goal, day=member.local_today() - timedelta(days=back))
    client.force_login(team.lead)
    row = next(r for r in dashboard(client, team).context["rows"] if r["person_id"] == member.pk)
    expected = goal_progress([Goal.objects.select_related("owner").get(pk=goal.pk)], viewer=team.lead)[goal.pk]
    assert row["goals"][0].progress.label == expected.label  # this week, from their Sunday
    days = {member.local_today() - timedelta(days=back) for back in range(8)}
    assert row["streak"] == scoring.streak(days, member.local_today(), member.active_weekdays)  # weekends rest


def test_a_measure_goal_reads_the_range_of_its_entries(make_team):
    from goals.queries import goal_progress
    from goals.services import log_measurement

    team = make_team(members=1)
    member = team.members[0]
    goal = Goal.objects.create(owner=member, title="5k", kind="measure", unit="km", target=5, baseline=0)
    for value in (3, 2, 4):
        log_measurement(goal=goal, value=value, day=member.local_today(), by=member)
    measured = Goal.objects.select_related("owner").get(pk=goal.pk)
    assert goal_progress([measured], viewer=member)[goal.pk].label == "Best 4 km · target 5 km"
    Goal.objects.filter(pk=goal.pk).update(direction="down")  # lower is better: the least value is the best
    measured.direction = "down"
    assert goal_progress([measured], viewer=member)[goal.pk].label == "Best 2 km · target 5 km"


def post_a_win(team, member, client):
    services.record_win(author=member, team=team, text="New", day=member.local_today(), client_key=uuid.uuid4())


def rename_the_member(team, member, client):
    client.force_login(member)
    client.post(
        "/account/",
        {"display_name": "Renamed Person", "time_zone": "UTC", "week_start": 0, "active_weekdays": [0, 1, 2, 3, 4]},
    )


def raise_a_blocker(team, member, client):
    from teams.services import raise_blocker

    raise_blocker(team=team, person=member, text="Stuck", day=member.local_today())


def log_a_measurement(team, member, client):
    from goals.services import log_measurement

    log_measurement(goal=Goal.objects.get(team=team), value=7, day=member.local_today(), by=team.lead)


def the_member_leaves(team, member, client):
    from teams.services import remove_membership

    remove_membership(membership=team.memberships.get(person=member))


@pytest.mark.parametrize(
    "write", [post_a_win, rename_the_member, raise_a_blocker, log_a_measurement, the_member_leaves]
)
def test_every_write_to_the_team_refreshes_its_cached_figures(
    client, make_team, write, django_capture_on_commit_callbacks
):
    team = make_team(members=1)
    member = team.members[0]
    Goal.objects.create(team=team, title="Ten km", kind="measure", unit="km", target=10, baseline=0)
    client.force_login(team.lead)
    live = f"/t/{team.slug}/dashboard/?part=live"
    before = client.get(live, headers={"HX-Request": "true"}).content
    assert client.get(live, headers={"HX-Request": "true"}).content == before  # kept: nothing new
    with django_capture_on_commit_callbacks(execute=True):
        write(team, member, client)
    client.force_login(team.lead)
    assert client.get(live, headers={"HX-Request": "true"}).content != before


# The wins of the range, on the dashboard


def htmx(client, team, query):
    return dashboard(client, team, query, **{"HX-Request": "true"})


def test_the_dashboard_lists_the_ranges_wins_newest_first_with_applause(client, make_team, make_win):
    from wins.services import toggle_applause

    team = make_team(members=2)
    ada, bo = team.members
    today = team.local_today()
    make_win(ada, team, text="Called ten people", day=today - timedelta(days=1))
    applauded = make_win(bo, team, text="Booked a podcast")
    make_win(ada, team, text="Old news", day=today - timedelta(days=20))
    toggle_applause(win=applauded, person=team.lead)
    client.force_login(team.lead)
    page = dashboard(client, team, "?range=week").content.decode()
    assert 'hx-get="?range=week&amp;part=wins" hx-trigger="revealed"' in page  # loaded when seen
    assert "Booked a podcast" not in page[page.index('id="range-wins"') :]
    listed = htmx(client, team, "?range=week&part=wins").content.decode()
    assert listed.index("Booked a podcast") < listed.index("Called ten people")  # newest first
    assert "Old news" not in listed  # not of this week
    item = listed[listed.index(f'id="win-{applauded.code}"') :]
    item = item[: item.index("</li>")]
    assert bo.display_name in item and "Today" in item  # by whom, and when
    assert 'aria-pressed="true"' in item and f"/wins/{applauded.code}/applaud/" in item  # applause in place
    assert "Old news" in htmx(client, team, "?range=30d&part=wins").content.decode()
    assert "Booked a podcast" in dashboard(client, team, "?range=week&part=wins").content.decode()  # no JavaScript


def test_a_teammates_private_win_is_never_listed(client, make_team, make_win):
    team = make_team(members=2)
    ada, bo = team.members
    make_win(ada, team, text="Shared with the team")
    make_win(ada, team, text="Kept to myself", visibility="private")
    make_win(ada, None, text="A personal win")
    for viewer in (team.lead, bo):
        client.force_login(viewer)
        for query in ("?part=wins", "?range=30d&part=wins", "?part=wins&page=1"):
            html = htmx(client, team, query).content.decode() + dashboard(client, team, query).content.decode()
            assert "Shared with the team" in html
            assert "Kept to myself" not in html and "A personal win" not in html
    client.force_login(ada)  # not even to their author: the dashboard lists what the team sees
    assert "Kept to myself" not in htmx(client, team, "?part=wins").content.decode()


def test_the_wins_come_a_page_at_a_time(client, make_team, make_win, django_assert_max_num_queries):
    from goals.dashboard import WINS_PAGE

    team = make_team(members=1)
    member = team.members[0]
    for n in range(WINS_PAGE * 2 + 3):
        make_win(member, team, text=f"Win number {n}.")
    client.force_login(team.lead)
    html = htmx(client, team, "?range=30d&part=wins").content.decode()
    assert html.count('class="win"') == WINS_PAGE and f"Win number {WINS_PAGE * 2 + 2}." in html
    assert 'hx-get="?range=30d&amp;part=wins&amp;page=2"' in html and 'href="?range=30d&amp;page=2#range-wins"' in html
    with django_assert_max_num_queries(4):  # the session, the person, the membership, the page
        html = htmx(client, team, "?range=30d&part=wins&page=2").content.decode()
    assert html.count('class="win"') == WINS_PAGE and "<html" not in html and "page=3" in html
    assert "autofocus" in html  # a keyboard goes on from the first new win
    html = htmx(client, team, "?range=30d&part=wins&page=3").content.decode()
    assert html.count('class="win"') == 3 and "More wins" not in html and "Win number 0." in html
    html = dashboard(client, team, "?range=30d&page=3").content.decode()  # no JavaScript: a page of its own
    assert "Win number 0." in html and f"Win number {WINS_PAGE * 2 + 2}." not in html


def test_the_query_count_is_the_same_for_5_and_50_members(client, make_team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for members in (4, 49):
        team = make_team(members=members, days=8)
        for person in [team.lead, *team.members]:
            Goal.objects.create(owner=person, title="Asks", kind="activity", target=2, period="week", shared_with=team)
        Blocker.objects.create(team=team, raised_by=team.members[0], text="Stuck", day=team.lead.local_today())
        client.force_login(team.lead)
        dashboard(client, team)
        with CaptureQueriesContext(connection) as captured:
            assert dashboard(client, team).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 12


# Blockers: clearing one moves every counter, and keeps what is typed under the others


def test_clearing_a_blocker_answers_its_item_the_panels_count_and_refreshes_the_figures(
    client, make_team, django_capture_on_commit_callbacks
):
    team = make_team(members=2)
    ada, bo = team.members
    day = team.lead.local_today()
    first = Blocker.objects.create(team=team, raised_by=ada, text="No VPN access", day=day)
    Blocker.objects.create(team=team, raised_by=bo, text="Waiting on legal", day=day)
    client.force_login(team.lead)
    live = "?part=live"
    assert '<span class="badge warn">1 open</span>' in htmx(client, team, live).content.decode()  # kept
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/t/{team.slug}/blockers/{first.pk}/clear/", {"note": "Sorted with IT"}, headers={"HX-Request": "true"}
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="blocker cleared" id="blocker-{first.pk}"')  # this item only
    assert "Waiting on legal" not in html  # the other one, and its note field, stay as they are
    assert '<span id="blockers-count" class="badge warn" hx-swap-oob="true">1</span>' in html
    assert "blockers-changed" in response["HX-Trigger"]
    figures = htmx(client, team, live).content.decode()  # what the trigger asks for: the version moved on
    rows = re.findall(r'<tr[^>]*><th scope="row".*?</tr>', figures, re.S)
    ada_row = next(r for r in rows if ada.display_name in r)
    assert "open" not in ada_row
    assert re.search(r'id="open-blockers-stat"><span class="stat-value">1</span>', figures)
    second = Blocker.objects.get(status="open")
    response = client.post(f"/t/{team.slug}/blockers/{second.pk}/clear/", headers={"HX-Request": "true"})
    html = response.content.decode()  # the last one: no other note to keep, the panel says so whole
    assert response["HX-Retarget"] == "#blockers" and html.lstrip().startswith('<section id="blockers"')
    assert "✓ Cleared" in html and "Nothing in the way" in html and ">0</span>" in html


def test_a_blocker_cleared_meanwhile_says_so_in_place(client, make_team):
    from teams.services import clear_blocker

    team = make_team(members=1)
    blocker = Blocker.objects.create(team=team, raised_by=team.members[0], text="Stuck", day=team.lead.local_today())
    other_lead = team.members[0]
    clear_blocker(blocker=blocker, by=other_lead, note="Done")
    client.force_login(team.lead)
    url = f"/t/{team.slug}/blockers/{blocker.pk}/clear/"
    html = client.post(url, {"note": "Me too"}, headers={"HX-Request": "true"}).content.decode()
    assert "no longer open" in html and f"{other_lead.display_name} cleared it" in html
    assert client.post(url, {"note": "Me too"}).status_code == 404  # without htmx, as before
    assert Blocker.objects.get(pk=blocker.pk).clear_note == "Done"


# The range drives the table


def test_the_range_drives_the_table(client, make_team, make_win):
    team = make_team(members=2)
    steady, busy = team.members
    today = team.local_today()
    last_week = date_range("last-week", today, team.week_start)[0]
    kind = team.score_kinds.get(name="Speaking invite")
    make_win(steady, team, day=today, kind=kind)
    make_win(steady, team, day=today, kind=kind)
    for _ in range(3):
        make_win(busy, team, day=last_week[0])
    client.force_login(team.lead)
    response = dashboard(client, team, "?range=last-week&sort=wins")
    rows = response.context["rows"]
    assert rows[0]["person_id"] == busy.pk  # last week's wins, highest first
    table = re.search(r'<table class="members">.*?</table>', response.content.decode(), re.S)[0]
    busy_row = next(r for r in re.findall(r"<tr.*?</tr>", table, re.S) if busy.display_name in r)
    assert '<td data-label="Last week">3</td>' in busy_row
    assert 'data-label="Today"' not in table and "This week" not in table  # last week has no today
    points = dashboard(client, team, "?range=30d&sort=points").context["rows"]
    assert points[0]["person_id"] == steady.pk and points[0]["range_points"] == 2 * kind.points
    html = dashboard(client, team, "?range=30d").content.decode()
    steady_row = next(r for r in re.findall(r"<tr.*?</tr>", html, re.S) if steady.display_name in r)
    assert '<td data-label="Last 30 days">2</td>' in steady_row
    assert f'<td data-label="Points">{2 * kind.points}</td>' in steady_row


@pytest.mark.parametrize(
    ("query", "descending"),
    [
        ("?sort=name", False),
        ("?sort=streak", True),
        ("?sort=points", True),
        ("?sort=streak&desc=off", False),
        ("?sort=name&desc=on", True),
    ],
)
def test_figures_sort_highest_first_and_names_a_to_z(client, make_team, query, descending):
    team = make_team(members=1)
    client.force_login(team.lead)
    response = dashboard(client, team, query)
    assert response.context["descending"] is descending
    html = response.content.decode()
    key = query.split("sort=")[1].split("&")[0]
    assert f'aria-sort="{"descending" if descending else "ascending"}"' in html
    flipped = "off" if descending else "on"
    assert f"&amp;sort={key}&amp;desc={flipped}" in html  # the sorted column turns round
    other = "name" if key != "name" else "streak"
    assert f'&amp;sort={other}"' in html  # another column starts from its own default
