from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from goals.measures import format_value, parse_value


@pytest.mark.parametrize(
    ("text", "seconds"), [("8:00", 480), ("7:05", 425), ("0:59", 59), ("1:05:30", 3930), ("59", 59), (" 6:00 ", 360)]
)
def test_durations_parse_as_seconds(text, seconds):
    assert parse_value(text, "duration") == Decimal(seconds)


@pytest.mark.parametrize("text", ["7:75", "-3", "abc", "8:0", "1:60:00", "", "8.00.00"])
def test_bad_durations_say_what_to_type(text):
    with pytest.raises(ValidationError):
        parse_value(text, "duration")


@pytest.mark.parametrize(("text", "value"), [("6.2", Decimal("6.20")), ("1,200", Decimal("1200.00")), ("0", 0)])
def test_numbers_parse(text, value):
    assert parse_value(text, "km") == value


@pytest.mark.parametrize("text", ["-3", "ten", "nan", "inf", "1e20"])
def test_bad_numbers_are_refused(text):
    with pytest.raises(ValidationError):
        parse_value(text, "number")


def test_values_read_back_as_typed():
    assert format_value(Decimal(480), "duration") == "8:00"
    assert format_value(Decimal(3930), "duration") == "1:05:30"
    assert format_value(Decimal("6.20"), "km") == "6.2 km"
    assert format_value(Decimal("1200.00"), "money") == "1,200"
    assert format_value(None, "km") == "—"
