"""Values of measure goals: parsed from what people type, shown the way they typed them.

Durations are stored as seconds and entered and shown as `m:ss` or `h:mm:ss` (a pace of
8:00 per mile is `8:00`); other units are plain non-negative numbers.

Every value fits the models' DecimalField(max_digits=12, decimal_places=2): at most 9,999,999,999.99
(docs/limits.md). Digits are decimal digits, the ones `int` reads: `²` passes `str.isdigit` but not `int`.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

# What a person can type for a value: longer than this is never a value (and never parsed).
MAX_TEXT = 30
# The models' DecimalField(max_digits=12, decimal_places=2) holds up to 9,999,999,999.99.
MAX_VALUE = Decimal("9999999999.99")
TOO_LARGE = "That number is too large: keep it under 10,000,000,000."
# A time is at most 999,999:59:59 (h:mm:ss), in seconds well within the column.
MAX_SECONDS = 999_999 * 3600 + 59 * 60 + 59
DURATION = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})")
SECONDS = re.compile(r"\d+")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d*)?|\.\d+")


def parse_value(text, unit):
    """The stored value of what was typed, or ValidationError with words a person can act on."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("Enter a value.")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"That is too long for a value: at most {MAX_TEXT} characters.")
    if unit == "duration":
        return Decimal(parse_duration(text))
    if text.startswith("-"):
        raise ValidationError("Enter a number of zero or more.")
    if not NUMBER.fullmatch(text):
        raise ValidationError(f"“{text}” is not a number: type digits, like 42 or 3.5.")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValidationError(f"“{text}” is not a number: type digits, like 42 or 3.5.") from None
    if value >= 10**10:  # before rounding: 30 digits rounded to cents overflow Decimal's precision
        raise ValidationError(TOO_LARGE)
    value = value.quantize(Decimal("0.01"))
    if value > MAX_VALUE:  # 9999999999.999 rounds up, past the column
        raise ValidationError(TOO_LARGE)
    return value


def parse_duration(text):
    """Seconds in `m:ss` or `h:mm:ss` (also plain seconds); minutes and seconds stay under 60."""
    if SECONDS.fullmatch(text):
        seconds = int(text)
    else:
        match = DURATION.fullmatch(text)
        if not match:
            raise ValidationError(f"“{text}” is not a time: type minutes and seconds, like 8:00, or 1:05:30.")
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        if seconds >= 60 or (match.group(1) is not None and minutes >= 60):
            raise ValidationError(f"“{text}” is not a time: seconds and minutes go up to 59.")
        seconds += hours * 3600 + minutes * 60
    if seconds > MAX_SECONDS:
        raise ValidationError("That time is too long: keep it under a million hours (999999:59:59).")
    return seconds


def format_value(value, unit):
    """How a stored value reads: 480 seconds as 8:00, 6.2 km as 6.2 km, 1200 as 1,200."""
    if value is None:
        return "—"
    if unit == "duration":
        seconds = int(value)
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    number = f"{value:,.2f}".rstrip("0").rstrip(".")
    suffix = {"km": " km", "mi": " mi", "kg": " kg", "lb": " lb"}.get(unit, "")
    return f"{number}{suffix}"
