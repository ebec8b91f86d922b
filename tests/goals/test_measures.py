from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from goals.measures import MAX_SECONDS, MAX_VALUE, format_value, parse_value


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


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("²", "duration", "is not a time"),  # str.isdigit says yes, int says no
        ("³:00", "duration", "is not a time"),
        ("9" * 5000, "duration", "at most 30 characters"),  # int refuses past 4,300 digits
        ("99999999999999999999", "duration", "too long"),
        ("111111111111:00:00", "duration", "too long"),
        ("1000000:00:00", "duration", "too long"),
        ("9" * 5000, "number", "at most 30 characters"),
        ("9999999999.999", "number", "too large"),  # would round up to 13 digits
        ("10000000000", "km", "too large"),
        ("½", "number", "is not a number"),
        ("1_000", "number", "is not a number"),
    ],
)
def test_values_past_the_column_or_no_value_at_all_are_refused(text, unit, message):
    with pytest.raises(ValidationError, match=message):
        parse_value(text, unit)


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("999999:59:59", "duration", Decimal(3_599_999_999)),
        ("3599999999", "duration", Decimal(3_599_999_999)),
        ("9,999,999,999.99", "money", Decimal("9999999999.99")),
        ("9999999999.994", "number", Decimal("9999999999.99")),
        ("٣:٠٠", "duration", Decimal(180)),  # decimal digits of another script read as they are meant
        (".5", "km", Decimal("0.50")),
    ],
)
def test_values_up_to_the_bounds_are_kept(text, unit, value):
    assert parse_value(text, unit) == value


@given(
    text=st.text(st.sampled_from("0123456789:.,-+e ²³½٣９\x00x"), max_size=40) | st.text() | st.integers().map(str),
    unit=st.sampled_from(["duration", "number", "km", "mi", "kg", "lb", "money"]),
)
@settings(max_examples=500)
def test_anything_typed_is_a_value_the_column_holds_or_a_message(text, unit):
    try:
        value = parse_value(text, unit)
    except ValidationError:
        return
    assert 0 <= value <= (MAX_SECONDS if unit == "duration" else MAX_VALUE)
    assert value == value.quantize(Decimal("0.01"))
