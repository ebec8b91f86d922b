from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest

from goals import progress
from goals.models import Goal
from goals.queries import goal_progress

WEDNESDAY = date(2026, 11, 25)


def test_milestone():
    assert progress.milestone(False).percent == 0
    assert progress.milestone(True).reached


def test_count_edges():
    assert progress.count(0, 20).percent == 0
    assert progress.count(10, 20).percent == 50
    over = progress.count(25, 20)
    assert over.percent == 100 and over.reached and over.label == "25 of 20 wins"


def test_measure_lower_is_better():
    # Baseline 9:15 (555 s), target 8:00 (480 s), best 8:30 (510 s): 45 of 75 seconds, 60%.
    p = progress.measure(Decimal(510), Decimal(555), Decimal(480), "down", "duration")
    assert p.percent == 60 and not p.reached and p.label == "Best 8:30 · target 8:00"
    assert progress.measure(Decimal(475), Decimal(555), Decimal(480), "down", "duration").reached


def test_measure_higher_is_better_and_no_data():
    assert progress.measure(None, Decimal(0), Decimal(10), "up", "km").percent == 0
    assert progress.measure(Decimal(5), Decimal(0), Decimal(10), "up", "km").percent == 50
    assert progress.measure(Decimal(12), Decimal(0), Decimal(10), "up", "km").percent == 100
    # Worse than the baseline shows no progress, not negative progress.
    assert progress.measure(Decimal(600), Decimal(555), Decimal(480), "down", "duration").percent == 0


def test_activity_counts_this_period_and_the_streak_of_periods():
    # Weeks start on Monday; target 2 a week. This week (from Mon 23 Nov): 1 so far.
    per_day = {date(2026, 11, 24): 1, date(2026, 11, 17): 2, date(2026, 11, 10): 1, date(2026, 11, 11): 1}
    p = progress.activity(per_day, 2, "week", WEDNESDAY, 0, date(2026, 11, 1))
    assert (p.this_period, p.period_streak, p.percent) == (1, 2, 50)


def test_activity_periods_follow_the_week_start():
    # Sunday 22 Nov belongs to this week when weeks start on Sunday, to last week when they start on Monday.
    per_day = {date(2026, 11, 22): 2}
    assert progress.activity(per_day, 2, "week", WEDNESDAY, 6, date(2026, 11, 1)).this_period == 2
    assert progress.activity(per_day, 2, "week", WEDNESDAY, 0, date(2026, 11, 1)).this_period == 0


def test_activity_per_month_and_day():
    per_day = {date(2026, 11, 2): 5, date(2026, 10, 30): 20}
    assert progress.activity(per_day, 20, "month", WEDNESDAY, 0, date(2026, 10, 1)).period_streak == 1
    assert progress.activity({WEDNESDAY: 1}, 1, "day", WEDNESDAY, 0, WEDNESDAY).reached is False


def test_activity_today_is_the_owners_local_day(make_person, make_win):
    # 23:30 UTC on Wednesday is already Thursday in Auckland.
    person = make_person(time_zone="Pacific/Auckland")
    goal = Goal.objects.create(owner=person, title="Daily", kind="activity", target=1, period="day")
    late = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    make_win(person, text="Done", day=date(2026, 11, 26), goal=goal)
    with mock.patch("django.utils.timezone.now", return_value=late):
        assert goal_progress([Goal.objects.select_related("owner").get()], viewer=None)[goal.pk].this_period == 1


def test_progress_for_many_goals_in_two_queries(make_person, make_win, django_assert_num_queries):
    person = make_person()
    goals = [
        Goal.objects.create(
            owner=person, title=f"Goal {kind}", kind=kind, target=5, period="week", unit="km", baseline=0
        )
        for kind in ("milestone", "count", "activity", "measure")
        for _ in range(3)
    ]
    for goal in goals:
        make_win(person, goal=goal, day=person.local_today() - timedelta(days=1))
    goals = list(Goal.objects.select_related("owner", "team"))
    with django_assert_num_queries(2):  # the wins of count and activity goals; the entries of measure goals
        result = goal_progress(goals, viewer=None)
    assert len(result) == 12
    assert [result[g.pk].label for g in goals if g.kind == "count"] == ["1 of 5 wins"] * 3


@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_a_brief_read_gives_the_same_progress_without_the_streak(make_person, make_win, period):
    person = make_person()
    goal = Goal.objects.create(owner=person, title="Asks", kind="activity", target=2, period=period)
    Goal.objects.filter(pk=goal.pk).update(created_at=goal.created_at - timedelta(days=120))
    today = person.local_today()
    for back in (0, 0, 1, 1, 2, 2, 8, 9, 40, 41):
        make_win(person, goal=goal, day=today - timedelta(days=back))
    full = goal_progress([Goal.objects.select_related("owner").get()], viewer=None)[goal.pk]
    brief = goal_progress([Goal.objects.select_related("owner").get()], viewer=None, brief={goal.pk})[goal.pk]
    assert (brief.fraction, brief.label, brief.this_period) == (full.fraction, full.label, full.this_period)
    assert full.period_streak >= 1 and brief.period_streak == 1


def test_a_measure_goal_keeps_the_range_of_its_entries(make_person):
    from goals.services import log_measurement

    person = make_person()
    goal = Goal.objects.create(owner=person, title="5k", kind="measure", unit="min", direction="down", target=1500)
    for value in (1700, 1650, 1690):
        log_measurement(goal=goal, value=Decimal(value), day=person.local_today(), by=person)
    goal = Goal.objects.select_related("owner").get()
    assert goal_progress([goal], viewer=None)[goal.pk].label == "Best 1,650 · target 1,500"
