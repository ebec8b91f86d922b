from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from wins import scoring

TODAY = date(2026, 11, 25)  # a Wednesday
WEEKDAYS = frozenset(range(5))


def days_back(*offsets):
    return {TODAY - timedelta(days=n) for n in offsets}


def test_no_wins_no_streak_no_momentum():
    assert scoring.streak(set(), TODAY) == 0
    assert scoring.momentum(set(), TODAY).score == 0


def test_streak_counts_consecutive_days_up_to_today():
    assert scoring.streak(days_back(0, 1, 2, 3), TODAY) == 4


def test_today_without_a_win_does_not_break_the_streak():
    assert scoring.streak(days_back(1, 2, 3), TODAY) == 3


def test_a_missed_active_day_breaks_the_streak():
    assert scoring.streak(days_back(0, 1, 3, 4, 5), TODAY) == 2


def test_rest_days_do_not_break_the_streak():
    # Wednesday, Tuesday, Monday, (Sunday and Saturday rest), Friday, Thursday.
    wins = days_back(0, 1, 2, 5, 6)
    assert scoring.streak(wins, TODAY, WEEKDAYS) == 5
    assert scoring.streak(wins, TODAY) == 3  # with every day active, the weekend breaks it


def test_a_win_on_a_rest_day_counts():
    assert scoring.streak(days_back(0, 1, 2, 3), TODAY, WEEKDAYS) == 4  # Sunday's win included


def test_back_dated_win_fills_the_gap():
    wins = days_back(0, 1, 3)
    assert scoring.streak(wins, TODAY) == 2
    assert scoring.streak(wins | days_back(2), TODAY) == 4


def test_deleted_win_leaves_the_days_it_was_alone_on():
    # Callers pass the days of undeleted wins: removing the only win of a day opens the gap.
    assert scoring.streak(days_back(0, 1, 2) - days_back(1), TODAY) == 1


def test_time_zone_change_moves_today_not_the_wins():
    # A win dated Tuesday in London; the person moves to Auckland where it is already Thursday.
    wins = days_back(1)
    assert scoring.streak(wins, TODAY) == 1  # London: it is Wednesday, Tuesday's streak holds
    assert scoring.streak(wins, TODAY + timedelta(days=1)) == 0  # Auckland: Wednesday was missed


def test_daylight_saving_change_keeps_days_whole():
    # Clocks went back on 25 October 2026 in Europe: dates still follow one another one day apart.
    sunday = date(2026, 10, 25)
    wins = {sunday - timedelta(days=1), sunday, sunday + timedelta(days=1)}
    assert scoring.streak(wins, sunday + timedelta(days=1)) == 3


def test_momentum_by_hand():
    # One win today after nothing: m = 1 - 0.5^(1/7) = 0.0943 -> 9.
    assert scoring.momentum(days_back(0), TODAY).score == 9
    # Seven days of wins: m = 1 - 0.5 = 0.5 -> 50.
    assert scoring.momentum(days_back(*range(7)), TODAY).score == 50
    # Fourteen days: 1 - 0.25 -> 75.
    assert scoring.momentum(days_back(*range(14)), TODAY).score == 75


def test_momentum_halves_after_seven_missed_active_days():
    wins = days_back(*range(8, 60))  # a long run that ended eight days ago
    full = scoring.momentum_value(wins, TODAY - timedelta(days=8))
    # Seven missed days (-7 … -1); today, without a win yet, does not count.
    assert abs(scoring.momentum_value(wins, TODAY) - full / 2) < 1e-9


def test_rest_days_leave_momentum_unchanged():
    wins = days_back(5, 6)  # Thursday and Friday last week
    saturday = TODAY - timedelta(days=4)
    monday = TODAY - timedelta(days=2)
    assert scoring.momentum_value(wins, monday - timedelta(days=1), WEEKDAYS) == scoring.momentum_value(
        wins, saturday - timedelta(days=1), WEEKDAYS
    )


def test_momentum_explains_itself():
    m = scoring.momentum(days_back(*range(7)), TODAY)
    before = scoring.momentum(days_back(*range(1, 7)), TODAY)
    assert m.gained_today == m.score - before.score > 0
    assert before.gained_today == 0  # today without a win has done nothing yet
    assert m.next_ten == 60
    # From 0.5, reaching 0.595 takes n days: 1 - 0.5 * 0.5^(n/7) >= 0.595 -> n >= 2.13 -> 3
    # (after two days it is 0.590, 59; after three 0.628, 63).
    assert m.days_to_next_ten == 3


def test_team_momentum_is_the_mean():
    assert scoring.team_momentum([10, 20, 60]) == 30
    assert scoring.team_momentum([]) == 0


day_offsets = st.sets(st.integers(min_value=0, max_value=120), max_size=60)
weekdays = st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)


@given(day_offsets, weekdays)
def test_streak_never_exceeds_days_since_first_win(offsets, active):
    wins = days_back(*offsets)
    since_first = (TODAY - min(wins)).days + 1 if wins else 0
    assert 0 <= scoring.streak(wins, TODAY, active) <= since_first


@given(day_offsets, weekdays, st.integers(min_value=0, max_value=120))
def test_adding_a_win_never_lowers_momentum_for_that_day(offsets, active, extra):
    wins = days_back(*offsets)
    day = TODAY - timedelta(days=extra)
    assert scoring.momentum_value(wins | {day}, day, active) >= scoring.momentum_value(wins, day, active)


@given(day_offsets, weekdays)
def test_momentum_stays_between_0_and_100(offsets, active):
    m = scoring.momentum(days_back(*offsets), TODAY, active)
    assert 0 <= m.score <= 100 and m.days_to_next_ten >= 0


@given(st.integers(min_value=0, max_value=3000), st.integers(min_value=0, max_value=60), weekdays)
def test_counted_between_matches_counting_day_by_day(start_offset, length, active):
    start = TODAY - timedelta(days=start_offset)
    end = start + timedelta(days=length)
    by_hand = sum((start + timedelta(days=n)).weekday() in active for n in range(1, length))
    assert scoring.counted_between(start, end, active) == by_hand


@given(day_offsets, weekdays, st.integers(min_value=1, max_value=59))
def test_continuing_a_fold_from_a_stored_mark_gives_the_same_marks(offsets, active, cut):
    days = sorted(days_back(*offsets))
    if len(days) < 2:
        return
    cut = cut % (len(days) - 1) + 1
    whole = scoring.fold(days, active)
    head = scoring.fold(days[:cut], active)
    tail = scoring.fold(days[cut:], active, start=head[-1])
    assert [(m.day, m.run) for m in head + tail] == [(m.day, m.run) for m in whole]
    assert all(abs(a.value - b.value) < 1e-12 for a, b in zip(head + tail, whole, strict=True))


def test_sparkline_values_decay_on_missed_days_and_rise_on_wins():
    days = [TODAY - timedelta(days=n) for n in range(4, -1, -1)]  # Friday … Wednesday
    marks = scoring.fold(days_back(*range(4, 11), 0))  # a week of wins up to Saturday, then today
    values = scoring.day_values({m.day: m.value for m in marks}, 0.0, days, today=TODAY)  # Friday has its mark
    line = [scoring.score_of(v) for v in values]
    assert line[0] == 50  # seven days of wins: half way
    assert line[1] == 45 and line[2] < line[1]  # missed Sunday and Monday decay it
    assert line[-1] > line[-2]  # today's win lifts it


@given(day_offsets, weekdays)
def test_the_value_before_a_mark_is_the_fold_run_forward(offsets, active):
    marks = scoring.fold(days_back(*offsets), active)
    for previous, mark in zip([None, *marks], marks, strict=False):
        first = previous.day if previous else mark.day - timedelta(days=10)
        for n in range((mark.day - first).days):
            day = first + timedelta(days=n)  # no win after it until the mark
            if previous is None:
                forward = 0.0
            elif day == previous.day:
                forward = previous.value
            else:
                forward = scoring.standing(previous, day + timedelta(days=1), active).value
            assert abs(scoring.value_before(mark, day, active) - forward) < 1e-9


def before_mark(marks, day):
    return next((m for m in reversed(marks) if m.day < day), None)
